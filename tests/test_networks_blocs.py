"""Blocs on hand-made graphs: known communities, seeds, consensus, signed blocs, polarity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.networks.blocs import (
    bloc_polarity,
    bloc_power,
    blocs,
    consensus_blocs,
    frustration,
    resolution_scan,
    signed_blocs,
)
from worldorder.networks.layers import NetworkError, layer_from_edges


def clique(codes):
    return [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]]


WEST = [2, 20, 200, 210, 220]
EAST = [290, 310, 315, 360, 365]
TWO_CAMPS = layer_from_edges(pd.DataFrame(clique(WEST) + clique(EAST) + [(220, 290)], columns=["ccode1", "ccode2"]).assign(year=1985))


def test_two_cliques_make_two_blocs_labelled_by_size():
    table = blocs(TWO_CAMPS[1985], seed=1)
    assert table.groupby("bloc")["ccode"].apply(sorted).tolist() == [WEST, EAST]  # ties in size: smallest code first
    assert (table["bloc_size"] == 5).all()
    assert table.columns.tolist() == ["year", "ccode", "stateabb", "bloc", "bloc_size", "ties"]


@pytest.mark.parametrize("engine", ["igraph", "leidenalg"])
def test_same_seed_same_blocs(engine):
    rng = np.random.default_rng(3)
    pairs = [(a, b) for a in range(1, 60) for b in range(a + 1, 60) if rng.random() < 0.08]
    graph = layer_from_edges(pd.DataFrame(pairs, columns=["ccode1", "ccode2"]))[0]
    first = blocs(graph, seed=42, engine=engine)
    assert first.equals(blocs(graph, seed=42, engine=engine))


def test_directed_layers_use_leidenalg():
    edges = pd.DataFrame(clique(WEST) + clique(EAST), columns=["ccode1", "ccode2"]).assign(year=1)
    graph = layer_from_edges(edges, directed=True)[1]
    assert blocs(graph)["bloc"].nunique() == 2
    with pytest.raises(NetworkError, match="undirected"):
        blocs(graph, engine="igraph")


def test_negative_ties_are_refused_by_plain_blocs():
    graph = layer_from_edges(pd.DataFrame({"ccode1": [1], "ccode2": [2], "weight": [-1.0]}))[0]
    with pytest.raises(NetworkError, match="signed_blocs"):
        blocs(graph)


def test_consensus_on_clear_structure_is_perfectly_stable():
    result = consensus_blocs(TWO_CAMPS[1985], runs=12, seed=5)
    assert result.stability == pytest.approx(1.0) and result.agreement == 1.0
    assert result.blocs["bloc"].nunique() == 2 and (result.blocs["stability"] == 1.0).all()
    assert result.coassignment.loc[2, 20] == 1.0 and result.coassignment.loc[2, 365] == 0.0


def test_consensus_reports_instability_on_a_structureless_graph():
    rng = np.random.default_rng(11)
    pairs = [(a, b) for a in range(1, 41) for b in range(a + 1, 41) if rng.random() < 0.15]
    graph = layer_from_edges(pd.DataFrame(pairs, columns=["ccode1", "ccode2"]))[0]
    result = consensus_blocs(graph, runs=20, seed=1)
    assert 0 < result.stability < 1
    assert result.blocs["stability"].between(0, 1).all()
    again = consensus_blocs(graph, runs=20, seed=1)
    assert again.blocs.equals(result.blocs) and again.stability == result.stability


def test_resolution_scan_goes_from_few_to_many_blocs():
    scan = resolution_scan(TWO_CAMPS[1985], resolutions=[0.5, 1.0, 8.0], runs=3)
    assert scan.columns.tolist() == ["resolution", "blocs", "blocs_all", "modularity", "stability"]
    assert scan["blocs_all"].tolist()[1] == 2 and scan["blocs_all"].tolist()[2] > 2
    assert scan["modularity"].iloc[1] == pytest.approx(TWO_CAMPS[1985].modularity([0] * 5 + [1] * 5))


def test_signed_blocs_put_allies_together_and_enemies_apart():
    allies = pd.DataFrame(clique([1, 2, 3]) + clique([4, 5, 6]) + [(3, 4)], columns=["ccode1", "ccode2"]).assign(year=1)
    enemies = pd.DataFrame({"ccode1": [1, 2, 3, 2], "ccode2": [4, 5, 6, 6], "weight": -1.0, "year": 1})
    table = signed_blocs(layer_from_edges(allies)[1], layer_from_edges(enemies)[1], seed=0)
    assert table.groupby("bloc")["ccode"].apply(sorted).tolist() == [[1, 2, 3], [4, 5, 6]]
    # the one alliance across the camps is the only tie that contradicts the blocs
    assert table.attrs["frustration"] == pytest.approx(1 / 11)
    combined = layer_from_edges(pd.concat([allies.assign(weight=1.0), enemies]))[1]
    assert signed_blocs(combined, seed=0)["bloc"].tolist() == table["bloc"].tolist()


def test_frustration_counts_contradicting_ties():
    plus = layer_from_edges(pd.DataFrame({"ccode1": [1], "ccode2": [2]}))[0]
    minus = layer_from_edges(pd.DataFrame({"ccode1": [1], "ccode2": [2], "weight": [-1.0]}))[0]
    same = pd.DataFrame({"ccode": [1, 2], "bloc": [1, 1]})
    assert frustration(plus, minus, same) == 0.5


def test_two_equal_blocs_give_two_effective_blocs():
    table = blocs(TWO_CAMPS)
    polarity = bloc_polarity(table)
    row = polarity.iloc[0]
    assert row["blocs"] == 2 and row["singletons"] == 0 and row["sizes"] == "5 5"
    assert row["effective_blocs"] == pytest.approx(2.0) and row["largest_share"] == 0.5


def test_bloc_power_shares_sum_to_one_and_polarity_uses_them():
    table = blocs(TWO_CAMPS)
    power = pd.DataFrame({"ccode": WEST + EAST, "year": 1985, "cinc": [0.3, 0.02, 0.05, 0.01, 0.02, 0.02, 0.01, 0.01, 0.01, 0.15]})
    shares = bloc_power(table, power)
    assert shares["power_share"].sum() == pytest.approx(1.0)
    assert shares["power_share"].tolist() == pytest.approx([0.4 / 0.6, 0.2 / 0.6])
    assert shares["members"].iloc[0].split()[0] == "2"  # strongest first
    polarity = bloc_polarity(table, power).iloc[0]
    assert polarity["effective_blocs_power"] == pytest.approx(1 / ((2 / 3) ** 2 + (1 / 3) ** 2))
    assert polarity["power_coverage"] == 1.0


def test_missing_power_is_left_out_not_zero():
    table = blocs(TWO_CAMPS)
    power = pd.DataFrame({"ccode": [2, 365], "year": 1985, "cinc": [0.3, 0.1]})
    shares = bloc_power(table, power)
    assert shares["states_with_power"].tolist() == [1, 1]
    assert bloc_polarity(table, power)["power_coverage"].iloc[0] == pytest.approx(0.2)
