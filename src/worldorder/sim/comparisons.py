"""Whether the projection beats a baseline by more than chance: paired score differences across backtest origins.

A pooled score can be lower than a baseline's by luck when there are only a
handful of origins.  For each measure, horizon and metric, the per-origin
differences :math:`d_t = S_t^{\\text{model}} - S_t^{\\text{baseline}}` are tested
for a mean of zero (Diebold & Mariano 1995).  Forecasts from origins closer
together than the horizon share outcome years, so the differences are
autocorrelated; their variance is estimated with Newey-West weights over the
overlapping lags, and the statistic carries the small-sample correction of
Harvey, Leybourne & Newbold (1997).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from worldorder.sim.origins import BacktestError

#: Metrics compared by default: lower is better for all of them.
COMPARED = ("crps_share", "crps_con", "crps_enp", "brier_label", "log_label", "brier_ahead", "log_ahead")


def overlap_lags(horizon: int, spacing: int) -> int:
    """Lags at which forecasts ``spacing`` years apart share outcome years: :math:`\\lceil h/s \\rceil - 1`."""
    return max(0, math.ceil(int(horizon) / max(int(spacing), 1)) - 1)


def diebold_mariano(differences, lags: int) -> dict:
    """Test that the mean of paired score differences is zero.

    Notes
    -----
    With :math:`n` differences, mean :math:`\\bar d` and autocovariances
    :math:`\\hat\\gamma_k = \\frac1n \\sum_{t>k} (d_t - \\bar d)(d_{t-k} - \\bar d)`,

    .. math:: \\widehat{\\mathrm{Var}}(\\bar d) = \\frac1n \\Big(\\hat\\gamma_0
              + 2 \\sum_{k=1}^{L} \\big(1 - \\tfrac{k}{L+1}\\big) \\hat\\gamma_k\\Big)

    (Newey & West 1987, :math:`L` = ``lags``), :math:`DM = \\bar d /
    \\sqrt{\\widehat{\\mathrm{Var}}}` scaled by the factor
    :math:`\\sqrt{(n + 1 - 2h + h(h-1)/n)/n}` with :math:`h = L + 1` (Harvey et
    al. 1997), and a two-sided p-value from Student's t with :math:`n - 1`
    degrees of freedom.  ``statistic`` and ``p_value`` are NaN when the
    differences have no spread, when :math:`n < 3`, or when the correction
    factor is not positive (too few origins for the overlap).

    Returns
    -------
    dict
        ``n, difference`` (the mean), ``se, statistic, p_value``.

    References
    ----------
    Diebold, F. X. & Mariano, R. S. 1995. Comparing predictive accuracy.
    *Journal of Business & Economic Statistics* 13(3): 253-263.
    Harvey, D., Leybourne, S. & Newbold, P. 1997. Testing the equality of
    prediction mean squared errors. *International Journal of Forecasting*
    13(2): 281-291.
    Newey, W. K. & West, K. D. 1987. A simple, positive semi-definite,
    heteroskedasticity and autocorrelation consistent covariance matrix.
    *Econometrica* 55(3): 703-708.
    """
    from scipy import stats

    d = np.asarray(differences, dtype=float)
    d = d[np.isfinite(d)]
    n = len(d)
    out = {"n": n, "difference": float(d.mean()) if n else math.nan, "se": math.nan, "statistic": math.nan, "p_value": math.nan}
    if n < 3:
        return out
    lags = min(int(lags), n - 1)
    centred = d - d.mean()
    gamma = [float(centred[k:] @ centred[: n - k]) / n for k in range(lags + 1)]
    variance = (gamma[0] + 2.0 * sum((1.0 - k / (lags + 1)) * gamma[k] for k in range(1, lags + 1))) / n
    steps = lags + 1
    factor = (n + 1 - 2 * steps + steps * (steps - 1) / n) / n
    out["se"] = math.sqrt(variance) if variance > 0 else 0.0
    if variance <= 0 or factor <= 0:
        return out
    statistic = out["difference"] / out["se"] * math.sqrt(factor)
    out["statistic"] = statistic
    out["p_value"] = float(2.0 * stats.t.sf(abs(statistic), df=n - 1))
    return out


def format_p_value(p) -> str:
    """A p-value as text: ``"p < 0.001"``, ``"p = 0.004"``, ``"p = 0.20"``; ``"p -"`` where none was computed."""
    if p is None or p != p:
        return "p -"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def compare_forecasters(scores: pd.DataFrame, origins, metrics=COMPARED, model: str = "worldorder") -> pd.DataFrame:
    """Per measure, horizon, metric and baseline: the model's mean score minus the baseline's, and its test.

    ``scores`` is a backtest's tidy score table (per-origin rows are used,
    pooled rows ignored); ``origins`` the backtest's origin years, whose
    smallest spacing sets the overlap of each horizon (:func:`overlap_lags`).
    Each origin's difference is weighted by its number of scored states
    over their mean (:math:`d_t n_t / \\bar n`), so that ``difference`` is the
    difference of the pooled scores.  A negative ``difference`` means the
    model scored better (lower).

    Returns
    -------
    pandas.DataFrame
        ``measure, horizon, metric, baseline, n, difference, se, statistic,
        p_value, lags`` (see :func:`diebold_mariano`).

    Raises
    ------
    BacktestError
        For a metric the scores do not hold (``metrics`` may be one name or several).
    """
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    available = sorted(set(scores["metric"]))
    unknown = [m for m in metrics if m not in available]
    if unknown or not metrics:
        raise BacktestError(f"No scores for the metric(s) {', '.join(map(repr, unknown)) or '(none given)'}; "
                            f"a backtest scores {', '.join(available)}.")
    years = sorted({int(y) for y in origins})
    spacing = int(np.diff(years).min()) if len(years) > 1 else 1
    per_origin = scores[scores["origin"].notna() & scores["metric"].isin(metrics)]
    keys = ["measure", "horizon", "metric", "origin"]
    wide = per_origin.pivot_table(index=keys, columns="forecaster", values="value", sort=True)
    counts = per_origin[per_origin["forecaster"] == model].set_index(keys)["n"].reindex(wide.index).to_numpy(float)
    rows = []
    for (measure, horizon, metric), block in wide.groupby(level=["measure", "horizon", "metric"], sort=True):
        lags = overlap_lags(horizon, spacing)
        n = counts[wide.index.get_locs([measure, horizon, metric])]
        weight = n / n.mean()  # origins weighted by their scored states, as in the pooled score
        for baseline in [f for f in block.columns if f != model]:
            test = diebold_mariano(weight * (block[model] - block[baseline]).to_numpy(), lags)
            rows.append({"measure": measure, "horizon": int(horizon), "metric": metric, "baseline": baseline, **test, "lags": lags})
    columns = ["measure", "horizon", "metric", "baseline", "n", "difference", "se", "statistic", "p_value", "lags"]
    return pd.DataFrame(rows, columns=columns)
