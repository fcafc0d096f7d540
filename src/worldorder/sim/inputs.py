"""What the projection takes in: its error, the value column of a power table, the year-by-state table and each state's region."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from worldorder.errors import WorldOrderError


class SimulationError(WorldOrderError, ValueError):
    """Inputs a simulation cannot use: missing columns, too little history, bad settings."""


def value_column(table: pd.DataFrame, value: str | None = None) -> str:
    """The name of the value column of a power table ``ccode, year, <value>``."""
    missing = [c for c in ("ccode", "year") if c not in table.columns]
    if missing:
        raise SimulationError(
            f"The power table lacks the column(s) {', '.join(missing)}; it must be a state-year table "
            "ccode, year, <value> (build one with worldorder.create_state_years and a power measure)."
        )
    if value is not None:
        if value not in table.columns:
            raise SimulationError(f"The power table has no column {value!r}; it has {', '.join(map(str, table.columns))}.")
        return value
    candidates = [
        c for c in table.columns
        if c not in ("ccode", "year", "stateabb", "statenme", "country", "iso3", "region")
        and pd.api.types.is_numeric_dtype(table[c])
    ]
    if len(candidates) != 1:
        raise SimulationError(
            f"Cannot tell which column holds the power values (numeric candidates: {candidates or 'none'}); "
            "pass value='column'."
        )
    return candidates[0]


def wide_table(table: pd.DataFrame, value: str) -> pd.DataFrame:
    """The positive values of ``value`` as a year-by-state table (rows: years, columns: COW codes)."""
    frame = table[["ccode", "year", value]].copy()
    frame[value] = pd.to_numeric(frame[value], errors="coerce").astype(float)
    frame = frame[np.isfinite(frame[value]) & (frame[value] > 0)]
    if frame.duplicated(["ccode", "year"]).any():
        raise SimulationError("The power table has several rows for the same ccode and year.")
    return frame.pivot(index="year", columns="ccode", values=value).sort_index()


def region_of(ccodes: Iterable[int]) -> np.ndarray:
    """COW region of each code (:func:`worldorder.power.regions.cow_region`; "Other" outside 1-999)."""
    from worldorder.power.regions import cow_region

    names = cow_region(np.asarray(list(ccodes), dtype=np.int64))
    return np.array(["Other" if name is None else str(name) for name in names], dtype=object)
