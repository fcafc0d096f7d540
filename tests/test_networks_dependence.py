"""Dependence and foreign-policy similarity on hand-made tables with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.networks.dependence import (
    OTHER,
    alliance_portfolios,
    gas_dependence,
    kappa,
    pair_dependence,
    portfolio_similarity,
    s_score,
    trade_dependence,
)
from worldorder.networks.gas import gas_flows
from worldorder.networks import Layer, alliance_edges

TRADE = pd.DataFrame(
    {"ccode1": [2, 2, 200, 2, 365], "ccode2": [200, 710, 710, 365, 710], "year": 2000,
     "flow1": [10.0, 30.0, 5.0, np.nan, 8.0], "flow2": [20.0, 10.0, 5.0, 1.0, 2.0]}
)


def shares(table):
    return {(row.ccode, row.group): row.share for row in table.itertuples()}


def test_trade_dependence_on_poles_with_the_rest_as_other():
    table = trade_dependence(TRADE, {"USA": 2, "CHN": 710})
    got = shares(table)
    assert got[(200, "USA")] == pytest.approx(30 / 40) and got[(200, "CHN")] == pytest.approx(10 / 40)
    assert got[(2, "USA")] == 0.0 and got[(2, "CHN")] == pytest.approx(40 / 70) and got[(2, OTHER)] == pytest.approx(30 / 70)
    assert table.groupby(["year", "ccode"])["share"].sum().to_numpy() == pytest.approx(1.0)
    # the US-Russia dyad has an unknown flow: Russia's total counts only its known trade (with China)
    assert got[(365, "CHN")] == 1.0


def test_trade_dependence_on_blocs_by_imports():
    blocs = pd.DataFrame({"ccode": [2, 200, 710, 365], "bloc": [1, 1, 2, 2]})
    table = trade_dependence(TRADE, blocs, flow="imports")
    got = shares(table)
    assert got[(2, "1")] == pytest.approx(10 / 40)  # US imports: 10 from the UK, 30 from China
    assert table["group"].unique().tolist() == ["1", "2", OTHER]
    assert table.groupby("ccode")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_pair_dependence_is_asymmetric():
    out = pair_dependence(TRADE).set_index(["ccode1", "ccode2"])
    usa_uk = out.loc[(2, 200)]
    assert usa_uk["dependence1"] == pytest.approx(30 / 70) and usa_uk["dependence2"] == pytest.approx(30 / 40)
    assert usa_uk["asymmetry"] == pytest.approx(30 / 70 - 30 / 40)
    assert usa_uk["salience"] == pytest.approx(np.sqrt(30 / 70 * 30 / 40))
    assert usa_uk["symmetry"] == pytest.approx(1 - abs(30 / 70 - 30 / 40))
    gdp = pd.DataFrame({"ccode": [2, 200], "year": 2000, "gdp": [1e13, 1e12]})
    by_gdp = pair_dependence(TRADE, gdp=gdp).set_index(["ccode1", "ccode2"])
    assert by_gdp.loc[(2, 200), "dependence1"] == pytest.approx(30e6 / 1e13)
    assert np.isnan(by_gdp.loc[(2, 710), "dependence2"])  # no GDP for China: unknown, not zero


IEA = pd.DataFrame(
    {
        "borderpoint": ["Nord Stream", "Waidhaus", "Dornum", "Nord Stream", "Waidhaus", "Gate", "Nord Stream"],
        "exit": ["Russia", "Czech Republic", "Norway", "Russia", "Czech Republic", "Liquefied Natural Gas", "Russia"],
        "entry": ["Germany", "Germany", "Germany", "Germany", "Germany", "Netherlands", "Germany"],
        "month": pd.to_datetime(["2020-01-01"] * 3 + ["2020-02-01"] * 3 + ["2020-03-01"]),
        "flow_mm3": [5000.0, 3000.0, 2000.0, 4000.0, np.nan, 900.0, np.nan],
    }
)


def test_gas_dependence_by_month_sums_to_one():
    table = gas_dependence(gas_flows(IEA), country=255)
    january = table[table["month"] == "2020-01-01"].set_index("supplier")["share"]
    assert january.to_dict() == pytest.approx({"Russia": 0.5, "Czech Republic": 0.3, "Norway": 0.2})
    assert table.groupby("month")["share"].sum().to_numpy() == pytest.approx(1.0)
    # February: Waidhaus missing, so Russia is all of the known flow; March: nothing known, no row
    assert table[table["month"] == "2020-02-01"]["share"].tolist() == [1.0]
    assert "2020-03-01" not in table["month"].astype(str).tolist()


def test_gas_dependence_by_year_and_border_point_and_lng():
    flows = gas_flows(IEA)
    yearly = gas_dependence(flows, country=255, by="year").set_index("supplier")
    assert yearly.loc["Russia", "share"] == pytest.approx(9000 / 14000)
    points = gas_dependence(flows, country=255, by="year", by_borderpoint=True)
    assert "Nord Stream" in points["borderpoint"].tolist()
    assert gas_dependence(flows, country=210).empty  # the Dutch import only LNG here
    lng = gas_dependence(flows, country=210, include_lng=True)
    assert lng["supplier"].tolist() == ["LNG"] and lng["share"].tolist() == [1.0]


PORTFOLIOS = pd.DataFrame(
    [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0]], index=pd.Index(list("abcd"), name="state")
)


def test_s_of_identical_opposite_and_half_matching_portfolios():
    s = s_score(PORTFOLIOS)
    assert s.loc["a", "b"] == 1.0 and s.loc["a", "c"] == -1.0 and s.loc["a", "d"] == 0.0
    assert np.allclose(s.to_numpy(), s.to_numpy().T)
    valued = pd.DataFrame([[3, 0], [1, 0]])
    assert s_score(valued, scale=(0, 3)).loc[0, 1] == pytest.approx(1 - 2 * (2 / 2) / 3)
    assert s_score(valued, scale=(0, 3), metric="squared").loc[0, 1] == pytest.approx(1 - 2 * (4 / 2) / 9)
    weighted = s_score(PORTFOLIOS, weights=[1, 0, 0, 0])
    assert weighted.loc["a", "d"] == 1.0  # they agree on the one dimension that counts


def test_kappa_corrects_for_chance():
    k = kappa(PORTFOLIOS, metric="nominal")
    assert k.loc["a", "b"] == 1.0 and k.loc["a", "c"] == -1.0 and k.loc["a", "d"] == pytest.approx(0.0)
    # Cohen's kappa by hand: x = 1110, y = 1000: p_o = 1/2, p_e = 3/4*1/4 + 1/4*3/4 = 3/8
    pair = pd.DataFrame([[1, 1, 1, 0], [1, 0, 0, 0]])
    assert kappa(pair, metric="nominal").loc[0, 1] == pytest.approx((0.5 - 3 / 8) / (1 - 3 / 8))
    assert kappa(pair, metric="absolute").loc[0, 1] == pytest.approx((0.5 - 3 / 8) / (1 - 3 / 8))  # binary: the same
    constant = pd.DataFrame([[1, 1], [1, 1]])
    assert np.isnan(kappa(constant).loc[0, 1])


def test_weighted_kappa_on_ordinal_values():
    pair = pd.DataFrame([[3, 0, 2], [3, 1, 0]])
    observed = (0 + 1 + 2) / 3
    p, q = {3: 1 / 3, 0: 1 / 3, 2: 1 / 3}, {3: 1 / 3, 1: 1 / 3, 0: 1 / 3}
    expected = sum(p[a] * q[b] * abs(a - b) for a in p for b in q)
    assert kappa(pair, metric="absolute").loc[0, 1] == pytest.approx(1 - observed / expected)


def test_alliance_portfolios_and_their_similarity():
    members = pd.DataFrame(
        [(1, 2, 1960, 1, 0, 0, 0), (1, 20, 1960, 1, 0, 0, 0), (2, 365, 1960, 0, 0, 0, 1), (2, 290, 1960, 0, 0, 0, 1)],
        columns=["version4id", "ccode", "year", "defense", "neutrality", "nonaggression", "entente"],
    )
    nodes = pd.DataFrame({"year": 1960, "ccode": [2, 20, 290, 365], "stateabb": ["USA", "CAN", "POL", "RUS"]})

    graph = Layer("alliance", alliance_edges(members), nodes=nodes)[1960]
    portfolios = alliance_portfolios(graph)
    assert portfolios.loc[2].tolist() == [3, 3, 0, 0] and portfolios.loc[290].tolist() == [0, 0, 3, 1]
    table = portfolio_similarity(graph).set_index(["ccode1", "ccode2"])
    assert table.loc[(2, 20), "s"] == 1.0 and table.loc[(2, 20), "kappa"] == 1.0
    assert table.loc[(2, 290), "s"] == pytest.approx(1 - 2 * (3 + 3 + 3 + 1) / (4 * 3))
    assert table.loc[(290, 365), "s"] == pytest.approx(1.0 - 2 * 4 / 12)
    assert list(table.columns) == ["year", "s", "kappa"]
