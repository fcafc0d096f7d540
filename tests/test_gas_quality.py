"""IEA gas flows: reporting gaps are gaps, aggregate rows are counted once, shares are of physical flows.

Known answers on hand-built tables, then the September 2022 file against an
independent computation from the raw sheet (read here with pandas).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from worldorder.networks.dependence import gas_dependence
from worldorder.networks.gas import GAS_BASIS, gas_edges, gas_flows
from worldorder.networks.gas_quality import aggregate_rows, mark_gas_flows, reporting_gaps

MONTHS = pd.date_range("2020-01-01", periods=14, freq="MS")


def _table(series: dict[tuple[str, str, str], list[float]]) -> pd.DataFrame:
    rows = [
        (point, exit_, entry, month, value)
        for (point, exit_, entry), values in series.items()
        for month, value in zip(MONTHS, values)
    ]
    return pd.DataFrame(rows, columns=["borderpoint", "exit", "entry", "month", "flow_mm3"])


def _fixture() -> pd.DataFrame:
    one = [10.0 + k for k in range(14)]
    two = [5.0 + 2 * k for k in range(14)]
    return _table({
        ("Gate (EON)", "Belgium", "Germany"): one,
        ("Gate (Wingas)", "Belgium", "Germany"): two,
        ("Gate (Sum)", "Belgium", "Germany"): [a + b for a, b in zip(one, two)],
        ("North", "Norway", "Germany"): [30.0] * 14,
        ("Pipe", "Russia", "Germany"): [50.0] * 14,
        ("East", "Poland", "Germany"): [20.0] * 14,
    })


def test_an_aggregate_row_is_found_from_the_values_and_counted_once():
    flows = _fixture()
    found = aggregate_rows(flows)
    assert found[["borderpoint", "exit", "entry"]].values.tolist() == [["Gate (Sum)", "Belgium", "Germany"]]
    assert set(found["parts"].item()) == {"Gate (EON)", "Gate (Wingas)"}
    marked = mark_gas_flows(flows)
    assert not marked.loc[marked["borderpoint"] == "Gate (Sum)", "counted"].any()
    assert marked.loc[marked["borderpoint"] != "Gate (Sum)", "counted"].all()
    table = gas_dependence(gas_flows(flows), country=255)
    first = table[table["month"] == MONTHS[0]].set_index("supplier_ccode")["flow"]
    assert first.to_dict() == {365: 50.0, 385: 30.0, 290: 20.0, 211: 15.0}
    assert table.groupby("month")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_the_aggregate_counts_where_its_parts_are_missing():
    flows = _fixture()
    parts = flows["borderpoint"].isin(["Gate (EON)", "Gate (Wingas)"]) & (flows["month"] >= MONTHS[12])
    flows.loc[parts & (flows["borderpoint"] == "Gate (EON)"), "flow_mm3"] = np.nan  # Belgium reports only the total
    marked = mark_gas_flows(flows)
    late = marked[marked["month"] >= MONTHS[12]]
    assert late.loc[late["borderpoint"] == "Gate (Sum)", "counted"].all()
    assert not late.loc[late["borderpoint"] == "Gate (Wingas)", "counted"].any()
    table = gas_dependence(gas_flows(flows), country=255)
    belgium = table[(table["supplier_ccode"] == 211)].set_index("month")["flow"]
    assert belgium[MONTHS[13]] == (10.0 + 13) + (5.0 + 26)


def test_a_row_equal_by_chance_in_few_months_is_not_an_aggregate():
    flows = _fixture()
    flows.loc[(flows["borderpoint"] == "Gate (Sum)") & (flows["month"] == MONTHS[5]), "flow_mm3"] += 40.0
    assert aggregate_rows(flows).empty


def test_reporting_gaps_are_gaps_not_zeros():
    flows = _fixture()
    gap = flows["month"].isin(MONTHS[4:6]) & ~flows["borderpoint"].isin(["Pipe"])
    flows.loc[gap, "flow_mm3"] = 0.0  # most points report zero at once, though gas flowed before and after
    flows.loc[(flows["borderpoint"] == "East") & (flows["month"] == MONTHS[9]), "flow_mm3"] = 0.0  # one real stop
    gaps = reporting_gaps(flows)
    assert gaps.attrs["months"] == list(MONTHS[4:6])
    assert len(gaps) == 2 * 5 and "Pipe" not in set(gaps["borderpoint"])
    mapped = gas_flows(flows)
    assert mapped.loc[gap, "flow_mm3"].isna().all() and mapped.loc[gap, "gap"].all()
    east = mapped[(mapped["borderpoint"] == "East") & (mapped["month"] == MONTHS[9])]
    assert east["flow_mm3"].item() == 0.0 and not east["gap"].item()  # a lone zero stays a zero
    monthly = gas_dependence(mapped, country=255)
    in_gap = monthly[monthly["month"].isin(MONTHS[4:6])]
    assert in_gap["gap"].all() and in_gap["share"].isna().all()  # Russia is not 100% of a month half reported
    yearly = gas_dependence(mapped, country=255, by="year").set_index(["year", "supplier_ccode"])
    assert yearly.loc[(2020, 365), "months"] == 10 and yearly.loc[(2020, 365), "flow"] == 500.0
    assert yearly.loc[(2021, 365), "partial"] and yearly.loc[(2021, 365), "months"] == 2
    edges = gas_edges(mapped)
    assert edges.set_index("year")["partial"].to_dict() == {2020: False, 2021: True}


def test_gas_dependence_says_what_the_flows_measure():
    table = gas_dependence(gas_flows(_fixture()), country=255)
    assert table.attrs["basis"] == GAS_BASIS and "not the origin" in GAS_BASIS
    assert "2021 is partial (January-February)" in table.attrs["vintage"]


# --------------------------------------------------------------------------- the real file


@pytest.fixture(scope="module")
def raw(mirror) -> pd.DataFrame:
    """The September 2022 IEA sheet read independently: one row per point and direction, one column per month."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = pd.read_excel(mirror / "energy" / "Export_GTF_IEA_202209.xls", header=None, engine="xlrd")
    body = sheet.iloc[1:][sheet.iloc[1:, 1].notna() & sheet.iloc[1:, 3].notna()]
    values = body.iloc[:, 5:].replace("N/A", np.nan).astype(float)
    values.columns = pd.to_datetime(sheet.iloc[0, 5:].to_list())
    values.index = pd.MultiIndex.from_arrays([body[0].str.strip(), body[1].str.strip(), body[3].str.strip()], names=["point", "exit", "entry"])
    return values


@pytest.fixture(scope="module")
def flows(store):
    from worldorder import load_gas_flows

    return load_gas_flows(db=store)


def _germany_pipeline(raw: pd.DataFrame) -> pd.DataFrame:
    germany = raw.xs("Germany", level="entry")
    return germany[~germany.index.get_level_values("exit").isin(["Liquefied Natural Gas", "Isle of Man"])]


def test_real_eynatten_sum_is_its_parts_and_is_counted_once(raw, flows):
    germany = _germany_pipeline(raw)
    total = germany.loc[("Eynatten (Sum)", "Belgium")]
    parts = germany.loc[("Eynatten (EON/RWE)", "Belgium")] + germany.loc[("Eynatten (Wingas)", "Belgium")]
    assert (total - parts).abs().max() <= 1.0  # the sum row equals its sub-points every month
    once = germany.drop(index="Eynatten (Sum)", level="point")
    expected = once.sum(axis=0, min_count=1)
    table = gas_dependence(flows, country=255)
    totals = table.groupby("month")["total"].first()
    for month in pd.to_datetime(["2019-01-01", "2021-06-01", "2022-06-01", "2022-09-01"]):
        assert totals[month] == pytest.approx(expected[month], rel=1e-12)
    assert expected[pd.Timestamp("2022-06-01")] - germany[pd.Timestamp("2022-06-01")].sum() == pytest.approx(-2178.0, abs=1.0)
    belgium = table[(table["supplier"] == "BEL") & (table["month"] == "2022-07-01")]["flow"].item()
    assert belgium == pytest.approx(germany.xs("Belgium", level="exit")[pd.Timestamp("2022-07-01")].sum() / 2, rel=1e-12)


def test_real_2009_reporting_gap_is_not_read_as_zero(raw, flows):
    germany = _germany_pipeline(raw)
    may = germany[pd.Timestamp("2009-05-01")]
    assert (may == 0).sum() >= 10 and may.loc[("Waidhaus", "Czech Republic")] > 0  # the trap as published
    naive = may.drop(index="Eynatten (Sum)", level="point").groupby(level="exit").sum()
    assert naive["Czech Republic"] / naive.sum() > 0.85  # what the zeros would make of it
    table = gas_dependence(flows, country=255)
    gap = table[table["month"].between("2009-04-01", "2009-09-01")]
    assert gap["gap"].all() and gap["share"].isna().all()
    assert not table.loc[table["month"] < "2009-04-01", "gap"].any()
    yearly = gas_dependence(flows, country=255, by="year")
    year2009 = yearly[yearly["year"] == 2009]
    assert (year2009["months"] == 6).all() and year2009["partial"].all()
    assert (yearly.loc[yearly["year"] == 2022, "months"] == 9).all() and yearly.loc[yearly["year"] == 2022, "partial"].all()
    assert not yearly.loc[yearly["year"] == 2021, "partial"].any()


def test_real_germany_supply_shares_by_entry_route_before_and_after_the_cut(raw, flows):
    germany = _germany_pipeline(raw).drop(index="Eynatten (Sum)", level="point")
    table = gas_dependence(flows, country=255, by_borderpoint=True)
    for month in ("2022-05-01", "2022-09-01"):
        column = germany[pd.Timestamp(month)].dropna()
        expected = (column / column.sum()).groupby(level="point").sum()
        mine = table[table["month"] == month].set_index("borderpoint")["share"]
        assert mine.reindex(expected.index).fillna(0.0).to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-12)
    nord = table[(table["borderpoint"] == "Nord Stream") & (table["month"].dt.year == 2022)].set_index("month")["share"]
    column_totals = germany.loc[:, germany.columns.year == 2022].sum(axis=0)
    expected_nord = germany.loc[("Nord Stream", "Russia")].loc[column_totals.index] / column_totals
    assert nord.to_numpy() == pytest.approx(expected_nord.to_numpy(), abs=1e-12)
    assert nord["2022-05-01"] > 0.35 and nord["2022-09-01"] == 0.0


def test_real_layer_of_one_year_counts_eynatten_once(store):
    from worldorder import load_layer

    edges = load_layer("gas", years=2021, db=store).edges
    belgium = edges[(edges["ccode1"] == 211) & (edges["ccode2"] == 255)]
    assert belgium["borderpoints"].item() == 2  # the sum row is found on the whole file, then the year chosen
    assert not belgium["partial"].item()
