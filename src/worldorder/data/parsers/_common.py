"""Helpers shared by the parsers."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def null_codes(frame: pd.DataFrame, codes: Iterable[float], columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` with each of ``codes`` (for example -9, -8) set to null.

    Only numeric columns are touched; ``columns`` limits the change further.
    """
    out = frame.copy()
    codes = list(codes)
    targets = out.columns if columns is None else list(columns)
    for column in targets:
        if pd.api.types.is_numeric_dtype(out[column]):
            mask = out[column].isin(codes)
            if mask.any():
                if pd.api.types.is_integer_dtype(out[column]):
                    out[column] = out[column].astype("Int64")
                out.loc[mask, column] = pd.NA if out[column].dtype == "Int64" else np.nan
    return out


def to_int(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Cast ``columns`` to int64, or to nullable Int64 where a value is missing."""
    out = frame.copy()
    for column in columns:
        values = pd.to_numeric(out[column])
        out[column] = values.astype("int64") if not values.isna().any() else values.astype("Int64")
    return out


def require_columns(frame: pd.DataFrame, columns: Iterable[str], path) -> None:
    """Raise ``ValueError`` naming ``path`` and the absent columns when ``frame`` lacks any of ``columns``."""
    absent = [column for column in columns if column not in frame.columns]
    if absent:
        raise ValueError(
            f"{path}: expected column(s) {', '.join(map(repr, absent))} are absent; "
            f"the file has {', '.join(map(str, frame.columns))}. Is it the registered version?"
        )


def read_r_frame(path) -> pd.DataFrame:
    """The one data frame of an R data file (``.rda``/``.rds``), read with pyreadr, with a fresh index.

    Raises ``ValueError`` naming ``path`` when the file holds more or fewer than one object.
    """
    import pyreadr

    result = pyreadr.read_r(str(path))
    if len(result) != 1:
        raise ValueError(f"{path}: expected one R object, found {len(result)}: {', '.join(map(str, result))}")
    return next(iter(result.values())).reset_index(drop=True)
