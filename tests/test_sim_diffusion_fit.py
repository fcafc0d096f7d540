"""Diffusion fitted to history: exposure, own history and the transition logits on hand-built and synthetic data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.sim.diffusion_backtest import auc
from worldorder.sim.diffusion_fit import adoption_thresholds, fit_panel, run_lengths, transition_panel
from worldorder.sim.diffusion_outcomes import DiffusionError, apply_rule, parse_outcome
from worldorder.sim.diffusion_sim import Plan, parse_shock, run_plan
from worldorder.sim.diffusion_ties import exposure, parse_ties, ties_from_edges, ties_from_groups


def test_outcome_grammar():
    rule = parse_outcome("democracy:polyarchy>=0.5")
    assert (rule.column, rule.op, rule.threshold, rule.spec) == ("v2x_polyarchy", ">=", 0.5, "democracy:polyarchy>=0.5")
    assert parse_outcome("democracy").spec == "democracy:polyarchy>=0.5"
    assert parse_outcome("democracy:polity").threshold == 6.0
    assert parse_outcome("democracy:uds>0.2").column == "aeuds"
    assert parse_outcome("alliance:USA+RUS").partners == (2, 365)
    assert parse_outcome("column:free<1").op == "<"
    for bad in ("democracy:freedom>=3", "autocracy", "alliance:", "alliance:Atlantis", "column:"):
        with pytest.raises(DiffusionError):
            parse_outcome(bad)
    values = np.array([0.2, 0.5, np.nan, 0.9])
    assert np.array_equal(apply_rule(values, rule), [0.0, 1.0, np.nan, 1.0], equal_nan=True)


def test_tie_and_shock_grammar():
    assert parse_ties("contiguity, atop,trade,distance:900") == ["contiguity", "alliance", "trade", "distance:900"]
    for bad in ("contiguty", "trade:3", "distance:-5", ""):
        with pytest.raises(DiffusionError):
            parse_ties(bad)
    assert parse_shock("CHN switches in 2026") == ("CHN", 2026)
    assert parse_shock("state Russia switches in 2030") == ("Russia", 2030)
    with pytest.raises(DiffusionError):
        parse_shock("China becomes a democracy")


def test_exposure_known_answers():
    # 1990: states 2, 20, 40, 70 with y = 1, 1, 0, NaN; ties of 1990: 2-20, 2-40, 2-70 (weight 1); 20-40 weight 3
    outcome = pd.DataFrame({"ccode": [2, 20, 40, 70, 2, 20, 40, 70, 100], "year": [1990] * 4 + [1991] * 5, "y": [1, 1, 0, np.nan, 1, 0, 0, 1, 0]})
    edges = pd.DataFrame({"year": [1990, 1990, 1990, 1990], "ccode1": [2, 2, 2, 20], "ccode2": [20, 40, 70, 40], "weight": [1.0, 1, 1, 3]})
    ties = ties_from_edges("alliance", edges, span=(1990, 1991))
    table = exposure(outcome, [ties]).set_index(["ccode", "year"])["exp_alliance"]
    assert table[(2, 1991)] == pytest.approx(0.5)  # 20 has it, 40 not, 70 unknown (left out)
    assert table[(20, 1991)] == pytest.approx(1 / 4)  # 2 (w 1) has it, 40 (w 3) not
    assert table[(40, 1991)] == pytest.approx(1.0)  # 2 (w 1) and 20 (w 3) both have it
    assert table[(70, 1991)] == pytest.approx(1.0)
    assert table[(100, 1991)] == 0.0  # no ties
    assert np.isnan(table[(2, 1990)])  # 1989 is outside the layer's years
    # asymmetric weights (trade shares): 2 sends 90% of its trade to 20, 20 sends 10% of its trade to 2
    trade = pd.DataFrame({"year": [1990, 1990], "ccode1": [2, 2], "ccode2": [20, 40], "s1": [0.9, 0.1], "s2": [0.1, 1.0]})
    shares = exposure(outcome, [ties_from_edges("trade", trade, weight="s1", reverse_weight="s2")]).set_index(["ccode", "year"])["exp_trade"]
    assert shares[(2, 1991)] == pytest.approx(0.9)
    assert shares[(20, 1991)] == pytest.approx(1.0)
    groups = pd.DataFrame({"year": [1990] * 4, "ccode": [2, 20, 40, 70], "group": ["a", "a", "a", "b"]})
    region = exposure(outcome, [ties_from_groups("region", groups)]).set_index(["ccode", "year"])["exp_region"]
    assert region[(40, 1991)] == pytest.approx(1.0) and region[(2, 1991)] == pytest.approx(0.5) and region[(70, 1991)] == 0.0


def test_run_lengths_and_panel():
    code = np.array([2, 2, 2, 2, 2, 20, 20, 20])
    year = np.array([1990, 1991, 1992, 1994, 1995, 1990, 1991, 1992])
    y = np.array([1, 1, 0, 0, 0, 0, np.nan, 0])
    assert run_lengths(code, year, y).tolist() == [1, 2, 1, 1, 2, 1, 1, 1]
    panel = transition_panel(pd.DataFrame({"ccode": code, "year": year, "y": y}), [])
    assert panel[["ccode", "year", "prev", "y"]].values.tolist() == [[2, 1991, 1, 1], [2, 1992, 1, 0], [2, 1995, 0, 0]]
    assert np.exp(panel["log_duration"]).round().tolist() == [1, 2, 1]


def _synthetic(seed: int, n: int = 150, years: int = 60, true: dict | None = None):
    """Transitions drawn with known coefficients, written with plain loops (independent of the library)."""
    rng = np.random.default_rng(seed)
    true = true or {"enter": {"const": -3.0, "exp_a": 2.5, "exp_b": 0.0, "log_duration": -0.3},
                    "leave": {"const": -2.0, "exp_a": -2.0, "exp_b": 1.0, "log_duration": -0.4}}
    graphs = {}
    for name, p in (("a", 0.04), ("b", 0.06)):
        upper = np.triu(rng.random((n, n)) < p, 1)
        graphs[name] = upper | upper.T
    y = (rng.random(n) < 0.3).astype(float)
    duration = np.ones(n)
    rows = [(c, 1900, y[c]) for c in range(n)]
    for t in range(1901, 1901 + years):
        new = y.copy()
        for i in range(n):
            exp = {}
            for name, g in graphs.items():
                neighbours = np.flatnonzero(g[i])
                exp[name] = y[neighbours].mean() if len(neighbours) else 0.0
            coef = true["leave" if y[i] == 1 else "enter"]
            eta = coef["const"] + coef["exp_a"] * exp["a"] + coef["exp_b"] * exp["b"] + coef["log_duration"] * np.log(duration[i])
            if rng.random() < 1 / (1 + np.exp(-eta)):
                new[i] = 1 - y[i]
        duration = np.where(new != y, 1, duration + 1)
        y = new
        rows += [(c, t, y[c]) for c in range(n)]
    outcome = pd.DataFrame(rows, columns=["ccode", "year", "y"])
    ties = []
    for name, g in graphs.items():
        i, j = np.nonzero(np.triu(g, 1))
        edges = pd.DataFrame({"year": np.repeat(np.arange(1900, 1901 + years), len(i)), "ccode1": np.tile(i, years + 1), "ccode2": np.tile(j, years + 1), "weight": 1.0})
        ties.append(ties_from_edges(name, edges))
    return outcome, ties, true


def test_synthetic_cascade_parameters_recovered_within_their_intervals():
    outcome, ties, true = _synthetic(seed=11)
    panel = transition_panel(outcome, ties)
    fit = fit_panel(panel, "column:y", ties)
    table = fit.coefficients.set_index(["transition", "term"])
    for transition, coefs in true.items():
        for term, value in coefs.items():
            row = table.loc[(transition, term)]
            assert row["lo"] <= value <= row["hi"], (transition, term, value, row["lo"], row["hi"])
    # the layer with a true effect of 0 on entering is not called significant; the strong one is
    assert table.loc[("enter", "exp_a"), "lo"] > 0
    assert table.loc[("enter", "exp_b"), "lo"] < 0 < table.loc[("enter", "exp_b"), "hi"]
    contributions = fit.contributions.set_index(["transition", "layer"])
    assert contributions.loc[("enter", "a"), "attributable"] > 0 > contributions.loc[("leave", "a"), "attributable"]


def test_adoption_thresholds_known_answer():
    panel = pd.DataFrame({
        "ccode": [1, 1, 1, 2, 2, 3, 3], "year": [1, 2, 3, 1, 2, 1, 2],
        "prev": [0, 0, 1, 0, 0, 1, 1], "y": [0, 1, 1, 0, 0, 1, 1],
        "exp_a": [0.1, 0.4, 0.9, 0.2, 0.3, 0.5, 0.5], "exp_b": [0.0, 0.2, 0.0, 0.6, 0.1, 0.0, 0.0],
    })
    table = adoption_thresholds(panel, ["a", "b"], weights=np.array([3.0, 1.0])).set_index("ccode")
    assert table.loc[1, "threshold"] == pytest.approx(0.75 * 0.4 + 0.25 * 0.2) and table.loc[1, "status"] == "observed"
    assert table.loc[2, "threshold"] == pytest.approx(max(0.75 * 0.2 + 0.25 * 0.6, 0.75 * 0.3 + 0.25 * 0.1)) and table.loc[2, "status"] == "above"
    assert table.loc[3, "status"] == "never out"


def test_auc_known_answers():
    assert auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.3, 0.4])) == 1.0
    assert auc(np.array([0, 1, 0, 1]), np.array([0.1, 0.2, 0.3, 0.4])) == 0.75
    assert auc(np.array([0, 1]), np.array([0.5, 0.5])) == 0.5


def _plan(paths=3000, shock=None, beta=(2.0, -1.0), const=(-3.0, -3.0)):
    n = 30
    rng = np.random.default_rng(5)
    W = (rng.random((n, n)) < 0.2).astype(float)
    np.fill_diagonal(W, 0)
    W /= np.maximum(W.sum(1, keepdims=True), 1)
    y0 = (rng.random(n) < 0.4).astype(float)
    MT = np.hstack([beta[0] * W.T, beta[1] * W.T]).astype(np.float32)
    c = np.array([np.full(n, const[0]), np.full(n, const[1])], np.float32)
    return Plan(7, paths, 10, y0, np.full(n, 3.0), MT, c, np.zeros(2, np.float32), np.column_stack([np.ones(n), np.arange(1, n + 1), np.ones(n)]), shock)


def test_simulation_reproducible_whatever_the_threads():
    plan = _plan(shock=(3, 2, 1.0))
    one, two = run_plan(plan, workers=1), run_plan(plan, workers=2)
    assert all(np.array_equal(one[k], two[k]) for k in one)
    again = run_plan(plan, workers=2)
    assert np.array_equal(one["shares"], again["shares"])


def test_simulation_without_ties_matches_the_closed_form():
    # no exposure and no duration effect: each state switches with p = logistic(c) every year, independently
    plan = _plan(paths=20_000, beta=(0.0, 0.0), const=(-2.0, -1.0))
    total = run_plan(plan)
    p_in, p_out = 1 / (1 + np.exp(2.0)), 1 / (1 + np.exp(1.0))
    share = plan.y0.mean()
    for _ in range(plan.steps):
        share = share * (1 - p_out) + (1 - share) * p_in
    assert total["shares"][:, -1, 0].mean() == pytest.approx(share, abs=0.005)


def test_cascade_is_empty_without_ties_and_positive_with_them():
    none = run_plan(_plan(paths=2048, shock=(0, 1, 1.0), beta=(0.0, 0.0)))
    assert none["cascade"].max() == 0  # common random numbers: nothing else changes
    some = run_plan(_plan(paths=2048, shock=(0, 1, 1.0), beta=(4.0, -4.0)))
    assert some["cascade"].mean() > 0


def test_simulation_on_dask_gives_the_local_numbers():
    distributed = pytest.importorskip("distributed")
    plan = _plan(paths=2500, shock=(3, 2, 1.0))
    local = run_plan(plan)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        remote = run_plan(plan, backend="dask", client=client)
    assert all(np.array_equal(local[k], remote[k]) for k in local)
    with pytest.raises(DiffusionError):
        run_plan(plan, backend="spark")


def test_charts_of_a_fit_and_a_backtest(tmp_path):
    from worldorder import diffusion_calibration_chart, diffusion_effects_chart, save_chart
    from worldorder.sim.diffusion_backtest import DiffusionBacktest

    outcome, ties, _ = _synthetic(seed=11, n=60, years=30)
    fit = fit_panel(transition_panel(outcome, ties), "column:y", ties)
    chart = diffusion_effects_chart(fit)
    assert [s.name for s in chart.series] == ["enter", "leave"] and chart.series[0].x == ["a", "b"]
    assert chart.ylim[0] <= min(fit.coefficients.loc[fit.coefficients["term"].str.startswith("exp_"), "coef"].min(), 0)
    calibration = pd.DataFrame({"model": ["ties", "ties"], "bin": ["0-0.01", "0.01-0.02"], "n": [10, 5], "mean_forecast": [0.005, 0.015], "observed": [0.0, 0.2]})
    check = DiffusionBacktest(None, calibration, None, None, "", "caption", (1946, 1989), (1990, 2010))
    drawn = diffusion_calibration_chart(check)
    assert drawn.series[-1].name == "perfect calibration" and drawn.series[-1].x[-1] == pytest.approx(0.2)
    assert save_chart(chart, tmp_path / "effects.svg").exists() and save_chart(drawn, tmp_path / "calibration.svg").exists()


def test_backtest_on_synthetic_cascades_finds_the_layer_that_matters():
    from worldorder.sim.diffusion_backtest import backtest_panel

    churn = {"enter": {"const": -2.0, "exp_a": 2.0, "exp_b": 0.0, "log_duration": 0.0},  # symmetric: about half the states in, many switches
             "leave": {"const": 0.0, "exp_a": -2.0, "exp_b": 0.0, "log_duration": 0.0}}
    outcome, ties, _ = _synthetic(seed=3, n=150, years=60, true=churn)
    panel = transition_panel(outcome, ties)
    check = backtest_panel(panel, ["a", "b"], until=1940, resamples=300, seed=1)
    assert set(check.scores["model"]) == {"no diffusion", "ties", "+a", "+b"}
    assert (check.predictions["year"] > 1940).all() and check.train == (1901, 1940)
    gain = check.gain.set_index("model")
    assert gain.loc["+a", "hi"] < 0  # the layer with a true effect improves the forecasts
    scores = check.scores[check.scores["transition"] == "all"].set_index("model")
    assert scores.loc["+a", "auc"] > scores.loc["no diffusion", "auc"]
    assert gain.loc["+b", "lo"] < 0 < gain.loc["+b", "hi"]  # the layer without an effect does not help
    assert check.verdict.startswith("Ties add predictive power out of sample (layers that help alone: a).")
    assert abs(gain.loc["no diffusion", "brier_diff"]) == 0
    assert check.calibration["n"].sum() == len(check.predictions) * len(check.scores["model"].unique())
