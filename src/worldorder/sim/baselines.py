"""Naive forecasts a projection must beat: no change, a random walk with drift, a block bootstrap."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.nanstats import column_moments
from worldorder.sim.calibration import GrowthModel
from worldorder.sim.inputs import SimulationError, wide_table

#: Years of growth the random walk's drift and volatility are taken from.
DRIFT_YEARS = 10
#: Years per block of the block bootstrap.
BOOTSTRAP_BLOCK = 5


def _growth(history: pd.DataFrame, value: str, codes: np.ndarray, first: int, last: int) -> np.ndarray:
    """Annual log growth ``(years, states)`` of ``codes`` in ``first..last``, NaN across level breaks."""
    from worldorder.successions import comparable_growth

    wide = wide_table(history, value).reindex(index=np.arange(first - 1, last + 1), columns=codes)
    growth = np.log(wide).diff().iloc[1:]
    code_grid, year_grid = np.meshgrid(codes.astype(np.int64), growth.index.to_numpy(np.int64))
    ok = comparable_growth(code_grid.ravel(), year_grid.ravel()).reshape(code_grid.shape)
    return growth.where(ok).to_numpy(float)


def random_walk(history: pd.DataFrame, value: str, codes, base: np.ndarray, origin: int, years: int = DRIFT_YEARS) -> GrowthModel:
    """A random walk with drift for each state: mean and s.d. of its log growth over the last ``years`` years.

    States with fewer than 3 growth years in that span get the median drift
    and volatility of the others.  States are independent.

    Notes
    -----
    :math:`\\log x_{i,t} = \\log x_{i,t-1} + \\bar g_i + s_i e_{it}`, with
    :math:`\\bar g_i` and :math:`s_i` the mean and standard deviation of
    state :math:`i`'s annual log growth in the ``years`` years to the origin.
    """
    codes = np.asarray(codes, dtype=np.int64)
    g = _growth(history, value, codes, origin - years + 1, origin)
    nobs = np.isfinite(g).sum(axis=0)
    mean, variance = column_moments(g)
    mean, sd = np.where(nobs >= 3, mean, np.nan), np.where(nobs >= 3, np.sqrt(variance), np.nan)
    ok = (nobs >= 3) & np.isfinite(sd) & (sd > 0)
    if not ok.any():
        raise SimulationError(f"No state has 3 growth years in the {years} years to {origin}; a random walk needs them.")
    mean = np.where(ok, mean, np.median(mean[ok]))
    sd = np.where(ok, sd, np.median(sd[ok]))
    n = len(codes)
    return GrowthModel(
        ccode=codes, base_year=int(origin), base=np.asarray(base, float), mu=mean, sigma=sd,
        loadings=np.zeros((n, 0)), idio=np.ones(n), factors=(), value=value,
        window=(origin - years + 1, origin), correlation="none", raw_mean=mean, raw_sd=sd,
        nobs=nobs.astype(np.int64), shrink_mean=np.zeros(n), shrink_sd=np.zeros(n),
        group_mean=float(np.median(mean)), group_sd=float(np.median(sd)),
    )


def bootstrap_shares(
    history: pd.DataFrame,
    value: str,
    codes,
    base: np.ndarray,
    origin: int,
    steps: list[int],
    paths: int,
    seed: int,
    window: int = 30,
    block: int = BOOTSTRAP_BLOCK,
) -> np.ndarray:
    """Shares at ``origin + steps`` from a block bootstrap of the historical growth vectors.

    Each path strings together blocks of ``block`` consecutive years drawn at
    random from the ``window`` years to the origin; each year applies that
    year's growth of every state at once, so the cross-section of shocks
    (their correlation, their fat tails) is kept as it was.  A state without
    growth in a drawn year takes that year's median growth across states.

    Returns
    -------
    numpy.ndarray
        ``(len(steps), paths, states)`` float32 shares.

    References
    ----------
    Künsch, H. R. 1989. The jackknife and the bootstrap for general stationary
    observations. *Annals of Statistics* 17(3): 1217-1241.
    """
    codes = np.asarray(codes, dtype=np.int64)
    g = _growth(history, value, codes, origin - window + 1, origin)
    rows = np.isfinite(g).any(axis=1)
    g = g[rows]
    if len(g) < 2:
        raise SimulationError(f"Fewer than 2 years of growth in the {window} years to {origin}; the bootstrap needs more.")
    median = np.nanmedian(g, axis=1, keepdims=True)  # every row kept has a value
    g = np.where(np.isfinite(g), g, median).astype(np.float32)
    rng = np.random.Generator(np.random.SFC64(np.random.SeedSequence(seed)))
    years = max(steps)
    size = min(block, len(g))
    starts = rng.integers(0, len(g) - size + 1, size=(paths, -(-years // size)))
    index = (starts[:, :, None] + np.arange(size)[None, None, :]).reshape(paths, -1)[:, :years]
    logx = np.tile(np.log(np.asarray(base, np.float64) / np.sum(base)).astype(np.float32), (paths, 1))
    out = np.empty((len(steps), paths, len(codes)), np.float32)
    for t in range(1, years + 1):
        logx += g[index[:, t - 1]]
        if t in steps:
            level = np.exp(logx - logx.max(axis=1, keepdims=True))
            out[steps.index(t)] = level / level.sum(axis=1, keepdims=True)
    return out
