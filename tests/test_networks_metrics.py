"""Density, strength, centrality and openness on graphs with known answers."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from worldorder.networks.layers import layer_from_edges
from worldorder.networks.metrics import centrality, density, globalization, openness, strength, world_openness


def layer(pairs, weights=None, year=2000, directed=False):
    edges = pd.DataFrame(pairs, columns=["ccode1", "ccode2"]).assign(year=year)
    if weights is not None:
        edges["weight"] = weights
    return layer_from_edges(edges, directed=directed)


STAR = layer([(1, 2), (1, 3), (1, 4), (1, 5)])
PATH = layer([(1, 2), (2, 3), (3, 4), (4, 5)])


def values(table, column):
    return dict(zip(table["ccode"], table[column]))


def test_density_of_star_path_complete_and_directed():
    assert density(STAR[2000]) == pytest.approx(4 / 10)
    complete = layer([(a, b) for a in range(1, 6) for b in range(a + 1, 6)])
    assert density(complete[2000]) == 1.0
    directed = layer([(1, 2), (2, 1), (2, 3)], directed=True)
    assert density(directed[2000]) == pytest.approx(3 / 6)
    table = density(STAR)
    assert table.to_dict("records") == [{"year": 2000, "states": 5, "ties": 4, "density": pytest.approx(0.4)}]


def test_strength_sums_weights_and_directions():
    weighted = layer([(1, 2), (1, 3)], weights=[2.0, 3.0])
    assert values(strength(weighted[2000]), "strength") == {1: 5.0, 2: 2.0, 3: 3.0}
    directed = layer([(1, 2), (3, 1)], weights=[2.0, 3.0], directed=True)
    assert values(strength(directed[2000], mode="in"), "strength") == {1: 3.0, 2: 2.0, 3: 0.0}
    assert values(strength(directed[2000], mode="out"), "strength") == {1: 2.0, 2: 0.0, 3: 3.0}


def test_eigenvector_of_a_star_and_a_path():
    star = values(centrality(STAR[2000], "eigenvector"), "eigenvector")
    assert star == pytest.approx({1: 1.0, 2: 0.5, 3: 0.5, 4: 0.5, 5: 0.5})  # x_leaf = x_centre / lambda, lambda = 2
    path3 = values(centrality(layer([(1, 2), (2, 3)])[2000], "eigenvector"), "eigenvector")
    assert path3 == pytest.approx({1: 1 / math.sqrt(2), 2: 1.0, 3: 1 / math.sqrt(2)})


def test_betweenness_of_a_star_and_a_path():
    star = values(centrality(STAR[2000], "betweenness"), "betweenness")
    assert star == pytest.approx({1: 1.0, 2: 0, 3: 0, 4: 0, 5: 0})
    path = values(centrality(PATH[2000], "betweenness"), "betweenness")
    assert path == pytest.approx({1: 0.0, 2: 3 / 6, 3: 4 / 6, 4: 3 / 6, 5: 0.0})
    raw = values(centrality(PATH[2000], "betweenness", normalized=False), "betweenness")
    assert raw[3] == 4.0


def test_strong_ties_are_short_for_betweenness():
    # 1-3 directly with a weak tie (length 1/1), or through 2 with strong ties (lengths 1/10 + 1/10)
    triangle = layer([(1, 2), (2, 3), (1, 3)], weights=[10.0, 10.0, 1.0])
    result = values(centrality(triangle[2000], "betweenness", normalized=False), "betweenness")
    assert result == {1: 0.0, 2: 1.0, 3: 0.0}


def test_centrality_matches_networkx_on_a_random_weighted_graph():
    rng = np.random.default_rng(7)
    pairs = [(a, b) for a in range(1, 31) for b in range(a + 1, 31) if rng.random() < 0.2]
    weights = rng.uniform(0.5, 5.0, len(pairs))
    graph = layer(pairs, weights=weights)[2000]
    reference = nx.Graph()
    for (a, b), w in zip(pairs, weights):
        reference.add_edge(a, b, weight=w, length=1 / w)
    eig = values(centrality(graph, "eigenvector"), "eigenvector")
    nx_eig = nx.eigenvector_centrality_numpy(reference, weight="weight")
    top = max(nx_eig.values())
    assert eig == pytest.approx({k: v / top for k, v in nx_eig.items()}, abs=1e-6)
    btw = values(centrality(graph, "betweenness"), "betweenness")
    assert btw == pytest.approx(nx.betweenness_centrality(reference, weight="length"), abs=1e-9)


def test_centrality_over_a_layer_is_sorted_by_year_and_value():
    edges = pd.concat(
        [pd.DataFrame({"ccode1": [1, 1], "ccode2": [2, 3], "year": 1990}), pd.DataFrame({"ccode1": [2], "ccode2": [3], "year": 1991})]
    )
    table = centrality(layer_from_edges(edges), "degree")
    assert table["year"].tolist() == [1990, 1990, 1990, 1991, 1991]
    assert table["ccode"].tolist()[0] == 1 and table["degree"].tolist()[0] == 2
    with pytest.raises(ValueError, match="measure"):
        centrality(STAR, "closeness")


STATES = pd.DataFrame(
    {"ccode": [2, 20, 2, 20, 31], "year": [1950, 1950, 1990, 1990, 1990],
     "imports": [10.0, 5.0, 500.0, 100.0, np.nan], "exports": [12.0, 6.0, 400.0, 120.0, 1.0],
     "wb_gdp": [np.nan, np.nan, 6e12, 6e11, 1e9]}
)


def test_openness_is_trade_over_gdp_and_missing_without_gdp():
    out = openness(STATES)
    assert out["openness"].tolist()[:2] == [None, None] or out["openness"].iloc[:2].isna().all()
    assert out["openness"].iloc[2] == pytest.approx(900e6 / 6e12)
    assert np.isnan(out["openness"].iloc[4])  # imports missing
    assert "openness" not in STATES.columns  # the input is left alone
    with pytest.raises(ValueError, match="add_gdp"):
        openness(STATES.drop(columns="wb_gdp"))


def test_world_openness_weights_by_gdp_and_counts_states():
    out = world_openness(STATES).set_index("year")
    assert np.isnan(out.loc[1950, "openness"]) and out.loc[1950, "states_trade"] == 2
    assert out.loc[1990, "openness"] == pytest.approx((900e6 + 220e6) / (6e12 + 6e11))
    assert out.loc[1990, "states_both"] == 2 and out.loc[1990, "states_trade"] == 2
    assert out.loc[1950, "world_trade"] == pytest.approx(33e6)


def test_globalization_joins_density_and_openness():
    edges = pd.DataFrame({"ccode1": [2], "ccode2": [20], "year": [1990]})
    out = globalization(layer_from_edges(edges), STATES)
    assert out.loc[out.year == 1990, "density"].item() == 1.0
    assert set(out.year) == {1950, 1990}
