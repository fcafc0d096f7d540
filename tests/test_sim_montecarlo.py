"""Monte Carlo projection: reproducibility, chunk invariance, invariants, known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.sim.montecarlo import (
    BLOCK,
    GrowthModel,
    SimulationError,
    calibrate,
    histogram_quantiles,
    normal_table,
    project,
)
from worldorder.sim.shocks import GrowthShock


def history(states: int = 12, years: int = 30, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = np.array([2, 20, 200, 220, 255, 365, 710, 740, 750, 560, 475, 140, 70, 600][:states])
    level = rng.lognormal(3.0, 1.0, states)
    rows = []
    for year in range(2018 - years + 1, 2019):
        level = level * np.exp(rng.normal(0.03, 0.01, states) + rng.normal(0, 0.02) + rng.normal(0, 0.04, states))
        rows.append(pd.DataFrame({"ccode": codes, "year": year, "gdp": level}))
    return pd.concat(rows, ignore_index=True)


def assert_same(a, b):
    ta, tb = a.tables(), b.tables()
    assert ta.keys() == tb.keys()
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], check_exact=True)


@pytest.fixture(scope="module")
def model():
    return calibrate(history())


def test_same_seed_same_numbers(model):
    a = project(model, horizon=2030, paths=2500, seed=7, progress=False)
    b = project(model, horizon=2030, paths=2500, seed=7, progress=False)
    assert_same(a, b)
    c = project(model, horizon=2030, paths=2500, seed=8, progress=False)
    assert not np.array_equal(a.polarity["q50"].to_numpy(), c.polarity["q50"].to_numpy())


def test_chunk_size_and_threads_do_not_change_results(model):
    runs = [
        project(model, horizon=2028, paths=3 * BLOCK + 100, seed=1, chunk=chunk, workers=workers, progress=False)
        for chunk, workers in ((BLOCK, 1), (2 * BLOCK, 2), (None, 2), (10 * BLOCK, 1))
    ]
    for other in runs[1:]:
        assert_same(runs[0], other)


def test_ziggurat_normals_also_reproducible(model):
    a = project(model, horizon=2025, paths=1500, seed=2, normals="ziggurat", chunk=BLOCK, progress=False)
    b = project(model, horizon=2025, paths=1500, seed=2, normals="ziggurat", chunk=4 * BLOCK, progress=False)
    assert_same(a, b)


def test_invariants(model):
    result = project(model, horizon=2030, paths=3000, seed=3, progress=False)
    sums = result.states.groupby("year")["mean"].sum()
    assert np.allclose(sums, 1.0, atol=1e-5)
    con = result.polarity[result.polarity["index"] == "con"]
    assert ((con[["mean", "q05", "q95"]] >= 0) & (con[["mean", "q05", "q95"]] <= 1)).all().all()
    q = result.polarity[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert (np.diff(q, axis=1) >= -1e-12).all()
    assert np.allclose(result.labels[["nonpolar", "unipolar", "bipolar", "multipolar"]].sum(axis=1), 1.0)
    t = result.transition
    assert (np.diff(t["p_overtaken"]) >= 0).all() and (t["p_overtaken"] >= t["p_ahead"]).all()
    assert (t["p_leader_lost"] >= t["p_overtaken"] - 1e-12).all()
    enp = result.polarity[result.polarity["index"] == "enp"]
    assert (enp["q05"] <= enp["q95"]).all() and (enp["q05"] >= 1).all()


def _two_state_model(drift_b: float) -> GrowthModel:
    n = 2
    zero = np.zeros(n)
    return GrowthModel(
        ccode=np.array([2, 710]), base_year=2020, base=np.array([1.0, 1.0]), mu=np.array([0.0, drift_b]),
        sigma=zero.copy(), loadings=np.zeros((n, 0)), idio=np.ones(n), factors=(), value="gdp", window=(1990, 2020),
        correlation="none", raw_mean=zero, raw_sd=zero, nobs=np.array([30, 30]), shrink_mean=zero, shrink_sd=zero,
        group_mean=0.0, group_sd=0.0,
    )


def test_deterministic_known_answer():
    # no volatility: state 710 doubles in ten years, so its share goes from 1/2 to 2/3
    result = project(_two_state_model(np.log(2) / 10), horizon=2030, paths=500, seed=1, progress=False)
    top = result.polarity[(result.polarity["index"] == "top_share") & (result.polarity["year"] == 2030)]
    assert top["q50"].iloc[0] == pytest.approx(2 / 3, abs=2 / 8192)
    shares = result.states[result.states["year"] == 2030].set_index("ccode")
    assert shares.loc[710, "mean"] == pytest.approx(2 / 3, rel=1e-5)
    assert shares.loc[710, "q50"] == pytest.approx(2 / 3, rel=0.035)
    # CON of two states with shares 1/3, 2/3: HHI = 5/9, CON = sqrt((5/9 - 1/2) / (1/2)) = 1/3
    con = result.polarity[(result.polarity["index"] == "con") & (result.polarity["year"] == 2030)]
    assert con["mean"].iloc[0] == pytest.approx(1 / 3, rel=1e-5)
    # the challenger (710, tied at the start; second by order) is ahead from the first year on
    assert result.transition["p_ahead"].tolist() == [1.0] * 10
    # leader:0.5 -> both are poles (1/2 >= 0.5 * 2/3): bipolar every year
    assert (result.labels["bipolar"] == 1.0).all()


def test_growth_shock_moves_the_transition(model):
    leader = int(model.ccode[np.argmax(model.base)])
    base = project(model, horizon=2030, paths=2000, seed=4, progress=False, state_summaries=False)
    hit = project(model, horizon=2030, paths=2000, seed=4, progress=False, state_summaries=False,
                  shocks=[GrowthShock([leader], -0.2, 2019, 2030)])
    assert hit.transition["p_leader_lost"].iloc[-1] > base.transition["p_leader_lost"].iloc[-1]


def test_calibration_shrinks_toward_the_group():
    table = history(states=12)
    short = table[(table["ccode"] != 140) | (table["year"] >= 2016)]  # 140 has only two growth years
    model = calibrate(short, min_obs=10)
    frame = model.table().set_index("ccode")
    assert frame.loc[140, "mean"] == pytest.approx(model.group_mean)
    assert frame.loc[140, "shrinkage_mean"] == 1.0
    usable = frame.drop(140)
    inside = (usable["mean"] - model.group_mean).abs() <= (usable["raw_mean"] - model.group_mean).abs() + 1e-12
    assert inside.all()
    raw = calibrate(short, shrink=False).table().set_index("ccode").drop(140)
    assert np.allclose(raw["mean"], raw["raw_mean"])
    corr = model.correlation_matrix()
    assert np.allclose(np.diag(corr), 1.0) and (np.linalg.eigvalsh(corr) > -1e-9).all()
    assert calibrate(short, correlation="none").loadings.shape[1] == 0
    factor = calibrate(short, correlation="factor", factors=2)
    assert factor.loadings.shape == (12, 2) and (factor.idio > 0).all()


def test_errors():
    with pytest.raises(SimulationError, match="ccode"):
        calibrate(pd.DataFrame({"year": [1], "gdp": [1.0]}))
    with pytest.raises(SimulationError, match="value="):
        calibrate(history().assign(other=1.0))
    with pytest.raises(SimulationError, match="horizon"):
        project(history(), horizon=2010, paths=10, progress=False)
    with pytest.raises(SimulationError, match="rule"):
        project(history(), horizon=2020, paths=10, progress=False, rule=lambda s, c: 1)


def test_histogram_quantiles_known_answer():
    counts = np.ones(10)  # uniform on [0, 1]
    edges = np.linspace(0, 1, 11)
    assert histogram_quantiles(counts, edges, [0.25, 0.5, 0.9]) == pytest.approx([0.25, 0.5, 0.9])
    with pytest.raises(ValueError, match="whole numbers"):
        histogram_quantiles(np.full(10, 0.5), edges, [0.5])


def test_histogram_quantiles_match_a_row_by_row_search():
    """All rows searched at once equal each row searched on its own (empty rows and a last-bin mass included)."""
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 40, size=(4, 6, 50)) * (rng.random((4, 6, 50)) < 0.2)
    counts[0, 0] = 0
    counts[1, 2] = 0
    counts[1, 2, -1] = 7
    edges = np.sort(rng.random(51))
    probs = [0.05, 0.5, 0.9, 1.0]
    expected = np.empty(counts.shape[:-1] + (len(probs),))
    for row in np.ndindex(counts.shape[:-1]):
        c = counts[row].astype(float)
        cum = np.cumsum(c)
        for j, p in enumerate(probs):
            target = p * cum[-1]
            k = min(int(np.searchsorted(cum, target, side="left")), len(c) - 1)
            frac = (target - (cum[k] - c[k])) / c[k] if c[k] > 0 else 0.0
            expected[row + (j,)] = edges[k] + min(max(frac, 0.0), 1.0) * (edges[k + 1] - edges[k])
    assert np.array_equal(histogram_quantiles(counts, edges, probs), expected)


def test_normal_table_is_standard_and_seeding_is_per_block():
    table = normal_table().astype(np.float64)
    assert table.mean() == pytest.approx(0.0, abs=1e-7) and table.var() == pytest.approx(1.0, abs=1e-6)
    assert np.array_equal(table, -table[::-1])
    children = np.random.SeedSequence(5).spawn(4)
    entropy = np.random.SeedSequence(5).entropy
    for b, child in enumerate(children):
        direct = np.random.SeedSequence(entropy, spawn_key=(b,))
        assert np.array_equal(child.generate_state(4), direct.generate_state(4))


def test_measurement_and_parameter_uncertainty_known_answers():
    from dataclasses import replace
    from statistics import NormalDist

    from worldorder.sim.calibration import _base_sd

    # measured base values: 710 starts from log-normal draws with log-sd 0.5 around 1.5 times 2's value;
    # with no growth, P(710 ahead of 2) = P(Z > -log 1.5 / 0.5)
    model = replace(_two_state_model(0.0), base=np.array([1.5, 1.0]), base_sd=np.array([0.0, 0.5]))
    result = project(model, horizon=2025, paths=20_000, seed=4, progress=False, leader=2, challenger=710)
    expected = 1 - NormalDist().cdf(np.log(1.5) / 0.5)
    assert result.transition["p_ahead"].iloc[-1] == pytest.approx(expected, abs=0.012)
    # a drift drawn per path with sd 0.01 a year: after 10 years log(710 / 2) ~ N(0, 0.1^2 * 2)
    model = replace(_two_state_model(0.0), mu_se=np.array([0.01, 0.01]))
    shares = project(model, horizon=2030, paths=20_000, seed=5, progress=False).states
    last = shares[(shares["year"] == 2030) & (shares["ccode"] == 710)].iloc[0]
    # share = 1 / (1 + exp(-d)), d ~ N(0, 0.02): its 95% quantile is the logistic of 1.645 * sqrt(0.02)
    assert last["q95"] == pytest.approx(1 / (1 + np.exp(-1.645 * np.sqrt(0.02))), rel=0.035)
    # the log-scale sd of a value from its published sd: sqrt(log(1 + (sd / x)^2))
    table = pd.DataFrame({"ccode": [2, 710], "year": 2020, "gdp": [100.0, 50.0], "gdp_sd": [10.0, np.nan]})
    np.testing.assert_allclose(_base_sd(table, "gdp", 2020, np.array([2, 710]), np.array([100.0, 50.0])),
                               [np.sqrt(np.log1p(0.01)), 0.0])
