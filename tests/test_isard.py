"""isard data sets (democracy scores, Fariss et al. GDP and population, COW/G-W panels) and add_democracy.

Expected values are computed here from the raw .rda files with pyreadr and pandas,
or taken from the mirror's MANIFEST.md, never from the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import worldorder
from worldorder.data.registry import get_dataset
from worldorder.frames import FrameError

pyreadr = pytest.importorskip("pyreadr")


def _raw(mirror, name: str) -> pd.DataFrame:
    return next(iter(pyreadr.read_r(str(mirror / "isard" / f"{name}.rda")).values()))


def _parsed(mirror, dataset: str) -> pd.DataFrame:
    entry = get_dataset(dataset)
    return entry.parse_function()(mirror / entry.relpath)


def test_polity2_minus_nine_is_a_score_not_a_code(tmp_path):
    # a hand-built file: -9 is a real polity2 value and must survive parsing
    frame = pd.DataFrame(
        {"ccode": [2.0, 20.0], "year": [2000.0, 2000.0], "euds": [1.0, np.nan],
         "aeuds": [0.5, np.nan], "polity2": [-9.0, np.nan], "v2x_polyarchy": [0.8, 0.1]}
    )
    path = tmp_path / "cw_democracy.rda"
    pyreadr.write_rdata(str(path), frame, df_name="cw_democracy")
    parsed = get_dataset("isard_democracy").parse_function()(path)
    assert parsed["polity2"].tolist()[0] == -9 and np.isnan(parsed["polity2"].tolist()[1])
    assert parsed["ccode"].dtype == "int64" and parsed["year"].dtype == "int64"


def test_registry_entries_state_licence_units_and_columns():
    for name in ("isard_democracy", "isard_gdppop", "isard_cw_gw_panel", "isard_gw_cw_panel"):
        entry = get_dataset(name)
        assert "GPL-2" in entry.licence and entry.url.startswith("https://github.com/svmiller/isard/")
        assert entry.citation.lstrip().startswith("@") and entry.columns
    assert "millions of 2017 international dollars" in get_dataset("isard_gdppop").columns["pwtrgdp"]


def test_real_democracy_counts_match_manifest(mirror):
    table = _parsed(mirror, "isard_democracy")
    assert len(table) == 17706 and not table.duplicated(["ccode", "year"]).any()
    assert list(table.columns) == list(get_dataset("isard_democracy").columns)
    assert table[["euds", "aeuds", "polity2", "v2x_polyarchy"]].isna().sum().tolist() == [55, 55, 3271, 1016]
    assert (table["year"].min(), table["year"].max()) == (1816, 2025)
    assert table.loc[table["year"] == 2025, "ccode"].nunique() == 195
    system = pd.read_csv(mirror / "cow" / "system2024.csv")
    pairs = set(zip(table.loc[table["year"] <= 2024, "ccode"], table.loc[table["year"] <= 2024, "year"]))
    assert pairs == set(zip(system["ccode"], system["year"]))
    late_polity = table[(table["year"] > 2018) & table["polity2"].notna()]
    assert late_polity[["ccode", "year", "polity2"]].values.tolist() == [[2, 2019, 7], [2, 2020, 5]]
    raw = _raw(mirror, "cw_democracy")
    assert (raw["polity2"] == -9).sum() == (table["polity2"] == -9).sum() > 0


def test_real_gdppop_counts_and_values_match_manifest(mirror):
    table = _parsed(mirror, "isard_gdppop")
    assert len(table) == 16536 and (table["year"].min(), table["year"].max()) == (1816, 2019)
    assert table["pwtrgdp"].isna().sum() == 43 and table.drop(columns=["ccode", "year"]).isna().all(axis=1).sum() == 43
    y2019 = table[table["year"] == 2019].set_index("ccode")
    assert y2019.loc[2, "pwtpop"] == pytest.approx(330.7, abs=0.05)
    assert y2019.loc[710, "pwtpop"] == pytest.approx(1404.6, abs=0.05)
    assert y2019.loc[2, "pwtrgdp"] == pytest.approx(2.31e7, rel=0.005)
    assert y2019.loc[710, "pwtrgdp"] == pytest.approx(2.37e7, rel=0.005)
    assert (table[["sd_mrgdppc", "sd_pwtrgdp", "sd_pwtpop"]].dropna() > 0).all().all()


def test_real_cw_gw_panel_drops_the_rows_without_a_cow_code(mirror):
    raw = _raw(mirror, "cw_gw_panel")
    assert len(raw) == 17916 and raw["ccode"].isna().sum() == 210
    table = _parsed(mirror, "isard_cw_gw_panel")
    assert len(table) == 17916 - 210 and not table.duplicated(["ccode", "year"]).any()
    system = pd.read_csv(mirror / "cow" / "system2024.csv")
    assert set(zip(table["ccode"], table["year"])) - {(c, 2025) for c in table["ccode"]} == set(
        zip(system["ccode"], system["year"])
    )
    germany = table[(table["ccode"] == 255) & (table["year"] >= 1990)]
    assert set(germany["gwcode"]) == {260}
    assert table.loc[(table["ccode"] == 651) & (table["year"] == 1860), "gwcode"].isna().all()


def test_real_gw_cw_panel_keeps_every_row(mirror):
    table = _parsed(mirror, "isard_gw_cw_panel")
    assert len(table) == 20990 and table["ccode"].isna().sum() == 3187
    assert table["year"].dtype == "int64"


def test_add_democracy_gives_vdem_polyarchy_of_the_raw_file(mirror):
    raw = _raw(mirror, "cw_democracy")
    raw = raw.astype({"ccode": int, "year": int}).set_index(["ccode", "year"])
    frame = worldorder.add_democracy(worldorder.create_state_years(years="1900-2024"))
    got = frame.set_index(["ccode", "year"])
    for key in [(2, 2024), (2, 1950), (365, 2020), (710, 2000), (255, 1933), (200, 1900)]:
        assert got.loc[key, "v2x_polyarchy"] == pytest.approx(raw.loc[key, "v2x_polyarchy"]), key
    assert got.loc[(2, 2024), "v2x_polyarchy"] == pytest.approx(0.843)
    # each measure on its own coverage: polity2 stops in 2018 (USA alone to 2020), V-Dem does not
    assert got.loc[(365, 2019), "polity2"] != got.loc[(365, 2019), "polity2"]  # NaN
    assert got.loc[(2, 2020), "polity2"] == 5
    assert got.loc[(365, 2019), "v2x_polyarchy"] == pytest.approx(raw.loc[(365, 2019), "v2x_polyarchy"])
    assert len(frame) == len(worldorder.create_state_years(years="1900-2024"))


def test_add_democracy_on_dyads_and_bad_input(mirror):
    dyads = worldorder.create_dyad_years(directed=False, years=2010)
    out = worldorder.add_democracy(dyads, measures="v2x_polyarchy")
    assert {"v2x_polyarchy1", "v2x_polyarchy2"} <= set(out.columns) and len(out) == len(dyads)
    row = out[(out["ccode1"] == 2) & (out["ccode2"] == 710)].iloc[0]
    raw = _raw(mirror, "cw_democracy")
    china = raw[(raw["ccode"] == 710) & (raw["year"] == 2010)]["v2x_polyarchy"].iloc[0]
    assert row["v2x_polyarchy2"] == pytest.approx(china)
    with pytest.raises(FrameError, match="unknown column"):
        worldorder.add_democracy(dyads, measures="freedom_house")


def test_regime_type_by_polyarchy_and_polity(mirror):
    raw = _raw(mirror, "cw_democracy").astype({"ccode": int, "year": int}).set_index(["ccode", "year"])
    frame = worldorder.add_regime(worldorder.create_state_years(years="2018-2020")).set_index(["ccode", "year"])
    for key in [(2, 2020), (365, 2020), (710, 2019), (750, 2018)]:
        expected = "democracy" if raw.loc[key, "v2x_polyarchy"] >= 0.5 else "autocracy"
        assert frame.loc[key, "regime"] == expected, key
    assert frame["regime"].isna().sum() == frame["v2x_polyarchy"].isna().sum()  # no score, no regime
    polity = worldorder.add_regime(worldorder.create_state_years(years=2019), measure="polity2")
    assert polity["regime"].notna().sum() == 1  # Polity5 has only the USA in 2019
    dyads = worldorder.add_regime(worldorder.create_dyad_years(directed=False, years=2010))
    by_pair = dyads.groupby(["regime1", "regime2"], observed=True).size()
    assert by_pair.sum() == (dyads["regime1"].notna() & dyads["regime2"].notna()).sum()
    with pytest.raises(FrameError, match="measure must be"):
        worldorder.add_regime(worldorder.create_state_years(years=2010), measure="euds")


def test_add_democracy_on_gleditsch_ward_codes(mirror):
    raw = _raw(mirror, "cw_democracy").astype({"ccode": int, "year": int}).set_index(["ccode", "year"])
    frame = worldorder.add_democracy(worldorder.create_state_years(system="gw", years=2010)).set_index("gwcode")
    assert frame.loc[260, "v2x_polyarchy"] == pytest.approx(raw.loc[(255, 2010), "v2x_polyarchy"])  # G-W 260 is COW 255 from 1991
    assert frame.loc[678, "v2x_polyarchy"] == pytest.approx(raw.loc[(679, 2010), "v2x_polyarchy"])  # unified Yemen
    assert frame.loc[2, "polity2"] == raw.loc[(2, 2010), "polity2"]
    assert "ccode" not in frame.columns and frame.attrs["system"] == "gw"
    dyads = worldorder.add_democracy(worldorder.create_dyad_years(system="gw", years=2010, directed=False), "v2x_polyarchy")
    assert {"v2x_polyarchy1", "v2x_polyarchy2"} <= set(dyads.columns) and "ccode1" not in dyads.columns
    assert worldorder.add_regime(worldorder.create_state_years(system="gw", years=2010))["regime"].notna().sum() > 150


def test_frame_command_adds_democracy_regime_ppp_and_openness(mirror, tmp_path):
    from typer.testing import CliRunner

    from worldorder.cli import app

    out = tmp_path / "states.csv"
    result = CliRunner().invoke(app, ["frame", "state-years", "--years", "2020", "--add", "democracy,regime,gdp_ppp,trade_openness",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out).set_index("ccode")
    raw = _raw(mirror, "cw_democracy")
    usa = raw[(raw["ccode"] == 2) & (raw["year"] == 2020)].iloc[0]
    assert table.loc[2, "v2x_polyarchy"] == pytest.approx(usa["v2x_polyarchy"]) and table.loc[2, "regime"] == "democracy"
    assert {"wb_gdp_ppp", "wb_trade_gdp_pct"} <= set(table.columns)
