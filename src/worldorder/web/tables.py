"""Tables as the web app sends them: column-wise JSON, CSV and Parquet downloads."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd


def column_values(series: pd.Series) -> list:
    """A column as a JSON-ready list: numbers, text, None for missing; months as ``YYYY-MM``."""
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m")
        return [None if pd.isna(v) else v for v in text.tolist()]
    if pd.api.types.is_bool_dtype(series) and series.dtype != object:
        return [None if pd.isna(v) else bool(v) for v in series.tolist()]
    if pd.api.types.is_float_dtype(series):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.where(np.isfinite(values), values, None).tolist()
    if pd.api.types.is_integer_dtype(series):
        return series.astype(object).where(series.notna(), None).tolist()
    out = []
    for value in series.tolist():
        if value is None or (isinstance(value, float) and not np.isfinite(value)) or value is pd.NA or value is pd.NaT:
            out.append(None)
        elif isinstance(value, (np.integer,)):
            out.append(int(value))
        elif isinstance(value, (np.floating,)):
            out.append(float(value) if np.isfinite(value) else None)
        elif isinstance(value, (str, int, float, bool)):
            out.append(value)
        else:
            out.append(str(value))
    return out


def table_json(frame: pd.DataFrame | None, columns: Sequence[str] | None = None) -> dict | None:
    """A table as ``{"columns": [...], "data": {column: [values]}, "rows": n}`` (column-wise, for Plotly)."""
    if frame is None:
        return None
    names = [c for c in (columns or frame.columns) if c in frame.columns]
    return {"columns": names, "data": {str(c): column_values(frame[c]) for c in names}, "rows": int(len(frame))}


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without attrs (pandas would try to write them into Parquet metadata)."""
    out = frame.copy(deep=False)
    out.attrs = {}
    return out


def dumps(value) -> bytes:
    """Compact JSON bytes of ``value``: numpy numbers as numbers, NaN and infinity as null."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False, default=_default).encode()


def _default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def download(frame: pd.DataFrame, fmt: str, stem: str) -> tuple[bytes, str, dict]:
    """``frame`` as a CSV or Parquet file: content, media type and headers naming the file ``stem``."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem)[:120]
    frame = plain(frame)
    if fmt == "csv":
        return frame.to_csv(index=False).encode(), "text/csv; charset=utf-8", {"Content-Disposition": f'attachment; filename="{stem}.csv"'}
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue(), "application/vnd.apache.parquet", {"Content-Disposition": f'attachment; filename="{stem}.parquet"'}
