"""The units of analysis: state-years and dyad-years of a state system."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from worldorder.store import Store
from worldorder.frames.base import DYAD_YEAR, FrameError, STATE_YEAR, _filter_years, _store, _table, parse_years


SYSTEM_VERSIONS = {"2024": "cow_system_2024", "2016": "cow_system_2016"}


def create_state_years(system: str = "cow", years=None, version: str = "2024", db=None) -> pd.DataFrame:
    """All state-years of a state system.

    Parameters
    ----------
    system
        ``"cow"`` (Correlates of War State System Membership) or ``"gw"``
        (Gleditsch & Ward 1999, as bundled with peacesciencer).
    years
        Limit to these years (``"1816-2016"``, ``(1946, 1989)``, ``range(...)``).
    version
        COW state-system release, ``"2024"`` or ``"2016"``.

    Returns
    -------
    pandas.DataFrame
        ``ccode, stateabb, year`` (``gwcode, stateabb, year`` for G-W), sorted by
        code and year.

    References
    ----------
    Correlates of War Project. 2024. State System Membership List, v2024.
    Gleditsch, K. S. & Ward, M. D. 1999. A revised list of independent states
    since 1816. International Interactions 25: 393-413.
    """
    if system == "cow":
        if version not in SYSTEM_VERSIONS:
            raise FrameError(f"version must be one of {sorted(SYSTEM_VERSIONS)}, not {version!r}.")
        table = _table(SYSTEM_VERSIONS[version], db)[["ccode", "stateabb", "year"]]
        code = "ccode"
    elif system == "gw":
        spells = _table("ps_gw_states", db)
        first = pd.to_datetime(spells["startdate"]).dt.year.to_numpy()
        last = pd.to_datetime(spells["enddate"]).dt.year.to_numpy()
        lengths = last - first + 1
        table = pd.DataFrame(
            {
                "gwcode": np.repeat(spells["gwcode"].to_numpy(np.int64), lengths),
                "stateabb": np.repeat(spells["stateabb"].to_numpy(), lengths),
                "year": np.concatenate([np.arange(a, b + 1) for a, b in zip(first, last)]),
            }
        ).drop_duplicates(["gwcode", "year"])
        code = "gwcode"
    else:
        raise FrameError(f"system must be 'cow' or 'gw', not {system!r}.")
    out = _filter_years(table, years).sort_values([code, "year"]).reset_index(drop=True)
    out.attrs = {"unit": STATE_YEAR, "system": system}
    return out


def create_dyad_years(directed: bool = True, years=None, system: str = "cow", version: str = "2024", db=None) -> pd.DataFrame:
    """All pairs of states that are both members of the system in a year.

    Directed frames hold (a, b) and (b, a); undirected frames hold a < b only.
    1816-2016 directed has about 1.9 million rows.

    Returns
    -------
    pandas.DataFrame
        ``ccode1, ccode2, year`` (``gwcode1, gwcode2, year`` for G-W), sorted
        by year, then codes.
    """
    code = "ccode" if system == "cow" else "gwcode"
    member_years, member_codes = _members_by_year(system, version, _store(db))
    span = parse_years(years)
    if span is not None:
        inside = slice(*np.searchsorted(member_years, [span[0], span[1] + 1]))
        member_years, member_codes = member_years[inside], member_codes[inside]
    first, second, year = _member_pairs(member_years, member_codes, directed)
    out = pd.DataFrame({f"{code}1": first, f"{code}2": second, "year": year}, copy=False)
    out.attrs = {"unit": DYAD_YEAR, "system": system, "directed": directed}
    return out


def _members_by_year(system: str, version: str, store: Store) -> tuple[np.ndarray, np.ndarray]:
    """Years and codes of every state-year of a system, sorted by year then code (cached per store)."""
    if system not in ("cow", "gw"):
        raise FrameError(f"system must be 'cow' or 'gw', not {system!r}.")
    if system == "cow" and version not in SYSTEM_VERSIONS:
        raise FrameError(f"version must be one of {sorted(SYSTEM_VERSIONS)}, not {version!r}.")
    name = SYSTEM_VERSIONS[version] if system == "cow" else "ps_gw_states"
    store.ensure([name])
    return _sorted_members(system, version, (str(store.path), store.stamp(name)))


@lru_cache(maxsize=8)
def _sorted_members(system: str, version: str, stamp: tuple) -> tuple[np.ndarray, np.ndarray]:
    states = create_state_years(system=system, version=version, db=stamp[0])
    code = "ccode" if system == "cow" else "gwcode"
    ordered = states.sort_values(["year", code])
    years, codes = ordered["year"].to_numpy(np.int64), ordered[code].to_numpy(np.int64)
    years.flags.writeable = codes.flags.writeable = False  # shared by every call
    return years, codes


def _member_pairs(year: np.ndarray, code: np.ndarray, directed: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs of members within each year, vectorised over years.

    ``year`` and ``code`` are sorted by year.  A state in a year of ``n``
    members pairs with the ``n - 1`` others (directed) or with those after
    it (undirected).  For the k-th pair of the state at position p of its
    year, the partner's position is ``k + (k >= p)`` (directed) or ``p + 1 + k``.
    Positions are int32, which halves the memory traffic of the index arithmetic.
    """
    if len(year) == 0:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty
    starts = np.flatnonzero(np.r_[True, year[1:] != year[:-1]])
    sizes = np.diff(np.r_[starts, len(year)])
    block_start = np.repeat(starts, sizes).astype(np.int32)
    position = np.arange(len(year), dtype=np.int32) - block_start
    partners = np.repeat(sizes, sizes).astype(np.int32) - 1
    if not directed:
        partners -= position
    k = np.arange(int(partners.sum()), dtype=np.int32)
    k -= np.repeat(np.cumsum(partners, dtype=np.int32) - partners, partners)
    own = np.repeat(position, partners)
    partner = k + (k >= own) if directed else own + 1 + k
    partner += np.repeat(block_start, partners)
    return np.repeat(code, partners), code[partner], np.repeat(year, partners)
