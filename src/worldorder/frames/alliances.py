"""Alliance joins: ATOP by default, COW only by explicit choice (with its maintainer's notice)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from worldorder.store import open_store
from worldorder.frames.base import DYAD_YEAR, FrameError, _is_directed, _stamp, _unit, coverage
from worldorder.frames.lookup import DyadYearIndex, ValueTable, _attach_dyad_values, _attach_partner_counts, _dyad_index, _selected, _symmetrized, _value_table


COW_TYPES = ("cow_defense", "cow_neutrality", "cow_nonaggression", "cow_entente")
ATOP_TYPES = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")


def _either_direction(dyads: pd.DataFrame, types: tuple[str, ...], any_column: str) -> pd.DataFrame:
    """Undirected dyad-years: a type if either direction has it; "any alliance" only where a type is flagged."""
    both = _symmetrized(dyads, types, "max")
    both[any_column] = (both[list(types)] > 0).any(axis=1).astype(np.float64)
    return both


@lru_cache(maxsize=4)
def _cow_alliance_dyads(stamp: tuple, undirected: bool = False) -> tuple[DyadYearIndex, ValueTable]:
    """Directed dyad-years of COW alliances from the member-year file: pairs of members of
    the same alliance in the same year, with the strongest obligation of each type of the
    first member (the either-direction rule of :func:`_either_direction` when ``undirected``)."""
    members = open_store(stamp[0]).table("cow_alliance_4_1")[
        ["version4id", "ccode", "year", "defense", "neutrality", "nonaggression", "entente"]
    ]
    pairs = members.merge(members[["version4id", "year", "ccode"]], on=["version4id", "year"], suffixes=("1", "2"))
    pairs = pairs[pairs["ccode1"] != pairs["ccode2"]]
    types = ["defense", "neutrality", "nonaggression", "entente"]
    dyads = pairs.groupby(["ccode1", "ccode2", "year"], as_index=False)[types].max()
    dyads = dyads.rename(columns={t: f"cow_{t}" for t in types}).assign(cow_alliance=1.0)
    if undirected:
        dyads = _either_direction(dyads, COW_TYPES, "cow_alliance")
    return _dyad_index(dyads, "cow_alliance_4_1"), _value_table(dyads, [*COW_TYPES, "cow_alliance"], absent=0.0)


@lru_cache(maxsize=4)
def _atop_alliance_dyads(stamp: tuple, undirected: bool = False) -> tuple[DyadYearIndex, ValueTable]:
    """ATOP dyad-years: directed as peacesciencer gives them (a row per direction, its own
    obligations), or by the either-direction rule of :func:`_either_direction` when ``undirected``."""
    table = open_store(stamp[0]).table("ps_atop_alliance").assign(atop_alliance=1.0)
    if undirected:
        table = _either_direction(table, ATOP_TYPES, "atop_alliance")
    return _dyad_index(table, "ps_atop_alliance"), _value_table(table, [*ATOP_TYPES, "atop_alliance"], absent=0.0)


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

        # shown as "worldorder:0: CowAllianceNotice: ..." (no source line to quote), filterable by its class
        warnings.warn_explicit(COW_ALLIANCE_NOTICE, CowAllianceNotice, "worldorder", 0, module="worldorder")


def add_alliances(frame: pd.DataFrame, source: str = "atop", columns: Iterable[str] | None = None, db=None) -> pd.DataFrame:
    """Add alliance ties: ATOP v5.1 (1815-2018, the default) or COW Formal Alliances v4.1 (1816-2012).

    Dyad-years get 0/1 flags (0 when the source lists no alliance, NA outside
    its years): ``atop_defense, atop_offense, atop_neutral, atop_nonagg,
    atop_consul, atop_alliance`` or ``cow_defense, cow_neutrality,
    cow_nonaggression, cow_entente, cow_alliance``; ``columns`` picks some of
    them.  A directed dyad (a, b) has a's obligations to b as the source
    codes them.  An undirected dyad has an obligation of a type if either
    direction has it, and the "any alliance" flag only where some obligation
    is flagged (the field's rule; see Notes).  State-years get the number of alliance partners, ``atop_allies`` or
    ``cow_allies``.  ``source="both"`` adds both sources.  COW data are read
    only when asked for (``"cow"`` or ``"both"``), with a notice shown once:
    the data set's maintainer asks that software not wrap it.

    Notes
    -----
    Undirected: :math:`f^{type}_{\\{a,b\\}t} = \\max(f^{type}_{abt}, f^{type}_{bat})` and
    :math:`f^{any}_{\\{a,b\\}t} = \\max_{type} f^{type}_{\\{a,b\\}t}`.  Reading the
    :math:`a < b` row alone would lose one-way obligations (64 ATOP defence
    dyad-years, such as Italy's Locarno guarantees of 1925-1937).

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
    if _unit(frame) == DYAD_YEAR:
        index, values = build(_stamp([name], db), undirected=not _is_directed(frame))
        return _attach_dyad_values(frame, index, _selected(values, columns))
    index, values = build(_stamp([name], db))
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
