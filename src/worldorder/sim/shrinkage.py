"""The estimators behind calibration: empirical-Bayes shrinkage, drift instability, correlation factors."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.nanstats import column_moments
from worldorder.sim.inputs import SimulationError, region_of


def eb_shrink(estimate: np.ndarray, variance: np.ndarray, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Empirical-Bayes (Morris 1983) shrinkage of ``estimate`` toward a precision-weighted group mean.

    Returns the shrunk values, the shrinkage factor B (0 = kept, 1 = replaced
    by the group mean) and the group mean.  Unusable entries get B = 1.
    """
    est = estimate[usable]
    var = variance[usable]
    if len(est) == 0:
        raise SimulationError("No state has enough history to calibrate growth; widen the calibration years.")
    tau2 = max(0.0, float(np.var(est, ddof=1) if len(est) > 1 else 0.0) - float(np.mean(var)))
    for _ in range(50):  # the group mean and tau^2 depend on each other: iterate (Morris 1983, eq. 3.3)
        weight = 1.0 / (tau2 + var)
        grand = float(np.sum(weight * est) / np.sum(weight))
        k = len(est)
        new_tau2 = max(0.0, float(np.sum(weight * ((est - grand) ** 2 * k / max(k - 1, 1) - var)) / np.sum(weight)))
        if abs(new_tau2 - tau2) <= 1e-12 * max(1.0, tau2):
            tau2 = new_tau2
            break
        tau2 = new_tau2
    weight = 1.0 / (tau2 + var)
    grand = float(np.sum(weight * est) / np.sum(weight))
    factor = np.ones(len(estimate))
    factor[usable] = var / (tau2 + var) if tau2 > 0 else 1.0
    shrunk = np.full(len(estimate), grand)
    shrunk[usable] = grand + (1.0 - factor[usable]) * (est - grand)
    return shrunk, factor, grand


def instability(g: np.ndarray, var: np.ndarray, usable: np.ndarray, decade: int = 10) -> float:
    """Pooled variance of decade means of growth around each state's mean, beyond sampling noise."""
    decades = [g[start : start + decade] for start in range(0, len(g) - decade + 1, decade)]
    if len(decades) < 2:
        return 0.0
    full = np.array([_mean_where_enough(d, decade // 2) for d in decades])
    keep = usable & np.isfinite(full).all(axis=0)
    if not keep.any():
        return 0.0
    excess = np.var(full[:, keep], axis=0, ddof=1) - var[keep] / decade
    return float(max(0.0, np.mean(excess)))


def _mean_where_enough(block: np.ndarray, least: int) -> np.ndarray:
    """Column means of ``block`` over its finite entries, NaN where fewer than ``least``."""
    return np.where(np.isfinite(block).sum(axis=0) >= max(least, 1), column_moments(block)[0], np.nan)


def growth_regression(
    history: np.ndarray, levels: np.ndarray, window: int, ahead: int = 10, decades: int = 3, min_obs: int = 10
) -> tuple[np.ndarray | None, int]:
    """Forecast regression of a decade's mean growth on the past window's mean and on size, fitted on history.

    ``history`` is years x states of annual log growth up to the base year;
    ``levels`` the values at the start of each of those years (same shape).
    For each of the ``decades`` latest non-overlapping spans of ``ahead``
    years that end by the base year, every state with ``min_obs`` growth
    years in the ``window`` years before the span and ``ahead // 2`` in it
    gives a pair; OLS over the pooled pairs fits

    .. math:: \\bar g_{i,\\text{next}} = a + \\rho\\, \\bar g_{i,\\text{window}} + \\beta \\log s_i + e_i

    with :math:`s_i` the state's share of the total at the span's start.
    Returns ``(a, rho, beta)`` and the number of pairs (``None`` and the
    count when fewer than 30 pairs can be formed).  Growth persists only
    partly from one decade to the next (Easterly et al. 1993; Pritchett &
    Summers 2014): :math:`\\rho` measures how much, from the past alone.
    """
    rows, targets = [], []
    years = history.shape[0]
    for k in range(decades):
        end = years - k * ahead
        first = end - ahead - window
        if first < 0:
            break
        past = _mean_where_enough(history[first : end - ahead], min_obs)
        future = _mean_where_enough(history[end - ahead : end], ahead // 2)
        start = levels[end - ahead]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.log(start / np.nansum(start))
        keep = np.isfinite(past) & np.isfinite(future) & np.isfinite(share)
        rows.append(np.column_stack([np.ones(int(keep.sum())), past[keep], share[keep]]))
        targets.append(future[keep])
    pairs = int(sum(len(t) for t in targets))
    if pairs < 30:
        return None, pairs
    coef, *_ = np.linalg.lstsq(np.vstack(rows), np.concatenate(targets), rcond=None)
    return coef, pairs


def correlation_structure(g, mean, var, usable, ccode, correlation, factors, min_obs):
    """Factor loadings, idiosyncratic weights and factor names of growth's correlation (see ``calibrate``'s Notes)."""
    n = len(ccode)
    if correlation == "none" or g.shape[0] < 3:
        return np.zeros((n, 0)), np.ones(n), ()
    resid = (g - mean) / np.sqrt(np.where(usable, var, np.nan))
    resid[:, ~usable] = np.nan
    corr = pd.DataFrame(resid).corr(min_periods=min_obs).to_numpy()
    if correlation == "region":
        region = region_of(ccode)
        regions = list(dict.fromkeys(region))
        same = region[:, None] == region[None, :]
        off = ~np.eye(n, dtype=bool) & np.isfinite(corr)
        between = corr[off & ~same]
        rho0 = float(np.clip(np.mean(between), 0.0, 0.95)) if between.size else 0.0
        names = ["world"] + regions
        loadings = np.zeros((n, len(names)))
        loadings[:, 0] = np.sqrt(rho0)
        idio = np.empty(n)
        for k, name in enumerate(regions):
            inside = region == name
            within = corr[off & same & inside[:, None] & inside[None, :]]
            rho = float(np.mean(within)) if within.size else rho0
            rho = float(np.clip(rho, rho0, 0.95))
            loadings[inside, k + 1] = np.sqrt(rho - rho0)
            idio[inside] = np.sqrt(1.0 - rho)
        return loadings, idio, tuple(names)
    # principal-component factors of the pairwise-complete correlation matrix
    k = int(factors)
    if k < 1:
        raise SimulationError("factors must be 1 or more for correlation='factor'.")
    filled = np.where(np.isfinite(corr), corr, 0.0)
    np.fill_diagonal(filled, 1.0)
    values, vectors = np.linalg.eigh((filled + filled.T) / 2.0)
    order = np.argsort(values)[::-1][:k]
    loadings = vectors[:, order] * np.sqrt(np.clip(values[order], 0.0, None))
    loadings *= np.sign(loadings.sum(axis=0) + 1e-300)  # a deterministic sign: mostly positive loadings
    loadings[~usable] = 0.0
    communality = np.sum(loadings**2, axis=1)
    scale = np.where(communality > 0.95, np.sqrt(0.95 / np.maximum(communality, 1e-300)), 1.0)
    loadings *= scale[:, None]
    idio = np.sqrt(1.0 - np.sum(loadings**2, axis=1))
    return loadings, idio, tuple(f"pc{j + 1}" for j in range(k))
