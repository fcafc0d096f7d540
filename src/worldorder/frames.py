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

import copy
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
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
        last = int(match.group(2) or first)
        if first > last:
            raise FrameError(f"years {years!r}: the first year {first} is after the last {last}; write {last}-{first}.")
        return first, last
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


def coverage(name: str) -> tuple[int, int]:
    """First and last year of data set ``name``, from its registry entry."""
    from worldorder.data.registry import get_dataset

    years = re.findall(r"\d{4}", get_dataset(name).coverage)
    if len(years) < 2:
        raise FrameError(f"registry coverage of {name!r} does not name a first and last year")
    return int(years[0]), int(years[1])


# -- look-up arrays -----------------------------------------------------------------
def _offsets(year: np.ndarray, first: int, last: int, stride: int, dtype=np.intp) -> np.ndarray:
    """``(year - first) * stride`` with years clipped into [first, last], in a new array of ``dtype``."""
    if year.size and (year.min() < first or year.max() > last):
        year = np.clip(year, first, last)
    offsets = np.subtract(year, first, dtype=dtype, casting="unsafe")
    offsets *= dtype(stride)
    return offsets


class _NamedColumns:
    """Named float columns held side by side in ``values`` (one column per name)."""

    names: tuple[str, ...]
    values: np.ndarray

    def renamed(self, names: Iterable[str]):
        """The same values under other column names."""
        out = copy.copy(self)
        out.names, out._selections = tuple(names), {}  # selections are kept by name: not shared
        return out

    def select(self, names: Iterable[str]):
        """A table of some of the columns (kept, so that repeated joins copy nothing)."""
        names = tuple(names)
        selections = self.__dict__.setdefault("_selections", {})
        if names not in selections:
            out = copy.copy(self)
            out.names, out._selections = names, {}
            out.values = np.ascontiguousarray(self.values[:, [self.names.index(n) for n in names]])
            selections[names] = out
        return selections[names]


class StateValues(_NamedColumns):
    """State-year columns as one dense array: row ``(year - first) * 1000 + ccode``.

    Inside ``span`` (the source's coverage; default the data's years) a
    state-year the source does not list holds ``absent``; one year either
    side of the span holds NaN, so a query clips its years into range and
    needs neither a look-up nor a mask: one ``np.take`` per side of a frame,
    and every year outside the coverage reads NaN.  Rows outside the span
    are left out.
    """

    def __init__(
        self,
        ccode: np.ndarray,
        year: np.ndarray,
        columns: dict[str, np.ndarray],
        absent: float = np.nan,
        span: tuple[int, int] | None = None,
    ):
        self.names = tuple(columns)
        if span is None:
            span = (int(year.min()), int(year.max())) if len(year) else (FIRST_YEAR, FIRST_YEAR)
        self.first, self.last = span[0] - 1, span[1] + 1
        self.values = np.full(((self.last - self.first + 1) * _CODE_SPAN, len(columns)), absent)
        self.values[:_CODE_SPAN] = self.values[-_CODE_SPAN:] = np.nan
        inside = (year >= span[0]) & (year <= span[1])
        stacked = np.column_stack([np.asarray(v, np.float64) for v in columns.values()]) if columns else None
        if inside.any():
            self.values[self.offsets(year[inside]) + ccode[inside]] = stacked[inside]

    def offsets(self, year: np.ndarray) -> np.ndarray:
        """Start of each year's block (shared by both sides of a dyad)."""
        return _offsets(year, self.first, self.last, _CODE_SPAN)

    def take(self, offsets: np.ndarray, ccode: np.ndarray) -> np.ndarray:
        """The rows of ``ccode`` at precomputed :meth:`offsets`, shape (len, columns)."""
        return np.take(self.values, offsets + ccode, axis=0)



#: Row numbers the dyad look-up gives where the source has no row: ``np.take(mode="wrap")``
#: reads them from the end of a :class:`ValueTable`.
ABSENT_ROW, NOT_COVERED_ROW = -1, -2


class DyadYearIndex:
    """Dense index of directed (ccode1, ccode2, year) → row of a dyad-year table.

    Codes are mapped to compact ids (one extra id for codes the table never
    lists), so the look-up array has years × (ids + 1)² entries, about 10
    million for two centuries of COW states.  Inside ``span`` (the source's
    coverage) a dyad-year the table does not list gives :data:`ABSENT_ROW`;
    the look-up also holds one year either side of the span, filled with
    :data:`NOT_COVERED_ROW`, so a query clips its years into range and needs
    no mask: every year outside the coverage lands on a not-covered year.
    Rows of the table outside the span are left out.
    """

    def __init__(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray, span: tuple[int, int]):
        self.ccode1, self.ccode2, self.year = ccode1, ccode2, year
        codes = np.unique(np.concatenate([ccode1, ccode2]))
        self.size = len(codes) + 1
        self.code_id = np.full(_CODE_SPAN, len(codes), dtype=np.int32)
        self.code_id[codes] = np.arange(len(codes))
        self.row_start = self.code_id * np.int32(self.size)  # first code's id, scaled: saves a multiply per query
        self.first, self.last = span[0] - 1, span[1] + 1
        block = self.size * self.size
        entries = (self.last - self.first + 1) * block
        if entries >= 2**31:
            raise FrameError(f"dyad look-up of {entries:,} entries is too large; restrict the years")
        self.lookup = np.full(entries, ABSENT_ROW, dtype=np.int32)
        self.lookup[:block] = self.lookup[-block:] = NOT_COVERED_ROW
        inside = np.flatnonzero((year >= span[0]) & (year <= span[1]))
        self.lookup[self.rows_flat(ccode1[inside], ccode2[inside], year[inside])] = inside.astype(np.int32)

    def rows_flat(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray) -> np.ndarray:
        # int32 arithmetic (the look-up has fewer than 2**31 entries): half the memory traffic of int64
        flat = _offsets(year, self.first, self.last, self.size * self.size, dtype=np.int32)
        flat += self.row_start[ccode1]
        flat += self.code_id[ccode2]
        return flat

    def rows(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray) -> np.ndarray:
        return np.take(self.lookup, self.rows_flat(ccode1, ccode2, year))


class ValueTable(_NamedColumns):
    """A source's columns as one float array of shape (rows + 2, columns).

    Two rows follow the data: NaN, read for :data:`NOT_COVERED_ROW` (-2), and
    the value for keys the source does not list (``absent``), read for
    :data:`ABSENT_ROW` (-1), so ``take(rows)`` needs no mask.
    """

    def __init__(self, columns: dict[str, np.ndarray], absent: float = np.nan):
        self.names = tuple(columns)
        arrays = [np.asarray(values, dtype=np.float64) for values in columns.values()]
        ends = np.array([[np.nan] * len(arrays), [absent] * len(arrays)])
        self.values = np.vstack([np.column_stack(arrays), ends])

    def column(self, name: str) -> np.ndarray:
        """One column, without the two rows that follow the data."""
        return self.values[:-2, self.names.index(name)]

    def take(self, rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Rows of the table (negative rows count from the end), into ``out`` if given.

        ``mode="wrap"`` is what maps -1 and -2 to the last rows; it also spares
        the copy that ``np.take`` makes of ``out`` in its default mode (about 2x faster).
        """
        return np.take(self.values, rows, axis=0, out=out, mode="wrap")


@lru_cache(maxsize=1)
def _threads() -> ThreadPoolExecutor:
    """Two worker threads for the two sides of a dyad-year join."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="worldorder-frames")


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


def _apply_fill(frame: pd.DataFrame, columns: list[str], fill: str | None) -> pd.DataFrame:
    """Explicit, opt-in filling of missing values: ``"zero"`` or ``"ffill"`` (within state or dyad)."""
    if fill is None:
        return frame
    if fill == "zero":
        return frame.fillna({column: 0 for column in columns})
    if fill == "ffill":
        keys = ["ccode"] if _unit(frame) == STATE_YEAR else ["ccode1", "ccode2"]
        order = frame.sort_values([*keys, "year"]).index
        filled = frame.loc[order].groupby(keys, sort=False)[columns].ffill()
        out = frame.copy()
        out.loc[order, columns] = filled
        return out
    raise FrameError(f"fill must be None, 'zero' or 'ffill', not {fill!r}.")


def _finish(frame: pd.DataFrame, blocks: list[tuple[list[str], np.ndarray]], fill=None) -> pd.DataFrame:
    """A new frame: ``frame`` with each (names, 2-D block) appended; checks that rows are kept."""
    pieces = [pd.DataFrame(block, index=frame.index, columns=names, copy=False) for names, block in blocks]
    added = [name for names, _ in blocks for name in names]
    out = pd.concat([frame.drop(columns=[c for c in added if c in frame.columns]), *pieces], axis=1)
    if len(out) != len(frame):  # the look-up joins cannot change rows; guard the invariant
        raise AssertionError(f"join changed the row count from {len(frame)} to {len(out)}")
    out = _apply_fill(out, added, fill)
    out.attrs = dict(frame.attrs)
    return out


def _attach_state_values(frame: pd.DataFrame, table: StateValues, fill: str | None = None) -> pd.DataFrame:
    """Join state-year columns onto a state- or dyad-year frame.

    On a dyad-year frame each column appears twice, suffixed ``1`` and ``2``.
    """
    sides = [("ccode", "")] if _unit(frame) == STATE_YEAR else [("ccode1", "1"), ("ccode2", "2")]
    years = _years_of(frame)
    offsets = table.offsets(years)

    def side(code_column: str, suffix: str) -> tuple[list[str], np.ndarray]:
        block = table.take(offsets, frame[code_column].to_numpy(dtype=np.int64))
        return [name + suffix for name in table.names], block

    if len(sides) == 1:
        return _finish(frame, [side(*sides[0])], fill)
    # numpy releases the GIL in these gathers: the two sides of a dyad run on two threads
    futures = [_threads().submit(side, *pair) for pair in sides]
    return _finish(frame, [future.result() for future in futures], fill)


def _attach_dyad_values(frame: pd.DataFrame, index: DyadYearIndex, table: ValueTable, fill: str | None = None) -> pd.DataFrame:
    """Join dyad-year columns (aligned with a *directed* ``index``) onto a dyad-year frame.

    Dyad-years the source does not list get the table's ``absent`` value inside
    the index's span and NA outside it.
    """
    if _unit(frame) != DYAD_YEAR:
        raise FrameError("This join needs a dyad-year frame; build one with create_dyad_years().")
    years = _years_of(frame)
    first, second = frame["ccode1"].to_numpy(np.int64), frame["ccode2"].to_numpy(np.int64)

    block = np.empty((len(frame), len(table.names)))

    def part(piece: slice) -> None:
        table.take(index.rows(first[piece], second[piece], years[piece]), out=block[piece])

    # numpy releases the GIL in these gathers: each half of the frame on its own thread
    middle = len(frame) // 2
    for half in [_threads().submit(part, piece) for piece in (slice(0, middle), slice(middle, None))]:
        half.result()
    return _finish(frame, [(list(table.names), block)], fill)


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


# -- state-level sources ------------------------------------------------------------
def _value_table(table: pd.DataFrame, columns: Iterable[str], absent: float = np.nan) -> ValueTable:
    return ValueTable({c: table[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in columns}, absent)


def _state_values(table: pd.DataFrame, columns: Iterable[str], absent: float = np.nan, span=None) -> StateValues:
    values = {c: table[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in columns}
    return StateValues(table["ccode"].to_numpy(np.int64), table["year"].to_numpy(np.int64), values, absent, span)


def _dyad_index(table: pd.DataFrame, name: str) -> DyadYearIndex:
    """Index of a dyad-year table of data set ``name`` (whose coverage the index spans)."""
    return DyadYearIndex(*(table[c].to_numpy(np.int64) for c in ("ccode1", "ccode2", "year")), span=coverage(name))


@lru_cache(maxsize=16)
def _state_source(name: str, columns: tuple[str, ...], stamp: tuple) -> StateValues:
    table = open_store(stamp[0]).table(name)
    return _state_values(table, columns)


def add_capabilities(
    frame: pd.DataFrame, version: int = 7, columns: Iterable[str] | None = None, fill: str | None = None, db=None
) -> pd.DataFrame:
    """Add the six National Material Capabilities components and CINC.

    Columns ``milex, milper, irst, pec, tpop, upop, cinc`` (suffixed 1 and 2 on
    dyad-years), or the subset named in ``columns``.  ``milex`` is in thousands
    of current British pounds for 1816-1913 and thousands of current US dollars
    from 1914, as published.

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
    values = _state_source(name, (*NMC_COMPONENTS, "cinc"), _stamp([name], db))
    return _attach_state_values(frame, _selected(values, columns), fill=fill)


def _selected(values: _NamedColumns, columns: Iterable[str] | None) -> _NamedColumns:
    """``values`` limited to ``columns`` (all when None); unknown names are refused."""
    if columns is None:
        return values
    columns = [columns] if isinstance(columns, str) else list(columns)
    unknown = [c for c in columns if c not in values.names]
    if unknown:
        raise FrameError(f"unknown column(s) {', '.join(unknown)}; choose from {', '.join(values.names)}.")
    return values.select(columns)


def _period_crosswalk(table: pd.DataFrame, source: str, db) -> pd.DataFrame:
    """Attach COW codes to an ISO3-coded table, by period (the splice table of worldorder.successions)."""
    from worldorder.successions import source_units

    crosswalk = source_units(source, "cow", db=db).drop(columns="note")
    joined = table.merge(crosswalk, on="iso3", how="inner")
    inside = (joined["year"] >= joined["first_year"]) & (joined["year"] <= joined["last_year"])
    return joined[inside].drop(columns=["first_year", "last_year"])


_CROSSWALK_SETS = ["cow_states_2024", "countrycode_codelist"]


@lru_cache(maxsize=16)
def _iso_source(name: str, columns: tuple[str, ...], crosswalk_source: str, stamp: tuple):
    table = open_store(stamp[0]).table(name)
    if "aggregate" in table.columns:
        table = table[~table["aggregate"].astype(bool)]
    table = _period_crosswalk(table, crosswalk_source, stamp[0])
    return _state_values(table, columns)


MADDISON_VERSIONS = {"2023": "maddison_2023", "2020": "maddison_2020"}


def _with_sources(frame: pd.DataFrame, sources: dict[str, str]) -> pd.DataFrame:
    """Record in ``frame.attrs["sources"]`` the data set each new column came from."""
    frame.attrs["sources"] = {**frame.attrs.get("sources", {}), **sources}
    return frame


def add_gdp(frame: pd.DataFrame, source: str = "maddison", fill: str | None = None, version: str = "2023", db=None) -> pd.DataFrame:
    """Add gross domestic product.

    ``source="maddison"`` adds ``maddison_gdp`` (2011 international dollars),
    ``maddison_gdppc`` and ``maddison_pop`` (thousands) from the Maddison
    Project Database ``version`` 2023 (to 2022, the default) or 2020 (to 2018);
    ``source="worldbank"`` adds ``wb_gdp`` (current US dollars), 1960-2023;
    ``source="ppp"`` adds ``wb_gdp_ppp`` (World Bank GDP at purchasing power
    parity, constant 2021 international dollars), 1990-2024;
    ``source="fariss"`` adds Fariss et al.'s latent ``fariss_gdp`` (millions
    of 2017 international dollars) and ``fariss_pop`` (millions) with their
    posterior standard deviations ``fariss_gdp_sd`` and ``fariss_pop_sd``,
    1816-2019.  ISO-coded sources reach state codes through the splice table
    of :mod:`worldorder.successions` (one unit per state-year, so Maddison's
    USSR, Yugoslavia and Czechoslovakia never count beside their successors).
    ``frame.attrs["sources"]`` records the data set of each new column.

    References
    ----------
    Bolt, J. & van Zanden, J. L. 2024. Maddison style estimates of the
    evolution of the world economy: a new 2023 update. Journal of Economic
    Surveys 1-41.
    Fariss, C. J., Anders, T., Markowitz, J. N. & Barnum, M. 2022. New
    estimates of over 500 years of historic GDP and population data. Journal
    of Conflict Resolution 66(3): 553-591.
    World Bank. World Development Indicators, NY.GDP.MKTP.CD and NY.GDP.MKTP.PP.KD.
    """
    if source == "maddison":
        if str(version) not in MADDISON_VERSIONS:
            raise FrameError(f"Maddison version must be one of {', '.join(MADDISON_VERSIONS)}, not {version!r}.")
        name = MADDISON_VERSIONS[str(version)]
        values = _iso_source(name, ("gdp", "gdppc", "pop"), "maddison", _stamp([name, *_CROSSWALK_SETS], db))
        values = values.renamed(["maddison_gdp", "maddison_gdppc", "maddison_pop"])
    elif source in ("worldbank", "ppp"):
        name, column, renamed = ("wb_gdp", "gdp_usd", "wb_gdp") if source == "worldbank" else ("wb_gdp_ppp", "gdp_ppp", "wb_gdp_ppp")
        values = _iso_source(name, (column,), "worldbank", _stamp([name, *_CROSSWALK_SETS], db)).renamed([renamed])
    elif source == "fariss":
        name = "isard_gdppop"
        values = _state_source(name, ("pwtrgdp", "sd_pwtrgdp", "pwtpop", "sd_pwtpop"), _stamp([name], db))
        values = values.renamed(["fariss_gdp", "fariss_gdp_sd", "fariss_pop", "fariss_pop_sd"])
    else:
        raise FrameError(f"source must be 'maddison', 'worldbank', 'ppp' or 'fariss', not {source!r}.")
    out = _attach_state_values(frame, values, fill=fill)
    return _with_sources(out, {column: name for column in values.names})


def add_trade_openness(frame: pd.DataFrame, fill: str | None = None, db=None) -> pd.DataFrame:
    """Add ``wb_trade_gdp_pct``: exports plus imports of goods and services in percent of GDP.

    World Bank WDI NE.TRD.GNFS.ZS (as processed by Our World in Data),
    1960-2023; a 0 in the file means missing and is null here.

    Notes
    -----
    .. math:: \\mathrm{wb\\_trade\\_gdp\\_pct}_{it} = 100 \\, (X_{it} + M_{it}) / Y_{it}

    References
    ----------
    World Bank. World Development Indicators, NE.TRD.GNFS.ZS.
    """
    name = "wb_trade_share"
    values = _iso_source(name, ("trade_gdp_pct",), "worldbank", _stamp([name, *_CROSSWALK_SETS], db))
    out = _attach_state_values(frame, values.renamed(["wb_trade_gdp_pct"]), fill=fill)
    return _with_sources(out, {"wb_trade_gdp_pct": name})


def add_population(frame: pd.DataFrame, source: str = "worldbank", fill: str | None = None, db=None) -> pd.DataFrame:
    """Add total population: ``wb_population`` (persons, 1960-2024) from the World Bank."""
    if source != "worldbank":
        raise FrameError(
            "add_population supports source='worldbank'; Maddison's population comes with "
            "add_gdp and NMC's with add_capabilities."
        )
    stamp = _stamp(["wb_population", *_CROSSWALK_SETS], db)
    values = _iso_source("wb_population", ("population",), "worldbank", stamp)
    return _attach_state_values(frame, values.renamed(["wb_population"]), fill=fill)


def add_milex(frame: pd.DataFrame, source: str = "worldbank", fill: str | None = None, db=None) -> pd.DataFrame:
    """Add military expenditure.

    ``source="worldbank"`` adds ``wb_milex_gdp_pct`` (MS.MIL.XPND.GD.ZS, % of
    GDP; SIPRI's series) and ``wb_milex_usd`` = share / 100 x GDP in current US
    dollars.  ``source="nmc"`` adds NMC ``milex`` with ``milex_usd_era`` (1 from
    1914, when the unit is US dollars; 0 before, when it is British pounds).
    """
    if source == "worldbank":
        stamp = _stamp(["wb_milex_gdp_share", *_CROSSWALK_SETS], db)
        values = _iso_source("wb_milex_gdp_share", ("milex_gdp_pct",), "worldbank", stamp)
        out = _attach_state_values(frame, values.renamed(["wb_milex_gdp_pct"]), fill=fill)
        gdp = add_gdp(frame, source="worldbank", fill=fill, db=db)
        for side in [""] if _unit(frame) == STATE_YEAR else ["1", "2"]:
            out[f"wb_milex_usd{side}"] = out[f"wb_milex_gdp_pct{side}"] / 100 * gdp[f"wb_gdp{side}"]
        return out
    if source == "nmc":
        values = _state_source("cow_nmc_7", ("milex",), _stamp(["cow_nmc_7"], db))
        out = _attach_state_values(frame, values, fill=fill)
        out["milex_usd_era"] = (frame["year"] >= 1914).astype("int8")
        return out
    raise FrameError(f"source must be 'worldbank' or 'nmc', not {source!r}.")


@lru_cache(maxsize=4)
def _majors(name: str, stamp: tuple) -> StateValues:
    spells = open_store(stamp[0]).table(name)
    lengths = (spells["endyear"] - spells["styear"] + 1).to_numpy(np.int64)
    years = pd.DataFrame(
        {
            "ccode": np.repeat(spells["ccode"].to_numpy(np.int64), lengths),
            "year": np.concatenate([np.arange(a, b + 1) for a, b in zip(spells["styear"], spells["endyear"])]),
        }
    ).drop_duplicates()
    return _state_values(years.assign(major=1.0), ["major"], absent=0.0, span=coverage(name))


def add_majors(frame: pd.DataFrame, version: str = "2024", db=None) -> pd.DataFrame:
    """Add ``major``: 1 if a COW major power that year, else 0; NA after the file's last year."""
    if version not in MAJORS_VERSIONS:
        raise FrameError(f"version must be one of {sorted(MAJORS_VERSIONS)}, not {version!r}.")
    name = MAJORS_VERSIONS[version]
    values = _majors(name, _stamp([name], db))
    return _attach_state_values(frame, values)


def add_ideal_points(frame: pd.DataFrame, estimate: str = "idealpointfp", db=None) -> pd.DataFrame:
    """Add UN General Assembly ideal points (Bailey, Strezhnev & Voeten 2017; July 2025 data).

    State-years get ``idealpoint``; dyad-years get ``idealpoint1``, ``idealpoint2``
    and ``idealpoint_distance`` = :math:`|x_1 - x_2|`.  1946-2024 only.
    """
    if estimate not in ("idealpointfp", "idealpointall", "idealpointlegacy"):
        raise FrameError("estimate must be idealpointfp, idealpointall or idealpointlegacy.")
    values = _state_source("unga_ideal_points_2025", (estimate,), _stamp(["unga_ideal_points_2025"], db))
    out = _attach_state_values(frame, values.renamed(["idealpoint"]))
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


# -- dyad-level sources -------------------------------------------------------------
def _both_orientations(table: pd.DataFrame, swapped: Iterable[tuple[str, str]] = ()) -> pd.DataFrame:
    """An undirected dyad-year table (a < b) stacked with its mirror (b, a).

    ``swapped`` names the pairs of columns that trade places in the mirror
    (a flow from a to b becomes the flow from b to a).
    """
    pairs = [("ccode1", "ccode2"), *swapped]
    renames = {first: second for first, second in pairs} | {second: first for first, second in pairs}
    mirrored = table.rename(columns=renames)[table.columns]
    return pd.concat([table, mirrored], ignore_index=True)


@lru_cache(maxsize=4)
def _directed_trade(stamp: tuple) -> tuple[DyadYearIndex, ValueTable]:
    table = open_store(stamp[0]).table("cow_trade_dyadic_4")
    both = _both_orientations(table, [("flow1", "flow2"), ("smoothflow1", "smoothflow2")])
    return _dyad_index(both, "cow_trade_dyadic_4"), _value_table(both, ("flow1", "flow2", "smoothflow1", "smoothflow2"))


@lru_cache(maxsize=8)
def _symmetric_source(name: str, columns: tuple[str, ...], stamp: tuple) -> tuple[DyadYearIndex, ValueTable]:
    both = _both_orientations(open_store(stamp[0]).table(name))
    return _dyad_index(both, name), _value_table(both, columns)


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


def _attach_partner_counts(frame: pd.DataFrame, ccode: np.ndarray, year: np.ndarray, column: str, span) -> pd.DataFrame:
    """Number of partners of each state-year, from the first codes and years of directed dyads."""
    counts = pd.Series(1.0, index=pd.MultiIndex.from_arrays([ccode, year])).groupby(level=[0, 1]).sum()
    values = StateValues(
        counts.index.get_level_values(0).to_numpy(np.int64),
        counts.index.get_level_values(1).to_numpy(np.int64),
        {column: counts.to_numpy()},
        absent=0.0,
        span=span,
    )
    return _attach_state_values(frame, values)


def add_contiguity(frame: pd.DataFrame, db=None) -> pd.DataFrame:
    """Add COW Direct Contiguity v3.2 (Stinnett et al. 2002), 1816-2016.

    Dyad-years get ``conttype``: 1 land or river border; 2, 3, 4, 5 separated
    by at most 12, 24, 150, 400 miles of water; 0 not contiguous.  State-years
    get ``land_neighbours``, the number of states sharing a land border.
    """
    index, values = _contiguity(_stamp(["cow_contiguity_3_2"], db))
    if _unit(frame) == DYAD_YEAR:
        return _attach_dyad_values(frame, index, values)
    land = values.column("conttype") == 1
    return _attach_partner_counts(frame, index.ccode1[land], index.year[land], "land_neighbours", coverage("cow_contiguity_3_2"))


@lru_cache(maxsize=4)
def _contiguity(stamp: tuple) -> tuple[DyadYearIndex, ValueTable]:
    table = open_store(stamp[0]).table("cow_contiguity_3_2")
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
    "distance": add_distance,
    "igos": add_igos,
}
