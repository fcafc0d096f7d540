"""Parsers of the non-COW data sets: known answers on tiny fixtures, then the real files.

The fixtures under ``tests/fixtures/raw/<source>/`` copy the layout of the real
files with a handful of rows; ``tests/fixtures/make_fixtures_other.py`` made
the binary ones.  The real-data tests read the mirror named by
``WORLDORDER_DATA_DIR`` and parse each real file at most once per module.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder.data.parsers import atop, crosswalk, energy, maddison, peacesciencer, unga, worldbank
from worldorder.data.registry import get_dataset, registry

RAW = Path(__file__).parent / "fixtures" / "raw"
SOURCES = ("maddison", "worldbank", "unga", "atop", "energy", "crosswalk", "peacesciencer")
OURS = [name for name, dataset in registry().items() if dataset.source in SOURCES]


# --------------------------------------------------------------------------- known answers on fixtures


def test_maddison_reads_only_the_full_data_sheet():
    table = maddison.parse_maddison(RAW / "maddison" / "mpd2020.xlsx")
    assert list(table.columns) == ["iso3", "country", "year", "gdppc", "pop", "gdp"]
    assert table["year"].dtype == "int64"
    assert table["gdppc"].dtype == "float64" and table["pop"].dtype == "float64"
    assert table["iso3"].tolist() == ["AFG", "AFG", "GBR", "SUN", "USA"]
    afg = table.iloc[1]
    assert (afg["year"], afg["gdppc"], afg["pop"]) == (1950, 1156.0, 8150.0)
    assert afg["gdp"] == 1156 * 8150 * 1000
    assert table.loc[4, "gdp"] == pytest.approx(55334.7394 * 327834.6583 * 1000)
    # missing stays missing, and so does the product
    assert np.isnan(table.loc[0, "gdppc"]) and np.isnan(table.loc[0, "gdp"])
    assert np.isnan(table.loc[2, "pop"]) and np.isnan(table.loc[2, "gdp"])


def test_worldbank_gdp_long_table_and_aggregates():
    table = worldbank.parse_gdp(RAW / "worldbank" / "gdp.csv")
    assert list(table.columns) == ["iso3", "country", "year", "gdp_usd", "aggregate"]
    assert table["year"].dtype == "int64" and table["gdp_usd"].dtype == "float64"
    assert table["aggregate"].dtype == "bool"
    flags = dict(zip(table["iso3"], table["aggregate"]))
    assert flags == {"AFG": False, "EUU": True, "HIC": True, "LMC": True, "SSF": True, "USA": False}
    assert table.loc[table["iso3"] == "USA", "gdp_usd"].item() == 27360935000000.0
    assert table.loc[table["iso3"] == "AFG", "gdp_usd"].item() == pytest.approx(3521418059.923445)


def test_worldbank_population_is_integer_and_keeps_quoted_names():
    table = worldbank.parse_population(RAW / "worldbank" / "population.csv")
    assert list(table.columns) == ["iso3", "country", "year", "population", "aggregate"]
    assert table["population"].dtype == "int64"
    assert table.loc[table["iso3"] == "KOR", "country"].item() == "Korea, Rep."
    assert table.loc[table["iso3"] == "WLD", "population"].item() == 8141808945
    assert dict(zip(table["iso3"], table["aggregate"])) == {
        "CHN": False, "DEU": False, "KOR": False, "NAM": False, "WLD": True,
    }


def test_worldbank_milex_share_fills_blank_aggregate_codes_and_keeps_namibia():
    table = worldbank.parse_milex_gdp_share(RAW / "worldbank" / "wdi_MS.MIL.XPND.GD.ZS.csv")
    assert list(table.columns) == ["iso3", "country", "year", "milex_gdp_pct", "aggregate"]
    assert table["milex_gdp_pct"].dtype == "float64" and table["year"].dtype == "int64"
    assert table["iso3"].tolist() == ["CZE", "HIC", "NAM", "NAM", "USA", "WLD"]  # sorted by iso3, year
    assert table["aggregate"].tolist() == [False, True, False, False, False, True]
    # "NA" is a missing value only in the indicator column
    namibia = table[table["iso3"] == "NAM"]
    assert namibia["year"].tolist() == [1960, 2016]
    assert np.isnan(namibia["milex_gdp_pct"].iloc[0])
    assert namibia["milex_gdp_pct"].iloc[1] == pytest.approx(3.97104492479212)
    # an empty region is not an aggregate (Czechia), a blank iso3c gets its World Bank code
    assert table.loc[table["iso3"] == "HIC", "milex_gdp_pct"].item() == pytest.approx(3.5565225783523)


def test_unga_ideal_points_types_and_blank_names():
    table = unga.parse_ideal_points(RAW / "unga" / "IdealpointsJuly2025.dta")
    assert list(table.columns[:7]) == [
        "ccode", "iso3c", "countryname", "year", "idealpointfp", "idealpointall", "idealpointlegacy",
    ]
    assert "nvoteslegacy" in table.columns and "nvotesLegacy" not in table.columns
    assert table["ccode"].dtype == "int64" and table["year"].dtype == "int64"
    assert table["idealpointfp"].dtype == "float64"
    assert str(table["nvotesfp"].dtype) == "Int64"
    assert table["ccode"].tolist() == [2, 365, 666]
    assert table["year"].tolist() == [1946, 2024, 1948]
    assert table["idealpointfp"].iloc[:2].tolist() == [1.625, -1.75]
    assert table["nvotesfp"].iloc[0] == 25 and pd.isna(table["nvotesfp"].iloc[2])
    blank = table.iloc[2]
    assert pd.isna(blank["iso3c"]) and pd.isna(blank["countryname"])
    assert blank["idealpointlegacy"] == 0.125 and blank["nvoteslegacy"] == 24
    assert table.loc[0, "qofp"] == 0.5 and table.loc[1, "q100all"] == -3.0


def test_atop_state_year_renames_state_and_keeps_wide_ids():
    table = atop.parse_atop_sy(RAW / "atop" / "atop5_1sy.csv")
    ids = [f"atopid{i}" for i in range(1, 60)]
    assert list(table.columns) == [
        "ccode", "year", "atopally", "defense", "offense", "neutral", "nonagg", "consul", "number", "transyr", *ids,
    ]
    assert "version" not in table.columns
    assert all(table[c].dtype == "int64" for c in table.columns[:10])
    assert all(str(table[c].dtype) == "Int64" for c in ids)
    russia = table.iloc[2]
    assert (russia["ccode"], russia["year"], russia["defense"], russia["number"]) == (365, 2018, 1, 3)
    assert [russia[f"atopid{i}"] for i in (1, 2, 3)] == [3075, 4998, 7050]
    assert pd.isna(russia["atopid4"])
    assert table["atopid1"].tolist() == [1455, 1455, 3075]


def test_iea_gas_trade_flows_long_table():
    table = energy.parse_iea_gas_trade_flows(RAW / "energy" / "Export_GTF_IEA_202204.xls")
    assert list(table.columns) == ["borderpoint", "exit", "entry", "maxflow_mm3_per_h", "month", "flow_mm3"]
    assert len(table) == 4 * 3  # 4 border points x 3 months; the notes at the foot are gone
    assert table["month"].dtype.kind == "M"
    assert table["flow_mm3"].dtype == "float64" and table["maxflow_mm3_per_h"].dtype == "float64"
    nord = table[table["borderpoint"] == "Nord Stream"]
    assert (nord["exit"].unique().tolist(), nord["entry"].unique().tolist()) == (["Russia"], ["Germany"])
    assert nord["month"].tolist() == list(pd.to_datetime(["2022-02-01", "2022-03-01", "2022-04-01"]))
    assert nord["flow_mm3"].tolist() == [4491.182, 4816.443, 4855.518]
    assert nord["maxflow_mm3_per_h"].unique().tolist() == [6.67]
    # N/A is null, negative values are kept, LNG exit names are kept as given
    assert table.loc[table["borderpoint"] == "Alveringem", "maxflow_mm3_per_h"].isna().all()
    varska = table[table["borderpoint"] == "Varska"]["flow_mm3"].tolist()
    assert varska[0] == -1.316 and np.isnan(varska[1]) and varska[2] == 0.0
    assert table.loc[table["borderpoint"] == "Adriatic LNG", "exit"].iloc[0] == "Liquefied Natural Gas"
    assert not table["borderpoint"].str.startswith(("Unit", "Note", "Gas measured")).any()


def test_bp_pipeline_matrix_drops_totals_zeros_and_blanks():
    table = energy.parse_bp_gas_pipeline_trade(RAW / "energy" / "bp-stats-review-2021-all-data.xlsx")
    assert list(table.columns) == ["exporter", "importer", "year", "bcm", "residual"]
    assert table["year"].dtype == "int64" and table["bcm"].dtype == "float64" and table["residual"].dtype == "bool"
    pairs = {(e, i): v for e, i, v in zip(table["exporter"], table["importer"], table["bcm"])}
    assert pairs == {
        ("Canada", "US"): 68.151239,
        ("US", "Canada"): 21.849452,
        ("Norway", "Germany"): 31.18541,
        ("Norway", "Italy"): 5.413607,
        ("Norway", "Other EU"): 0.290368,
        ("Russian Federation", "Germany"): 56.281838,
        ("Russian Federation", "Italy"): 19.684403,
        ("Russian Federation", "Other EU"): 55.167843,
        ("Other Europe", "Germany"): 1.564295,
    }
    assert set(table["year"]) == {2020}
    residual = table[table["residual"]]
    assert set(zip(residual["exporter"], residual["importer"])) == {
        ("Norway", "Other EU"), ("Russian Federation", "Other EU"), ("Other Europe", "Germany"),
    }


def test_bp_pipeline_refuses_an_unknown_subtotal_row(tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(RAW / "energy" / "bp-stats-review-2021-all-data.xlsx")
    sheet = book["Gas - Trade movts - pipeline"]
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == "Europe":
            row[0].value = "Europe (total)"
    broken = tmp_path / "bp.xlsx"
    book.save(broken)
    with pytest.raises(ValueError, match="Total exports"):
        energy.parse_bp_gas_pipeline_trade(broken)


def test_eurostat_gas_imports_long_table():
    table = energy.parse_eurostat_gas_imports(
        RAW / "energy" / "eurostat_nrg_ti_gas_custom_imports_by_partner_2011-2020.xlsx"
    )
    assert list(table.columns) == ["country", "year", "product", "partner", "terajoules", "aggregate"]
    assert len(table) == 4 * 3 * 2
    assert table["year"].dtype == "int64" and table["terajoules"].dtype == "float64"
    assert set(table["product"]) == {"Natural gas", "Liquefied natural gas"}
    assert set(table["partner"]) == {"Russia", "All partners"}
    germany = "Germany (until 1990 former territory of the FRG)"
    value = table.query("country == @germany and year == 2020 and product == 'Natural gas' and partner == 'Russia'")
    assert value["terajoules"].item() == 2045449.486
    liechtenstein = table[table["country"] == "Liechtenstein"]
    assert liechtenstein["terajoules"].isna().sum() == 2  # ":" is null
    assert (liechtenstein["terajoules"] == 0).sum() == 2  # zeros stay zeros
    assert table.groupby("country")["aggregate"].first().to_dict() == {
        "European Union - 27 countries (from 2020)": True, germany: False, "Liechtenstein": False,
    }


def test_codelist_keeps_namibia_and_types_codes():
    table = crosswalk.parse_codelist(RAW / "crosswalk" / "codelist_without_cldr.csv")
    assert table.shape == (4, 72)
    assert not any("." in column for column in table.columns)
    assert "country_name_en" in table.columns and "un_region_code" in table.columns
    for column in ("cown", "gwn", "iso3n"):
        assert str(table[column].dtype) == "Int64"
    rows = table.set_index("country_name_en")
    assert rows.loc["Namibia", "iso2c"] == "NA"
    assert (rows.loc["Germany", "cown"], rows.loc["Germany", "gwn"], rows.loc["Germany", "iso3n"]) == (255, 260, 276)
    assert pd.isna(rows.loc["Yugoslavia", "iso3c"]) and pd.isna(rows.loc["Yugoslavia", "iso3n"])
    assert rows.loc["Yugoslavia", "cown"] == 345
    assert rows.loc["Afghanistan", "genc3n"] == "004"  # leading zeros kept
    assert rows.loc["Afghanistan", "un_name_zh"] == "阿富汗"


def test_rda_codes_become_integers_and_dates_datetimes():
    capitals = peacesciencer.parse_rda(RAW / "peacesciencer" / "cow_capitals.rda")
    assert list(capitals.columns) == ["ccode", "statenme", "capital", "stdate", "enddate", "lat", "lng"]
    assert capitals["ccode"].dtype == "int64" and capitals["ccode"].tolist() == [2, 235, 365]
    assert capitals["stdate"].dtype.kind == "M"
    assert capitals["stdate"].tolist()[2] == pd.Timestamp("1918-03-12")
    assert capitals["lat"].dtype == "float64" and capitals["lng"].dtype == "float64"
    assert capitals["lng"].iloc[1] == -9.0  # a real coordinate, not the missing code

    conflicts = peacesciencer.parse_rda(RAW / "peacesciencer" / "ucdp_acd.rda")
    assert conflicts["year"].dtype == "int64" and conflicts["gwno_a"].dtype == "int64"
    assert str(conflicts["gwno_b"].dtype) == "Int64" and pd.isna(conflicts["gwno_b"].iloc[0])
    assert conflicts["gwno_b"].iloc[1] == 666
    assert conflicts["ep_end_date"].iloc[0] == pd.Timestamp("2012-12-21") and pd.isna(conflicts["ep_end_date"].iloc[1])


def test_rda_minus_nine_becomes_null_in_code_columns():
    disputes = peacesciencer.parse_rda(RAW / "peacesciencer" / "gml_dirdisp.rda")
    assert disputes["year"].dtype == "int64"
    assert str(disputes["revtype21"].dtype) == "Int64" and str(disputes["fatalpre"].dtype) == "Int64"
    assert disputes["revtype21"].isna().tolist() == [True, True, False]
    assert disputes["fatalpre"].tolist()[:2] == [0, 0] and pd.isna(disputes["fatalpre"].iloc[2])
    assert disputes["version"].tolist() == ["gml-2.2.1"] * 3


def test_parser_names_the_file_when_a_column_is_absent(tmp_path):
    broken = tmp_path / "gdp.csv"
    broken.write_text("Country,Code,Year,Value\nWorld,WLD,2020,1\n")
    with pytest.raises(ValueError, match="gdp.csv.*Country Name"):
        worldbank.parse_gdp(broken)


def test_registry_entries_are_complete():
    expected = {
        "maddison_2020", "wb_gdp", "wb_population", "wb_milex_gdp_share", "unga_ideal_points_2025",
        "atop_5_1_sy", "iea_gas_trade_flows_2022_04", "bp_gas_pipeline_trade_2020",
        "eurostat_gas_imports_2011_2020", "countrycode_codelist", "ps_atop_alliance", "ps_gw_states",
        "ps_cow_capitals", "ps_gw_capitals", "ps_cow_mindist", "ps_cow_igo_sy", "ps_cow_igo_ndy",
        "ps_td_rivalries", "ps_ucdp_acd", "ps_gml_dirdisp",
    }
    assert expected <= set(OURS)
    for name in OURS:
        dataset = get_dataset(name)
        assert dataset.downloads, name  # some address serves exactly the registered bytes
        for kind, url in dataset.downloads:
            if kind == "copy":
                assert url.startswith("https://github.com/") and "/raw/" in url, name
        assert dataset.citation.strip().startswith("@"), name
        assert dataset.columns and dataset.notes and dataset.homepage, name
    assert {d.parser for d in map(get_dataset, OURS) if d.source == "peacesciencer"} == {"peacesciencer:parse_rda"}


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def mirror() -> Path:
    """The real-data mirror; skips when WORLDORDER_DATA_DIR is unset."""
    value = os.environ.get("WORLDORDER_DATA_DIR")
    if not value:
        pytest.skip("WORLDORDER_DATA_DIR is not set: no real data to test against")
    return Path(value)


@pytest.fixture(scope="module")
def real(mirror):
    """Parse a registered real file once per module: ``real(name) -> DataFrame``."""
    cache: dict[str, pd.DataFrame] = {}

    def load(name: str) -> pd.DataFrame:
        if name not in cache:
            dataset = get_dataset(name)
            cache[name] = dataset.parse_function()(mirror / dataset.relpath)
        return cache[name]

    return load


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@pytest.mark.parametrize("name", OURS)
def test_registered_sha256_matches_the_mirror(mirror, name):
    dataset = get_dataset(name)
    assert _sha256(mirror / dataset.relpath) == dataset.sha256
    for extra in dataset.extra_files:
        assert _sha256(mirror / dataset.source / extra.file) == extra.sha256, extra.file


ROWS = {
    "maddison_2020": 21682,
    "wb_gdp": 13979,
    "wb_population": 17195,
    "wb_milex_gdp_share": 17024,
    "unga_ideal_points_2025": 11440,
    "atop_5_1_sy": 11923,
    "iea_gas_trade_flows_2022_04": 217 * 163,
    "bp_gas_pipeline_trade_2020": 80,
    "eurostat_gas_imports_2011_2020": 44 * 10 * 4,
    "countrycode_codelist": 292,
    "ps_atop_alliance": 273296,
    "ps_gw_states": 216,
    "ps_cow_capitals": 242,
    "ps_gw_capitals": 264,
    "ps_cow_mindist": 952244,
    "ps_cow_igo_sy": 15557,
    "ps_cow_igo_ndy": 917695,
    "ps_td_rivalries": 197,
    "ps_ucdp_acd": 5652,
    "ps_gml_dirdisp": 10276,
    "maddison_2023": 23280,
    "wb_trade_share": 9541,
    "wb_gdp_ppp": 7240,
}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_real_rows_and_documented_columns(real, name):
    table = real(name)
    assert len(table) == ROWS[name]
    assert list(table.columns) == list(get_dataset(name).columns), "registry [columns] must list every output column"
    for column in ("year", "ccode", "ccode1", "ccode2", "gwcode"):
        if column in table.columns:
            assert table[column].dtype == "int64", (name, column)


def test_real_maddison(real):
    table = real("maddison_2020")
    assert (table["year"].min(), table["year"].max()) == (1, 2018)
    assert table["iso3"].nunique() == 169
    usa = table[(table["iso3"] == "USA") & (table["year"] == 2018)].iloc[0]
    assert usa["gdppc"] == pytest.approx(55334.7394) and usa["pop"] == pytest.approx(327834.6583)
    assert usa["gdp"] == pytest.approx(55334.7394 * 327834.6583 * 1000)
    assert table["gdppc"].isna().sum() == 1976 and table["pop"].isna().sum() == 4483


def test_real_worldbank_aggregates(real, mirror):
    raw = pd.read_csv(mirror / "worldbank" / "wdi_MS.MIL.XPND.GD.ZS.csv", dtype="str", keep_default_na=False)
    marked = set(raw.loc[raw["region"] == "Aggregates", "iso3c"])
    assert len(marked) == 42 and marked <= worldbank.WB_AGGREGATES
    milex = real("wb_milex_gdp_share")
    countries = set(milex.loc[~milex["aggregate"], "iso3"])
    assert len(countries) == 217
    for name, aggregates in (("wb_gdp", 48), ("wb_population", 48), ("wb_milex_gdp_share", 49)):
        table = real(name)
        flags = table.groupby("iso3")["aggregate"].first()
        for code in ("WLD", "EUU", "HIC", "LMC", "SSF"):
            assert flags[code], (name, code)
        for code in ("USA", "CHN", "DEU", "NAM", "CZE", "VNM"):
            assert not flags[code], (name, code)
        assert flags.sum() == aggregates
        # every code that is not an aggregate is a country or territory of the WDI extract
        assert set(flags.index[~flags]) <= countries | {"GIB", "PRK", "VGB"}
        assert not table.duplicated(["iso3", "year"]).any()
    gdp = real("wb_gdp")
    assert gdp.loc[(gdp["iso3"] == "USA") & (gdp["year"] == 2023), "gdp_usd"].item() == 27360935000000.0
    pop = real("wb_population")
    assert pop.loc[(pop["iso3"] == "WLD") & (pop["year"] == 2024), "population"].item() == 8141808945
    assert milex["milex_gdp_pct"].isna().sum() == 6868


def test_real_unga(real):
    table = real("unga_ideal_points_2025")
    assert (table["year"].min(), table["year"].max()) == (1946, 2024)
    assert table["ccode"].nunique() == 199
    assert table["iso3c"].isna().sum() == 17 and table["countryname"].isna().sum() == 17
    assert not table.duplicated(["ccode", "year"]).any()
    usa = table[(table["ccode"] == 2) & (table["year"] == 1946)].iloc[0]
    assert usa["iso3c"] == "USA" and usa["idealpointfp"] == pytest.approx(1.663375, abs=1e-6)
    assert usa["nvotesfp"] == 25


def test_real_atop(real):
    table = real("atop_5_1_sy")
    ids = [c for c in table.columns if c.startswith("atopid")]
    assert len(ids) == 59
    assert (table["atopally"] == 1).all()
    assert (table["number"] == table[ids].notna().sum(axis=1)).all()
    assert (table["year"].min(), table["year"].max()) == (1815, 2018)
    assert table["ccode"].nunique() == 207
    usa = table[(table["ccode"] == 2) & (table["year"] == 2018)].iloc[0]
    assert usa["number"] == 19 and usa["atopid1"] == 3075 and usa["defense"] == 1


def test_real_iea_nord_stream(real):
    table = real("iea_gas_trade_flows_2022_04")
    assert table[["borderpoint", "exit", "entry"]].drop_duplicates().shape[0] == 217
    assert (table["month"].min(), table["month"].max()) == (pd.Timestamp("2008-10-01"), pd.Timestamp("2022-04-01"))
    assert (table["month"].dt.day == 1).all()
    nord = table[(table["borderpoint"] == "Nord Stream") & (table["exit"] == "Russia") & (table["entry"] == "Germany")]
    assert len(nord) == 163 and nord["month"].is_unique
    assert nord.loc[nord["month"] == "2022-04-01", "flow_mm3"].item() == 4855.518
    assert nord.loc[nord["month"] == "2022-01-01", "flow_mm3"].item() > 4000
    assert nord["maxflow_mm3_per_h"].unique().tolist() == [6.67]
    assert table["flow_mm3"].isna().sum() == 1073
    assert not table["borderpoint"].str.startswith(("Unit:", "Note:", "Gas measured", "The ")).any()


def test_real_bp_pipeline(real):
    table = real("bp_gas_pipeline_trade_2020")
    russia_germany = table[(table["exporter"] == "Russian Federation") & (table["importer"] == "Germany")]
    assert russia_germany["bcm"].item() == pytest.approx(56.281838, abs=1e-6)
    assert set(table["year"]) == {2020}
    assert (table["bcm"] > 0).all()
    assert table["bcm"].sum() == pytest.approx(755.842631, abs=1e-5)  # bp's "Total exports"
    names = set(table["exporter"]) | set(table["importer"])
    assert not names & energy.BP_REGION_SUBTOTALS and not any(n.startswith("Total") for n in names)
    assert (table["exporter"].nunique(), table["importer"].nunique()) == (22, 30)
    assert table.loc[table["importer"] == "Other EU", "residual"].all()


def test_real_eurostat(real):
    table = real("eurostat_gas_imports_2011_2020")
    assert (table["year"].min(), table["year"].max()) == (2011, 2020)
    assert table["terajoules"].isna().sum() == 58
    germany = "Germany (until 1990 former territory of the FRG)"
    value = table.query("country == @germany and year == 2020 and product == 'Natural gas' and partner == 'Russia'")
    assert value["terajoules"].item() == pytest.approx(2045449.486)
    eu28_2020 = table.query("country.str.startswith('European Union - 28') and year == 2020")
    assert eu28_2020["terajoules"].isna().all()
    assert table.loc[table["aggregate"], "country"].nunique() == 3
    # natural gas includes LNG: never less than LNG for the same country, partner and year
    wide = table.pivot_table(index=["country", "year", "partner"], columns="product", values="terajoules").dropna()
    assert len(wide) > 800 and (wide["Liquefied natural gas"] <= wide["Natural gas"] + 1e-6).all()


def test_real_codelist(real):
    table = real("countrycode_codelist")
    assert table.shape == (292, 72)
    rows = table.set_index("country_name_en")
    assert rows.loc["Namibia", "iso2c"] == "NA"
    assert (rows.loc["Germany", "cown"], rows.loc["Germany", "gwn"]) == (255, 260)
    assert (rows.loc["Vietnam", "cown"], rows.loc["Vietnam", "gwn"]) == (816, 815)
    assert 260 not in set(table["cown"].dropna()) and 730 not in set(table["cown"].dropna())


def test_real_peacesciencer(real):
    alliance = real("ps_atop_alliance")
    assert (alliance["ccode1"] < alliance["ccode2"]).sum() == len(alliance) // 2  # both orientations
    for name in ("ps_cow_mindist", "ps_cow_igo_ndy"):
        table = real(name)
        assert (table["ccode1"] < table["ccode2"]).all(), name
    assert real("ps_cow_mindist")["mindist"].dtype == "float64"
    states = real("ps_gw_states")
    assert states["startdate"].dtype.kind == "M" and states["gwcode"].dtype == "int64"
    capitals = real("ps_cow_capitals")
    assert capitals["lat"].dtype == "float64" and capitals["ccode"].nunique() == 217
    conflicts = real("ps_ucdp_acd")
    assert conflicts[["conflict_id", "year"]].drop_duplicates().shape[0] == 2752
    assert (conflicts["year"].min(), conflicts["year"].max()) == (1946, 2024)
    disputes = real("ps_gml_dirdisp")
    codes = disputes.select_dtypes("number")
    assert not (codes == -9).any().any()
    assert disputes["revtype21"].isna().sum() == 8371
    igo = real("ps_cow_igo_sy")
    assert igo.loc[(igo["ccode"] == 2) & (igo["year"] == 2014), "sum_igo_anytype"].item() == 93
    rivalries = real("ps_td_rivalries")
    assert (rivalries["styear"].min(), rivalries["endyear"].max()) == (1494, 2010)
