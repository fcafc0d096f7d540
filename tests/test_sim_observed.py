"""Scenarios against what happened: the numbers of the comparison, computed independently from the raw files."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "scenarios"


@pytest.fixture(scope="module")
def nord(store):
    from worldorder import check_observed

    return check_observed(EXAMPLES / "nord_stream_cut.toml", db=store)


@pytest.fixture(scope="module")
def germany_raw(mirror) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = pd.read_excel(mirror / "energy" / "Export_GTF_IEA_202209.xls", header=None, engine="xlrd")
    body = sheet.iloc[1:][(sheet.iloc[1:, 3] == "Germany") & ~sheet.iloc[1:, 1].isin(["Liquefied Natural Gas"])]
    body = body[body[0] != "Eynatten (Sum)"]  # the sum of the two Eynatten rows beside it
    values = body.iloc[:, 5:].replace("N/A", np.nan).astype(float)
    values.columns = pd.to_datetime(sheet.iloc[0, 5:].to_list())
    values.index = pd.MultiIndex.from_arrays([body[0].to_list(), body[1].to_list()], names=["point", "exit"])
    return values


def test_nord_stream_against_the_iea_flows_of_2022(nord, germany_raw):
    table = nord.tables["germany"]
    routes = table[table["level"] == "route"].set_index("name")
    year2021 = germany_raw.loc[:, germany_raw.columns.year == 2021]
    after = germany_raw.loc[:, (germany_raw.columns >= "2022-06-01") & (germany_raw.columns <= "2022-09-01")]
    base = year2021.sum(axis=1, min_count=1).groupby(level="point").sum() / 12
    seen = after.sum(axis=1, min_count=1).groupby(level="point").sum() / 4
    for point in ("Nord Stream", "Waidhaus", "Mallnow (Frankfurt am Oder)", "Dornum", "Eynatten (Wingas)"):
        assert routes.loc[point, "baseline"] == pytest.approx(base[point], rel=1e-9)
        assert routes.loc[point, "observed"] == pytest.approx(seen[point], rel=1e-9)
    assert routes.loc["Nord Stream", "predicted"] == 0.0
    assert routes.loc["Dornum", "predicted"] == routes.loc["Dornum", "baseline"]  # no rerouting in the scenario
    assert routes.loc["Nord Stream", "observed"] == pytest.approx((2807.669 + 1195.779 + 952.843 + 0.0) / 4, rel=1e-6)
    total = routes.loc["total"]
    assert total["baseline"] == pytest.approx(base.sum(), rel=1e-9) and total["observed"] == pytest.approx(seen.sum(), rel=1e-9)
    assert total["difference"] == pytest.approx((seen.sum() - base.sum()) - (-base["Nord Stream"]), rel=1e-9)
    suppliers = table[table["level"] == "supplier"].set_index("name")
    czech = year2021.xs("Czech Republic", level="exit").sum().sum() / 12
    assert suppliers.loc["CZR", "baseline"] == pytest.approx(czech, rel=1e-9)
    assert suppliers.loc["RUS", "predicted_change"] == pytest.approx(-base["Nord Stream"], rel=1e-9)


def test_nord_stream_against_the_energy_institute_at_europe_scale(nord, mirror, germany_raw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = pd.read_excel(mirror / "energy" / "ei-stats-review-2024-all-data.xlsx", sheet_name="Gas - Trade movements", header=None)
    labels = sheet[0].map(lambda v: str(v).strip())
    russia = int(np.flatnonzero(labels.to_numpy() == "Russian Federation")[0])
    row = russia + int(np.flatnonzero(labels.iloc[russia:].to_numpy() == "of which: Europe")[0])
    header = sheet.iloc[2]
    value = {year: float(sheet.iloc[row, [c for c in header.index if header[c] == year][0]]) for year in (2021, 2022, 2023)}
    lost = germany_raw.loc[("Nord Stream", "Russia"), germany_raw.columns.year == 2021].sum() / 1000
    europe = nord.tables["europe"]
    rows = europe[europe["flow"].str.startswith("Russia")].set_index("year")
    for year in (2022, 2023):
        assert rows.loc[year, "observed"] == pytest.approx(value[year], rel=1e-9)
        assert rows.loc[year, "predicted"] == pytest.approx(value[2021] - lost, rel=1e-9)
        assert rows.loc[year, "difference"] == pytest.approx(value[year] - (value[2021] - lost), rel=1e-9)
    assert round(rows.loc[2023, "observed"], 2) == 49.84 and round(lost, 1) == 55.4


def test_the_check_says_what_a_scenario_cannot_capture(nord):
    text = " ".join(nord.notes)
    assert "cannot capture" in text and "LNG" in text and "not the origin" in text
    assert set(nord.sources) == {"iea_gas_trade_flows_2022_09", "ei_gas_interregional_trade_2023"}


@pytest.mark.slow
def test_pandemic_against_world_bank_openness(store, mirror):
    from worldorder import check_observed

    check = check_observed(EXAMPLES / "pandemic_year.toml", db=store)
    table = check.tables["openness"].set_index("state")
    raw = pd.read_csv(mirror / "worldbank" / "owid_trade-as-share-of-gdp.csv")
    world = raw[raw["Code"] == "OWID_WRL"].set_index("Year")["Trade (% of GDP)"]
    for year in (2019, 2020, 2021, 2022, 2023):
        assert table.loc["WLD", str(year)] == pytest.approx(world[year], rel=1e-6)
    assert table.loc["WLD", "observed_pct"] == pytest.approx(100 * (world[2020] / world[2019] - 1), rel=1e-6)
    assert table.loc["WLD", "predicted_pct"] < 0  # a border closure lowers openness
    assert table.loc["WLD", "difference_pct"] == pytest.approx(table.loc["WLD", "observed_pct"] - table.loc["WLD", "predicted_pct"])
    assert "cannot capture" in " ".join(check.notes)


def test_a_scenario_without_an_observed_shock_is_refused(tmp_path, store):
    from worldorder import SimulationError, check_observed

    path = tmp_path / "war.toml"
    path.write_text('name = "t"\nbase_year = 2010\n[[shocks]]\ntype = "trade_war"\nbetween = [[2], [710]]\ntariff = 0.25\n')
    with pytest.raises(SimulationError, match="--observed covers"):
        check_observed(path, db=store)


def test_cli_scenario_check_observed(store):
    from typer.testing import CliRunner

    from worldorder.cli import app

    runner = CliRunner()
    refused = runner.invoke(app, ["scenario", "check", str(EXAMPLES / "nord_stream_cut.toml"), "--db", str(store.path)])
    assert refused.exit_code != 0 and "--observed" in refused.output
    done = runner.invoke(app, ["scenario", "check", str(EXAMPLES / "nord_stream_cut.toml"), "--observed", "--format", "csv", "--db", str(store.path)])
    assert done.exit_code == 0, done.output
    assert "# germany:" in done.output and "Nord Stream" in done.output and "Russia -> Europe pipeline exports" in done.output


def test_a_gas_scenario_of_another_border_point_is_refused(tmp_path, store):
    from worldorder import SimulationError, check_observed

    path = tmp_path / "norway.toml"
    path.write_text('name = "t"\nbase_year = 2021\n[[shocks]]\ntype = "link_removal"\nborder_point = "Dornum"\n')
    with pytest.raises(SimulationError, match="Nord Stream cut of 2022 only"):
        check_observed(path, db=store)
