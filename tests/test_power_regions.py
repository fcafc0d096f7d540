"""Regions: COW code ranges, UN regions from the code list, user regions, leaders and since when."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.power import PowerError, add_region, cow_region, regional_leaders, regional_polarity, un_regions


def test_cow_regions_from_code_ranges():
    codes = [2, 165, 200, 365, 395, 402, 600, 626, 630, 651, 698, 700, 710, 860, 900, 990]
    assert cow_region(codes).tolist() == [
        "Americas", "Americas", "Europe", "Europe", "Europe", "Africa", "Africa", "Africa",
        "Middle East", "Middle East", "Middle East", "Asia", "Asia", "Asia", "Oceania", "Oceania",
    ]
    assert cow_region([900], oceania=False).tolist() == ["Asia"]


def test_un_regions_from_a_code_list_with_fallbacks():
    codelist = pd.DataFrame(
        {
            "cown": [2.0, 651.0, 255.0, np.nan],
            "un.region.name": ["Americas", "Africa", "Europe", "Europe"],
            "un.regionsub.name": ["Northern America", "Northern Africa", "Western Europe", "Southern Europe"],
        }
    )
    table = un_regions(codelist).set_index("ccode")
    assert table.loc[651, "un_region"] == "Africa"  # COW puts Egypt in the Middle East, the UN in Africa
    assert table.loc[260, "un_region"] == "Europe" and table.loc[260, "region_source"] == "successor"
    assert table.loc[345, "un_subregion"] == "Southern Europe"


def states() -> pd.DataFrame:
    rows = []
    for year in (2000, 2001, 2002):
        for code, abb, value in ((2, "USA", 100), (20, "CAN", 10), (200, "UKG", 30), (255, "GMY", 25 + 5 * (year - 2000))):
            rows.append((code, abb, year, float(value)))
    frame = pd.DataFrame(rows, columns=["ccode", "stateabb", "year", "power"])
    frame.attrs["measure"] = "power"
    return frame


def test_regional_polarity_and_leaders_since():
    frame = states()
    table = regional_polarity(frame, "power")
    europe = table[table["region"] == "Europe"].set_index("year")
    assert europe.loc[2000, "top1_share"] == pytest.approx(30 / 55)
    assert europe.loc[2002, "leader"] == "GMY"
    leaders = regional_leaders(frame, "power").set_index("region")
    assert leaders.loc["Europe", "leader"] == "GMY" and leaders.loc["Europe", "since"] == 2002
    assert leaders.loc["Americas", "since"] == 2000 and leaders.loc["Americas", "years_leading"] == 3
    in_2001 = regional_leaders(frame, "power", year=2001).set_index("region")
    assert in_2001.loc["Europe", "leader"] == "UKG" and in_2001.loc["Europe", "since"] == 2000


def test_user_regions_may_overlap_but_not_in_one_column(tmp_path):
    frame = states()
    regions = {"North Atlantic": ["USA", "UKG", 20], "Old Europe": ["UKG", "GMY"]}
    table = regional_polarity(frame, "power", regions=regions)
    assert set(table["region"]) == {"North Atlantic", "Old Europe"}
    with pytest.raises(PowerError, match="overlap"):
        add_region(frame, regions)
    path = tmp_path / "regions.toml"
    path.write_text('[regions]\n"North America" = ["USA", "CAN"]\n')
    assert add_region(frame, str(path))["region"].notna().sum() == 6
    assert add_region(frame, "cow")["region"].tolist()[:4] == ["Americas", "Americas", "Europe", "Europe"]
