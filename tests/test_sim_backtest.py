"""Backtests of the projection: scores with known answers, no look-ahead, successions, real data end to end."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from worldorder.errors import WorldOrderError
from worldorder.sim.backtesting import backtest, forecast_model, forecast_shares
from worldorder.sim.origins import BacktestError, history, outcome_units, parse_origins, system_at
from worldorder.sim.scores import crps_sorted, interval_hits, pit_values

backtest_module = importlib.import_module("worldorder.sim.backtesting")


# ---------------------------------------------------------------- known answers
def test_scores_of_the_true_distribution_are_calibrated():
    """Samples from the process the outcomes come from: coverage within sampling error, uniform PIT."""
    rng = np.random.default_rng(5)
    units = 3000
    sigma = rng.uniform(0.5, 2.0, units)
    samples = np.sort(rng.normal(0.0, sigma, size=(1000, units)), axis=0)
    outcome = rng.normal(0.0, sigma)
    for level in (0.5, 0.8, 0.9):
        se = np.sqrt(level * (1 - level) / units)
        assert abs(interval_hits(samples, outcome, level).mean() - level) < 3.5 * se + 0.002
    counts = np.histogram(pit_values(samples, outcome), bins=10, range=(0, 1))[0]
    assert np.all(np.abs(counts / units - 0.1) < 3.5 * np.sqrt(0.09 / units))


def test_crps_known_answer_and_a_baseline_equal_to_the_truth_ties():
    # one sample: the absolute error; two samples {0, 1} against 0: 1/2 - 1/4
    assert crps_sorted(np.array([[2.0]]), np.array([0.5]))[0] == pytest.approx(1.5)
    assert crps_sorted(np.array([[0.0], [1.0]]), np.array([0.0]))[0] == pytest.approx(0.25)
    rng = np.random.default_rng(8)
    outcome = rng.normal(size=2000)
    model = np.sort(rng.normal(size=(500, 2000)), axis=0)
    same = np.sort(rng.normal(size=(500, 2000)), axis=0)  # a baseline that is the true process
    wrong = np.sort(rng.normal(0.5, 1.0, size=(500, 2000)), axis=0)
    a, b, c = (crps_sorted(x, outcome).mean() for x in (model, same, wrong))
    assert a == pytest.approx(b, rel=0.02)
    assert c > 1.05 * a


def synthetic(states: int = 40, years: tuple[int, int] = (1900, 2000), seed: int = 2) -> pd.DataFrame:
    """Independent random walks with known drifts and volatilities, COW codes across regions."""
    rng = np.random.default_rng(seed)
    codes = np.linspace(2, 950, states).astype(int)
    level = np.log(rng.lognormal(3.0, 1.0, states))
    mu = rng.normal(0.02, 0.004, states)
    rows = []
    for year in range(years[0], years[1] + 1):
        level = level + mu + rng.normal(0.0, 0.05, states)
        rows.append(pd.DataFrame({"ccode": codes, "year": year, "cinc": np.exp(level)}))
    return pd.concat(rows, ignore_index=True)


def test_backtest_of_a_known_process_covers_near_the_nominal_level():
    table = synthetic()
    result = backtest("cinc", "1950-1990/5", "5,10", paths=400, seed=3, tables={"cinc": table}, workers=1)
    cov = result.coverage[result.coverage["origin"].isna() & (result.coverage["forecaster"] == "worldorder")]
    for row in cov.itertuples():
        assert abs(row.coverage - row.level) < 0.1, row
    summary = result.summary().set_index(["horizon", "forecaster"])
    for h in (5, 10):  # the right model class beats no change
        assert summary.loc[(h, "worldorder"), "crps_share"] < summary.loc[(h, "no_change"), "crps_share"]


def test_track_record_refuses_a_horizon_that_is_not_whole_years():
    from worldorder.sim.records import track_record

    for bad in ("20", -1, 2.5, True):
        with pytest.raises(BacktestError, match="whole number"):
            track_record("gdp", bad)
    assert track_record("gdp", np.int64(20)) == track_record("gdp", 20)


def test_a_horizon_past_the_data_names_the_origins_left_out():
    """Origins whose outcome year lies past the data are not scored at that horizon, and the record says so."""
    from worldorder.sim.records import track_record

    table = synthetic(states=15, years=(1940, 2000))
    result = backtest("cinc", "1980,1985,1990", "5,15", paths=50, seed=1, tables={"cinc": table}, workers=1)
    assert "in backtests from 1980-1990 (" in track_record("cinc", 5, result=result)
    assert "in backtests from 1980-1985 (" in track_record("cinc", 15, result=result)
    assert "; origin 1990 too recent for 15 years)" in track_record("cinc", 15, result=result)


def test_a_record_of_other_model_options_names_them():
    from worldorder.sim.records import track_record

    table = synthetic(states=15, years=(1940, 2000))
    result = backtest("cinc", "1980,1990", "5", paths=50, seed=1, tables={"cinc": table}, workers=1, model={"drift": "own"})
    assert "50 paths; model drift=own)" in track_record("cinc", 5, result=result)
    default = backtest("cinc", "1980,1990", "5", paths=50, seed=1, tables={"cinc": table}, workers=1)
    assert "50 paths)" in track_record("cinc", 5, result=default)


# ---------------------------------------------------------------- no look-ahead
def test_no_value_after_an_origin_reaches_the_calibration(monkeypatch):
    table = synthetic(states=12, years=(1940, 2000))
    seen = []
    original = backtest_module.calibrate

    def spy(power, **options):
        seen.append((int(power["year"].max()), options["base_year"]))
        return original(power, **options)

    monkeypatch.setattr(backtest_module, "calibrate", spy)
    backtest("cinc", "1970,1980", "5,10", paths=50, tables={"cinc": table}, workers=1)
    assert seen and all(last <= origin for last, origin in seen)
    # changing every later value changes no forecast
    poisoned = table.assign(cinc=np.where(table["year"] > 1980, table["cinc"] * 1000.0, table["cinc"]))
    a = forecast_shares(history(table, 1980), "cinc", 1980, [5, 10], 64, 1, "leader:0.5", {"parameter_uncertainty": True})
    b = forecast_shares(history(poisoned, 1980), "cinc", 1980, [5, 10], 64, 1, "leader:0.5", {"parameter_uncertainty": True})
    for name in a[1]:
        np.testing.assert_array_equal(a[1][name], b[1][name])
    with pytest.raises(BacktestError, match="after the origin"):
        forecast_model(table, "cinc", 1980, {})


def test_settings_that_cannot_run_are_refused_before_any_work():
    table = synthetic(states=12, years=(1940, 2000))
    tables = {"cinc": table}
    for settings, words in [
        (dict(origins="1900-1960/10"), "give origins from 1950 on"),  # before the data, or too little history to calibrate
        (dict(measures=" , "), "at least one measure"),
        (dict(paths=5), "from 10 to"),
        (dict(paths=10**20), "from 10 to"),
        (dict(seed=-1), "seed -1"),
        (dict(workers=0), "workers 0"),
        (dict(scheduler=""), "address is empty"),
    ]:
        with pytest.raises(WorldOrderError, match=words):
            backtest(**{"measures": "cinc", "origins": "1970", "horizons": "5", "paths": 50, "tables": tables, **settings})


def test_origins_grammar():
    assert parse_origins("1960-2000/5") == list(range(1960, 2001, 5))
    assert parse_origins("1970,1990") == [1970, 1990]
    for bad in ("2000-1960", "sixties", "1960-2000/0"):
        with pytest.raises(BacktestError):
            parse_origins(bad)


# ---------------------------------------------------------------- successions
def test_successions_map_outcomes_to_the_origin_states():
    origin = [2, 260, 265, 365, 345, 315]
    unit_of, unit_of_code = outcome_units(origin, 1985, 2005)
    assert unit_of[1] == unit_of[2]  # the Germanies are one unit ...
    assert unit_of_code[255] == unit_of[1]  # ... scored against unified Germany
    for successor in (365, 366, 369, 705):  # the USSR against Russia and the other successors
        assert unit_of_code[successor] == unit_of[3]
    assert unit_of_code[316] == unit_of_code[317] == unit_of[5]
    assert 341 not in unit_of_code  # Montenegro leaves in 2006, after 2005
    assert len(set(unit_of)) == 5


@pytest.fixture(scope="module")
def gdp(mirror):
    from worldorder import create_power_years

    table = create_power_years(["gdp"], majors=False)
    return table[["ccode", "year", "gdp", "maddison_gdppc", "maddison_pop"]].copy().__finalize__(table)


def test_russia_growth_comes_from_its_own_series(gdp, mirror):
    from worldorder.sim.calibration import calibrate

    sources = gdp.attrs["measures"]["gdp"]["sources"]
    name = "mpd2023_full_data_from_MaddisonData.csv" if "maddison_2023" in sources else "mpd2020_full_data.csv"
    raw = pd.read_csv(mirror / "maddison" / name)
    raw["gdp"] = raw["gdppc"] * raw["pop"]
    series = lambda code: raw[raw["countrycode"] == code].set_index("year")["gdp"]  # noqa: E731
    sun, rus = series("SUN"), series("RUS")
    # growth 1989-1991 on the USSR's series, none across the 1992 break, 1993-2018 on Russia's own
    expected = np.concatenate([np.diff(np.log(sun.loc[1988:1991].to_numpy())), np.diff(np.log(rus.loc[1992:2018].to_numpy()))])
    table = gdp[["ccode", "year", "gdp"]]
    model = calibrate(table, value="gdp", base_year=2018, years=(1989, 2018)).table().set_index("ccode")
    assert model.loc[365, "nobs"] == len(expected) == 29
    assert model.loc[365, "raw_mean"] == pytest.approx(expected.mean(), rel=1e-9)
    assert model.loc[365, "raw_sd"] == pytest.approx(expected.std(ddof=1), rel=1e-9)
    own = calibrate(table, value="gdp", base_year=2018, years=(1993, 2018)).table().set_index("ccode")
    assert own.loc[365, "raw_mean"] == pytest.approx(np.diff(np.log(rus.loc[1992:2018].to_numpy())).mean(), rel=1e-9)


def test_the_1990_germanies_are_counted_once(mirror):
    from worldorder import create_power_years

    cinc = create_power_years(["cinc"], years=(1989, 1991), majors=False)[["ccode", "year", "cinc"]]
    raw = pd.read_csv(mirror / "cow" / "NMC-60-abridged.csv") if (mirror / "cow" / "NMC-60-abridged.csv").exists() else None
    codes = set(system_at(cinc, "cinc", 1990)["ccode"])
    assert 255 in codes and not codes & {260, 265}
    assert {260, 265} <= set(cinc.loc[(cinc["year"] == 1990) & (cinc["cinc"] > 0), "ccode"])  # the source has all three
    if raw is not None:
        assert (raw[(raw["year"] == 1990)]["ccode"].isin([255, 260, 265])).sum() >= 2


# ---------------------------------------------------------------- real data end to end
def test_real_backtest_two_origins_coverage_table_sums(gdp):
    result = backtest("gdp", "1980,1990", "5,10", paths=100, seed=2, tables={"gdp": gdp}, workers=2)
    cov = result.coverage
    per_origin = cov[cov["origin"].notna()]
    pooled = cov[cov["origin"].isna()].set_index(["forecaster", "horizon", "level"])
    sums = per_origin.groupby(["forecaster", "horizon", "level"])[["hits", "n"]].sum()
    pd.testing.assert_frame_equal(sums.sort_index(), pooled[["hits", "n"]].sort_index(), check_dtype=False)
    assert (pooled["coverage"] == pooled["hits"] / pooled["n"]).all()
    # origin 1980, 5 years on: no succession between, so the states are those with GDP in both years
    valued = gdp[gdp["gdp"] > 0]
    both = set(valued.loc[valued["year"] == 1980, "ccode"]) & set(valued.loc[valued["year"] == 1985, "ccode"])
    n1980 = per_origin[(per_origin["origin"] == 1980) & (per_origin["horizon"] == 5)]["n"].unique()
    assert list(n1980) == [len(both)]
    assert set(result.scores["forecaster"]) == {"worldorder", "no_change", "random_walk", "bootstrap"}
    assert (per_origin[per_origin["forecaster"] == "no_change"]["hits"] == 0).all()  # a point forecast never covers
    pit = result.pit.groupby(["forecaster", "horizon"])["count"].sum()
    n_units = per_origin[per_origin["level"] == 0.5].groupby(["forecaster", "horizon"])["n"].sum()
    pd.testing.assert_series_equal(pit.sort_index(), n_units.sort_index(), check_names=False, check_dtype=False)


# ---------------------------------------------------------------- command line
@pytest.mark.slow
def test_backtest_and_convergence_commands(mirror, tmp_path):
    import json

    from typer.testing import CliRunner

    from worldorder.cli import app

    runner = CliRunner()
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["backtest", "--measure", "cinc", "--origins", "1980,1990", "--horizons", "5", "--paths", "60",
                                 "--format", "json", "--out", str(out), "--chart", str(tmp_path / "bt.html")])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout[result.stdout.index("{"):result.stdout.rindex("}") + 1])
    assert {row["forecaster"] for row in payload["rows"]} == {"worldorder", "no_change", "random_walk", "bootstrap"}
    assert any("Track record" in note for note in payload["notes"])
    paired = pd.DataFrame(payload["more"][0]["rows"])  # model minus each baseline, paired by origin
    assert set(paired["baseline"]) == {"no_change", "random_walk", "bootstrap"} and (paired["n"] == 2).all()
    assert set(paired["metric"]) == {"crps_share", "brier_label", "brier_ahead"} and "p_value" in paired
    assert set(pd.read_csv(out)["origin"].dropna().astype(int)) == {1980, 1990}
    assert (tmp_path / "bt_pit.html").exists() and (tmp_path / "bt_reliability.html").exists()
    bad = runner.invoke(app, ["backtest", "--origins", "2000-1960"])
    assert bad.exit_code != 0 and "empty" in str(bad.exception)
    result = runner.invoke(app, ["convergence", "--years", "1960-2018", "--states", "CHN,IND,USA", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "group,beta,se,ci_low,ci_high" in result.stdout


def test_the_shipped_track_record_describes_todays_model_and_data(gdp):
    """A change of the model's defaults or of the data's source fails here until the record is rerun."""
    from worldorder.sim.backtesting import MODEL
    from worldorder.sim.records import calibrate_defaults, load_track_record, track_record, track_record_parts

    record = load_track_record()
    settings = record["settings"]
    assert settings["model"] == MODEL and settings["calibrate_defaults"] == calibrate_defaults()
    assert settings["measures"]["gdp"]["sources"] == gdp.attrs["measures"]["gdp"]["sources"]
    assert settings["origins"] == list(range(1960, 2001, 5)) and settings["paths"] == 20_000
    assert {(r["measure"], r["horizon"]) for r in record["pooled"]} == {(m, h) for m in ("gdp", "cinc") for h in (5, 10, 20, 30)}
    row = next(r for r in record["pooled"] if r["measure"] == "gdp" and r["horizon"] == 20)
    sentence = track_record("gdp", 25)
    assert f"at 20 years covered {row['coverage80']:.0%}" in sentence and "1960-2000" in sentence
    held, earlier = record["held_out"], record["held_out_earlier"]
    assert held["settings"]["origins"] == [2005, 2010, 2015] and held["settings"]["model"] == MODEL
    assert earlier["settings"]["origins"] == list(range(1830, 1956, 5)) and earlier["settings"]["model"] == MODEL
    held_row = next(r for r in held["pooled"] if r["measure"] == "gdp" and r["horizon"] == 10)
    earlier_row = next(r for r in earlier["pooled"] if r["measure"] == "gdp" and r["horizon"] == 20)
    main, earlier_part, held_part, explained = track_record_parts("gdp", 25)
    assert sentence == " ".join([main, earlier_part, held_part, explained]) and explained.startswith("p: Diebold-Mariano")
    assert earlier_part.startswith(f"Held out from every choice of model, from 1830-1955: 80% intervals at 20 years covered "
                                   f"{earlier_row['coverage80']:.0%}")
    assert held_part.startswith(f"Also held out, from 2005-2010 (origin 2015 too recent for 10 years): 80% intervals at 10 years "
                                f"covered {held_row['coverage80']:.0%}")
    assert held_row["origins"] == [2005, 2010] and row["origins"] == list(range(1960, 2001, 5))
    assert "from 1960-1990 (GDP, maddison_2023 to 2022; 20,000 paths; origins 1995-2000 too recent for 30 years)" in track_record("gdp", 30)
    failing = next(r for r in record["pooled"] if r["measure"] == "cinc" and r["horizon"] == 10)
    assert (failing["coverage50"] > 0.55) == ("FAILS calibration" in track_record("cinc", 10))
    # the CRPS clause compares with the strongest of the three baselines, wherever it is stated
    for part, source in ((main, row), (earlier_part, earlier_row), (held_part, held_row)):
        named = {"no change": "no_change", "the random walk": "random_walk", "the bootstrap": "bootstrap"}
        best = min(named, key=lambda name: source[f"crps_share_{named[name]}"])
        assert f"the best naive baseline ({best}" in part
        worse = source["crps_share"] > source[f"crps_share_{named[best]}"]
        assert ("above the best" in part) == worse
        label, still = source["brier_label"], source["brier_label_no_change"]
        assert f"polarity label {label:.2f} ({'better than' if label < still else 'no better than'} no change, {still:.2f}" in part
        assert f"the 5 largest states alone: {source['top5_coverage80']:.0%} and {source['top5_coverage50']:.0%}" in part
        inside = 0.75 <= source["coverage80"] <= 0.85 and 0.45 <= source["coverage50"] <= 0.55
        assert (("FAILS calibration" if part is main else "(outside the goal)") in part) != inside
    # the tests of the differences, where the record has enough origins for them (not the held-out 10 years: two origins)
    assert f"(the random walk, p = {row['p_crps_share_random_walk']:.2f})" in main
    assert f"no change, 0.89, p = {row['p_brier_label_no_change']:.2f})" in main
    assert held_row["p_crps_share_bootstrap"] is None and "(the bootstrap)" in held_part
    cinc = track_record("cinc", 20)
    assert "the 5 largest states alone: 58% and 31%, outside the goal" in cinc
