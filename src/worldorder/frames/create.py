"""The units of analysis: state-years and dyad-years of a state system."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from worldorder.store import Store
from worldorder.frames.base import _CODE_SPAN, DYAD_YEAR, STATE_YEAR, FrameError, _store, _table
from worldorder.years import Years
from worldorder.frames.lookup import _copies


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
    out = Years.parse(years).select(table, what=f"the {system.upper()} state system").sort_values([code, "year"]).reset_index(drop=True)
    out.attrs = {"unit": STATE_YEAR, "system": system}
    return out


def create_dyad_years(
    directed: bool = True, years=None, system: str = "cow", version: str = "2024", keep_false_dyads: bool = False, db=None
) -> pd.DataFrame:
    """All pairs of states that are members of the system on a same day of a year.

    Directed frames hold (a, b) and (b, a); undirected frames hold a < b only.
    1816-2016 directed has about 1.9 million rows.

    Parameters
    ----------
    directed
        Both orders of each pair (True) or ``code1 < code2`` only.
    years
        Limit to these years (``"1816-2016"``, ``1990``, ``(1946, 1989)``).
    system, version
        ``"cow"`` (release ``"2024"`` or ``"2016"``) or ``"gw"``.
    keep_false_dyads
        Keep *false dyads*: pairs that are both members in a year but never on
        the same day (see :func:`false_dyads`).  Dropped by default, as in
        peacesciencer.

    Returns
    -------
    pandas.DataFrame
        ``ccode1, ccode2, year`` (``gwcode1, gwcode2, year`` for G-W), sorted
        by year, then codes.

    Notes
    -----
    A pair of states is a dyad in year :math:`t` when some membership spell
    of each overlaps within :math:`t`: :math:`s_a \\le e_b` and
    :math:`s_b \\le e_a`, with the spells clipped to the year and both ends
    inclusive.  With COW v2024 this drops 60 directed dyad-years (30
    undirected) of 1816-2016, such as Papal States-China 1860 or the two
    Germanies and Germany in 1990.

    References
    ----------
    Miller, S. V. 2022. peacesciencer: an R package for quantitative peace
    science research. Conflict Management and Peace Science 39(6): 755-779.
    """
    code = "ccode" if system == "cow" else "gwcode"
    store = _store(db)
    if keep_false_dyads:
        first, second, year = _all_pairs(system, version, directed, _system_stamp(system, version, store))
    else:
        first, second, year = _true_pairs(system, version, directed, _system_stamp(system, version, store, spells=True))
    span = Years.parse(years)
    if not span.everything and len(year):  # years outside the system's are refused, naming its years
        span = span.resolve((int(year[0]), int(year[-1])), f"the {system.upper()} state system")
        # bounds of the keys' own dtype: searching int16 keys for int64 values would convert all keys
        bounds = np.clip([span[0], span[1] + 1], 0, np.iinfo(year.dtype).max).astype(year.dtype)
        inside = slice(*np.searchsorted(year, bounds))
        first, second, year = first[inside], second[inside], year[inside]
    # the cached arrays are shared, read-only int16: every frame gets its own int64 copy (on two threads)
    first, second, year = _copies(first, second, year, dtype=np.int64)
    out = pd.DataFrame({f"{code}1": first, f"{code}2": second, "year": year}, copy=False)
    out.attrs = {"unit": DYAD_YEAR, "system": system, "directed": directed}
    return out


def _system_stamp(system: str, version: str, store: Store, spells: bool = False) -> tuple:
    """Store path and provenance stamps of the membership list (and of its spells when ``spells``)."""
    names = [_membership_table(system, version)]
    if spells and system == "cow":
        names.append(STATE_LISTS[version])
    store.ensure(names)
    return (str(store.path), *(store.stamp(name) for name in names))


def _membership_table(system: str, version: str) -> str:
    if system not in ("cow", "gw"):
        raise FrameError(f"system must be 'cow' or 'gw', not {system!r}.")
    if system == "cow" and version not in SYSTEM_VERSIONS:
        raise FrameError(f"version must be one of {sorted(SYSTEM_VERSIONS)}, not {version!r}.")
    return SYSTEM_VERSIONS[version] if system == "cow" else "ps_gw_states"


def _compact(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Read-only int16 copies of code and year arrays: a quarter of the memory (and of the reading) of int64."""
    out = []
    for array in arrays:
        if array.size and (array.min() < 0 or array.max() > np.iinfo(np.int16).max):
            raise FrameError("state codes and years must lie between 0 and 32767")
        compact = array.astype(np.int16)
        compact.flags.writeable = False
        out.append(compact)
    return tuple(out)


@lru_cache(maxsize=2)
def _all_pairs(system: str, version: str, directed: bool, stamp: tuple) -> tuple[np.ndarray, ...]:
    """Every pair of members in each year of the system (cached, read-only int16)."""
    member_years, member_codes = _sorted_members(system, version, stamp[:2])
    return _compact(*_member_pairs(member_years, member_codes, directed))


@lru_cache(maxsize=4)
def _true_pairs(system: str, version: str, directed: bool, stamp: tuple) -> tuple[np.ndarray, ...]:
    """:func:`_all_pairs` less the false dyads (cached, read-only int16)."""
    first, second, year = _all_pairs(system, version, directed, stamp[:2])
    false = false_dyads(system, version, db=stamp[0])
    if not directed:
        false = false[false.iloc[:, 0] < false.iloc[:, 1]]
    keys = (year.astype(np.int64) * _CODE_SPAN + first) * _CODE_SPAN + second
    drop = (false["year"].to_numpy(np.int64) * _CODE_SPAN + false.iloc[:, 0].to_numpy(np.int64)) * _CODE_SPAN
    drop += false.iloc[:, 1].to_numpy(np.int64)
    keep = ~np.isin(keys, drop)
    return _compact(first[keep], second[keep], year[keep])


def false_dyads(system: str = "cow", version: str = "2024", db=None) -> pd.DataFrame:
    """Directed pairs that are members in the same year but never on the same day.

    Parameters
    ----------
    system, version
        ``"cow"`` (state list ``"2024"`` or ``"2016"``) or ``"gw"``.
    db
        Store path or :class:`~worldorder.store.Store`.

    Returns
    -------
    pandas.DataFrame
        ``ccode1, ccode2, year`` (``gwcode1, gwcode2`` for G-W), both orders
        of each pair, sorted by year and codes.

    Notes
    -----
    Each membership spell is clipped to each year it covers.  Only states
    whose spell starts or ends inside a year can fail to meet another state
    that year, so only those years are checked: two states meet when some
    spell of each satisfies :math:`s_a \\le e_b` and :math:`s_b \\le e_a`.
    """
    store = _store(db)
    table = _membership_table(system, version)
    names = [table] if system == "gw" else [STATE_LISTS[version]]
    store.ensure(names)
    return _false_dyads(system, version, (str(store.path), store.stamp(names[0]))).copy()


STATE_LISTS = {"2024": "cow_states_2024", "2016": "cow_states_2016"}


@lru_cache(maxsize=4)
def _false_dyads(system: str, version: str, stamp: tuple) -> pd.DataFrame:
    from worldorder.store import open_store

    code = "ccode" if system == "cow" else "gwcode"
    if system == "cow":
        spells = open_store(stamp[0]).table(STATE_LISTS[version])[["ccode", "start", "end"]]
    else:
        spells = open_store(stamp[0]).table("ps_gw_states").rename(columns={"gwcode": "ccode", "startdate": "start", "enddate": "end"})
    start = spells["start"].to_numpy("datetime64[D]")
    end = spells["end"].to_numpy("datetime64[D]")
    first, last = start.astype("datetime64[Y]").astype(np.int64) + 1970, end.astype("datetime64[Y]").astype(np.int64) + 1970
    lengths = last - first + 1
    years = np.concatenate([np.arange(a, b + 1) for a, b in zip(first, last)])
    codes = np.repeat(spells["ccode"].to_numpy(np.int64), lengths)
    jan1 = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    dec31 = (years - 1969).astype("datetime64[Y]").astype("datetime64[D]") - np.timedelta64(1, "D")
    begin = np.maximum(np.repeat(start, lengths), jan1)
    finish = np.minimum(np.repeat(end, lengths), dec31)
    partial = (begin > jan1) | (finish < dec31)
    rows = []
    for year in np.unique(years[partial]):
        here = years == year
        c, a, b = codes[here], begin[here], finish[here]
        states, index = np.unique(c, return_inverse=True)
        meet = np.eye(len(states), dtype=bool)
        i, j = np.nonzero((a[:, None] <= b[None, :]) & (a[None, :] <= b[:, None]))
        meet[index[i], index[j]] = True
        one, two = np.nonzero(~meet)
        rows.append(pd.DataFrame({f"{code}1": states[one], f"{code}2": states[two], "year": year}))
    empty = pd.DataFrame({f"{code}1": [], f"{code}2": [], "year": []}, dtype=np.int64)
    out = pd.concat([empty, *rows], ignore_index=True).astype(np.int64)
    return out.sort_values(["year", f"{code}1", f"{code}2"], ignore_index=True)


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
