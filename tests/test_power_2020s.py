"""Power measures on the newer data: Maddison 2023 by default, PPP GDP, Fariss et al. with standard deviations.

Expected values are computed here from the raw files with pandas/pyreadr.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import worldorder
from worldorder.power import PowerError

pyreadr = pytest.importorskip("pyreadr")


def _cow_of_iso(mirror) -> dict[str, int]:
    """ISO3 -> COW code from the countrycode list, plus Serbia (COW 345), which the list leaves blank."""
    codes = pd.read_csv(mirror / "crosswalk" / "codelist_without_cldr.csv", usecols=["iso3c", "cown"],
                        keep_default_na=False, na_values=[""])
    codes = codes.dropna()
    return {**dict(zip(codes["iso3c"], codes["cown"].astype(int))), "SRB": 345}


def test_china_us_gdp_shares_2022_by_maddison_2023(mirror):
    raw = next(iter(pyreadr.read_r(str(mirror / "maddison" / "mpd2023_MaddisonData.rda")).values()))
    raw = raw[(raw["year"] == 2022) & ~raw["ISO"].isin(["SUN", "CSK", "YUG"])].copy()
    raw["ccode"] = raw["ISO"].map(_cow_of_iso(mirror))
    system = pd.read_csv(mirror / "cow" / "system2024.csv")
    members = set(system.loc[system["year"] == 2022, "ccode"])
    raw = raw[raw["ccode"].isin(members)]
    gdp = (raw["gdppc"] * raw["pop"]).groupby(raw["ccode"]).sum()
    expected = gdp / gdp.sum()

    table = worldorder.shares(worldorder.create_power_years("gdp", years=2022), column="gdp")
    got = table.set_index("ccode")["share"]
    assert got[710] == pytest.approx(expected[710], rel=1e-9)
    assert got[2] == pytest.approx(expected[2], rel=1e-9)
    assert 0.20 < got[710] < 0.21 and 0.145 < got[2] < 0.155  # China ahead of the US at 2011 PPP
    assert table["share"].sum() == pytest.approx(1.0)
    assert table.attrs["measures"]["gdp"]["sources"] == ["maddison_2023"]


def test_maddison_2020_stays_selectable(mirror):
    old = pd.read_csv(mirror / "maddison" / "mpd2020_full_data.csv")
    usa = old[(old["countrycode"] == "USA") & (old["year"] == 2018)].iloc[0]
    frame = worldorder.add_gdp(worldorder.create_state_years(years=2018), version="2020")
    table = worldorder.gdp(frame)
    assert table.attrs["measures"]["gdp"]["sources"] == ["maddison_2020"]
    assert "2020" in table.attrs["measures"]["gdp"]["label"]
    assert table.set_index("ccode").loc[2, "gdp"] == pytest.approx(usa["gdppc"] * usa["pop"] / 1000)
    with pytest.raises(worldorder.frames.FrameError, match="2023"):
        worldorder.add_gdp(worldorder.create_state_years(years=2018), version="2019")


def test_no_maddison_unit_feeds_two_states(mirror):
    frame = worldorder.add_gdp(worldorder.create_state_years(years="1989-2022"))
    values = frame.dropna(subset=["maddison_gdp"])
    assert not values.duplicated(["year", "maddison_gdp"]).any()  # one unit's value never lands on two states


def test_ppp_gdp_measure_to_2024(mirror):
    raw = pd.read_csv(mirror / "worldbank" / "owid_gdp-worldbank_NY.GDP.MKTP.PP.KD.csv")
    table = worldorder.create_power_years("gdp_ppp", years="2024").set_index("ccode")
    for code, iso in [(2, "USA"), (710, "CHN"), (750, "IND")]:
        value = raw[(raw["Code"] == iso) & (raw["Year"] == 2024)]["GDP"].iloc[0]
        assert table.loc[code, "gdp_ppp"] == pytest.approx(value / 1e6)
    assert table.loc[710, "gdp_ppp"] > table.loc[2, "gdp_ppp"]


def test_fariss_measures_carry_standard_deviations_into_intervals(mirror):
    raw = next(iter(pyreadr.read_r(str(mirror / "isard" / "cw_gdppop.rda")).values()))
    row = raw[(raw["ccode"] == 710) & (raw["year"] == 2019)].iloc[0]
    table = worldorder.create_power_years(["gdp_fariss", "population_fariss"], years="2015-2019")
    china = table.set_index(["ccode", "year"]).loc[(710, 2019)]
    assert china["gdp_fariss"] == pytest.approx(row["pwtrgdp"]) and china["gdp_fariss_sd"] == pytest.approx(row["sd_pwtrgdp"])
    assert china["population_fariss_sd"] == pytest.approx(row["sd_pwtpop"])
    assert table.attrs["measures"]["gdp_fariss"]["sd_column"] == "gdp_fariss_sd"

    first = worldorder.polarity_intervals(table, column="gdp_fariss", method="measured", draws=60, seed=3)
    again = worldorder.polarity_intervals(table, column="gdp_fariss", method="measured", draws=60, seed=3)
    pd.testing.assert_frame_equal(first, again)
    assert (first["hhi_lo"] <= first["hhi"]).all() and (first["hhi"] <= first["hhi_hi"]).all()
    narrow = worldorder.polarity_intervals(table.assign(gdp_fariss_sd=0.0), column="gdp_fariss", method="measured", draws=20, seed=3)
    assert np.allclose(narrow["hhi_lo"], narrow["hhi"]) and np.allclose(narrow["hhi_hi"], narrow["hhi"])
    with pytest.raises(PowerError, match="standard deviations"):
        worldorder.polarity_intervals(worldorder.create_power_years("gdp_ppp", years=2019), method="measured", draws=5)


def test_trade_openness_join_to_2023(mirror):
    raw = pd.read_csv(mirror / "worldbank" / "owid_trade-as-share-of-gdp.csv")
    frame = worldorder.add_trade_openness(worldorder.create_state_years(years="2019-2023")).set_index(["ccode", "year"])
    for code, iso, year in [(2, "USA", 2020), (710, "CHN", 2023), (255, "DEU", 2021)]:
        value = raw[(raw["Code"] == iso) & (raw["Year"] == year)]["Trade (% of GDP)"].iloc[0]
        assert frame.loc[(code, year), "wb_trade_gdp_pct"] == pytest.approx(value)
