"""Column statistics over finite entries, without NumPy's all-NaN warnings.

``np.nanmean``, ``np.nanvar`` and ``np.nanquantile`` warn on columns without
values, and silencing them needs ``warnings.catch_warnings``, whose filters
are process-wide and not thread-safe (the web server and the backtest run
these on several threads).  These functions skip empty columns instead.
"""

from __future__ import annotations

import numpy as np


def column_moments(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sample variance (ddof 1) of each column over its finite entries.

    The mean is NaN for a column without values and the variance for one with
    fewer than two; otherwise equal to ``np.nanmean``/``np.nanvar(ddof=1)``.
    """
    finite = np.isfinite(values)
    count = finite.sum(axis=0)
    mean = np.where(finite, values, 0.0).sum(axis=0) / np.maximum(count, 1)
    deviation = np.where(finite, values - mean, 0.0)
    variance = (deviation * deviation).sum(axis=0) / np.maximum(count - 1, 1)
    return np.where(count >= 1, mean, np.nan), np.where(count >= 2, variance, np.nan)


def column_quantiles(values: np.ndarray, q) -> np.ndarray:
    """``np.nanquantile(values, q, axis=0)``, NaN for columns without a finite entry.

    Returns shape ``(len(q), columns)`` (``(columns,)`` for a scalar ``q``);
    ``values`` is 2-D, rows are draws.
    """
    values = np.asarray(values, dtype=float)
    quantiles = np.atleast_1d(np.asarray(q, dtype=float))
    out = np.full((len(quantiles), values.shape[1]), np.nan)
    filled = np.isfinite(values).any(axis=0)
    if filled.any():
        out[:, filled] = np.nanquantile(values[:, filled], quantiles, axis=0)
    return out if np.ndim(q) else out[0]
