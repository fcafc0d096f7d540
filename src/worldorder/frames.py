"""State-year and dyad-year frames, and the ``add_*`` joins that keep their rows.

``create_state_years`` and ``create_dyad_years`` build the unit of analysis
from the state-system membership files; every ``add_*`` function left-joins one
source's columns and returns a new frame with exactly the same rows.  Outside a
source's years the added columns are missing (NA), never zero; inside them, a
dyadic event source (alliances, contiguity, disputes) marks the dyads it does
not list with 0, because those sources list every event.  The joins use dense
look-up arrays rather than hash merges, which is what makes a 1.9-million-row
dyad-year frame with capabilities and alliances take a fraction of a second.

The frame's unit travels in ``frame.attrs["unit"]`` (``"state_year"`` or
``"dyad_year"``), as in peacesciencer (Miller 2022).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from worldorder.store import Store, open_store

FIRST_YEAR = 1816
STATE_YEAR = "state_year"
DYAD_YEAR = "dyad_year"
_CODE_SPAN = 1000  # COW codes are below 1000

SYSTEM_VERSIONS = {"2024": "cow_system_2024", "2016": "cow_system_2016"}
NMC_VERSIONS = {7: "cow_nmc_7", 6: "cow_nmc_6"}
MAJORS_VERSIONS = {"2024": "cow_majors_2024", "2016": "cow_majors_2016"}
NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")


class FrameError(ValueError):
    """A frame lacks what a function needs, or an option is not valid."""


# -- years and store access --------------------------------------------------------
def parse_years(years) -> tuple[int, int] | None:
    """Normalize ``years`` to an inclusive (first, last) pair, or None for all years.

    Accepts an int, a ``range``, a (first, last) pair, a list of years or a
    string such as ``"1816-2016"`` or ``"1990"``.
    """
    if years is None:
        return None
    if isinstance(years, str):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-:]|\.\.)?\s*(\d{4})?\s*", years)
        if not match:
            raise FrameError(f"years {years!r} not understood; write 1990 or 1816-2016.")
        first = int(match.group(1))
        return first, int(match.group(2) or first)
    if isinstance(years, int):
        return years, years
    values = list(years)
    if not values:
        raise FrameError("years is empty.")
    if isinstance(years, range):
        return min(values), max(values)
    if len(values) == 2 and not isinstance(years, (list, set)):
        return int(values[0]), int(values[1])
    return int(min(values)), int(max(values))


def _store(db) -> Store:
    return db if isinstance(db, Store) else open_store(db)


@lru_cache(maxsize=64)
def _cached_table(store_path: str, name: str, stamp: tuple) -> pd.DataFrame:
    return open_store(store_path).table(name)


def _table(name: str, db) -> pd.DataFrame:
    """Data set ``name`` from the store, cached until its provenance stamp changes."""
    store = _store(db)
    store.ensure([name])
    return _cached_table(str(store.path), name, store.stamp(name))


def _stamp(names: Iterable[str], db) -> tuple:
    store = _store(db)
    store.ensure(list(names))
    return (str(store.path), *(store.stamp(name) for name in names))


# -- look-up arrays -----------------------------------------------------------------
class StateYearIndex:
    """Dense index of (ccode, year) → row of a state-year table, with -1 for none."""

    def __init__(self, ccode: np.ndarray, year: np.ndarray):
        self.first = int(year.min())
        self.last = int(year.max())
        self.lookup = np.full((self.last - self.first + 1) * _CODE_SPAN, -1, dtype=np.int64)
        self.lookup[(year - self.first) * _CODE_SPAN + ccode] = np.arange(len(ccode))

    def rows(self, ccode: np.ndarray, year: np.ndarray) -> np.ndarray:
        inside = (year >= self.first) & (year <= self.last)
        positions = np.where(inside, (year - self.first) * _CODE_SPAN + ccode, 0)
        return np.where(inside, self.lookup[positions], -1)


class DyadYearIndex:
    """Sorted keys of (year, ccode1, ccode2) for looking dyad-years up with ``searchsorted``."""

    def __init__(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray):
        keys = self.keys(ccode1, ccode2, year)
        self.order = np.argsort(keys, kind="stable")
        self.sorted_keys = keys[self.order]

    @staticmethod
    def keys(ccode1, ccode2, year) -> np.ndarray:
        return (year.astype(np.int64) * _CODE_SPAN + ccode1) * _CODE_SPAN + ccode2

    def rows(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray) -> np.ndarray:
        keys = self.keys(ccode1, ccode2, year)
        at = np.searchsorted(self.sorted_keys, keys)
        at_clipped = np.minimum(at, len(self.sorted_keys) - 1)
        found = (at < len(self.sorted_keys)) & (self.sorted_keys[at_clipped] == keys)
        return np.where(found, self.order[at_clipped], -1)


def _gather(values: np.ndarray, rows: np.ndarray, fill=np.nan) -> np.ndarray:
    """``values[rows]`` with ``fill`` where ``rows`` is -1 (float result)."""
    out = values.astype(np.float64, copy=False)[np.maximum(rows, 0)]
    out[rows < 0] = fill
    return out


def _unit(frame: pd.DataFrame) -> str:
    unit = frame.attrs.get("unit")
    if unit in (STATE_YEAR, DYAD_YEAR):
        return unit
    if {"ccode1", "ccode2", "year"} <= set(frame.columns):
        return DYAD_YEAR
    if {"ccode", "year"} <= set(frame.columns):
        return STATE_YEAR
    raise FrameError(
        "The frame has neither ccode/year nor ccode1/ccode2/year columns. "
        "Start from create_state_years() or create_dyad_years()."
    )


def _years_of(frame: pd.DataFrame) -> np.ndarray:
    return frame["year"].to_numpy(dtype=np.int64)


def _fill_outside(values: np.ndarray, years: np.ndarray, coverage: tuple[int, int]) -> np.ndarray:
    """Set values to NaN for years outside the source's coverage."""
    outside = (years < coverage[0]) | (years > coverage[1])
    if outside.any():
        values = values.copy()
        values[outside] = np.nan
    return values


def _apply_fill(frame: pd.DataFrame, columns: list[str], fill: str | None) -> None:
    """Explicit, opt-in filling of missing values: ``"zero"`` or ``"ffill"`` (within state)."""
    if fill is None:
        return
    if fill == "zero":
        for column in columns:
            frame[column] = frame[column].fillna(0)
    elif fill == "ffill":
        keys = ["ccode"] if _unit(frame) == STATE_YEAR else ["ccode1", "ccode2"]
        order = frame.sort_values([*keys, "year"]).index
        filled = frame.loc[order].groupby(keys, sort=False)[columns].ffill()
        frame.loc[order, columns] = filled
    else:
        raise FrameError(f"fill must be None, 'zero' or 'ffill', not {fill!r}.")


def _finish(frame: pd.DataFrame, added: dict[str, np.ndarray], expected_rows: int, fill=None) -> pd.DataFrame:
    """A new frame with ``added`` columns; checks that no row was lost or gained."""
    out = frame.copy(deep=False)
    for column, values in added.items():
        out[column] = values
    if len(out) != expected_rows:  # the look-up joins cannot change rows; guard the invariant
        raise AssertionError(f"join changed the row count from {expected_rows} to {len(out)}")
    _apply_fill(out, list(added), fill)
    out.attrs = dict(frame.attrs)
    return out


def _attach_state_values(
    frame: pd.DataFrame,
    index: StateYearIndex,
    columns: dict[str, np.ndarray],
    coverage: tuple[int, int] | None = None,
    fill: str | None = None,
) -> pd.DataFrame:
    """Join state-year ``columns`` (aligned with ``index``) onto a state- or dyad-year frame.

    On a dyad-year frame each column appears twice, suffixed ``1`` and ``2``.
    """
    years = _years_of(frame)
    sides = [("ccode", "")] if _unit(frame) == STATE_YEAR else [("ccode1", "1"), ("ccode2", "2")]
    added = {}
    for code_column, suffix in sides:
        rows = index.rows(frame[code_column].to_numpy(dtype=np.int64), years)
        for name, values in columns.items():
            gathered = _gather(values, rows)
            added[name + suffix] = gathered if coverage is None else _fill_outside(gathered, years, coverage)
    return _finish(frame, added, len(frame), fill)


def _attach_dyad_values(
    frame: pd.DataFrame,
    index: DyadYearIndex,
    columns: dict[str, np.ndarray],
    coverage: tuple[int, int],
    absent: float = np.nan,
    fill: str | None = None,
) -> pd.DataFrame:
    """Join dyad-year ``columns`` (aligned with a *directed* ``index``) onto a dyad-year frame.

    Dyad-years the source does not list get ``absent`` inside its coverage and NA outside.
    """
    if _unit(frame) != DYAD_YEAR:
        raise FrameError("This join needs a dyad-year frame; build one with create_dyad_years().")
    years = _years_of(frame)
    rows = index.rows(frame["ccode1"].to_numpy(np.int64), frame["ccode2"].to_numpy(np.int64), years)
    added = {name: _fill_outside(_gather(values, rows, fill=absent), years, coverage) for name, values in columns.items()}
    return _finish(frame, added, len(frame), fill)


# -- creating frames ----------------------------------------------------------------
def _filter_years(table: pd.DataFrame, years) -> pd.DataFrame:
    span = parse_years(years)
    if span is None:
        return table
    return table[(table["year"] >= span[0]) & (table["year"] <= span[1])]


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
    states = create_state_years(system=system, years=years, version=version, db=db)
    code = "ccode" if system == "cow" else "gwcode"
    states = states.sort_values(["year", code])
    year_values = states["year"].to_numpy(np.int64)
    codes = states[code].to_numpy(np.int64)
    boundaries = np.flatnonzero(np.diff(year_values)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(states)]])
    first_parts, second_parts, year_parts = [], [], []
    for start, end in zip(starts, ends):
        members = codes[start:end]
        size = len(members)
        left = np.repeat(members, size)
        right = np.tile(members, size)
        keep = left != right if directed else left < right
        first_parts.append(left[keep])
        second_parts.append(right[keep])
        year_parts.append(np.full(int(keep.sum()), year_values[start], dtype=np.int64))
    out = pd.DataFrame(
        {
            f"{code}1": np.concatenate(first_parts) if first_parts else np.array([], np.int64),
            f"{code}2": np.concatenate(second_parts) if second_parts else np.array([], np.int64),
            "year": np.concatenate(year_parts) if year_parts else np.array([], np.int64),
        }
    )
    out.attrs = {"unit": DYAD_YEAR, "system": system, "directed": directed}
    return out


# -- state-level sources ------------------------------------------------------------
@lru_cache(maxsize=16)
def _state_source(name: str, columns: tuple[str, ...], stamp: tuple) -> tuple[StateYearIndex, dict[str, np.ndarray]]:
    table = open_store(stamp[0]).table(name)
    index = StateYearIndex(table["ccode"].to_numpy(np.int64), table["year"].to_numpy(np.int64))
    return index, {column: table[column].to_numpy(dtype=np.float64, na_value=np.nan) for column in columns}


def add_capabilities(frame: pd.DataFrame, version: int = 7, fill: str | None = None, db=None) -> pd.DataFrame:
    """Add the six National Material Capabilities components and CINC.

    Columns ``milex, milper, irst, pec, tpop, upop, cinc`` (suffixed 1 and 2 on
    dyad-years).  ``milex`` is in thousands of current British pounds for
    1816-1913 and thousands of current US dollars from 1914, as published.

    Notes
    -----
    CINC is the mean of a state's shares of the system totals of the six
    components: :math:`CINC_i = \\frac{1}{6}\\sum_k x_{ik} / \\sum_j x_{jk}`.

    References
    ----------
    Singer, J. D., Bremer, S. & Stuckey, J. 1972. Capability distribution,
    uncertainty, and major power war, 1820-1965. In Russett (ed.), Peace, War,
    and Numbers, 19-48.
    """
    if version not in NMC_VERSIONS:
        raise FrameError(f"version must be one of {sorted(NMC_VERSIONS)}, not {version!r}.")
    name = NMC_VERSIONS[version]
    index, columns = _state_source(name, (*NMC_COMPONENTS, "cinc"), _stamp([name], db))
    return _attach_state_values(frame, index, columns, fill=fill)


def _period_crosswalk(table: pd.DataFrame, source: str, db) -> pd.DataFrame:
    """Attach COW codes to an ISO3-coded table, by period (see countries.iso3_crosswalk)."""
    from worldorder.countries import iso3_crosswalk

    crosswalk = iso3_crosswalk(source, db=db)
    joined = table.merge(crosswalk, on="iso3", how="inner")
    inside = (joined["year"] >= joined["first_year"]) & (joined["year"] <= joined["last_year"])
    return joined[inside].drop(columns=["first_year", "last_year"])


@lru_cache(maxsize=16)
def _iso_source(name: str, columns: tuple[str, ...], crosswalk_source: str, stamp: tuple):
    table = open_store(stamp[0]).table(name)
    if "aggregate" in table.columns:
        table = table[~table["aggregate"].astype(bool)]
    table = _period_crosswalk(table, crosswalk_source, stamp[0]).drop_duplicates(["ccode", "year"])
    index = StateYearIndex(table["ccode"].to_numpy(np.int64), table["year"].to_numpy(np.int64))
    return index, {column: table[column].to_numpy(dtype=np.float64, na_value=np.nan) for column in columns}


def add_gdp(frame: pd.DataFrame, source: str = "maddison", fill: str | None = None, db=None) -> pd.DataFrame:
    """Add gross domestic product.

    ``source="maddison"`` adds ``maddison_gdp`` (2011 international dollars),
    ``maddison_gdppc`` and ``maddison_pop`` (thousands), to 2018;
    ``source="worldbank"`` adds ``wb_gdp`` (current US dollars), 1960-2023.
    The USSR, Yugoslavia and Czechoslovakia use Maddison's historical series
    (SUN, YUG, CSK); the World Bank has no series for them.

    References
    ----------
    Bolt, J. & van Zanden, J. L. 2020. Maddison style estimates of the
    evolution of the world economy. Maddison Project Working Paper WP-15.
    World Bank. World Development Indicators, NY.GDP.MKTP.CD.
    """
    if source == "maddison":
        index, columns = _iso_source("maddison_2020", ("gdp", "gdppc", "pop"), "maddison", _stamp(["maddison_2020", "cow_states_2024", "countrycode_codelist"], db))
        columns = {f"maddison_{name}": values for name, values in columns.items()}
    elif source == "worldbank":
        index, columns = _iso_source("wb_gdp", ("gdp_usd",), "worldbank", _stamp(["wb_gdp", "cow_states_2024", "countrycode_codelist"], db))
        columns = {"wb_gdp": columns["gdp_usd"]}
    else:
        raise FrameError(f"source must be 'maddison' or 'worldbank', not {source!r}.")
    return _attach_state_values(frame, index, columns, fill=fill)


def add_population(frame: pd.DataFrame, source: str = "worldbank", fill: str | None = None, db=None) -> pd.DataFrame:
    """Add total population: ``wb_population`` (persons, 1960-2024) from the World Bank."""
    if source != "worldbank":
        raise FrameError("add_population supports source='worldbank'; Maddison population comes with add_gdp and NMC's with add_capabilities.")
    index, columns = _iso_source("wb_population", ("population",), "worldbank", _stamp(["wb_population", "cow_states_2024", "countrycode_codelist"], db))
    return _attach_state_values(frame, index, {"wb_population": columns["population"]}, fill=fill)


def add_milex(frame: pd.DataFrame, source: str = "worldbank", fill: str | None = None, db=None) -> pd.DataFrame:
    """Add military expenditure.

    ``source="worldbank"`` adds ``wb_milex_gdp_pct`` (MS.MIL.XPND.GD.ZS, % of
    GDP; SIPRI's series) and ``wb_milex_usd`` = share / 100 x GDP in current US
    dollars.  ``source="nmc"`` adds NMC ``milex`` with ``milex_usd_era`` (1 from
    1914, when the unit is US dollars; 0 before, when it is British pounds).
    """
    if source == "worldbank":
        stamp = _stamp(["wb_milex_gdp_share", "wb_gdp", "cow_states_2024", "countrycode_codelist"], db)
        share_index, share = _iso_source("wb_milex_gdp_share", ("milex_gdp_pct",), "worldbank", stamp)
        out = _attach_state_values(frame, share_index, {"wb_milex_gdp_pct": share["milex_gdp_pct"]}, fill=fill)
        with_gdp = add_gdp(out, source="worldbank", db=db)
        if _unit(frame) == STATE_YEAR:
            out["wb_milex_usd"] = with_gdp["wb_milex_gdp_pct"] / 100 * with_gdp["wb_gdp"]
        else:
            for side in ("1", "2"):
                out[f"wb_milex_usd{side}"] = with_gdp[f"wb_milex_gdp_pct{side}"] / 100 * with_gdp[f"wb_gdp{side}"]
        return out
    if source == "nmc":
        index, columns = _state_source("cow_nmc_7", ("milex",), _stamp(["cow_nmc_7"], db))
        out = _attach_state_values(frame, index, columns, fill=fill)
        out["milex_usd_era"] = (frame["year"] >= 1914).astype("int8")
        return out
    raise FrameError(f"source must be 'worldbank' or 'nmc', not {source!r}.")


def add_majors(frame: pd.DataFrame, version: str = "2024", db=None) -> pd.DataFrame:
    """Add ``major`` (1 if a COW major power that year, else 0; NA after the file's last year)."""
    if version not in MAJORS_VERSIONS:
        raise FrameError(f"version must be one of {sorted(MAJORS_VERSIONS)}, not {version!r}.")
    spells = _table(MAJORS_VERSIONS[version], db)
    lengths = (spells["endyear"] - spells["styear"] + 1).to_numpy(np.int64)
    ccode = np.repeat(spells["ccode"].to_numpy(np.int64), lengths)
    year = np.concatenate([np.arange(a, b + 1) for a, b in zip(spells["styear"], spells["endyear"])])
    index = StateYearIndex(ccode, year)
    coverage = (FIRST_YEAR, int(spells["endyear"].max()))
    years = _years_of(frame)
    sides = [("ccode", "")] if _unit(frame) == STATE_YEAR else [("ccode1", "1"), ("ccode2", "2")]
    added = {}
    for code_column, suffix in sides:
        rows = index.rows(frame[code_column].to_numpy(np.int64), years)
        added["major" + suffix] = _fill_outside((rows >= 0).astype(np.float64), years, coverage)
    return _finish(frame, added, len(frame))


def add_ideal_points(frame: pd.DataFrame, estimate: str = "idealpointfp", db=None) -> pd.DataFrame:
    """Add UN General Assembly ideal points (Bailey, Strezhnev & Voeten 2017; July 2025 data).

    State-years get ``idealpoint``; dyad-years get ``idealpoint1``, ``idealpoint2``
    and ``idealpoint_distance`` = :math:`|x_1 - x_2|`.  1946-2024 only.
    """
    if estimate not in ("idealpointfp", "idealpointall", "idealpointlegacy"):
        raise FrameError("estimate must be idealpointfp, idealpointall or idealpointlegacy.")
    index, columns = _state_source("unga_ideal_points_2025", (estimate,), _stamp(["unga_ideal_points_2025"], db))
    out = _attach_state_values(frame, index, {"idealpoint": columns[estimate]})
    if _unit(frame) == DYAD_YEAR:
        out["idealpoint_distance"] = (out["idealpoint1"] - out["idealpoint2"]).abs()
    return out


def add_trade(frame: pd.DataFrame, fill: str | None = None, db=None) -> pd.DataFrame:
    """Add COW trade (Barbieri & Keshk, v4.0), millions of current US dollars, 1870-2014.

    State-years get ``imports`` and ``exports`` (national totals).  Dyad-years
    get ``flow1`` (ccode1's imports from ccode2), ``flow2`` (ccode2's imports
    from ccode1) and the smoothed ``smoothflow1``/``smoothflow2``.  The dyadic
    values are from the reduced copy that peacesciencer distributes (whole
    millions); dyad-years the file does not list are NA.
    """
    if _unit(frame) == STATE_YEAR:
        index, columns = _state_source("cow_trade_national_4", ("imports", "exports"), _stamp(["cow_trade_national_4"], db))
        return _attach_state_values(frame, index, columns, fill=fill)
    index, columns = _directed_trade(_stamp(["cow_trade_dyadic_4"], db))
    return _attach_dyad_values(frame, index, columns, coverage=(1870, 2014), fill=fill)


@lru_cache(maxsize=4)
def _directed_trade(stamp: tuple):
    table = open_store(stamp[0]).table("cow_trade_dyadic_4")
    c1, c2, year = (table[c].to_numpy(np.int64) for c in ("ccode1", "ccode2", "year"))
    index = DyadYearIndex(np.concatenate([c1, c2]), np.concatenate([c2, c1]), np.concatenate([year, year]))
    columns = {}
    for own, other in (("flow1", "flow2"), ("smoothflow1", "smoothflow2")):
        a = table[own].to_numpy(np.float64, na_value=np.nan)
        b = table[other].to_numpy(np.float64, na_value=np.nan)
        columns[own] = np.concatenate([a, b])
        columns[other] = np.concatenate([b, a])
    return index, columns


@lru_cache(maxsize=4)
def _cow_alliance_dyads(stamp: tuple):
    """Directed dyad-years of COW alliances, from the member-year file, by type."""
    members = open_store(stamp[0]).table("cow_alliance_4_1")[
        ["version4id", "ccode", "year", "defense", "neutrality", "nonaggression", "entente"]
    ]
    pairs = members.merge(members[["version4id", "year", "ccode"]], on=["version4id", "year"], suffixes=("1", "2"))
    pairs = pairs[pairs["ccode1"] != pairs["ccode2"]]
    types = ["defense", "neutrality", "nonaggression", "entente"]
    dyads = pairs.groupby(["ccode1", "ccode2", "year"], as_index=False)[types].max()
    index = DyadYearIndex(*(dyads[c].to_numpy(np.int64) for c in ("ccode1", "ccode2", "year")))
    columns = {f"cow_{t}": dyads[t].to_numpy(np.float64) for t in types}
    columns["cow_alliance"] = np.ones(len(dyads))
    coverage = (int(members["year"].min()), int(members["year"].max()))
    return index, columns, coverage


@lru_cache(maxsize=4)
def _atop_alliance_dyads(stamp: tuple):
    table = open_store(stamp[0]).table("ps_atop_alliance")
    c1, c2, year = (table[c].to_numpy(np.int64) for c in ("ccode1", "ccode2", "year"))
    index = DyadYearIndex(np.concatenate([c1, c2]), np.concatenate([c2, c1]), np.concatenate([year, year]))
    types = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    columns = {t: np.tile(table[t].to_numpy(np.float64, na_value=np.nan), 2) for t in types}
    columns["atop_alliance"] = np.ones(2 * len(table))
    return index, columns, (int(year.min()), int(year.max()))


def add_alliances(frame: pd.DataFrame, source: str = "cow", db=None) -> pd.DataFrame:
    """Add alliance ties: COW Formal Alliances v4.1 (1816-2012) or ATOP v5.1 (1815-2018).

    Dyad-years get 0/1 flags (0 when the source lists no alliance, NA outside
    its years): ``cow_defense, cow_neutrality, cow_nonaggression, cow_entente,
    cow_alliance`` or ``atop_defense, atop_offense, atop_neutral, atop_nonagg,
    atop_consul, atop_alliance``.  State-years get the number of alliance
    partners, ``cow_allies`` or ``atop_allies``.  ``source="both"`` adds both.

    References
    ----------
    Gibler, D. M. 2009. International Military Alliances, 1648-2008. CQ Press.
    Leeds, B. A. et al. 2002. Alliance Treaty Obligations and Provisions,
    1815-1944. International Interactions 28: 237-260.
    """
    if source == "both":
        return add_alliances(add_alliances(frame, "cow", db), "atop", db)
    if source == "cow":
        index, columns, coverage = _cow_alliance_dyads(_stamp(["cow_alliance_4_1"], db))
    elif source == "atop":
        index, columns, coverage = _atop_alliance_dyads(_stamp(["ps_atop_alliance"], db))
    else:
        raise FrameError(f"source must be 'cow', 'atop' or 'both', not {source!r}.")
    if _unit(frame) == DYAD_YEAR:
        return _attach_dyad_values(frame, index, columns, coverage, absent=0.0)
    return _attach_partner_counts(frame, index.sorted_keys, f"{source}_allies", coverage)


def _attach_partner_counts(frame: pd.DataFrame, keys: np.ndarray, column: str, coverage) -> pd.DataFrame:
    """Number of partners of each state-year among directed dyad-year ``keys`` (DyadYearIndex.keys)."""
    year = keys // (_CODE_SPAN * _CODE_SPAN)
    ccode = (keys // _CODE_SPAN) % _CODE_SPAN
    state_keys = year * _CODE_SPAN + ccode
    unique, counts = np.unique(state_keys, return_counts=True)
    query = _years_of(frame) * _CODE_SPAN + frame["ccode"].to_numpy(np.int64)
    at = np.minimum(np.searchsorted(unique, query), len(unique) - 1)
    values = np.where(unique[at] == query, counts[at], 0).astype(np.float64)
    return _finish(frame, {column: _fill_outside(values, _years_of(frame), coverage)}, len(frame))


def add_contiguity(frame: pd.DataFrame, db=None) -> pd.DataFrame:
    """Add COW Direct Contiguity v3.2 (Stinnett et al. 2002), 1816-2016.

    Dyad-years get ``conttype``: 1 land or river border; 2, 3, 4, 5 separated
    by at most 12, 24, 150, 400 miles of water; 0 not contiguous.  State-years
    get ``land_neighbours``, the number of states sharing a land border.
    """
    index, columns, coverage = _contiguity(_stamp(["cow_contiguity_3_2"], db))
    if _unit(frame) == DYAD_YEAR:
        return _attach_dyad_values(frame, index, columns, coverage, absent=0.0)
    land = columns["conttype"][index.order] == 1
    return _attach_partner_counts(frame, index.sorted_keys[land], "land_neighbours", coverage)


@lru_cache(maxsize=4)
def _contiguity(stamp: tuple):
    table = open_store(stamp[0]).table("cow_contiguity_3_2")
    index = DyadYearIndex(*(table[c].to_numpy(np.int64) for c in ("ccode1", "ccode2", "year")))
    coverage = (int(table["year"].min()), int(table["year"].max()))
    return index, {"conttype": table["conttype"].to_numpy(np.float64)}, coverage


def add_disputes(frame: pd.DataFrame, db=None) -> pd.DataFrame:
    """Add militarized interstate disputes (dyadic MID v4.02, Maoz et al. 2019), 1816-2014.

    Dyad-years get ``mid_ongoing`` (1 if the two states were on opposite sides
    of a dispute that year), ``mid_onset`` (1 if a dispute between them began
    that year) and ``mid_hihost`` (highest hostility level, 1-5; 0 with none).
    State-years get ``mid_count``, the number of dyadic disputes the state was in.
    """
    index, columns, coverage = _disputes(_stamp(["cow_mid_dyadic_4_02"], db))
    if _unit(frame) == DYAD_YEAR:
        return _attach_dyad_values(frame, index, columns, coverage, absent=0.0)
    return _attach_partner_counts(frame, index.sorted_keys, "mid_count", coverage)


@lru_cache(maxsize=4)
def _disputes(stamp: tuple):
    table = open_store(stamp[0]).table("cow_mid_dyadic_4_02")
    table = table.assign(onset=(table["year"] == table["strtyr"]).astype(np.int64))
    dyads = table.groupby(["ccode1", "ccode2", "year"], as_index=False).agg(
        mid_hihost=("hihost", "max"), mid_onset=("onset", "max")
    )
    index = DyadYearIndex(*(dyads[c].to_numpy(np.int64) for c in ("ccode1", "ccode2", "year")))
    columns = {
        "mid_ongoing": np.ones(len(dyads)),
        "mid_onset": dyads["mid_onset"].to_numpy(np.float64),
        "mid_hihost": dyads["mid_hihost"].to_numpy(np.float64, na_value=np.nan),
    }
    return index, columns, (int(table["year"].min()), int(table["year"].max()))


ADDERS = {
    "nmc": add_capabilities,
    "capabilities": add_capabilities,
    "gdp": add_gdp,
    "population": add_population,
    "milex": add_milex,
    "majors": add_majors,
    "alliances": add_alliances,
    "atop": lambda frame, db=None: add_alliances(frame, source="atop", db=db),
    "trade": add_trade,
    "contiguity": add_contiguity,
    "disputes": add_disputes,
    "ideal_points": add_ideal_points,
}
