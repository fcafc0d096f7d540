"""Trade openness to 2023 (World Bank, via OWID) in `openness` and in claims, checked against the raw file."""

from __future__ import annotations

import pandas as pd
import pytest

import worldorder
from worldorder.claims import check_ledger, parse_ledger

LEDGER = """
ledger: 1
title: openness in the 2020s
claims:
  - id: openness-2020
    claim: Trade openness fell in 2020 and was back at its 2019 level by 2022.
    made_by: a test
    test:
      quantity: globalization
      measure: openness_wb
      among: [all, USA, CHN]
      predicate: {type: recovers, shocks: [2020], within: 2}
"""


@pytest.fixture(scope="module")
def raw_trade(mirror):
    return pd.read_csv(mirror / "worldbank" / "owid_trade-as-share-of-gdp.csv")


def _value(raw, code, year):
    return raw[(raw["Code"] == code) & (raw["Year"] == year)]["Trade (% of GDP)"].iloc[0] / 100


def test_world_openness_2019_to_2021_and_to_2023(raw_trade, store):
    table = worldorder.load_openness(years="2019-2023", db=store).set_index("year")
    for year in (2019, 2020, 2021):
        assert table.loc[year, "openness_wb"] == pytest.approx(_value(raw_trade, "OWID_WRL", year))
    assert table.index.max() == 2023 and table["openness"].isna().all()  # COW trade ends in 2014
    assert table.loc[2020, "openness_wb"] < table.loc[2019, "openness_wb"] < table.loc[2022, "openness_wb"]
    share = worldorder.world_trade_share(db=store)
    assert (share["year"].min(), share["year"].max()) == (1970, 2023)  # the world aggregate starts in 1970


def test_openness_claim_world_and_states(raw_trade, store):
    result = check_ledger(parse_ledger(LEDGER), db=store)[0]
    by_among = {case.case.among: case for case in result.cases}
    assert set(by_among) == {"all", "USA", "CHN"}
    for among, code in (("all", "OWID_WRL"), ("USA", "USA"), ("CHN", "CHN")):
        expected = bool(_value(raw_trade, code, 2022) >= _value(raw_trade, code, 2019))
        assert by_among[among].outcome.holds is expected, among
    assert result.verdict == "supported"


def test_states_in_a_globalization_claim_need_the_world_bank_measure():
    text = LEDGER.replace("measure: openness_wb", "measure: [openness, density]")
    with pytest.raises(worldorder.ClaimsError, match="openness_wb"):
        parse_ledger(text)
    with pytest.raises(worldorder.ClaimsError, match="one state"):
        parse_ledger(LEDGER.replace("[all, USA, CHN]", "[all, region:Europe]"))
