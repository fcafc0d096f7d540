"""Shared machinery of the power layer: the error class, measure metadata and dense matrices.

Every index of the power layer is computed on a dense ``year × state`` matrix
(float64, NaN where a state has no value or is outside the reference set)
rather than with a pandas ``groupby``.  :func:`to_matrix` builds one from a
state-year table in a single pass of ``numpy.unique``; the indices then reduce
along the state axis for every year at once.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from worldorder.errors import WorldOrderError

_CODE_SPAN = 1000  # COW codes are below 1000


class PowerError(WorldOrderError, ValueError):
    """A table lacks what a power function needs, or an option is not valid."""


@dataclass(frozen=True)
class MeasureInfo:
    """What a power column holds and where it comes from.

    Stored in ``frame.attrs["measures"][column]`` (as a plain dict, so that
    pandas can copy it) by every measure function.
    """

    key: str
    column: str
    label: str
    unit: str
    sources: tuple[str, ...] = ()
    citation: str = ""
    notes: str = ""

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "column": self.column,
            "label": self.label,
            "unit": self.unit,
            "sources": list(self.sources),
            "citation": self.citation,
            "notes": self.notes,
        }


def measure_info(frame: pd.DataFrame, column: str) -> dict:
    """Metadata of ``column`` (a dict with label, unit, sources...), or a bare stand-in."""
    info = frame.attrs.get("measures", {}).get(column)
    if info is not None:
        return info
    return MeasureInfo(key=column, column=column, label=column, unit="", sources=()).as_dict()


def with_measure(frame: pd.DataFrame, column: str, values, info: MeasureInfo) -> pd.DataFrame:
    """A new frame: ``frame`` plus ``column`` = ``values``, with ``info`` recorded in attrs."""
    out = frame.copy(deep=False)
    out[column] = values
    attrs = copy.deepcopy(frame.attrs)
    attrs.setdefault("measures", {})[column] = info.as_dict()
    attrs["measure"] = column
    out.attrs = attrs
    return out


def require_columns(frame: pd.DataFrame, columns: Iterable[str], hint: str) -> None:
    """Raise :class:`PowerError` naming the missing columns and what to run first."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PowerError(f"The table has no column {', '.join(repr(c) for c in missing)}. {hint}")


def default_column(frame: pd.DataFrame, column: str | None) -> str:
    """``column``, else the last measure added to ``frame`` (``attrs["measure"]``)."""
    if column is None:
        column = frame.attrs.get("measure")
        if column is None:
            raise PowerError(
                "Name the power column (column=...), or build the table with a measure function "
                "such as cinc(), gdp() or create_power_years(), which records it."
            )
    if column not in frame.columns:
        known = sorted(frame.attrs.get("measures", {}))
        hint = f" Measures in this table: {', '.join(known)}." if known else ""
        raise PowerError(f"The table has no column {column!r}.{hint}")
    return column


# -- dense matrices --------------------------------------------------------------------------
@dataclass
class Matrix:
    """A state-year table as a dense ``year × state`` matrix.

    Attributes
    ----------
    years
        Every year from the first to the last (consecutive), shape ``(Y,)``.
    codes
        Sorted state codes, shape ``(S,)``.
    values
        Float matrix ``(Y, S)``; NaN where the table has no value.
    member
        Boolean matrix ``(Y, S)``: the state-year is a row of the table.
    labels
        State abbreviation per code (or the code as text).
    """

    years: np.ndarray
    codes: np.ndarray
    values: np.ndarray
    member: np.ndarray
    labels: np.ndarray
    extra: dict = field(default_factory=dict)

    def with_values(self, values: np.ndarray, member: np.ndarray | None = None) -> "Matrix":
        return Matrix(self.years, self.codes, values, self.member if member is None else member, self.labels, self.extra)


def _positions(frame: pd.DataFrame, code_column: str = "ccode"):
    codes_raw = frame[code_column].to_numpy(np.int64)
    years_raw = frame["year"].to_numpy(np.int64)
    if len(years_raw) == 0:
        raise PowerError("The table has no rows.")
    low, high = int(codes_raw.min()), int(codes_raw.max())
    if low >= 0 and high < 100_000:  # state codes: a dense look-up beats sorting
        seen = np.zeros(high + 1, dtype=bool)
        seen[codes_raw] = True
        codes = np.flatnonzero(seen)
        lookup = np.cumsum(seen) - 1
        col = lookup[codes_raw]
    else:
        codes, col = np.unique(codes_raw, return_inverse=True)
    first = int(years_raw.min())
    years = np.arange(first, int(years_raw.max()) + 1)
    row = years_raw - first
    return years, codes, row, col


def to_matrix(frame: pd.DataFrame, columns: str | Sequence[str], code_column: str = "ccode") -> Matrix:
    """Dense matrix of ``columns`` (one column: ``values``; several: ``extra[column]``).

    Duplicate (state, year) rows raise: a state-year table has one row per state and year.
    """
    names = [columns] if isinstance(columns, str) else list(columns)
    require_columns(frame, ["year", code_column, *names], "Start from create_state_years() or create_power_years().")
    years, codes, row, col = _positions(frame, code_column)
    shape = (len(years), len(codes))
    flat = row * len(codes) + col
    counts = np.bincount(flat, minlength=shape[0] * shape[1])
    if counts.max() > 1:
        raise PowerError("The table has more than one row for some state-year; a state-year table needs one.")
    member = (counts > 0).reshape(shape)
    mats = {}
    for name in names:
        values = np.full(shape, np.nan)
        column = frame[name]
        if column.dtype == bool or str(column.dtype) == "boolean" or pd.api.types.is_numeric_dtype(column.dtype):
            data = column.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            data = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        values.reshape(-1)[flat] = data
        mats[name] = values
    labels = codes.astype(str).astype(object)
    if "stateabb" in frame.columns:
        last_row = np.empty(len(codes), dtype=np.int64)
        order = np.argsort(row, kind="stable")
        last_row[col[order]] = order  # the state's abbreviation in its latest year
        abbs = frame["stateabb"].iloc[last_row].to_numpy(dtype=object, na_value=None)
        labels = np.where(pd.isna(abbs), labels, abbs).astype(object)
    first = mats[names[0]]
    return Matrix(years, codes, first, member, labels, extra=mats)


def cell_values(matrix: Matrix, values: np.ndarray, frame: pd.DataFrame, code_column: str = "ccode") -> np.ndarray:
    """Read ``values`` (a ``(Y, S)`` matrix aligned with ``matrix``) back at the rows of ``frame``."""
    codes_raw = frame[code_column].to_numpy(np.int64)
    years_raw = frame["year"].to_numpy(np.int64)
    col = np.searchsorted(matrix.codes, codes_raw)
    row = years_raw - matrix.years[0]
    return values[row, col]


def year_slice(frame: pd.DataFrame, first: int | None, last: int | None) -> pd.DataFrame:
    """Rows of ``frame`` with ``first <= year <= last`` (attrs kept); see :meth:`worldorder.years.Years.select`."""
    from worldorder.years import Years

    out = Years.parse((first, last)).select(frame)
    if out is not frame:
        out.attrs = copy.deepcopy(frame.attrs)
    return out
