"""Diffusion on the real data: outcomes and exposure against the raw files, the fit, backtest and simulation via the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from worldorder.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def raw_democracy(mirror):
    pyreadr = pytest.importorskip("pyreadr")
    table = next(iter(pyreadr.read_r(str(mirror / "isard" / "cw_democracy.rda")).values()))
    return table.astype({"ccode": int, "year": int})


def test_democracy_outcome_matches_the_raw_file(raw_democracy):
    from worldorder.sim.diffusion_outcomes import outcome_years

    ours = outcome_years("democracy:polity>=6", years="1980-1990").merge(raw_democracy, on=["ccode", "year"], how="left")
    expected = np.where(ours["polity2"].isna(), np.nan, (ours["polity2"] >= 6).astype(float))
    assert np.array_equal(ours["y"].to_numpy(), expected, equal_nan=True)
    assert ours["y"].notna().sum() > 1400


def test_contiguity_exposure_matches_the_raw_files(mirror, raw_democracy):
    from worldorder import diffusion_exposure

    ours = diffusion_exposure("democracy:polyarchy>=0.5", ties="contiguity", years="1990").set_index("ccode")["exp_contiguity"]
    contiguity = pd.read_csv(mirror / "cow" / "contdird.csv")
    ties = contiguity[(contiguity["year"] == 1989) & (contiguity["conttype"] <= 5)][["state1no", "state2no"]].drop_duplicates()
    before = raw_democracy[raw_democracy["year"] == 1989].set_index("ccode")["v2x_polyarchy"]
    ties = ties.assign(y=(ties["state2no"].map(before) >= 0.5).astype(float).where(ties["state2no"].map(before).notna()))
    expected = ties.dropna().groupby("state1no")["y"].mean()
    shared = expected.index.intersection(ours.index)
    assert len(shared) > 120
    assert np.allclose(ours[shared].to_numpy(), expected[shared].to_numpy())
    without = ours.index.difference(ties.dropna()["state1no"].unique())
    assert (ours[without] == 0).all()  # no neighbour with a known outcome: exposure 0


def test_alliance_outcome_is_ATOP_ties_with_the_named_state(store):
    from worldorder import load
    from worldorder.sim.diffusion_outcomes import outcome_years

    ours = outcome_years("alliance:USA", years="1960").set_index("ccode")["y"]
    atop = load("ps_atop_alliance")
    year = atop[atop["year"] == 1960]
    allies = set(year.loc[year["ccode1"] == 2, "ccode2"]) | set(year.loc[year["ccode2"] == 2, "ccode1"])
    assert set(ours[ours == 1].index) == allies - {2}
    assert np.isnan(ours[2])


@pytest.mark.slow
def test_cli_fit_backtest_and_simulate(store, tmp_path):
    fit = runner.invoke(app, ["diffusion", "fit", "--outcome", "democracy:polyarchy>=0.5", "--ties", "contiguity,alliance,trade", "--years", "1946-2010", "--format", "json"])
    assert fit.exit_code == 0, fit.output
    payload = json.loads(fit.output)
    terms = {(row["transition"], row["term"]) for row in payload["coefficients"]}
    assert ("enter", "exp_contiguity") in terms and ("leave", "exp_trade") in terms
    assert all(row["lo"] <= row["coef"] <= row["hi"] for row in payload["coefficients"])
    assert "V-Dem" in payload["caption"] and "data to 2014" in payload["caption"]

    check = runner.invoke(app, ["diffusion", "backtest", "--years", "1946-2010", "--until", "1989", "--out-dir", str(tmp_path / "bt")])
    assert check.exit_code == 0, check.output
    scores = pd.read_csv(tmp_path / "bt" / "scores.csv")
    assert set(scores["model"]) >= {"no diffusion", "region only", "ties", "+contiguity"}
    assert scores["auc"].between(0, 1).all() and (scores["brier"] > 0).all()

    args = ["diffusion", "simulate", "--from", "2024", "--horizon", "2030", "--paths", "1500", "--seed", "4", "--shock", "IND switches in 2026", "--format", "csv"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.output == second.output  # same seed, same numbers
    shares = pd.read_csv(__import__("io").StringIO(first.output))
    start = shares[(shares["year"] == 2024) & (shares["weight"] == "states")]
    assert (start["q05"] == start["q95"]).all()  # the start year is observed


def test_cli_errors_are_one_line(store):
    for args in (["diffusion", "fit", "--outcome", "democracy:freedom>3"], ["diffusion", "fit", "--ties", "contiguty"],
                 ["diffusion", "simulate", "--paths", "10", "--shock", "Atlantis switches in 2026"],
                 ["diffusion", "backtest", "--until", "2011"]):
        result = runner.invoke(app, args)
        assert result.exit_code != 0
        assert "Traceback" not in result.output


def test_a_user_column_gives_the_same_fit_as_the_built_in_rule(raw_democracy):
    from worldorder import fit_diffusion

    mine = raw_democracy.assign(dem=(raw_democracy["v2x_polyarchy"] >= 0.5).astype(float).where(raw_democracy["v2x_polyarchy"].notna()))
    built_in = fit_diffusion("democracy:polyarchy>=0.5", ties="contiguity", years="1960-2000")
    user = fit_diffusion("column:dem>=1", ties="contiguity", years="1960-2000", data=mine)
    assert np.allclose(built_in.coefficients["coef"], user.coefficients["coef"])
    assert (built_in.coefficients["n"] == user.coefficients["n"]).all()
    with_control = fit_diffusion("column:dem>=1", ties="contiguity", years="1960-2000", data=mine.assign(uds=mine["euds"]), controls=["uds"])
    assert "uds" in set(with_control.coefficients["term"])


def test_the_view_shows_one_year_of_exposure_and_the_fitted_effects(store):
    from worldorder import diffusion_exposure, diffusion_view

    view = diffusion_view(ties="contiguity,alliance", years="1960-2000", year=1989, until=None, start=None)
    assert set(view.exposure["year"]) == {1989} and {"stateabb", "y", "exp_contiguity", "exp_alliance"} <= set(view.exposure.columns)
    assert view.backtest is None and view.fan is None and view.simulation is None
    assert set(view.coefficients["transition"]) == {"enter", "leave"}
    same = diffusion_exposure(ties="contiguity,alliance", years="1988-1989")
    assert np.allclose(same[same["year"] == 1989]["exp_alliance"].to_numpy(), view.exposure["exp_alliance"].to_numpy())
