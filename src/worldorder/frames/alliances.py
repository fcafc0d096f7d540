"""Alliance joins: ATOP by default, COW only by explicit choice (with its maintainer's notice)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from worldorder.store import open_store
from worldorder.frames.base import DYAD_YEAR, FrameError, _stamp, _unit, coverage
from worldorder.frames.lookup import DyadYearIndex, ValueTable, _attach_dyad_values, _attach_partner_counts, _dyad_index, _selected, _value_table


@lru_cache(maxsize=4)
def _cow_alliance_dyads(stamp: tuple) -> tuple[DyadYearIndex, ValueTable]:
    """Directed dyad-years of COW alliances from the member-year file: pairs of members of
    the same alliance in the same year, with the strongest obligation of each type."""
    members = open_store(stamp[0]).table("cow_alliance_4_1")[
        ["version4id", "ccode", "year", "defense", "neutrality", "nonaggression", "entente"]
    ]
    pairs = members.merge(members[["version4id", "year", "ccode"]], on=["version4id", "year"], suffixes=("1", "2"))
    pairs = pairs[pairs["ccode1"] != pairs["ccode2"]]
    types = ["defense", "neutrality", "nonaggression", "entente"]
    dyads = pairs.groupby(["ccode1", "ccode2", "year"], as_index=False)[types].max()
    dyads = dyads.rename(columns={t: f"cow_{t}" for t in types}).assign(cow_alliance=1.0)
    return _dyad_index(dyads, "cow_alliance_4_1"), _value_table(dyads, [f"cow_{t}" for t in types] + ["cow_alliance"], absent=0.0)


@lru_cache(maxsize=4)
def _atop_alliance_dyads(stamp: tuple) -> tuple[DyadYearIndex, ValueTable]:
    """Directed dyad-years of ATOP alliances (peacesciencer's table already holds both orders)."""
    table = open_store(stamp[0]).table("ps_atop_alliance").assign(atop_alliance=1.0)
    types = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul", "atop_alliance"]
    return _dyad_index(table, "ps_atop_alliance"), _value_table(table, types, absent=0.0)


ALLIANCE_SOURCES = {"atop": ("ps_atop_alliance", _atop_alliance_dyads), "cow": ("cow_alliance_4_1", _cow_alliance_dyads)}


#: Printed once per process when COW alliance data are read (only ever at the user's explicit request).
COW_ALLIANCE_NOTICE = (
    "COW Formal Alliances v4.1 is read because you asked for it. Its maintainer (D. Gibler) asks that "
    "software not wrap this data set, and peacesciencer disabled its COW alliance function for that "
    "reason; worldorder uses ATOP v5.1 unless you choose COW. Cite Gibler (2009) if you use it."
)


class CowAllianceNotice(UserWarning):
    """The notice shown the first time COW alliance data are used."""


_notice_shown = False


def cow_alliance_notice() -> None:
    """Warn once per process (:class:`CowAllianceNotice`) that COW alliance data are in use."""
    global _notice_shown
    if not _notice_shown:
        _notice_shown = True
        import warnings

        warnings.warn(COW_ALLIANCE_NOTICE, CowAllianceNotice, stacklevel=3)


def add_alliances(frame: pd.DataFrame, source: str = "atop", columns: Iterable[str] | None = None, db=None) -> pd.DataFrame:
    """Add alliance ties: ATOP v5.1 (1815-2018, the default) or COW Formal Alliances v4.1 (1816-2012).

    Dyad-years get 0/1 flags (0 when the source lists no alliance, NA outside
    its years): ``atop_defense, atop_offense, atop_neutral, atop_nonagg,
    atop_consul, atop_alliance`` or ``cow_defense, cow_neutrality,
    cow_nonaggression, cow_entente, cow_alliance``; ``columns`` picks some of
    them.  State-years get the number of alliance partners, ``atop_allies`` or
    ``cow_allies``.  ``source="both"`` adds both sources.  COW data are read
    only when asked for (``"cow"`` or ``"both"``), with a notice shown once:
    the data set's maintainer asks that software not wrap it.

    References
    ----------
    Gibler, D. M. 2009. International Military Alliances, 1648-2008. CQ Press.
    Leeds, B. A. et al. 2002. Alliance Treaty Obligations and Provisions,
    1815-1944. International Interactions 28: 237-260.
    """
    if source == "both":
        return _add_both_alliances(frame, columns, db)
    if source not in ALLIANCE_SOURCES:
        raise FrameError(f"source must be 'cow', 'atop' or 'both', not {source!r}.")
    if source == "cow":
        cow_alliance_notice()
    name, build = ALLIANCE_SOURCES[source]
    index, values = build(_stamp([name], db))
    if _unit(frame) == DYAD_YEAR:
        return _attach_dyad_values(frame, index, _selected(values, columns))
    return _attach_partner_counts(frame, index.ccode1, index.year, f"{source}_allies", coverage(name))


def _add_both_alliances(frame: pd.DataFrame, columns, db) -> pd.DataFrame:
    """COW and ATOP ties together; ``columns`` name either source's columns by their prefix."""
    if columns is not None:
        columns = [columns] if isinstance(columns, str) else list(columns)
        stray = [c for c in columns if not c.startswith(tuple(f"{source}_" for source in ALLIANCE_SOURCES))]
        if stray:
            raise FrameError(f"unknown column(s) {', '.join(stray)}; COW columns start cow_, ATOP columns atop_.")
    out = frame
    for source in ALLIANCE_SOURCES:
        picked = None if columns is None else [c for c in columns if c.startswith(f"{source}_")]
        if picked != []:
            out = add_alliances(out, source, picked, db=db)
    return out
