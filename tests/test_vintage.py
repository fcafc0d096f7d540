"""Vintage: each result names its sources' versions and last years; claims past the data are "incomplete"."""

from __future__ import annotations

import pandas as pd
import pytest

from worldorder.charts import source_text
from worldorder.claims import check_ledger, parse_ledger
from worldorder.data.registry import coverage_span, registry
from worldorder.vintages import data_end, vintage, vintage_table, vintages

LEDGER = """
ledger: 1
title: past the data
claims:
  - id: spread-to-2030
    claim: Power has spread since 2010 and will until 2030.
    made_by: a test
    test:
      quantity: polarity
      index: effective_poles
      measure: [gdp, cinc]
      years: 2010-2030
      predicate: {type: trend, direction: rising}
  - id: spread-to-2024
    claim: Power spread from 2010 to 2024.
    made_by: a test
    test:
      quantity: polarity
      index: effective_poles
      measure: [gdp, gdp_ppp]
      years: 2010-2024
      predicate: {type: trend, direction: rising}
  - id: spread-open
    claim: Power has spread since 2010.
    made_by: a test
    test:
      quantity: polarity
      index: effective_poles
      measure: gdp
      years: 2010-
      predicate: {type: trend, direction: rising}
"""


@pytest.mark.parametrize(
    "text, span",
    [
        ("1816-2024, 217 states", ("1816", "2024")),
        ("years 1-2022 (dense from about 1950), 169 units", ("1", "2022")),
        ("2008-10 to 2022-09 (168 months), 220 rows", ("2008-10", "2022-09")),
        ("2020, 80 exporter-importer pairs", ("2020", "2020")),
        ("292 units, 72 code and name columns", (None, None)),
    ],
)
def test_coverage_spans(text, span):
    assert coverage_span(text) == span


def test_every_dated_source_has_a_last_year_and_monthly_ends_count_whole_years():
    for name in registry():
        if name != "countrycode_codelist":
            assert vintage(name).last_year is not None, name
    assert vintage("maddison_2023").last == "2022" and vintage("maddison_2020").last == "2018"
    monthly = vintage("iea_gas_trade_flows_2022_09")
    assert (monthly.last, monthly.last_year, monthly.last_full_year) == ("2022-09", 2022, 2021)
    assert data_end(["cow_trade_national_4", "wb_gdp"]).name == "cow_trade_national_4"
    assert [v.name for v in vintages(["wb_gdp", "not-a-data-set", "wb_gdp"])] == ["wb_gdp"]


def test_vintage_table_and_captions_name_the_last_year():
    table = vintage_table(["maddison_2023", "wb_trade_share"])
    assert list(table.columns) == ["source", "title", "version", "publisher", "first", "last"]
    assert table["last"].tolist() == ["2022", "2023"]
    assert "data to 2022" in source_text(["maddison_2023"]) and "2023" in source_text(["maddison_2023"])


def test_a_claim_past_its_sources_is_incomplete_not_decided(mirror, store):
    pyreadr = pytest.importorskip("pyreadr")
    maddison_end = int(next(iter(pyreadr.read_r(str(mirror / "maddison" / "mpd2023_MaddisonData.rda")).values()))["year"].max())
    nmc_end = int(pd.read_csv(mirror / "cow" / "NMC-70-abridged_from_peacesciencer.csv", usecols=["year"])["year"].max())
    ppp_end = int(pd.read_csv(mirror / "worldbank" / "owid_gdp-worldbank_NY.GDP.MKTP.PP.KD.csv", usecols=["Year"])["Year"].max())
    assert (maddison_end, nmc_end, ppp_end) == (2022, 2022, 2024)

    results = {r.claim.id: r for r in check_ledger(parse_ledger(LEDGER), db=store)}
    past = results["spread-to-2030"]
    assert past.verdict == f"incomplete: data end {maddison_end}"
    assert all(c.holds_text == "incomplete: data end 2022" for c in past.cases) and past.tested == 0

    mixed = results["spread-to-2024"]  # PPP GDP reaches 2024, Maddison stops in 2022
    by_measure = {c.case.measure: c for c in mixed.cases}
    assert by_measure["gdp"].incomplete == "2022" and by_measure["gdp"].outcome.holds is None
    assert by_measure["gdp_ppp"].outcome.holds is not None and by_measure["gdp_ppp"].outcome.last == ppp_end
    assert mixed.tested == 1 and not mixed.verdict.startswith("incomplete")
    assert any("incomplete" in note for note in mixed.notes)
    evidence = mixed.evidence.set_index("measure")
    assert evidence.loc["gdp", "data"] == "maddison_2023 to 2022" and evidence.loc["gdp_ppp", "data"] == "wb_gdp_ppp to 2024"

    assert results["spread-open"].cases[0].incomplete is None  # an open span runs to the latest data



def test_the_data_end_is_said_once_where_the_version_names_it():
    named = [name for name, dataset in registry().items() if "data to" in dataset.version]
    assert named, "some registered versions name their data's end (e.g. the World Bank's)"
    for name in named:
        assert vintage(name).text().count("data to") == 1, name
