"""Scores of probabilistic forecasts from samples: CRPS, interval coverage, PIT, Brier and log scores."""

from __future__ import annotations

import numpy as np

#: The smallest probability a log score charges for (a forecast of 0 that happens scores -log 0.001).
LOG_FLOOR = 1e-3


def crps_sorted(ordered: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """CRPS of an ensemble (``ordered``: samples sorted along axis 0) against ``observed`` (one per column).

    Notes
    -----
    With the sorted sample :math:`x_{(1)} \\le \\dots \\le x_{(m)}`,

    .. math:: \\mathrm{CRPS} = \\frac1m \\sum_i |x_{(i)} - y| - \\frac{1}{m^2}
              \\sum_i (2i - m - 1)\\, x_{(i)},

    the energy form :math:`E|X - y| - \\tfrac12 E|X - X'|` of the continuous
    ranked probability score of the sample's empirical distribution.  One
    sample gives the absolute error.

    References
    ----------
    Gneiting, T. & Raftery, A. E. 2007. Strictly proper scoring rules,
    prediction, and estimation. *Journal of the American Statistical
    Association* 102(477): 359-378.
    """
    x = np.asarray(ordered)
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    y = np.asarray(observed, dtype=np.float64)
    m = x.shape[0]
    weights = ((2.0 * np.arange(1, m + 1) - m - 1.0) / (m * m)).astype(x.dtype)
    spread = (x * weights[:, None]).sum(axis=0, dtype=np.float64)  # not a BLAS product: one thread, steady
    # sum |x - y| = sum x - 2 (sum of x up to y) + y (2 k - m), k = how many x <= y
    k = np.array([np.searchsorted(x[:, j], y[j], side="right") for j in range(x.shape[1])])
    low = np.where(np.arange(m)[:, None] < k, x, 0).sum(axis=0, dtype=np.float64)
    absolute = x.sum(axis=0, dtype=np.float64) - 2.0 * low + y * (2.0 * k - m)
    return absolute / m - spread


def quantiles_sorted(ordered: np.ndarray, probs) -> np.ndarray:
    """Quantiles of sorted samples (linear interpolation, numpy's default), ``(len(probs), columns)``."""
    m = ordered.shape[0]
    out = []
    for p in probs:
        position = p * (m - 1)
        low = int(np.floor(position))
        high = min(low + 1, m - 1)
        frac = position - low
        out.append(ordered[low] * (1.0 - frac) + ordered[high] * frac)
    return np.asarray(out, dtype=np.float64)


def interval_hits(ordered: np.ndarray, observed: np.ndarray, level: float) -> np.ndarray:
    """Whether each observation lies in the central ``level`` interval of its samples."""
    low, high = quantiles_sorted(ordered, [(1.0 - level) / 2.0, (1.0 + level) / 2.0])
    return (observed >= low) & (observed <= high)


def pit_values(ordered: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Probability integral transform: the share of samples below each observation (ties count half).

    A calibrated forecast gives PIT values uniform on [0, 1] (Dawid 1984).

    References
    ----------
    Dawid, A. P. 1984. Statistical theory: the prequential approach. *Journal
    of the Royal Statistical Society A* 147(2): 278-292.
    """
    m = ordered.shape[0]
    below = np.array([np.searchsorted(ordered[:, j], observed[j], side="left") for j in range(ordered.shape[1])])
    upto = np.array([np.searchsorted(ordered[:, j], observed[j], side="right") for j in range(ordered.shape[1])])
    return (below + upto) / (2.0 * m)


def brier(probs: np.ndarray, outcome: int) -> float:
    """Brier score of category probabilities ``probs`` when category ``outcome`` happened.

    Notes
    -----
    :math:`\\sum_k (p_k - o_k)^2` with :math:`o_k = 1` for the outcome (Brier
    1950); 0 is perfect, 2 the worst.  A binary event is the two categories
    (not, yes), giving twice the one-probability form :math:`(p - o)^2`; this
    module reports the binary form for binary events (:func:`brier_binary`).

    References
    ----------
    Brier, G. W. 1950. Verification of forecasts expressed in terms of
    probability. *Monthly Weather Review* 78(1): 1-3.
    """
    target = np.zeros(len(probs))
    target[outcome] = 1.0
    return float(np.sum((np.asarray(probs, float) - target) ** 2))


def brier_binary(p: float, happened: bool) -> float:
    """:math:`(p - o)^2` for a binary event."""
    return float((p - float(happened)) ** 2)


def log_score(p_of_outcome: float) -> float:
    """:math:`-\\log p` of the outcome's probability, floored at :data:`LOG_FLOOR` (lower is better)."""
    return float(-np.log(max(float(p_of_outcome), LOG_FLOOR)))
