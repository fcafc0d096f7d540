"""Calibration of the projection: a correlated log-growth process per state, from history."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.nanstats import column_moments
from worldorder.sim.inputs import SimulationError, value_column, wide_table
from worldorder.sim.shrinkage import correlation_structure, eb_shrink, growth_regression, instability

#: Years of growth in the default calibration window, up to the base year (the one default; see calibrate).
DEFAULT_WINDOW = 20


@dataclass(frozen=True)
class GrowthModel:
    """A calibrated growth process for the power of ``len(ccode)`` states.

    Annual log growth of state ``i`` in year ``t``:
    ``mu[i] + sigma[i] * (loadings[i] @ f_t + idio[i] * e_it)`` with ``f_t`` and
    ``e_it`` independent standard normal.  See :func:`calibrate`.
    """

    ccode: np.ndarray
    base_year: int
    base: np.ndarray
    mu: np.ndarray
    sigma: np.ndarray
    loadings: np.ndarray
    idio: np.ndarray
    factors: tuple[str, ...]
    value: str
    window: tuple[int, int]
    correlation: str
    raw_mean: np.ndarray
    raw_sd: np.ndarray
    nobs: np.ndarray
    shrink_mean: np.ndarray
    shrink_sd: np.ndarray
    group_mean: float
    group_sd: float
    mu_se: np.ndarray | None = None
    base_sd: np.ndarray | None = None
    trend: np.ndarray | None = None
    shock_df: float = 0.0
    drift_fit: dict | None = None

    def drift(self, years: int) -> np.ndarray:
        """Mean log growth of each state in each of the next ``years`` years, ``(years, n)``.

        ``mu`` every year, unless a ``trend`` (such as convergence,
        :mod:`worldorder.sim.trajectories`) gives a path; its last row is held after its end.
        """
        if self.trend is None:
            return np.tile(self.mu, (years, 1))
        rows = np.minimum(np.arange(years), len(self.trend) - 1)
        return np.asarray(self.trend, float)[rows]

    @property
    def n_states(self) -> int:
        return len(self.ccode)

    def __repr__(self) -> str:
        from worldorder.display import text

        return text(self)

    def _repr_html_(self) -> str:
        from worldorder.display import html_table

        return html_table(self)

    def table(self) -> pd.DataFrame:
        """One row per state: base value and share, raw and shrunk growth mean and volatility."""
        share = self.base / self.base.sum()
        frame = pd.DataFrame(
            {
                "ccode": self.ccode,
                "base": self.base,
                "base_share": share,
                "nobs": self.nobs,
                "raw_mean": self.raw_mean,
                "raw_sd": self.raw_sd,
                "mean": self.mu,
                "sd": self.sigma,
                "shrinkage_mean": self.shrink_mean,
                "shrinkage_sd": self.shrink_sd,
                "idiosyncratic": self.idio,
            }
        )
        for k, name in enumerate(self.factors):
            frame[f"loading_{name}"] = self.loadings[:, k]
        return frame

    def correlation_matrix(self) -> np.ndarray:
        """The correlation of annual growth across states implied by the model."""
        corr = self.loadings @ self.loadings.T
        np.fill_diagonal(corr, 1.0)
        return corr


def calibrate(
    power: pd.DataFrame,
    value: str | None = None,
    years: tuple[int, int] | None = None,
    base_year: int | None = None,
    window: int = DEFAULT_WINDOW,
    shrink: bool = True,
    correlation: str = "region",
    factors: int = 2,
    min_obs: int = 10,
    clip: float = 0.5,
    successions: bool = True,
    parameter_uncertainty: bool = True,
    drift_instability: bool = True,
    shock_df: float = 0.0,
    measurement: bool = False,
    drift: str = "regression",
) -> GrowthModel:
    """Calibrate a correlated log-growth process for each state from history.

    Parameters
    ----------
    power : pandas.DataFrame
        A state-year table ``ccode, year, <value>`` (GDP, CINC, military
        spending ...).  Missing and non-positive values are ignored.
    value : str, optional
        The value column; found by itself when the table has one numeric
        column besides ``ccode`` and ``year``.
    years : (int, int), optional
        Calibration window (first, last year of growth); default the
        ``window`` years up to the base year.
    window : int
        Years of growth in the default calibration window (20: better than
        30 in the backtests of origins 1960-2000, docs/simulation.md).
    base_year : int, optional
        The year the projection starts from; default the latest year in which
        at least 90% of the largest yearly count of states have a value.
        States without a value in the base year are left out.
    shrink : bool
        Shrink each state's mean and volatility toward the group (empirical
        Bayes); if False, raw estimates are used (states with fewer than
        ``min_obs`` growth years still get the group values).
    correlation : {"region", "factor", "none"}
        ``"region"``: one world factor and one factor per COW region, with
        loadings from the average correlations between and within regions;
        ``"factor"``: the first ``factors`` principal components of the
        correlation matrix of growth; ``"none"``: independent states.
    factors : int
        Number of principal components for ``correlation="factor"``.
    min_obs : int
        Growth years a state needs for its own estimates (and pairs of states
        for their correlation).
    clip : float
        Annual log growth is clipped to ``[-clip, clip]`` before estimation so
        that a war or a re-basing of a series does not dominate the volatility
        (0.5 is a change by a factor of 1.65); ``None`` keeps it as it is.
    successions : bool
        Leave out the growth across a level break of a COW state (a succession,
        unification or secession: :func:`worldorder.successions.comparable_growth`),
        so that the USSR's end is not read as Russia's growth.
    parameter_uncertainty : bool
        Give each simulated path its own drift, drawn from the posterior of the
        state's mean growth (standard error :math:`\\sqrt{(1-B_i)\\, s_i^2/n_i}`
        around the shrunk mean) instead of the point estimate.
    drift_instability : bool
        With ``parameter_uncertainty``, also let each path's drift differ
        from the past mean by how much states' decade means moved around
        their window means in history (pooled across states, see Notes).
    measurement : bool
        Where the table has the source's standard deviation of each value
        (a column ``<value>_sd``, as Fariss et al. publish), start every path
        from its own draw of the base-year values: log-normal with the
        published mean and standard deviation, independent across states.
        Off by default: with Fariss et al.'s SDs it made the intervals far
        too wide in the backtest (docs/simulation.md).
    shock_df : float
        0 for normal shocks; a value above 2 draws Student-t shocks with that
        many degrees of freedom, scaled to the same volatility (fat tails).
    drift : {"regression", "own"}
        Each state's mean growth ahead.  ``"regression"`` (default): the
        forecast of a regression, fitted on the three decades before the
        base year, of a decade's mean growth on the mean of the window
        before it and on the state's log share (see Notes); it falls back
        to ``"own"`` when fewer than 30 state-decades can be formed.
        ``"own"``: the state's own window mean, shrunk toward the group.
        ``shrink=False`` uses the raw means instead of either.

    Returns
    -------
    GrowthModel

    Notes
    -----
    Annual log growth of state :math:`i` is :math:`g_{it} = \\log x_{it} -
    \\log x_{i,t-1}` over consecutive years with both values.  From the
    :math:`n_i` observations in the window, the raw mean :math:`m_i` and
    variance :math:`s_i^2`.

    *Means.* :math:`m_i \\sim N(\\mu_i, s_i^2/n_i)` and :math:`\\mu_i \\sim
    N(M, \\tau^2)`.  :math:`M` and :math:`\\tau^2` are estimated by Morris's
    (1983) moment iteration and each mean is shrunk toward :math:`M`:
    :math:`\\hat\\mu_i = M + (1 - B_i)(m_i - M)` with :math:`B_i = (s_i^2/n_i)
    / (s_i^2/n_i + \\hat\\tau^2)` -- the empirical-Bayes form of the
    James-Stein estimator (Efron & Morris 1973).

    *Volatilities.* The same shrinkage on :math:`\\ell_i = \\log s_i^2 +
    1/(n_i-1)` (the bias-corrected log variance, with sampling variance
    :math:`2/(n_i-1)`); :math:`\\hat\\sigma_i = \\exp(\\hat\\ell_i/2)`.

    *Correlation.* Standardized residuals :math:`(g_{it} - m_i)/s_i` give a
    pairwise-complete correlation matrix.  Under ``"region"``, with
    :math:`\\bar\\rho_0` the mean correlation of pairs in different regions and
    :math:`\\bar\\rho_r` of pairs within region :math:`r` (clipped so that
    :math:`0 \\le \\bar\\rho_0 \\le \\bar\\rho_r < 1`), the standardized
    shock is :math:`z_{it} = \\sqrt{\\bar\\rho_0} f^0_t + \\sqrt{\\bar\\rho_r -
    \\bar\\rho_0} f^r_t + \\sqrt{1-\\bar\\rho_r} e_{it}`, which reproduces
    those average correlations.  Under ``"factor"`` the loadings are the first
    eigenvectors scaled by the square roots of their eigenvalues, communality
    capped at 0.95.

    *Drift.* With ``drift="regression"``, for each of the three latest
    decades ending by the base year and each state with history, the
    decade's mean growth :math:`\\bar g_{i,\\text{next}}` is paired with the
    mean :math:`\\bar g_{i,\\text{window}}` of the ``window`` years before it and
    the log share :math:`\\log s_i` at the decade's start, and OLS fits
    :math:`\\bar g_{i,\\text{next}} = a + \\rho\\,\\bar g_{i,\\text{window}} +
    \\beta \\log s_i`.  The drift is then :math:`\\mu_i = a + \\rho\\, m_i +
    \\beta \\log s_i` (the group mean :math:`M` for :math:`m_i` where a state
    lacks ``min_obs`` years): growth regresses toward the mean as far as it
    did before the base year (:math:`\\rho` of 0.14-0.49 for GDP at the
    origins 1970-2000), and large states' shares of a share-like measure such as CINC
    erode as they did (:math:`\\beta < 0`).  Only years up to the base year
    enter.

    *Parameter uncertainty.* Each path draws its own drift
    :math:`\\mu_i + u_i`, :math:`u_i \\sim N(0, (1-B_i)s_i^2/n_i + \\delta^2)`:
    the posterior variance of the shrunk mean, plus with ``drift_instability``
    the pooled instability :math:`\\delta^2 = \\overline{\\mathrm{var}_k(m_{ik})
    - s_i^2/10}` of the means :math:`m_{ik}` of the decades :math:`k` of the
    window (floored at 0): how far a decade's mean growth strays from the
    window's beyond what the shocks explain.

    References
    ----------
    Easterly, W., Kremer, M., Pritchett, L. & Summers, L. H. 1993. Good policy
    or good luck? Country growth performance and temporary shocks. *Journal of
    Monetary Economics* 32(3): 459-483.
    Efron, B. & Morris, C. 1973. Stein's estimation rule and its competitors --
    an empirical Bayes approach. *Journal of the American Statistical
    Association* 68(341): 117-130.
    Morris, C. N. 1983. Parametric empirical Bayes inference: theory and
    applications. *Journal of the American Statistical Association* 78(381):
    47-55.
    Pritchett, L. & Summers, L. H. 2014. Asiaphoria meets regression to the
    mean. NBER Working Paper 20573.
    """
    if correlation not in ("region", "factor", "none"):
        raise SimulationError(f"correlation must be 'region', 'factor' or 'none', not {correlation!r}.")
    if drift not in ("regression", "own"):
        raise SimulationError(f"drift must be 'regression' or 'own', not {drift!r}.")
    value = value_column(power, value)
    wide = wide_table(power, value)
    if wide.empty:
        raise SimulationError(f"The power table has no positive values in {value!r}.")
    counts = wide.notna().sum(axis=1)
    if base_year is None:
        base_year = int(counts.index[counts >= 0.9 * counts.max()].max())
    elif base_year not in wide.index:
        raise SimulationError(f"The power table has no values in the base year {base_year}.")
    present = wide.loc[base_year].dropna()
    if len(present) < 2:
        raise SimulationError(f"Only {len(present)} state(s) have a value in {base_year}; a projection needs two or more.")
    ccode = present.index.to_numpy(np.int64)
    base = present.to_numpy(float)

    full_years = np.arange(int(wide.index.min()), base_year + 1)
    logs = np.log(wide.reindex(index=full_years, columns=ccode))
    growth = logs.diff().iloc[1:]
    if successions:
        from worldorder.successions import comparable_growth

        codes, years_ = np.meshgrid(growth.columns.to_numpy(np.int64), growth.index.to_numpy(np.int64))
        growth = growth.where(comparable_growth(codes.ravel(), years_.ravel()).reshape(codes.shape))
    first, last = years if years is not None else (base_year - window + 1, base_year)
    before = growth.index <= last
    past = growth.loc[before]
    growth = growth.loc[(growth.index >= first) & (growth.index <= last)]
    if clip is not None:
        growth = growth.clip(-clip, clip)
        past = past.clip(-clip, clip)
    g = growth.to_numpy(float)
    nobs = np.isfinite(g).sum(axis=0)
    raw_mean, raw_var = column_moments(g)
    usable = (nobs >= max(min_obs, 3)) & np.isfinite(raw_var) & (raw_var > 0)
    if not usable.any():
        raise SimulationError(
            f"No state has {min_obs} or more growth years in {first}-{last}; widen the calibration years (years=; CLI --calibration-years) or lower min_obs=."
        )
    n_safe = np.maximum(nobs, 2).astype(float)
    mean_var = np.where(usable, raw_var / n_safe, 1.0)
    log_var = np.where(usable, np.log(np.where(usable, raw_var, 1.0)) + 1.0 / (n_safe - 1.0), 0.0)
    log_var_var = 2.0 / (n_safe - 1.0)
    mu_shrunk, b_mean, grand_mean = eb_shrink(np.where(usable, raw_mean, 0.0), mean_var, usable)
    lv_shrunk, b_sd, grand_lv = eb_shrink(log_var, log_var_var, usable)
    if shrink:
        mu, sigma = mu_shrunk, np.exp(lv_shrunk / 2.0)
    else:
        mu = np.where(usable, raw_mean, grand_mean)
        sigma = np.where(usable, np.sqrt(np.where(usable, raw_var, 1.0)), np.exp(grand_lv / 2.0))
        b_mean = np.where(usable, 0.0, 1.0)
        b_sd = b_mean.copy()

    drift_fit = None
    if shrink and drift == "regression":
        levels = wide.reindex(index=full_years, columns=ccode).to_numpy(float)[:-1][before]  # at each growth year's start
        coef, pairs = growth_regression(past.to_numpy(float), levels, last - first + 1, min_obs=min_obs)
        if coef is not None:
            mu = coef[0] + coef[1] * np.where(usable, raw_mean, grand_mean) + coef[2] * np.log(base / base.sum())
            drift_fit = {"intercept": float(coef[0]), "persistence": float(coef[1]), "size": float(coef[2]), "pairs": pairs}

    loadings, idio, names = correlation_structure(g, raw_mean, raw_var, usable, ccode, correlation, factors, min_obs)
    mu_se = None
    if parameter_uncertainty:  # normal-normal posterior: variance (1 - B) v; the prior's tau^2 without own data
        kept = usable & (b_mean < 1.0)
        tau2 = float(np.median(mean_var[kept] * (1.0 - b_mean[kept]) / b_mean[kept])) if kept.any() and (b_mean[kept] > 0).all() else 0.0
        mu_se = np.sqrt(np.where(usable, (1.0 - b_mean) * mean_var, tau2) + (instability(g, raw_var, usable) if drift_instability else 0.0))
    return GrowthModel(
        ccode=ccode,
        base_year=int(base_year),
        base=base,
        mu=mu,
        sigma=sigma,
        loadings=loadings,
        idio=idio,
        factors=names,
        value=value,
        window=(int(first), int(last)),
        correlation=correlation,
        raw_mean=np.where(nobs >= 1, raw_mean, np.nan),
        raw_sd=np.sqrt(raw_var),
        nobs=nobs.astype(np.int64),
        shrink_mean=b_mean,
        shrink_sd=b_sd,
        group_mean=grand_mean,
        group_sd=float(np.exp(grand_lv / 2.0)),
        mu_se=mu_se,
        shock_df=float(shock_df),
        base_sd=_base_sd(power, value, base_year, ccode, base) if measurement else None,
        drift_fit=drift_fit,
    )


def _base_sd(power: pd.DataFrame, value: str, base_year: int, ccode: np.ndarray, base: np.ndarray) -> np.ndarray | None:
    """Log-scale sd of each base value, :math:`\\sqrt{\\log(1 + (sd/x)^2)}`, from a ``<value>_sd`` column (else None)."""
    column = f"{value}_sd"
    if column not in power.columns:
        return None
    rows = power[power["year"] == base_year].drop_duplicates("ccode").set_index("ccode")[column]
    sd = pd.to_numeric(rows.reindex(ccode), errors="coerce").to_numpy(float)
    return np.sqrt(np.log1p(np.where(np.isfinite(sd) & (sd > 0), sd / base, 0.0) ** 2))
