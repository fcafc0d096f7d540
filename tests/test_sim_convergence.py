"""Convergence of GDP per capita: known answers, and the real-data estimates checked against statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.sim.calibration import SimulationError
from worldorder.sim.trajectories import convergence


def test_known_answer_beta_sigma_and_years_to_close():
    # growth = 0.1 - 0.01 * log(y0) exactly: beta = -0.01, a perfect fit
    codes = [2, 20, 200, 220, 710, 750]
    start = np.array([20000.0, 15000.0, 8000.0, 4000.0, 1000.0, 500.0])
    rows = []
    for year in range(2000, 2011):
        g = 0.1 - 0.01 * np.log(start)
        rows.append(pd.DataFrame({"ccode": codes, "year": year, "maddison_gdppc": start * np.exp(g * (year - 2000)),
                                  "maddison_pop": 20_000.0}))
    table = pd.concat(rows, ignore_index=True)
    result = convergence(table, (2000, 2010))
    everyone = result.beta.set_index("group").loc["all"]
    assert everyone["beta"] == pytest.approx(-0.01, abs=1e-10)
    assert everyone["r2"] == pytest.approx(1.0)
    assert everyone["n"] == 6
    # sigma falls: log levels converge by a factor (1 - 0.01 t)
    sd0 = np.log(start).std(ddof=1)
    assert result.sigma.set_index("year").loc[2010, "sigma"] == pytest.approx(sd0 * (1 - 0.1), rel=1e-9)
    closing = result.closing.set_index("ccode")
    # the gap to the frontier (state 2) shrinks by 0.01 * log(y_2 / y_i) a year
    gap = np.log(start[0] / start[4]) * (1 - 0.1)
    assert closing.loc[710, "gap"] == pytest.approx(gap)
    assert closing.loc[710, "years_to_close"] == pytest.approx(gap / (0.01 * np.log(start[0] / start[4])))
    assert np.isnan(closing.loc[2, "years_to_close"])


def test_errors_say_what_to_do():
    with pytest.raises(SimulationError, match="create_power_years"):
        convergence(pd.DataFrame({"ccode": [2], "year": [2000], "gdp": [1.0]}))
    with pytest.raises(SimulationError, match="3 or more years"):
        convergence(pd.DataFrame({"ccode": [2], "year": [2000], "maddison_gdppc": [1.0], "maddison_pop": [1.0]}), (2000, 2001))
    years = pd.DataFrame({"ccode": [2, 20, 200] * 3, "year": [2000] * 3 + [2001] * 3 + [2002] * 3, "maddison_gdppc": 1.0, "maddison_pop": 1.0})
    with pytest.raises(SimulationError, match="covers 2000-2002"):  # no value in the last year: refused, not NaN estimates
        convergence(years, (2000, 2005))


def test_real_beta_and_sigma_match_statsmodels(mirror):
    sm = pytest.importorskip("statsmodels.api")
    from worldorder import create_power_years
    from worldorder.successions import level_breaks

    table = create_power_years(["gdp"], majors=False)
    result = convergence(table, (1950, 2018))
    wide = table.pivot(index="year", columns="ccode", values="maddison_gdppc")
    ends = wide.loc[[1950, 2018]].dropna(axis=1)
    broken = set(level_breaks().query("1950 < year <= 2018")["ccode"])
    ends = ends[[c for c in ends.columns if c not in broken]]
    x = np.log(ends.loc[1950].to_numpy())
    y = (np.log(ends.loc[2018].to_numpy()) - x) / 68
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    row = result.beta.set_index("group").loc["all"]
    assert row["n"] == len(x)
    assert row["beta"] == pytest.approx(fit.params[1], rel=1e-9)
    assert row["se"] == pytest.approx(fit.bse[1], rel=1e-9)
    low, high = fit.conf_int()[1]
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
    assert row["r2"] == pytest.approx(fit.rsquared, rel=1e-9)
    balanced = np.log(wide.loc[1950:2018].dropna(axis=1))
    sigma = result.sigma.set_index("year")["sigma"]
    np.testing.assert_allclose(sigma.to_numpy(), balanced.std(axis=1, ddof=1).to_numpy(), rtol=1e-12)
