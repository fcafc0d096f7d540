"""Real data: project GDP shares from the Maddison data in the mirror (skipped without it)."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def gdp(mirror, tmp_path_factory):
    from worldorder.power import create_power_years

    table = create_power_years(["gdp"], years=(1985, 2018), majors=False)
    return table[["ccode", "year", "gdp"]]


def test_project_gdp_shares_from_real_data(gdp):
    from worldorder.sim.montecarlo import calibrate, project

    model = calibrate(gdp, value="gdp")
    assert model.base_year == 2018 and model.n_states > 140
    assert {2, 710, 750} <= set(model.ccode.tolist())
    assert np.all(model.sigma > 0) and np.all(model.sigma < 0.3)
    result = project(model, horizon=2030, paths=2048, seed=1, progress=False)
    states = result.states
    assert np.allclose(states.groupby("year")["mean"].sum(), 1.0, atol=1e-5)
    first = states[states["year"] == 2018].set_index("ccode")["mean"]
    assert first.loc[710] == pytest.approx(model.base[model.ccode == 710][0] / model.base.sum())
    con = result.polarity[result.polarity["index"] == "con"]
    assert con["q50"].between(0, 1).all()
    assert set(result.transition[["leader", "challenger"]].iloc[0]) == {2, 710}
    again = project(model, horizon=2030, paths=2048, seed=1, progress=False, chunk=2048, workers=1)
    assert result.polarity.equals(again.polarity) and result.states.equals(again.states)
