"""Parsers for Correlates of War (COW) project files.

Each parser reads one raw file (CSV, or the R data files that the peacesciencer
package distributes) and returns a new tidy table with COW naming conventions:
``ccode``/``stateabb``/``year`` for states, ``ccode1``/``ccode2`` for dyads.
COW codes ``-9`` (missing or unknown) and ``-8`` (not applicable) become nulls;
whole-number columns become ``int64``, or nullable ``Int64`` where a value is
null; measured quantities are ``float64`` with ``NaN`` for missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ._common import null_codes, require_columns, to_int

MISSING = (-9,)
NOT_APPLICABLE = (-8,)

NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")
SPELL_DATE_COLUMNS = ("styear", "stmonth", "stday", "endyear", "endmonth", "endday")
TRADE_FLOWS = ("flow1", "flow2", "smoothflow1", "smoothflow2")
GBP_UNTIL = 1913  # NMC milex is in thousands of pounds through 1913, of US dollars from 1914


# -- shared helpers ------------------------------------------------------------------
def _read_r(path: Path | str) -> pd.DataFrame:
    """The one data frame stored in an R ``.rds`` or ``.rda`` file."""
    import pyreadr

    objects = pyreadr.read_r(str(path))
    if len(objects) != 1:
        raise ValueError(f"{path}: expected one data frame in the R file, found {len(objects)}: {list(objects)}")
    return next(iter(objects.values())).reset_index(drop=True)


def _integers(frame: pd.DataFrame, path: Path | str, floats: Sequence[str] = ()) -> pd.DataFrame:
    """Cast every numeric column except ``floats`` to int64 (Int64 where null).

    Refuses to truncate: a column with a fractional value raises ValueError.
    """
    columns = [c for c in frame.columns if c not in floats and pd.api.types.is_numeric_dtype(frame[c])]
    for column in columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values):
            finite = values.to_numpy(dtype=np.float64, na_value=np.nan)
            finite = finite[~np.isnan(finite)]
            if (finite != np.round(finite)).any():
                raise ValueError(f"{path}: column {column!r} holds fractional values where whole numbers were expected")
    return to_int(frame, columns)


def _floats(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Cast ``columns`` to float64 (nulls become NaN)."""
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_numeric(out[column]).astype("float64")
    return out


def _dates(frame: pd.DataFrame, year: str, month: str, day: str) -> pd.Series:
    """A datetime64[s] column from three integer columns (null if any part is null)."""
    parts = pd.DataFrame({"year": frame[year], "month": frame[month], "day": frame[day]})
    return pd.to_datetime(parts).astype("datetime64[s]")


# -- National Material Capabilities ---------------------------------------------------
def _nmc_table(frame: pd.DataFrame, path: Path | str) -> pd.DataFrame:
    """Shared tidying of NMC v6 (CSV) and v7 (peacesciencer .rda)."""
    require_columns(frame, ("ccode", "year", *NMC_COMPONENTS), path)
    keys = ["ccode", "stateabb", "year"] if "stateabb" in frame.columns else ["ccode", "year"]
    out = _floats(frame[keys + list(NMC_COMPONENTS)], NMC_COMPONENTS)
    out = null_codes(out, MISSING, NMC_COMPONENTS)
    out = _integers(out, path, floats=NMC_COMPONENTS)
    currency = np.where(out["year"].to_numpy() <= GBP_UNTIL, "GBP", "USD")
    out.insert(out.columns.get_loc("milex") + 1, "milex_currency", pd.Series(currency, index=out.index, dtype="str"))
    return out


def parse_nmc(path: Path | str) -> pd.DataFrame:
    """Parse a COW National Material Capabilities abridged CSV (v6.0 layout).

    Keeps ``ccode, stateabb, year`` and the six components plus ``cinc`` (the
    ``version`` column is dropped; the registry carries it). ``-9`` becomes NaN
    in every component. ``milex`` is in thousands of current British pounds for
    1816-1913 and of current US dollars from 1914; the added text column
    ``milex_currency`` ("GBP" or "USD") carries that unit break on every row.
    """
    return _nmc_table(pd.read_csv(path), path)


def parse_nmc_rdata(path: Path | str) -> pd.DataFrame:
    """Parse the NMC abridged table as peacesciencer stores it (``cow_nmc.rda``, v7.0).

    The R file holds doubles with NA already in place of ``-9`` and has no
    ``stateabb`` column (join it from the state system); otherwise the output
    matches :func:`parse_nmc`: int64 ``ccode, year``, float64 components and
    ``milex_currency`` ("GBP" through 1913, "USD" from 1914).
    """
    return _nmc_table(_read_r(path), path)


# -- State System Membership ----------------------------------------------------------
def parse_spells(path: Path | str) -> pd.DataFrame:
    """Parse a COW state-list or major-power file: one row per spell of membership.

    Works for ``states2016.csv``, ``statelist2024.csv`` and ``majors20xx.csv``
    (which lacks ``statenme``). Keeps the date parts as int64 and adds ``start``
    and ``end`` as datetime64 dates. These files carry no missing codes.
    """
    frame = pd.read_csv(path)
    require_columns(frame, ("ccode", "stateabb", *SPELL_DATE_COLUMNS, "version"), path)
    names = ["statenme"] if "statenme" in frame.columns else []
    out = _integers(frame[["ccode", "stateabb", *names, *SPELL_DATE_COLUMNS, "version"]].copy(), path)
    out["start"] = _dates(out, "styear", "stmonth", "stday")
    out["end"] = _dates(out, "endyear", "endmonth", "endday")
    return out


def parse_system(path: Path | str) -> pd.DataFrame:
    """Parse a COW state-system state-year file (``system2016.csv``, ``system2024.csv``).

    The two releases order their columns differently; the output is always
    ``ccode, stateabb, year`` (int64 codes and years), plus ``statenme`` where
    the file has it, sorted by ``ccode`` and ``year``. The constant ``version``
    column of the 2016 file is dropped. These files carry no missing codes.
    """
    frame = pd.read_csv(path)
    require_columns(frame, ("ccode", "stateabb", "year"), path)
    names = ["statenme"] if "statenme" in frame.columns else []
    out = _integers(frame[["ccode", "stateabb", "year", *names]].copy(), path)
    return out.sort_values(["ccode", "year"], kind="stable").reset_index(drop=True)


# -- Formal Alliances -----------------------------------------------------------------
def parse_alliance_member_years(path: Path | str) -> pd.DataFrame:
    """Parse COW Formal Alliances v4.1, member-year file.

    Column names stay as in the file (already lower snake case). Blank alliance
    and membership end dates (alliances in force at the end of the data) and
    the few blank flags become nulls; dates, censoring and type flags become
    Int64/int64; ``ss_type`` stays text and ``version`` a float (4.1).
    """
    frame = pd.read_csv(path)
    require_columns(frame, ("version4id", "ccode", "ss_type", "defense", "year"), path)
    return _integers(frame, path, floats=("version",))


# -- Trade ----------------------------------------------------------------------------
def parse_trade_national(path: Path | str) -> pd.DataFrame:
    """Parse COW Trade v4.0 national totals (``National_COW_4.0.csv``).

    Blank cells, not ``-9``, mark missing values here; they become NaN in the
    float64 trade columns (``imports, exports, alt_imports, alt_exports``,
    millions of current US dollars). The source codes ``source1/2`` stay float64
    too, because COW codes one source as 2.2.
    """
    frame = pd.read_csv(path)
    floats = ("imports", "exports", "alt_imports", "alt_exports", "source1", "source2")
    require_columns(frame, ("ccode", "stateabb", "year", *floats), path)
    return _integers(_floats(frame, floats), path, floats=floats)


def parse_trade_dyadic_rds(path: Path | str) -> pd.DataFrame:
    """Parse the reduced COW Trade v4.0 dyadic file that peacesciencer serves (``.rds``).

    The R file stacks every dyad-year in both orientations; only rows with
    ``ccode1 < ccode2`` are kept, which is COW's undirected layout, sorted by
    ``ccode1, ccode2, year``. ``flow1`` is ccode1's imports from ccode2 and
    ``flow2`` ccode2's imports from ccode1, in millions of current US dollars
    (rounded to whole millions by peacesciencer); NA stays NaN.
    """
    frame = _read_r(path)
    require_columns(frame, ("ccode1", "ccode2", "year", *TRADE_FLOWS), path)
    frame = frame.loc[frame["ccode1"] < frame["ccode2"], ["ccode1", "ccode2", "year", *TRADE_FLOWS]]
    out = null_codes(_floats(frame, TRADE_FLOWS), MISSING, TRADE_FLOWS)
    out = _integers(out, path, floats=TRADE_FLOWS)
    return out.sort_values(["ccode1", "ccode2", "year"], kind="stable").reset_index(drop=True)


# -- Contiguity -----------------------------------------------------------------------
def parse_contiguity(path: Path | str) -> pd.DataFrame:
    """Parse COW Direct Contiguity v3.2, directed dyad-years (``contdird.csv``).

    Renames ``state1no/state2no`` to ``ccode1/ccode2`` and ``state1ab/state2ab``
    to ``stateabb1/stateabb2``, and drops ``dyad`` (it is ccode1 * 1000 + ccode2).
    ``conttype`` is 1 for land or river borders and 2-5 for water separation of
    at most 12, 24, 150 and 400 miles. The file has no missing codes.
    """
    frame = pd.read_csv(path)
    rename = {"state1no": "ccode1", "state2no": "ccode2", "state1ab": "stateabb1", "state2ab": "stateabb2"}
    require_columns(frame, (*rename, "year", "conttype", "version"), path)
    frame = frame.rename(columns=rename)
    columns = ["ccode1", "ccode2", "stateabb1", "stateabb2", "year", "conttype", "version"]
    return _integers(frame[columns].copy(), path, floats=("version",))


# -- Disputes and wars ----------------------------------------------------------------
def _dyadic(path: Path | str, floats: Sequence[str]) -> pd.DataFrame:
    """Shared reading of COW dyadic files with ``statea``/``stateb`` columns."""
    frame = pd.read_csv(path)
    require_columns(frame, ("statea", "stateb", "year"), path)
    frame = frame.rename(columns={"statea": "ccode1", "stateb": "ccode2"})
    frame = null_codes(frame, MISSING + NOT_APPLICABLE)
    return _integers(frame, path, floats=floats)


def parse_mid_dyadic(path: Path | str) -> pd.DataFrame:
    """Parse dyadic MID v4.02 (directed dispute-dyad-years).

    Renames ``statea/stateb`` to ``ccode1/ccode2`` and keeps every other column
    under its own name. ``-9`` (unknown fatality levels) becomes null; every
    code column is Int64/int64 except ``dyindex`` (float, dispute number plus
    dyad index / 1000).
    """
    return _dyadic(path, floats=("dyindex",))


def parse_war_dyadic(path: Path | str) -> pd.DataFrame:
    """Parse COW directed dyadic inter-state war data v4.0 (``directed_dyadic_war.csv``).

    Renames ``statea/stateb`` to ``ccode1/ccode2``. Blank cells and any
    ``-9``/``-8`` codes become null; counts and codes are Int64/int64, battle
    deaths included; ``dyindex`` stays float.
    """
    return _dyadic(path, floats=("dyindex",))


def parse_war_interstate(path: Path | str) -> pd.DataFrame:
    """Parse COW Inter-State War v4.0 participant file (bare CR line endings).

    Lower-cases the column names (``WarNum`` -> ``warnum``, ``StartMonth1`` ->
    ``startmonth1``). ``-8`` (not applicable: no second spell, no transfer) and
    ``-9`` (unknown, e.g. a battle-death count) become null. ``transfrom`` stays
    text because one participant transferred from two wars ("404, 410").
    """
    frame = pd.read_csv(path, dtype={"TransFrom": "str"})
    frame.columns = [column.lower() for column in frame.columns]
    require_columns(frame, ("warnum", "ccode", "side", "transfrom", "batdeath"), path)
    text_codes = {str(code) for code in MISSING + NOT_APPLICABLE}
    frame["transfrom"] = frame["transfrom"].str.strip().mask(lambda s: s.isin(text_codes))
    frame = null_codes(frame, MISSING + NOT_APPLICABLE)
    return _integers(frame, path)


# -- MID locations --------------------------------------------------------------------
MIDLOC_FLOATS = ("midloc2_xlongitude", "midloc2_ylatitude", "midloc11_latitude", "midloc11_longitude")
MIDLOC_TEXT = (
    "midloc2_location",
    "midloc2_measuringpoint",
    "midloc2_howobtained",
    "midloc2_precision_comment",
    "midloc2_general_comment",
    "midloc11_location",
    "midloc11_midlocmeasuringpoint",
)


def _midloc(path: Path | str, encoding: str) -> pd.DataFrame:
    """Shared reading of the MID Location v2.1 files (dispute and incident level).

    ``-9``/``-8`` are *not* treated as codes here: they occur as genuine
    coordinates (the Atlantic off Spain, the Celtic Sea, the Solomon Islands).
    """
    frame = pd.read_csv(path, encoding=encoding, na_values=["."], dtype={c: "str" for c in MIDLOC_TEXT})
    require_columns(frame, ("year", "dispnum", "midloc2_precision", "priogrid_cell", *MIDLOC_FLOATS), path)
    frame = _floats(frame, MIDLOC_FLOATS)
    frame["midloc2_precision"] = frame["midloc2_precision"].mask(frame["midloc2_precision"] == -99)
    frame["priogrid_cell"] = frame["priogrid_cell"].mask(frame["priogrid_cell"] == 0)
    return _integers(frame, path, floats=MIDLOC_FLOATS)


def parse_midloc_dispute(path: Path | str) -> pd.DataFrame:
    """Parse MID Location v2.1, dispute level (``MIDLOCA_2.1.csv``, latin-1, CRLF).

    ``midloc2_precision`` ``-99`` (no location coded) and ``priogrid_cell`` 0 on
    the same rows become null; Stata's ``.`` and the text "NA"/"None" become
    null; coordinates are float64 decimal degrees.
    """
    return _midloc(path, encoding="latin-1")


def parse_midloc_incident(path: Path | str) -> pd.DataFrame:
    """Parse MID Location v2.1, incident level (``MIDLOCI_2.1.csv``, CRLF).

    Its few non-ASCII bytes are Mac Roman, not latin-1 (0x9A, 0x8B decode to
    the same "ö", "ã" as in the dispute file), so it is read as ``mac_roman``.
    ``midloc2_precision`` ``-99`` (no location) becomes null, blank cells,
    ``.``, "NA" and "None" become null; coordinates are float64 degrees.
    """
    return _midloc(path, encoding="mac_roman")
