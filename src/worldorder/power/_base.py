"""Shared machinery of the power layer: the error class, measure metadata and dense matrices.

Every index of the power layer is computed on a dense ``year × state`` matrix
(float64, NaN where a state has no value or is outside the reference set)
rather than with a pandas ``groupby``.  :func:`to_matrix` builds one from a
state-year table in a single pass of ``numpy.unique``; the indices then reduce
along the state axis for every year at once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

_CODE_SPAN = 1000  # COW codes are below 1000


class PowerError(ValueError):
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


# -- reference sets ----------------------------------------------------------------------------
Among = str | Sequence[int] | np.ndarray | pd.Series | Callable[[pd.DataFrame], object] | None


def describe_among(among: Among) -> str:
    """A short text for a reference set, for captions and output columns."""
    if among is None or (isinstance(among, str) and among == "all"):
        return "all states"
    if isinstance(among, str):
        if among == "majors":
            return "COW major powers"
        if among.startswith("top:"):
            return f"the top {among[4:]} states by the measure"
        if among.startswith("region:"):
            return f"the region {among[7:]}"
        return among
    if callable(among):
        return getattr(among, "__name__", "a user-defined set")
    if isinstance(among, (pd.Series, np.ndarray)) and np.asarray(among).dtype == bool:
        return "a user-defined set"
    return "the states " + ", ".join(str(int(c)) for c in list(among)[:12]) + ("..." if len(list(among)) > 12 else "")


def reference_mask(frame: pd.DataFrame, among: Among, matrix: Matrix | None = None, column: str | None = None) -> np.ndarray:
    """Boolean matrix ``(Y, S)`` of the reference set ``among`` (aligned with ``matrix``).

    ``among`` is ``"all"`` (every state of the table), ``"majors"`` (the
    ``major`` column of :func:`worldorder.add_majors`), ``"top:K"`` (the K
    states with the largest ``column`` value each year), ``"region:R"`` (the
    ``region`` column equal to R, or the COW region R from the state code), a
    list of state codes, a boolean array or Series aligned with ``frame``, or a
    callable taking the frame and returning one of those.
    """
    if matrix is None:
        matrix = to_matrix(frame, column or "year")
    if callable(among) and not isinstance(among, (pd.Series, np.ndarray)):
        among = among(frame)
    if among is None or (isinstance(among, str) and among == "all"):
        return matrix.member.copy()
    if isinstance(among, str):
        if among == "majors":
            require_columns(frame, ["major"], "Run add_majors() on the table first (or use among='all').")
            return _row_mask(frame, matrix, frame["major"].to_numpy(dtype=np.float64, na_value=np.nan) == 1)
        if among.startswith("top:"):
            try:
                k = int(among[4:])
            except ValueError:
                raise PowerError(f"among={among!r}: write top:K with a whole number K, such as top:5.") from None
            if k < 1:
                raise PowerError("among='top:K' needs K of at least 1.")
            return top_k_mask(matrix.values, matrix.member, k)
        if among.startswith("region:"):
            name = among[7:]
            if "region" in frame.columns:
                regions = frame["region"].astype(object).to_numpy()
                if name in set(regions[pd.notna(regions)]):
                    return _row_mask(frame, matrix, regions == name)
            from worldorder.power.regions import COW_REGIONS, cow_region

            if name in COW_REGIONS:
                return _row_mask(frame, matrix, cow_region(frame["ccode"].to_numpy(np.int64)) == name)
            raise PowerError(
                f"No region {name!r}. COW regions: {', '.join(COW_REGIONS)}. For UN or your own regions, "
                "run add_region(frame, scheme=...) first so the table has a 'region' column."
            )
        raise PowerError(
            f"among={among!r} not understood: use 'all', 'majors', 'top:K', 'region:NAME', a list of codes, "
            "a boolean mask or a callable."
        )
    array = np.asarray(among)
    if array.dtype == bool:
        if len(array) != len(frame):
            raise PowerError("A boolean reference mask must have one value per row of the table.")
        return _row_mask(frame, matrix, array)
    codes = np.asarray([int(c) for c in array], dtype=np.int64)
    in_set = np.isin(matrix.codes, codes)
    return matrix.member & in_set[None, :]


def _row_mask(frame: pd.DataFrame, matrix: Matrix, rows: np.ndarray) -> np.ndarray:
    mask = np.zeros(matrix.values.shape, dtype=bool)
    codes_raw = frame["ccode"].to_numpy(np.int64)
    years_raw = frame["year"].to_numpy(np.int64)
    col = np.searchsorted(matrix.codes, codes_raw)
    row = years_raw - matrix.years[0]
    keep = np.asarray(rows, dtype=bool)
    mask[row[keep], col[keep]] = True
    return mask & matrix.member


def top_k_mask(values: np.ndarray, member: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` largest non-missing values of each row (ties broken by position)."""
    filled = np.where(member & ~np.isnan(values), values, -np.inf)
    k = min(k, filled.shape[1])
    order = np.argsort(-filled, axis=1, kind="stable")[:, :k]
    mask = np.zeros(values.shape, dtype=bool)
    np.put_along_axis(mask, order, True, axis=1)
    return mask & np.isfinite(filled)


def year_slice(frame: pd.DataFrame, first: int | None, last: int | None) -> pd.DataFrame:
    """Rows of ``frame`` with ``first <= year <= last`` (attrs kept); see :meth:`worldorder.years.Years.select`."""
    from worldorder.years import Years

    out = Years.parse((first, last)).select(frame)
    if out is not frame:
        out.attrs = copy.deepcopy(frame.attrs)
    return out
