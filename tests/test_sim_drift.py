"""The growth regression behind the projection's drift: known answers and its use in calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.sim.calibration import calibrate
from worldorder.sim.inputs import SimulationError
from worldorder.sim.shrinkage import growth_regression


def _panel(rho: float, beta: float, states: int = 120, decades: int = 6, seed: int = 3):
    """Growth whose decade means follow next = 0.02 + rho * (mean of the 20 years before) + beta * log share."""
    rng = np.random.default_rng(seed)
    years = decades * 10
    growth = np.empty((years, states))
    level = rng.lognormal(0.0, 1.5, states)
    levels = np.empty((years, states))
    means = rng.normal(0.02, 0.02, (2, states))  # the first two decades
    for d in range(decades):
        if d >= 2:
            past = growth[(d - 2) * 10 : d * 10].mean(axis=0)
            share = level / level.sum()
            mean = 0.02 + rho * past + beta * np.log(share)
        else:
            mean = means[d]
        shocks = rng.normal(0.0, 0.01, (10, states))
        shocks -= shocks.mean(axis=0)  # each decade's mean is exactly its drift
        for t in range(10):
            levels[d * 10 + t] = level
            growth[d * 10 + t] = mean + shocks[t]
            level = level * np.exp(growth[d * 10 + t])
    return growth, levels


@pytest.mark.parametrize("rho,beta", [(0.3, 0.0), (0.6, -0.002), (0.0, 0.001)])
def test_the_regression_recovers_known_persistence_and_size(rho, beta):
    growth, levels = _panel(rho, beta)
    coef, pairs = growth_regression(growth, levels, window=20)
    assert pairs == 3 * 120
    assert coef == pytest.approx([0.02, rho, beta], abs=1e-9)


def test_too_few_pairs_fall_back():
    growth, levels = _panel(0.3, 0.0, states=5)
    coef, pairs = growth_regression(growth, levels, window=20)
    assert coef is None and pairs == 15


def _table(growth: np.ndarray, levels: np.ndarray, first_year: int = 1900) -> pd.DataFrame:
    values = np.vstack([levels, levels[-1] * np.exp(growth[-1])])
    years = np.arange(first_year, first_year + len(values))
    return pd.DataFrame(
        {"ccode": np.tile(np.arange(1, values.shape[1] + 1), len(years)), "year": np.repeat(years, values.shape[1]),
         "gdp": values.ravel()}
    )


def test_calibration_uses_the_regression_fitted_on_the_years_to_the_base_year():
    growth, levels = _panel(0.5, -0.001)
    table = _table(growth, levels)
    base_year = int(table["year"].max())
    model = calibrate(table, value="gdp", base_year=base_year)
    fit = model.drift_fit
    assert fit["persistence"] == pytest.approx(0.5, abs=1e-6) and fit["size"] == pytest.approx(-0.001, abs=1e-6)
    share = model.base / model.base.sum()
    expected = fit["intercept"] + fit["persistence"] * model.raw_mean + fit["size"] * np.log(share)
    assert np.allclose(model.mu, expected)
    own = calibrate(table, value="gdp", base_year=base_year, drift="own")
    assert own.drift_fit is None and not np.allclose(own.mu, model.mu)
    # the fit ignores every year after the base year
    earlier = calibrate(table, value="gdp", base_year=base_year - 5)
    later = table.assign(gdp=np.where(table["year"] > base_year - 5, 1.0, table["gdp"]))
    assert calibrate(later, value="gdp", base_year=base_year - 5).drift_fit == earlier.drift_fit


def test_an_unknown_drift_is_refused():
    growth, levels = _panel(0.3, 0.0)
    with pytest.raises(SimulationError, match="drift must be"):
        calibrate(_table(growth, levels), value="gdp", drift="trend")
