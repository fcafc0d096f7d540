"""The December 2026 files: Maddison 2023, WDI trade openness and PPP GDP (via OWID).

Expected values come from the raw files read here with pandas/pyreadr, or from
the mirror's MANIFEST.md, never from the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.data.registry import get_dataset


def _parsed(mirror, name: str) -> pd.DataFrame:
    entry = get_dataset(name)
    return entry.parse_function()(mirror / entry.relpath)


def test_owid_zero_is_missing_and_unknown_entities_are_refused(tmp_path):
    path = tmp_path / "trade.csv"
    path.write_text(
        "Entity,Code,Year,Trade (% of GDP)\nBrazil,BRA,1960,0\nBrazil,BRA,1980,20.5\nWorld,OWID_WRL,1980,38.1\n"
        "Low-income countries,,1980,30\nFaeroe Islands,,1980,90",  # no trailing newline, as published
        encoding="utf-8",
    )
    table = get_dataset("wb_trade_share").parse_function()(path)
    assert np.isnan(table.loc[(table["iso3"] == "BRA") & (table["year"] == 1960), "trade_gdp_pct"]).all()
    assert table.set_index("iso3")["aggregate"].to_dict() == {"BRA": False, "FRO": False, "LIC": True, "WLD": True}
    path.write_text("Entity,Code,Year,Trade (% of GDP)\nAtlantis,,1980,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Atlantis"):
        get_dataset("wb_trade_share").parse_function()(path)


def test_real_maddison_2023_matches_manifest_and_the_derived_csv(mirror):
    table = _parsed(mirror, "maddison_2023")
    assert (len(table), table["iso3"].nunique(), table["year"].max()) == (23280, 169, 2022)
    assert (table["gdppc"].isna().sum(), table["pop"].isna().sum()) == (1914, 5405)
    y2022 = table[table["year"] == 2022].set_index("iso3")
    assert len(y2022) == 169 and y2022[["gdppc", "pop"]].notna().all().all()
    for code, value in {"USA": 58487, "CHN": 19238, "RUS": 25437, "IND": 7766, "DEU": 46648}.items():
        assert round(y2022.loc[code, "gdppc"]) == value
    # the trap: former states beside their successors (sum of pop 8.13 bn against a world of 7.80 bn)
    assert {"SUN", "CSK", "YUG"} <= set(y2022.index)
    assert y2022["pop"].sum() / 1e6 == pytest.approx(8.13, abs=0.01)
    csv = pd.read_csv(mirror / "maddison" / "mpd2023_full_data_from_MaddisonData.csv", keep_default_na=False, na_values=[""])
    merged = csv.merge(table, left_on=["countrycode", "year"], right_on=["iso3", "year"], suffixes=("_csv", ""))
    assert len(merged) == len(table)
    assert np.allclose(merged["gdppc_csv"], merged["gdppc"], equal_nan=True)


def test_real_trade_share_counts_and_world_openness(mirror):
    raw = pd.read_csv(mirror / "worldbank" / "owid_trade-as-share-of-gdp.csv", keep_default_na=False)
    table = _parsed(mirror, "wb_trade_share")
    assert len(table) == 9541 and table["trade_gdp_pct"].isna().sum() == (raw["Trade (% of GDP)"] == 0).sum() == 33
    iso = raw["Code"].str.fullmatch(r"[A-Z]{3}")
    assert table.loc[~table["aggregate"] & (table["year"] == 2023) & table["iso3"].isin(raw.loc[iso, "Code"]), "iso3"].nunique() == 156
    assert table.loc[table["aggregate"], "country"].nunique() == 14  # 13 unnamed aggregates and the world
    world = raw[raw["Code"] == "OWID_WRL"].set_index("Year")["Trade (% of GDP)"]
    got = table[table["iso3"] == "WLD"].set_index("year")["trade_gdp_pct"]
    for year in (2019, 2020, 2021):
        assert got[year] == pytest.approx(world[year])
    assert got[2020] < got[2019] and got[2021] > got[2020]


def test_real_gdp_ppp_examples(mirror):
    table = _parsed(mirror, "wb_gdp_ppp")
    assert len(table) == 7240 and table["year"].min() == 1990 and table["year"].max() == 2024
    y2024 = table[table["year"] == 2024].set_index("iso3")["gdp_ppp"]
    for code, trillions in {"USA": 25.67, "CHN": 33.60, "IND": 14.25, "RUS": 6.09, "DEU": 5.22}.items():
        assert y2024[code] / 1e12 == pytest.approx(trillions, abs=0.005)
    assert table.loc[table["year"] == 2024, "country"].nunique() == 201
    assert set(table.loc[table["aggregate"], "iso3"]) >= {"WLD", "EUU", "WB_SSA"}
