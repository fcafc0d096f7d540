"""Joins of dyad-level sources: trade, distance, IGOs, contiguity and disputes."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from worldorder.store import open_store
from worldorder.frames.base import DYAD_YEAR, FrameError, STATE_YEAR, _stamp, _unit, coverage
from worldorder.frames.lookup import DyadYearIndex, ValueTable, _attach_dyad_values, _attach_partner_counts, _attach_state_values, _both_orientations, _dyad_index, _state_source, _symmetric_source, _symmetrized, _value_table


def add_trade(frame: pd.DataFrame, fill: str | None = None, db=None) -> pd.DataFrame:
    """Add COW trade (Barbieri & Keshk, v4.0), millions of current US dollars, 1870-2014.

    State-years get ``imports`` and ``exports`` (national totals).  Dyad-years
    get ``flow1`` (ccode1's imports from ccode2), ``flow2`` (ccode2's imports
    from ccode1) and the smoothed ``smoothflow1``/``smoothflow2``.  The dyadic
    values are from the reduced copy that peacesciencer distributes (whole
    millions); dyad-years the file does not list are NA.

    References
    ----------
    Barbieri, K., Keshk, O. M. G. & Pollins, B. 2009. Trading data: evaluating
    our assumptions and coding rules. Conflict Management and Peace Science 26: 471-491.
    """
    if _unit(frame) == STATE_YEAR:
        values = _state_source("cow_trade_national_4", ("imports", "exports"), _stamp(["cow_trade_national_4"], db))
        return _attach_state_values(frame, values, fill=fill)
    index, values = _directed_trade(_stamp(["cow_trade_dyadic_4"], db))
    return _attach_dyad_values(frame, index, values, fill=fill)


@lru_cache(maxsize=4)
def _directed_trade(stamp: tuple) -> tuple[DyadYearIndex, ValueTable]:
    table = open_store(stamp[0]).table("cow_trade_dyadic_4")
    both = _both_orientations(table, [("flow1", "flow2"), ("smoothflow1", "smoothflow2")])
    return _dyad_index(both, "cow_trade_dyadic_4"), _value_table(both, ("flow1", "flow2", "smoothflow1", "smoothflow2"))


def add_distance(frame: pd.DataFrame, db=None) -> pd.DataFrame:
    """Add ``mindist``, the minimum distance in km between two states (CShapes 2.0), 1886-2019.

    Dyad-years only; NA where the source has no value.

    References
    ----------
    Schvitz, G. et al. 2022. Mapping the international system, 1886-2019: the
    CShapes 2.0 dataset. Journal of Conflict Resolution 66(1): 144-161.
    """
    if _unit(frame) != DYAD_YEAR:
        raise FrameError("add_distance needs a dyad-year frame; build one with create_dyad_years().")
    index, values = _symmetric_source("ps_cow_mindist", ("mindist",), _stamp(["ps_cow_mindist"], db))
    return _attach_dyad_values(frame, index, values)


def add_igos(frame: pd.DataFrame, db=None) -> pd.DataFrame:
    """Add intergovernmental organization memberships (COW IGO v3, Pevehouse et al. 2020), 1816-2014.

    Dyad-years get ``dyadigos``, the number of IGOs both states are full members
    of (NA where the source lists no value); state-years get ``sum_igo_full``,
    ``sum_igo_associate``, ``sum_igo_observer`` and ``sum_igo_anytype``.
    """
    if _unit(frame) == DYAD_YEAR:
        index, values = _symmetric_source("ps_cow_igo_ndy", ("dyadigos",), _stamp(["ps_cow_igo_ndy"], db))
        return _attach_dyad_values(frame, index, values)
    columns = ("sum_igo_full", "sum_igo_associate", "sum_igo_observer", "sum_igo_anytype")
    values = _state_source("ps_cow_igo_sy", columns, _stamp(["ps_cow_igo_sy"], db))
    return _attach_state_values(frame, values)


def add_contiguity(frame: pd.DataFrame, db=None) -> pd.DataFrame:
    """Add COW Direct Contiguity v3.2 (Stinnett et al. 2002), 1816-2016.

    Dyad-years get ``conttype``: 1 land or river border; 2, 3, 4, 5 separated
    by at most 12, 24, 150, 400 miles of water; 0 not contiguous.  State-years
    get ``land_neighbours``, the number of states sharing a land border.

    Notes
    -----
    The file gives some dyads two rows in one year (a border that changed
    during the year: 29 undirected dyad-years, each in both directions).  A dyad-year takes the
    closest type of its rows in either direction,
    :math:`c_{\\{a,b\\}t} = \\min(c_{abt}, c_{bat})`, so values are symmetric;
    taking the last row instead made 34 directed dyad-years asymmetric
    (China-Japan 1879: 5 one way, 4 the other).

    References
    ----------
    Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F. & Gochman, C. 2002.
    The Correlates of War Project direct contiguity data, version 3.
    Conflict Management and Peace Science 19(2): 59-67.
    """
    index, values = _contiguity(_stamp(["cow_contiguity_3_2"], db))
    if _unit(frame) == DYAD_YEAR:
        return _attach_dyad_values(frame, index, values)
    land = values.column("conttype") == 1
    return _attach_partner_counts(frame, index.ccode1[land], index.year[land], "land_neighbours", coverage("cow_contiguity_3_2"))


@lru_cache(maxsize=4)
def _contiguity(stamp: tuple) -> tuple[DyadYearIndex, ValueTable]:
    table = _symmetrized(open_store(stamp[0]).table("cow_contiguity_3_2"), ["conttype"], "min")
    return _dyad_index(table, "cow_contiguity_3_2"), _value_table(table, ("conttype",), absent=0.0)


def add_disputes(frame: pd.DataFrame, db=None) -> pd.DataFrame:
    """Add militarized interstate disputes (dyadic MID v4.02, Maoz et al. 2019), 1816-2014.

    Dyad-years get ``mid_ongoing`` (1 if the two states were on opposite sides
    of a dispute that year), ``mid_onset`` (1 if a dispute between them began
    that year) and ``mid_hihost`` (highest hostility level, 1-5; 0 with none).
    State-years get ``mid_opponents``, the number of states it was in a dispute with.
    """
    index, values = _disputes(_stamp(["cow_mid_dyadic_4_02"], db))
    if _unit(frame) == DYAD_YEAR:
        return _attach_dyad_values(frame, index, values)
    return _attach_partner_counts(frame, index.ccode1, index.year, "mid_opponents", coverage("cow_mid_dyadic_4_02"))


@lru_cache(maxsize=4)
def _disputes(stamp: tuple) -> tuple[DyadYearIndex, ValueTable]:
    table = open_store(stamp[0]).table("cow_mid_dyadic_4_02")
    table = table.assign(onset=(table["year"] == table["strtyr"]).astype(np.int64))
    dyads = table.groupby(["ccode1", "ccode2", "year"], as_index=False).agg(
        mid_hihost=("hihost", "max"), mid_onset=("onset", "max")
    ).assign(mid_ongoing=1.0)
    return _dyad_index(dyads, "cow_mid_dyadic_4_02"), _value_table(dyads, ("mid_ongoing", "mid_onset", "mid_hihost"), absent=0.0)
