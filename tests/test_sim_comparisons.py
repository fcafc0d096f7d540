"""Paired comparisons of backtest scores (Diebold-Mariano): known answers, statsmodels, real data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from worldorder.sim.backtesting import backtest
from worldorder.sim.comparisons import compare_forecasters, diebold_mariano, format_p_value, overlap_lags


def test_overlap_lags_count_the_shared_outcome_years():
    assert overlap_lags(5, 5) == 0 and overlap_lags(10, 5) == 1 and overlap_lags(20, 5) == 3 and overlap_lags(30, 10) == 2
    assert overlap_lags(3, 5) == 0


def test_dm_without_overlap_is_the_one_sample_t_test():
    """Lag 0: the ddof-0 variance makes DM = t sqrt(n/(n-1)), and the HLN factor sqrt((n-1)/n) undoes it: DM* = t."""
    from scipy import stats

    d = np.array([0.3, -0.1, 0.5, 0.2, 0.4, -0.05, 0.25])
    n = len(d)
    test = diebold_mariano(d, 0)
    t = stats.ttest_1samp(d, 0.0)
    assert test["statistic"] == pytest.approx(t.statistic)
    assert test["p_value"] == pytest.approx(t.pvalue)
    assert test["difference"] == pytest.approx(d.mean()) and test["n"] == n


def test_dm_variance_matches_statsmodels_newey_west():
    """The HAC variance of the mean equals statsmodels' Bartlett-kernel covariance of a regression on a constant."""
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(4)
    d = np.convolve(rng.normal(size=40), [1.0, 0.6, 0.3], mode="valid")  # an MA(2): overlapping forecasts
    for lags in (0, 1, 3):
        fit = sm.OLS(d, np.ones(len(d))).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": False})
        test = diebold_mariano(d, lags)
        assert test["se"] == pytest.approx(float(fit.bse[0]), rel=1e-10)
        n, h = len(d), lags + 1
        factor = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
        assert test["statistic"] == pytest.approx(float(fit.params[0] / fit.bse[0]) * factor, rel=1e-10)


def test_dm_size_under_the_null_and_power_against_a_shift():
    """Independent differences with mean 0 reject at 5% about 5% of the time; a clear shift is found."""
    rng = np.random.default_rng(11)
    rejections = sum(diebold_mariano(rng.normal(size=9), 0)["p_value"] < 0.05 for _ in range(2000))
    assert abs(rejections / 2000 - 0.05) < 0.015
    assert diebold_mariano(rng.normal(-1.0, 0.5, size=20), 1)["p_value"] < 0.001


def test_dm_degenerate_inputs_give_nan_not_errors():
    assert math.isnan(diebold_mariano([0.1, 0.2], 0)["p_value"])  # too few
    flat = diebold_mariano([0.2, 0.2, 0.2, 0.2], 0)
    assert flat["difference"] == pytest.approx(0.2) and flat["se"] == 0.0 and math.isnan(flat["p_value"])
    assert math.isnan(diebold_mariano([0.1, -0.3, 0.2, 0.5], 3)["p_value"])  # the overlap leaves no degrees of freedom
    assert math.isnan(diebold_mariano([np.nan, np.nan], 0)["difference"])
    assert format_p_value(float("nan")) == "p -" and format_p_value(0.0004) == "p < 0.001"
    assert format_p_value(0.004) == "p = 0.004" and format_p_value(0.2) == "p = 0.20"


def test_compare_refuses_metrics_a_backtest_does_not_score(real_backtest):
    from worldorder.sim.origins import BacktestError

    for bad in (["nope"], [], ["crps_share", "brier"]):
        with pytest.raises(BacktestError, match="a backtest scores .*crps_share"):
            real_backtest.compare(bad)
    assert set(real_backtest.compare("crps_share")["metric"]) == {"crps_share"}  # one name is a list of one


def test_compare_forecasters_pairs_origins_and_ignores_pooled_rows():
    origins = [1960, 1965, 1970, 1975, 1980]
    model = [1.0, 2.0, 1.5, 1.0, 2.5]
    base = [2.0, 2.5, 2.0, 2.0, 3.0]
    rows = [{"measure": "gdp", "forecaster": f, "origin": o, "horizon": 10, "metric": "crps_share", "value": v, "n": 3}
            for f, values in (("worldorder", model), ("no_change", base)) for o, v in zip(origins, values)]
    rows += [{"measure": "gdp", "forecaster": "worldorder", "origin": pd.NA, "horizon": 10, "metric": "crps_share", "value": 99.0, "n": 15}]
    scores = pd.DataFrame(rows)
    scores["origin"] = scores["origin"].astype("Int64")
    table = compare_forecasters(scores, origins, ["crps_share"])
    assert len(table) == 1
    row = table.iloc[0]
    assert row["baseline"] == "no_change" and row["lags"] == 1 and row["n"] == 5
    expected = diebold_mariano(np.array(model) - np.array(base), 1)
    assert row["difference"] == pytest.approx(-0.7) and row["p_value"] == pytest.approx(expected["p_value"])


@pytest.fixture(scope="module")
def real_backtest(mirror):
    return backtest("cinc", "1970-2000/10", "10", paths=200, seed=1, workers=2)


def test_real_backtest_comparison_equals_a_paired_t_computed_here(real_backtest):
    """Origins 10 years apart at a 10-year horizon do not overlap: the corrected DM is a t-test of the
    per-origin differences weighted by their states, whose mean is the difference of the pooled scores."""
    from scipy import stats

    scores = real_backtest.scores
    table = real_backtest.compare(["crps_share"]).set_index("baseline")
    crps = scores[scores["metric"] == "crps_share"]
    per_origin = crps[crps["origin"].notna()]
    pooled = crps[crps["origin"].isna()].set_index("forecaster")["value"]
    wide = per_origin.pivot(index="origin", columns="forecaster", values="value")
    states = per_origin[per_origin["forecaster"] == "worldorder"].set_index("origin")["n"].reindex(wide.index).to_numpy(float)
    for baseline in ("no_change", "random_walk", "bootstrap"):
        d = (wide["worldorder"] - wide[baseline]).to_numpy(float) * states / states.mean()
        t = stats.ttest_1samp(d, 0.0)
        assert table.loc[baseline, "lags"] == 0 and table.loc[baseline, "n"] == len(d) == 4
        assert table.loc[baseline, "difference"] == pytest.approx(pooled["worldorder"] - pooled[baseline])
        assert table.loc[baseline, "statistic"] == pytest.approx(t.statistic)
        assert table.loc[baseline, "p_value"] == pytest.approx(t.pvalue)


def test_real_backtest_top_coverage_counts_the_five_largest_states(real_backtest):
    """top5 coverage pooled over origins is the mean of the per-origin values (5 states each)."""
    scores = real_backtest.scores
    top = scores[scores["metric"] == "top5_coverage80"]
    per_origin, pooled = top[top["origin"].notna()], top[top["origin"].isna()].set_index("forecaster")
    assert (per_origin["n"] == 5).all()
    assert set(np.round(per_origin["value"] * 5, 9)) <= {0.0, 1.0, 2.0, 3.0, 4.0, 5.0}
    means = per_origin.groupby("forecaster")["value"].mean()
    pd.testing.assert_series_equal(means.sort_index(), pooled["value"].sort_index(), check_names=False)
    assert (per_origin[per_origin["forecaster"] == "no_change"]["value"] == 0).all()
