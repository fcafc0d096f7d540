"""Development trajectories: beta- and sigma-convergence of GDP per capita, gaps to the frontier, catch-up.

:func:`convergence` describes history; :func:`convergence_trend` turns the
same regression into the expected growth paths of a projection's GDP model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.sim.calibration import GrowthModel
from worldorder.sim.inputs import SimulationError, region_of

#: A state counts toward the frontier only with at least this many people (thousands), so that
#: small oil states do not set it.
FRONTIER_MIN_POP = 10_000
#: Years of the recent rate at which a gap to the frontier is closing.
RECENT_YEARS = 10


@dataclass
class Convergence:
    """Results of :func:`convergence`.

    Attributes
    ----------
    beta : pandas.DataFrame
        ``group, beta, se, ci_low, ci_high, intercept, n, r2, half_life``: OLS of each
        state's mean annual log growth on its initial log level, for all
        states and within each COW region.
    sigma : pandas.DataFrame
        ``year, sigma, n``: standard deviation of log GDP per capita across
        the states with a value in every year of the span.
    gaps : pandas.DataFrame
        ``ccode, year, gdppc, frontier, gap`` with ``gap = log(frontier / gdppc)``.
    closing : pandas.DataFrame
        ``ccode, gap, rate, years_to_close``: the last gap, its mean annual
        change over the last :data:`RECENT_YEARS` years, and the years to close
        it at that rate (missing where the gap is not closing).
    settings : dict
    """

    beta: pd.DataFrame
    sigma: pd.DataFrame
    gaps: pd.DataFrame
    closing: pd.DataFrame
    settings: dict


def _ols(x: np.ndarray, y: np.ndarray) -> dict:
    """Slope, its classical standard error and 95% interval, intercept and R^2 of y on x."""
    from scipy.stats import t

    n = len(x)
    design = np.column_stack([np.ones(n), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    dof = n - 2
    s2 = float(resid @ resid) / dof
    cov = s2 * np.linalg.inv(design.T @ design)
    se = float(np.sqrt(cov[1, 1]))
    half = float(t.ppf(0.975, dof)) * se
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return {"beta": float(coef[1]), "se": se, "ci_low": float(coef[1]) - half, "ci_high": float(coef[1]) + half,
            "intercept": float(coef[0]), "n": n, "r2": r2}


def _pc_wide(table: pd.DataFrame, column: str) -> pd.DataFrame:
    frame = table[["ccode", "year", column]].dropna()
    frame = frame[frame[column] > 0]
    return frame.pivot(index="year", columns="ccode", values=column).sort_index()


def _unbroken(codes, first: int, last: int) -> np.ndarray:
    """Whether each state has no level break (succession) in ``first+1 .. last``."""
    from worldorder.successions import level_breaks

    breaks = level_breaks()
    inside = breaks[(breaks["year"] > first) & (breaks["year"] <= last)]
    return ~np.isin(np.asarray(codes, np.int64), inside["ccode"].to_numpy(np.int64))


def frontier(gdppc: pd.DataFrame, pop: pd.DataFrame) -> pd.Series:
    """The frontier each year: the highest GDP per capita among states of :data:`FRONTIER_MIN_POP` people or more."""
    large = gdppc.where(pop.reindex_like(gdppc) >= FRONTIER_MIN_POP)
    return large.max(axis=1)


def convergence(table: pd.DataFrame, years: tuple[int, int] = (1950, 2018), states=None,
                gdppc: str = "maddison_gdppc", pop: str = "maddison_pop") -> Convergence:
    """Beta- and sigma-convergence of GDP per capita, and each state's gap to the frontier.

    Parameters
    ----------
    table : pandas.DataFrame
        State-years with GDP per capita and population (``create_power_years(["gdp"])``
        gives ``maddison_gdppc`` and ``maddison_pop``).
    years : (int, int)
        First and last year.
    states : list of int, optional
        COW codes whose gaps and closing times are reported (default all).

    Returns
    -------
    Convergence

    Notes
    -----
    *Beta-convergence* (Barro & Sala-i-Martin 1992): over states with a value
    in both years and no level break between them,
    :math:`\\frac{1}{T}\\log(y_{iT}/y_{i0}) = a + \\beta \\log y_{i0} + e_i`,
    OLS with the classical standard error and a 95% t interval; a negative
    :math:`\\beta` means poorer states grew faster.  The half-life of a gap is
    :math:`\\log 2 / b` with :math:`b = -\\log(1 + \\beta T)/T`.
    *Sigma-convergence*: :math:`\\sigma_t = \\mathrm{sd}_i \\log y_{it}` over the
    states present in every year.  *Gap*: :math:`\\log(y_{ft}/y_{it})`, with
    the frontier :math:`y_{ft}` from :func:`frontier`; years to close it at
    the recent rate :math:`r_i` (mean annual change of the gap over the last
    10 years, negative when closing) are :math:`-\\mathrm{gap}_i / r_i`.

    References
    ----------
    Barro, R. J. & Sala-i-Martin, X. 1992. Convergence. *Journal of Political
    Economy* 100(2): 223-251.
    Sala-i-Martin, X. 1996. The classical approach to convergence analysis.
    *Economic Journal* 106(437): 1019-1036.
    """
    first, last = int(years[0]), int(years[1])
    if last - first < 2:
        raise SimulationError(f"Convergence needs a span of 3 or more years, not {first}-{last}.")
    for column in (gdppc, pop):
        if column not in table.columns:
            raise SimulationError(f"The table lacks {column!r}; build it with create_power_years(['gdp']).")
    held = _pc_wide(table, gdppc)
    wide = held.reindex(index=np.arange(first, last + 1))
    people = _pc_wide(table, pop).reindex(index=wide.index)
    if wide.dropna(how="all").empty:
        raise SimulationError(f"No GDP per capita in {first}-{last}.")
    ends = wide.loc[[first, last]].dropna(axis=1)
    codes = ends.columns.to_numpy(np.int64)
    codes = codes[_unbroken(codes, first, last)]
    if len(codes) < 3:
        raise SimulationError(
            f"Only {len(codes)} state(s) have GDP per capita in both {first} and {last}; convergence needs 3 or more. "
            f"GDP per capita covers {int(held.index.min())}-{int(held.index.max())}: choose a first and a last year inside it."
        )
    x = np.log(ends[codes].loc[first].to_numpy(float))
    growth = (np.log(ends[codes].loc[last].to_numpy(float)) - x) / (last - first)
    rows = []
    regions = region_of(codes)
    for group in ["all", *sorted(set(regions))]:
        inside = np.ones(len(codes), bool) if group == "all" else regions == group
        if inside.sum() < 3:
            continue
        fit = _ols(x[inside], growth[inside])
        speed = -np.log1p(fit["beta"] * (last - first)) / (last - first) if fit["beta"] * (last - first) > -1 else np.nan
        rows.append({"group": group, **fit, "half_life": np.log(2) / speed if speed and speed > 0 else np.nan})
    beta = pd.DataFrame(rows)
    balanced = wide.dropna(axis=1)
    sigma = pd.DataFrame({"year": balanced.index, "sigma": np.log(balanced).std(axis=1, ddof=1).to_numpy(), "n": balanced.shape[1]})
    top = frontier(wide, people)
    gap = np.log(wide.rdiv(top, axis=0))
    long = gap.stack().rename("gap").reset_index().rename(columns={"level_1": "ccode"})
    long = long.merge(wide.stack().rename("gdppc").reset_index(), on=["year", "ccode"])
    long["frontier"] = long["year"].map(top)
    gaps = long[["ccode", "year", "gdppc", "frontier", "gap"]].sort_values(["ccode", "year"], ignore_index=True)
    recent = gap.loc[last - RECENT_YEARS : last]
    rate = (recent.iloc[-1] - recent.iloc[0]) / RECENT_YEARS
    closing = pd.DataFrame({"ccode": gap.columns.astype(int), "gap": gap.loc[last].to_numpy(), "rate": rate.to_numpy()})
    closing["years_to_close"] = np.where((closing["rate"] < 0) & (closing["gap"] > 0), -closing["gap"] / closing["rate"], np.nan)
    closing = closing.dropna(subset=["gap"])
    if states is not None:
        wanted = [int(s) for s in states]
        gaps = gaps[gaps["ccode"].isin(wanted)].reset_index(drop=True)
        closing = closing[closing["ccode"].isin(wanted)].reset_index(drop=True)
    settings = {"years": (first, last), "measure": gdppc, "frontier_min_pop": FRONTIER_MIN_POP, "recent_years": RECENT_YEARS}
    return Convergence(beta, sigma, gaps, closing.reset_index(drop=True), settings)


def convergence_trend(model: GrowthModel, known: pd.DataFrame, origin: int, years: int = 80,
                      gdppc: str = "maddison_gdppc", pop: str = "maddison_pop") -> GrowthModel:
    """The GDP model with expected growth paths from conditional convergence (GDP = GDP per capita x population).

    Notes
    -----
    From the rows ``known`` at the origin, over the model's calibration
    window: the cross-state regression of mean per-capita growth on the
    initial log gap to the frontier, :math:`g_i = a + \\beta\\,d_{i0}` with
    :math:`d = \\log(y_i / y_f)` (:func:`convergence`'s OLS); each state's own
    mean per-capita growth :math:`m_i`; its population growth :math:`p_i` over
    the last 10 years.  Expected per-capita growth is shrunk toward the
    regression's prediction with the model's empirical-Bayes weight
    :math:`B_i`, and the gap moves with it:

    .. math:: \\mu^{pc}_{it} = (1 - B_i)\\, m_i + B_i (a + \\beta d_{i,t-1}),
              \\quad d_{it} = d_{i,t-1} + \\mu^{pc}_{it} - a,
              \\quad \\mu_{it} = \\mu^{pc}_{it} + p_i.

    States without per-capita data keep their drift :math:`\\mu_i`.
    """
    first, last = model.window
    wide = _pc_wide(known, gdppc)
    people = _pc_wide(known, pop)
    codes = model.ccode
    y = wide.reindex(index=np.arange(first - 1, last + 1), columns=codes)
    p = people.reindex(index=y.index, columns=codes)
    top = frontier(wide, people).reindex(y.index)
    ok = y.iloc[0].notna() & y.iloc[-1].notna() & _unbroken(codes, first - 1, last)
    span = len(y) - 1
    gap0 = np.log(y.iloc[0] / top.iloc[0])
    own = (np.log(y.iloc[-1]) - np.log(y.iloc[0])) / span
    if ok.sum() < 10 or not np.isfinite(top.iloc[0]):
        return model
    fit = _ols(gap0[ok].to_numpy(float), own[ok].to_numpy(float))
    recent = p.loc[origin - RECENT_YEARS : origin]
    pop_growth = (np.log(recent.iloc[-1]) - np.log(recent.iloc[0])) / RECENT_YEARS
    gap = np.log(y.iloc[-1] / top.iloc[-1]).to_numpy(float)
    usable = (ok & np.isfinite(gap) & pop_growth.notna()).to_numpy()
    weight = np.clip(model.shrink_mean, 0.0, 1.0)
    trend = np.tile(model.mu, (years, 1))
    d = np.where(usable, gap, 0.0)
    m = own.to_numpy(float)
    for t in range(years):
        pc = (1.0 - weight) * m + weight * (fit["intercept"] + fit["beta"] * d)
        trend[t] = np.where(usable, pc + pop_growth.to_numpy(float), model.mu)
        d = np.where(usable, d + pc - fit["intercept"], d)
    from dataclasses import replace

    return replace(model, trend=trend)
