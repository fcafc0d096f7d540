"""Layers built from small hand-made source tables: the edge builders and the Layer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.networks.gas import IEA_GAS_NAMES, bp_gas_edges, gas_edges, gas_flows
from worldorder.networks import (
    Layer,
    NetworkError,
    alliance_edges,
    atop_edges,
    contiguity_edges,
    dispute_edges,
    layer_from_edges,
    load_layer,
    similarity_edges,
    to_networkx,
    trade_edges,
)


def members(rows):
    return pd.DataFrame(rows, columns=["version4id", "ccode", "year", "defense", "neutrality", "nonaggression", "entente"])


def test_alliance_member_years_become_typed_dyads():
    table = members(
        [
            (1, 2, 1950, 1, 0, 0, 1),  # a defence pact of three
            (1, 20, 1950, 1, 0, 0, 1),
            (1, 200, 1950, 1, 0, 0, 1),
            (2, 2, 1950, 0, 0, 0, 1),  # an entente of two, the same pair as above
            (2, 20, 1950, 0, 0, 0, 1),
            (3, 365, 1950, 0, 1, 0, 0),  # neutrality pact
            (3, 290, 1950, 0, 1, 0, 0),
        ]
    )
    edges = alliance_edges(table)
    assert list(zip(edges.ccode1, edges.ccode2)) == [(2, 20), (2, 200), (20, 200), (290, 365)]
    usa_can = edges.iloc[0]
    assert usa_can.defense == 1 and usa_can.entente == 1 and usa_can.alliances == 2
    assert (edges.weight == 1).all()
    ordinal = alliance_edges(table, weighting="ordinal")
    assert ordinal.weight.tolist() == [3, 3, 3, 2]
    defence = alliance_edges(table, types=["defense"])
    assert len(defence) == 3
    with pytest.raises(NetworkError, match="Unknown alliance type"):
        alliance_edges(table, types=["offense"])


def test_atop_edges_are_undirected_and_typed():
    atop = pd.DataFrame(
        {"ccode1": [20, 2], "ccode2": [2, 200], "year": [1990, 1990], "atop_defense": [1, 0], "atop_offense": [0, 0],
         "atop_neutral": [0, 0], "atop_nonagg": [0, 1], "atop_consul": [1, 0]}
    )
    edges = atop_edges(atop, weighting="ordinal")
    assert list(zip(edges.ccode1, edges.ccode2)) == [(2, 20), (2, 200)]
    assert edges.weight.tolist() == [3, 2]
    assert len(atop_edges(atop, types=["consul"])) == 1


TRADE = pd.DataFrame(
    {"ccode1": [2, 2, 200, 2], "ccode2": [200, 710, 710, 365], "year": 2000,
     "flow1": [10.0, 30.0, 5.0, np.nan], "flow2": [20.0, 10.0, 0.0, 1.0]}
)


def test_total_trade_and_each_sides_share():
    edges = trade_edges(TRADE)
    # the USA-Russia dyad has a missing flow: its total is unknown and it is left out
    assert list(zip(edges.ccode1, edges.ccode2)) == [(2, 200), (2, 710), (200, 710)]
    assert edges.weight.tolist() == [30.0, 40.0, 5.0]
    # USA trades 70 in all: 30 with the UK, 40 with China
    assert edges.share1.tolist()[:2] == pytest.approx([30 / 70, 40 / 70])
    for code in (2, 200, 710):
        own = np.where(edges.ccode1 == code, edges.share1, np.where(edges.ccode2 == code, edges.share2, 0.0))
        assert own.sum() == pytest.approx(1.0)


def test_directed_trade_runs_from_exporter_to_importer():
    edges = trade_edges(TRADE, flow="directed")
    pairs = dict(zip(zip(edges.ccode1, edges.ccode2), edges.weight))
    assert pairs[(200, 2)] == 10.0  # flow1: US imports from the UK
    assert pairs[(2, 200)] == 20.0
    assert pairs[(2, 365)] == 1.0  # Russia's imports from the US are known
    assert (710, 200) in pairs and (200, 710) not in pairs  # a zero flow is no tie
    for column, side in (("share_exporter", "ccode1"), ("share_importer", "ccode2")):
        assert edges.groupby(side)[column].sum().to_numpy() == pytest.approx(1.0)
    with pytest.raises(NetworkError):
        trade_edges(TRADE, flow="both")


def test_similarity_is_one_minus_scaled_distance():
    points = pd.DataFrame({"ccode": [2, 200, 365, 710], "year": 1990, "idealpointfp": [1.0, 0.5, -1.0, np.nan]})
    edges = similarity_edges(points)
    pairs = dict(zip(zip(edges.ccode1, edges.ccode2), edges.weight))
    assert pairs == pytest.approx({(2, 200): 0.75, (2, 365): 0.0, (200, 365): 0.25})
    assert len(similarity_edges(points, threshold=0.5)) == 1


def test_contiguity_and_disputes():
    contiguity = pd.DataFrame({"ccode1": [2, 20, 2, 70], "ccode2": [20, 2, 70, 2], "year": 2000, "conttype": [1, 1, 1, 1]})
    contiguity.loc[2:, "conttype"] = 4
    assert len(contiguity_edges(contiguity)) == 2
    assert len(contiguity_edges(contiguity, max_type=1)) == 1
    mids = pd.DataFrame({"disno": [1, 1, 2], "ccode1": [365, 2, 2], "ccode2": [2, 365, 365], "year": 1962, "hihost": [3, 3, 4]})
    edges = dispute_edges(mids, weighting="hostility")
    assert len(edges) == 1 and edges.disputes.iloc[0] == 2 and edges.weight.iloc[0] == -4


IEA = pd.DataFrame(
    {
        "borderpoint": ["Nord Stream", "Nord Stream", "Waidhaus", "Zeebrugge (LNG)", "Isle of Man"],
        "exit": ["Russia", "Russia", "Czech Republic", "Liquefied Natural Gas", "United Kingdom"],
        "entry": ["Germany", "Germany", "Germany", "Belgium", "Isle of Man"],
        "month": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-01-01", "2020-01-01", "2020-01-01"]),
        "flow_mm3": [5000.0, 4500.0, 1000.0, 700.0, 3.0],
    }
)


def test_gas_names_map_to_states_and_non_states_stay_labelled():
    flows = gas_flows(IEA)
    assert flows.ccode_exit.tolist() == [365, 365, 316, 0, 200]
    assert flows.supplier.tolist()[3] == "LNG"
    assert flows.receiver.tolist()[4] == "Isle of Man"
    edges = gas_edges(flows)
    assert list(zip(edges.ccode1, edges.ccode2, edges.weight)) == [(316, 255, 1000.0), (365, 255, 9500.0)]
    monthly = gas_edges(flows, by="month")
    assert len(monthly) == 3
    with pytest.raises(NetworkError, match="Atlantis"):
        gas_flows(IEA.assign(exit=["Atlantis", *IEA.exit[1:]]))


def test_every_iea_state_name_has_a_cow_code():
    assert all(isinstance(code, int) and 2 <= code < 1000 for code in IEA_GAS_NAMES.values())


def test_bp_edges_leave_out_regions_and_residuals():
    bp = pd.DataFrame(
        {"exporter": ["Russian Federation", "Norway", "Other Europe", "Russian Federation"],
         "importer": ["Germany", "Germany", "Germany", "Other EU"], "year": 2020, "bcm": [56.3, 31.2, 1.6, 55.2]}
    )
    edges = bp_gas_edges(bp)
    assert list(zip(edges.ccode1, edges.ccode2)) == [(365, 255), (385, 255)]


def test_layer_builds_named_graphs_with_isolates():
    edges = pd.DataFrame({"year": [1990, 1990, 1991], "ccode1": [2, 2, 2], "ccode2": [20, 200, 20], "weight": [1.0, 2.0, 1.0]})
    nodes = pd.DataFrame({"year": [1990] * 4 + [1991] * 2, "ccode": [2, 20, 200, 365, 2, 20],
                          "stateabb": ["USA", "CAN", "UKG", "RUS", "USA", "CAN"]})
    layer = Layer("test", edges, nodes=nodes)
    assert layer.years == [1990, 1991] and len(layer) == 2 and 1990 in layer
    graph = layer[1990]
    assert graph.vs["name"] == ["2", "20", "200", "365"]  # names are codes as text
    assert graph.vs["ccode"] == [2, 20, 200, 365] and graph.vs["stateabb"][3] == "RUS"
    assert graph.degree() == [2, 1, 1, 0]  # Russia is a member without ties
    assert graph["year"] == 1990 and graph["layer"] == "test"
    assert layer[1990] is graph  # built once
    with pytest.raises(KeyError, match="1990-1991"):
        layer[1850]
    nx_graph = to_networkx(graph)
    assert set(nx_graph.nodes) == {2, 20, 200, 365} and nx_graph[2][200]["weight"] == 2.0
    assert nx_graph.nodes[365]["stateabb"] == "RUS"


def test_layer_from_edges_defaults():
    layer = layer_from_edges(pd.DataFrame({"ccode1": [1, 2], "ccode2": [2, 3], "weight": [1.0, -1.0]}), directed=True)
    assert layer.signed and layer.directed and layer.years == [0]
    assert layer[0].is_directed()


def test_unknown_layer_names_the_close_ones():
    with pytest.raises(NetworkError, match="Did you mean trade"):
        load_layer("trad")
