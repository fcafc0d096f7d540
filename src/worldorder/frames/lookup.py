"""Dense look-up arrays that join a source onto a frame without changing its rows."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np
import pandas as pd

from worldorder.store import open_store
from worldorder.frames.base import DYAD_YEAR, FIRST_YEAR, FrameError, STATE_YEAR, _CODE_SPAN, _unit, _years_of, coverage


#: Rows of a frame gathered at a time: the index buffers (1 MB) stay in the core's cache.
CHUNK = 1 << 17


def _year_offsets(first: int, last: int, stride: int, dtype) -> np.ndarray:
    """``(clip(y, first, last) - first) * stride`` for every year ``y`` from 0 to ``last + 1``.

    ``np.take(table, year, mode="clip")`` then gives any year's offset in one
    pass: years past the end clip to the last entry, years before 0 to the first.
    """
    years = np.clip(np.arange(last + 2), first, last)
    return ((years - first) * stride).astype(dtype)


def _in_halves(length: int, work) -> None:
    """``work(start, stop)`` over ``range(length)``: two halves on two threads (one call when short)."""
    if length <= CHUNK:
        work(0, length)
        return
    middle = length // 2
    # numpy releases the GIL in its gathers: each half of the frame runs on its own thread
    for half in [_threads().submit(work, start, stop) for start, stop in ((0, middle), (middle, length))]:
        half.result()


def _copies(*arrays: np.ndarray, dtype=None) -> list[np.ndarray]:
    """New, writable copies of same-length 1-D ``arrays`` (as ``dtype`` if given), made on two threads."""
    copies = [np.empty_like(array, dtype=dtype) for array in arrays]

    def work(start: int, stop: int) -> None:
        for array, copied in zip(arrays, copies):
            np.copyto(copied[start:stop], array[start:stop])

    _in_halves(len(arrays[0]), work)
    return copies


def _note_codes_outside(codes: np.ndarray, found: list) -> None:
    """Append to ``found`` the first of ``codes`` (int64) outside the COW range 0-999 (a look-up would misread it)."""
    if codes.view(np.uint64).max() >= _CODE_SPAN:  # one pass: negative codes wrap to huge unsigned values
        found.append(int(codes[(codes < 0) | (codes >= _CODE_SPAN)][0]))


def _refuse_codes_outside(found: list) -> None:
    if found:
        raise FrameError(
            f"State codes must be COW codes from 0 to {_CODE_SPAN - 1}; the frame holds {found[0]}. "
            "Build the frame with create_state_years() or create_dyad_years(), or map its codes to COW first."
        )


def _chunks(start: int, stop: int):
    """(first, stop) of consecutive pieces of at most :data:`CHUNK` rows."""
    for first in range(start, stop, CHUNK):
        yield first, min(first + CHUNK, stop)


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
            out.__dict__.pop("_columns", None)
            selections[names] = out
        return selections[names]

    def columns(self) -> tuple[np.ndarray, ...]:
        """Each column of ``values``, all its rows, as its own contiguous array (made once, then kept).

        A frame's new columns are gathered one by one from these: each comes
        out contiguous, as a merge would give it, rather than a strided view
        of a row-major block.
        """
        if "_columns" not in self.__dict__:
            self._columns = tuple(np.ascontiguousarray(column) for column in self.values.T)
        return self._columns


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
        self.year_rows = _year_offsets(self.first, self.last, _CODE_SPAN, np.intp)
        self.values = np.full(((self.last - self.first + 1) * _CODE_SPAN, len(columns)), absent)
        self.values[:_CODE_SPAN] = self.values[-_CODE_SPAN:] = np.nan
        inside = (year >= span[0]) & (year <= span[1])
        stacked = np.column_stack([np.asarray(v, np.float64) for v in columns.values()]) if columns else None
        if inside.any():
            self.values[self.offsets(year[inside]) + ccode[inside]] = stacked[inside]

    def offsets(self, year: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Start of each year's block (shared by both sides of a dyad), into ``out`` if given."""
        return np.take(self.year_rows, year, mode="clip", out=out)

    def take(self, offsets: np.ndarray, ccode: np.ndarray) -> np.ndarray:
        """The rows of ``ccode`` at precomputed :meth:`offsets`, shape (len, columns)."""
        return np.take(self.values, offsets + ccode, axis=0)

    def gather(self, year: np.ndarray, codes: list[np.ndarray]) -> list[list[np.ndarray]]:
        """For each array of ``codes``, the values at (code, ``year``): one new contiguous array per column.

        Works through the rows a :data:`CHUNK` at a time, on two threads, so
        that the row numbers never travel through main memory.
        """
        columns = self.columns()
        gathered = [[np.empty(len(year)) for _ in columns] for _ in codes]
        outside = []  # a code outside 0-999 would read another state's row

        def work(start: int, stop: int) -> None:
            offsets = np.empty(min(CHUNK, stop - start), dtype=np.intp)
            rows = np.empty_like(offsets)
            for first, end in _chunks(start, stop):
                size = end - first
                self.offsets(year[first:end], out=offsets[:size])
                for code, targets in zip(codes, gathered):
                    _note_codes_outside(code[first:end], outside)
                    np.add(offsets[:size], code[first:end], out=rows[:size])
                    for column, target in zip(columns, targets):
                        np.take(column, rows[:size], out=target[first:end], mode="wrap")

        _in_halves(len(year), work)
        _refuse_codes_outside(outside)
        return gathered


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
        self.year_start = _year_offsets(self.first, self.last, block, np.int32)
        self.lookup = np.full(entries, ABSENT_ROW, dtype=np.int32)
        self.lookup[:block] = self.lookup[-block:] = NOT_COVERED_ROW
        inside = np.flatnonzero((year >= span[0]) & (year <= span[1]))
        self.lookup[self.rows_flat(ccode1[inside], ccode2[inside], year[inside])] = inside.astype(np.int32)

    def rows_flat(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray, out=None, scratch=None) -> np.ndarray:
        """Positions in :attr:`lookup` (int32, into ``out`` if given; ``scratch`` is an int32 buffer alike).

        Codes outside 0-999 clip to 0 or 999 (the joins refuse them first); years to a not-covered year.
        """
        # int32 arithmetic (the look-up has fewer than 2**31 entries): half the memory traffic of int64
        flat = np.take(self.year_start, year, mode="clip", out=out)
        flat += np.take(self.row_start, ccode1, mode="clip", out=scratch)
        flat += np.take(self.code_id, ccode2, mode="clip", out=scratch)
        return flat

    def rows(self, ccode1: np.ndarray, ccode2: np.ndarray, year: np.ndarray, out=None, scratch=None) -> np.ndarray:
        """Rows of the table (or :data:`ABSENT_ROW`, :data:`NOT_COVERED_ROW`), into ``out`` if given.

        ``out`` and ``scratch``, when given, are two int32 buffers of the same length.
        """
        flat = self.rows_flat(ccode1, ccode2, year, out=scratch, scratch=out)
        return np.take(self.lookup, flat, mode="clip", out=out)  # positions are in range: "clip" copies nothing


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


def _finish(frame: pd.DataFrame, columns: dict[str, np.ndarray], fill=None) -> pd.DataFrame:
    """A new frame: ``frame`` with ``columns`` appended (replacing those of the same name); checks that rows are kept.

    The new columns are not copied: each becomes its own block of the new frame.
    """
    added = list(columns)
    piece = pd.DataFrame(columns, index=frame.index, copy=False)
    replaced = [c for c in added if c in frame.columns]
    out = pd.concat([frame.drop(columns=replaced) if replaced else frame, piece], axis=1)
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
    gathered = table.gather(_years_of(frame), [frame[code].to_numpy(dtype=np.int64) for code, _ in sides])
    added = {name + suffix: values for (_, suffix), side in zip(sides, gathered) for name, values in zip(table.names, side)}
    return _finish(frame, added, fill)


def _attach_dyad_values(frame: pd.DataFrame, index: DyadYearIndex, table: ValueTable, fill: str | None = None) -> pd.DataFrame:
    """Join dyad-year columns (aligned with a *directed* ``index``) onto a dyad-year frame.

    Dyad-years the source does not list get the table's ``absent`` value inside
    the index's span and NA outside it.
    """
    if _unit(frame) != DYAD_YEAR:
        raise FrameError("This join needs a dyad-year frame; build one with create_dyad_years().")
    years = _years_of(frame)
    first, second = frame["ccode1"].to_numpy(np.int64), frame["ccode2"].to_numpy(np.int64)
    added = {name: np.empty(len(frame)) for name in table.names}
    columns = table.columns()
    outside = []

    def work(start: int, stop: int) -> None:
        rows, scratch = np.empty(min(CHUNK, stop - start), dtype=np.int32), np.empty(min(CHUNK, stop - start), dtype=np.int32)
        for begin, end in _chunks(start, stop):
            size = end - begin
            _note_codes_outside(first[begin:end], outside)
            _note_codes_outside(second[begin:end], outside)
            index.rows(first[begin:end], second[begin:end], years[begin:end], rows[:size], scratch[:size])
            for column, target in zip(columns, added.values()):
                np.take(column, rows[:size], out=target[begin:end], mode="wrap")  # see ValueTable.take

    _in_halves(len(frame), work)
    _refuse_codes_outside(outside)
    return _finish(frame, added, fill)


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


def _selected(values: _NamedColumns, columns: Iterable[str] | None) -> _NamedColumns:
    """``values`` limited to ``columns`` (all when None); unknown names are refused."""
    if columns is None:
        return values
    columns = [columns] if isinstance(columns, str) else list(columns)
    unknown = [c for c in columns if c not in values.names]
    if unknown:
        raise FrameError(f"unknown column(s) {', '.join(unknown)}; choose from {', '.join(values.names)}.")
    return values.select(columns)


def _both_orientations(table: pd.DataFrame, swapped: Iterable[tuple[str, str]] = ()) -> pd.DataFrame:
    """An undirected dyad-year table (a < b) stacked with its mirror (b, a).

    ``swapped`` names the pairs of columns that trade places in the mirror
    (a flow from a to b becomes the flow from b to a).
    """
    pairs = [("ccode1", "ccode2"), *swapped]
    renames = {first: second for first, second in pairs} | {second: first for first, second in pairs}
    mirrored = table.rename(columns=renames)[table.columns]
    return pd.concat([table, mirrored], ignore_index=True)


def _symmetrized(table: pd.DataFrame, columns: Iterable[str], how: str) -> pd.DataFrame:
    """One value per unordered pair and year (the ``how`` of both orders' rows), stacked in both orders.

    ``how="max"`` gives a flag if either direction has it; ``how="min"`` the
    smallest value of the pair's rows (the closest contiguity type).
    """
    columns = list(columns)
    first, second = table["ccode1"].to_numpy(np.int64), table["ccode2"].to_numpy(np.int64)
    pairs = table[columns].assign(ccode1=np.minimum(first, second), ccode2=np.maximum(first, second), year=table["year"])
    one = pairs.groupby(["ccode1", "ccode2", "year"], as_index=False)[columns].agg(how)
    return _both_orientations(one[["ccode1", "ccode2", "year", *columns]])


@lru_cache(maxsize=8)
def _symmetric_source(name: str, columns: tuple[str, ...], stamp: tuple) -> tuple[DyadYearIndex, ValueTable]:
    both = _both_orientations(open_store(stamp[0]).table(name))
    return _dyad_index(both, name), _value_table(both, columns)


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
