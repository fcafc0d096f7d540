"""The 2020s energy files: IEA gas flows to September 2022 and the Energy Institute's 2024 Review.

Known answers on a small workbook built here (the Review's header trap and
markers), then the real files, checked against MANIFEST.md's figures and
against independent reads of the raw sheets.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from worldorder.data.parsers import energy
from worldorder.data.registry import get_dataset


def _ei_workbook(path, header_tail=(2023, "2013-23", 2023)):
    """A tiny "Gas - Trade movements" sheet in the Review's layout."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Gas - Trade movements"
    rows = [
        ["Natural gas: Inter-regional trade"],
        [None, None, None, None, "Growth rate per annum", None, "Share"],
        ["Billion cubic metres", 2021, 2022, 2023, *header_tail],
        ["Russian Federation"],
        ["Pipeline exports", 201.3, 125.0, 95.4, -0.236, -0.076, 0.10],
        ["of which: Europe", 167.9, 86.1, 49.8, -0.42, -0.12, 0.05],
        ["Other CIS", 25.9, 24.2, 24.3, "-", "-", 0.02],
        ["LNG exports*", 39.5, 43.4, 42.7, 0.1, "w", 0.04],
        ["Total exports", 240.9, 168.4, 138.1, -0.18, -0.05, 0.15],
        ["World"],
        ["Inter-regional pipeline trade", 504.5, 422.8, "-", -0.08, -0.02, 0.41],
        [None],
        ["*LNG exports include re-exports"],
        ["† Less than 0.05."],
        ["wLess than 0.05%"],
        ["Pipeline trade excludes intra-regional trade"],
    ]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_ei_parser_reads_only_the_year_columns_and_partner_rows(tmp_path):
    table = energy.parse_ei_gas_interregional_trade(_ei_workbook(tmp_path / "ei.xlsx"))
    assert list(table.columns) == list(get_dataset("ei_gas_interregional_trade_2023").columns)
    assert sorted(table["year"].unique()) == [2021, 2022, 2023]  # not the growth "2023", not "2013-23"
    europe = table[(table["partner"] == "Europe")].set_index("year")["bcm"]
    assert europe.to_dict() == {2021: 167.9, 2022: 86.1, 2023: 49.8}
    cis = table[table["partner"] == "Other CIS"]
    assert set(cis["flow"]) == {"Pipeline exports"} and len(cis) == 3
    assert set(table["flow"]) == {"Pipeline exports", "LNG exports", "Total exports", "Inter-regional pipeline trade"}
    world = table[table["region"] == "World"].set_index("year")["bcm"]
    assert world[2021] == 504.5 and np.isnan(world[2023])  # "-" is null, not zero
    assert (table.groupby(["region", "flow", "partner", "year"]).size() == 1).all()


def test_ei_parser_refuses_a_sheet_without_years(tmp_path):
    path = _ei_workbook(tmp_path / "ei.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active["B3"] = "two thousand"
    book.save(path)
    with pytest.raises(ValueError, match="year columns"):
        energy.parse_ei_gas_interregional_trade(path)


# --------------------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def ei(mirror):
    return energy.parse_ei_gas_interregional_trade(mirror / get_dataset("ei_gas_interregional_trade_2023").relpath)


@pytest.fixture(scope="module")
def ei_raw(mirror):
    path = mirror / get_dataset("ei_gas_interregional_trade_2023").relpath
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_excel(path, sheet_name="Gas - Trade movements", header=None)


def test_real_ei_russian_pipeline_exports_match_the_manifest(ei):
    rows = ei[(ei["region"] == "Russian Federation") & (ei["flow"] == "Pipeline exports") & (ei["partner"] == "Europe")]
    europe = rows.set_index("year")["bcm"]
    expected = {2019: 191.27, 2020: 167.38, 2021: 167.86, 2022: 86.08, 2023: 49.84}  # MANIFEST.md
    assert {year: round(europe[year], 2) for year in expected} == expected
    china = ei[(ei["region"] == "China") & (ei["flow"] == "Pipeline imports") & (ei["partner"] == "Russian Federation")]
    assert {y: round(v, 2) for y, v in zip(china["year"], china["bcm"]) if y in (2019, 2021, 2022, 2023)} == {
        2019: 0.28, 2021: 7.58, 2022: 14.67, 2023: 21.29}
    assert (ei["year"].min(), ei["year"].max(), ei["year"].nunique()) == (2000, 2023, 24)


def test_real_ei_against_the_raw_sheet(ei, ei_raw):
    """Every value read equals the raw cell found by label and the first header column of its year."""
    header = ei_raw.iloc[2]
    first = ei_raw[0].map(lambda v: str(v).strip())
    russia = int(np.flatnonzero(first.to_numpy() == "Russian Federation")[0])
    europe_row = russia + 1 + int(np.flatnonzero(first.iloc[russia + 1:].to_numpy() == "of which: Europe")[0])
    totals_row = russia + 1 + int(np.flatnonzero(first.iloc[russia + 1:].to_numpy() == "Pipeline exports")[0])
    for year in range(2000, 2024):
        column = [c for c in header.index if header[c] == year][0]  # the first "2023" is the year, later ones growth/share
        mine = ei[(ei["region"] == "Russian Federation") & (ei["flow"] == "Pipeline exports") & (ei["year"] == year)]
        assert mine.loc[mine["partner"] == "Europe", "bcm"].item() == pytest.approx(float(ei_raw.iloc[europe_row, column]))
        assert mine.loc[mine["partner"] == "", "bcm"].item() == pytest.approx(float(ei_raw.iloc[totals_row, column]))
    world = ei[(ei["region"] == "World") & (ei["flow"] == "Inter-regional pipeline trade") & (ei["year"] == 2023)]
    assert world["bcm"].item() == pytest.approx(387.730193, abs=1e-6)


@pytest.fixture(scope="module")
def iea09(mirror):
    return energy.parse_iea_gas_trade_flows(mirror / get_dataset("iea_gas_trade_flows_2022_09").relpath)


def test_real_iea_september_file(iea09, mirror):
    assert len(iea09) == 220 * 168
    assert iea09[["borderpoint", "exit", "entry"]].drop_duplicates().shape[0] == 220
    assert iea09["borderpoint"].nunique() == 158
    assert (iea09["month"].min(), iea09["month"].max()) == (pd.Timestamp("2008-10-01"), pd.Timestamp("2022-09-01"))
    assert iea09["flow_mm3"].isna().sum() == 1242
    names = set(iea09["exit"]) | set(iea09["entry"])
    assert {"Republic of Türkiye", "North Macedonia"} <= names and not {"Turkey", "Macedonia, Former Yugoslav Republic"} & names
    # Nord Stream 2022, against an independent read of the raw sheet (MANIFEST.md gives the same figures)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = pd.read_excel(mirror / "energy" / "Export_GTF_IEA_202209.xls", header=None, engine="xlrd")
    row = raw[(raw[0] == "Nord Stream") & (raw[1] == "Russia") & (raw[3] == "Germany")].iloc[0]
    months = pd.to_datetime(raw.iloc[0, 5:])  # xlrd turns the Excel date serials of the header into dates
    expected = {m: float(v) for m, v in zip(months, row.iloc[5:]) if m.year == 2022}
    nord = iea09[(iea09["borderpoint"] == "Nord Stream") & (iea09["month"].dt.year == 2022)].set_index("month")["flow_mm3"]
    assert nord.to_dict() == expected
    assert [round(nord[pd.Timestamp(f"2022-{m:02d}-01")], 2) for m in (1, 6, 7, 8, 9)] == [4690.75, 2807.67, 1195.78, 952.84, 0.0]
