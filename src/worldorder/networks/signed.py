"""Signed blocs: friends inside, enemies across, and the frustration of a partition."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.networks.leiden import _bloc_table, _codes, _relabel
from worldorder.networks.obligations import alliance_ties

__all__ = ["frustration", "signed_blocs"]


def _aligned(positive, negative):
    """Two undirected graphs on the same vertices (the union of both, by COW code)."""
    import igraph as ig

    graphs = [g.as_undirected(mode="collapse", combine_edges="sum") if g.is_directed() else g for g in (positive, negative)]
    codes = np.union1d(np.asarray(_codes(graphs[0]), dtype=np.int64), np.asarray(_codes(graphs[1]), dtype=np.int64))
    abb: dict[int, str] = {}
    out = []
    for graph in graphs:
        local = np.asarray(_codes(graph), dtype=np.int64)
        if "stateabb" in graph.vs.attributes():
            abb.update(zip(local.tolist(), graph.vs["stateabb"]))
        edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        aligned = ig.Graph(n=len(codes), directed=False)
        if len(edges):
            aligned.add_edges(np.searchsorted(codes, local[edges]))
        weights = np.abs(np.asarray(graph.es["weight"], dtype=np.float64)) if "weight" in graph.es.attributes() else np.ones(len(edges))
        aligned.es["weight"] = weights.tolist()
        out.append(aligned)
    for graph in out:
        graph.vs["ccode"] = codes.tolist()
        graph.vs["name"] = [str(c) for c in codes]
        graph.vs["stateabb"] = [abb.get(int(c), str(c)) for c in codes]
        if "year" in positive.attributes():
            graph["year"] = positive["year"]
    return out


def _split_signed(graph):
    weights = np.asarray(graph.es["weight"], dtype=np.float64)
    positive = graph.subgraph_edges(np.flatnonzero(weights > 0).tolist(), delete_vertices=False)
    negative = graph.subgraph_edges(np.flatnonzero(weights < 0).tolist(), delete_vertices=False)
    return positive, negative


def signed_blocs(
    positive,
    negative=None,
    resolution: float = 1.0,
    seed: int = 0,
    negative_weight: float = 1.0,
    n_iterations: int = -1,
    types="defense",
) -> pd.DataFrame:
    """Blocs of a signed network: friends inside, enemies across.

    Parameters
    ----------
    positive
        Graph of positive ties (e.g. alliances), or one graph with signed
        weights when ``negative`` is None.
    negative
        Graph of negative ties (e.g. disputes; the sign of its weights is
        ignored, their size kept).
    resolution
        :math:`\\gamma` of both layers.
    negative_weight
        :math:`\\lambda`, the weight of the negative layer against the positive.
    seed
        Seed of the algorithm.
    types
        When ``positive`` is an alliance graph: the obligation types whose
        ties count, as in :func:`blocs` (defence pacts by default).

    Returns
    -------
    pandas.DataFrame
        ``year, ccode, stateabb, bloc, bloc_size, ties`` over the states of either
        graph; ``frame.attrs["frustration"]`` is :func:`frustration` of the result.

    Notes
    -----
    Leiden optimises, over the two layers at once,

    .. math:: Q = Q^{+}_{\\gamma} - \\lambda\\, Q^{-}_{\\gamma},

    the modularity of positive ties minus that of negative ties, so that
    allies are grouped and adversaries separated (Traag & Bruggeman 2009).

    References
    ----------
    Traag, V. A. & Bruggeman, J. 2009. Community detection in networks with
    positive and negative links. Physical Review E 80: 036115.
    Doreian, P. & Mrvar, A. 2009. Partitioning signed social networks. Social
    Networks 31: 1-11.
    """
    import leidenalg as la

    if negative is None:
        positive, negative = _split_signed(positive)
    positive, ties = alliance_ties(positive, types)
    plus, minus = _aligned(positive, negative)
    partitions = [
        la.RBConfigurationVertexPartition(plus, weights="weight", resolution_parameter=resolution),
        la.RBConfigurationVertexPartition(minus, weights="weight", resolution_parameter=resolution),
    ]
    optimiser = la.Optimiser()
    optimiser.set_rng_seed(int(seed))
    optimiser.optimise_partition_multiplex(partitions, layer_weights=[1.0, -float(negative_weight)], n_iterations=n_iterations)
    labels = _relabel(np.asarray(partitions[0].membership), _codes(plus))
    table = _bloc_table(plus, labels, ties=np.full(plus.vcount(), ties, dtype=object))
    table.attrs["frustration"] = frustration(plus, minus, table)
    return table


def frustration(positive, negative, bloc_table: pd.DataFrame) -> float:
    """Share of signed ties that contradict the blocs.

    Notes
    -----
    .. math:: F = \\frac{\\sum_{(i,j) \\in E^+} w_{ij}[c_i \\ne c_j] + \\sum_{(i,j) \\in E^-} |w_{ij}|[c_i = c_j]}{\\sum_{E^+} w_{ij} + \\sum_{E^-} |w_{ij}|}

    0 means every positive tie lies within a bloc and every negative tie
    between blocs (a perfectly balanced partition).

    References
    ----------
    Doreian, P. & Mrvar, A. 1996. A partitioning approach to structural
    balance. Social Networks 18: 149-168.
    """
    bloc_of = pd.Series(bloc_table["bloc"].to_numpy(), index=bloc_table["ccode"].to_numpy())
    wrong = total = 0.0
    for graph, inside_is_wrong in ((positive, False), (negative, True)):
        if graph.ecount() == 0:
            continue
        codes = np.asarray(_codes(graph), dtype=np.int64)
        edges = np.asarray(graph.get_edgelist(), dtype=np.int64)
        weights = np.abs(np.asarray(graph.es["weight"], dtype=np.float64)) if "weight" in graph.es.attributes() else np.ones(len(edges))
        first = bloc_of.reindex(codes[edges[:, 0]]).to_numpy(dtype=np.float64, na_value=-1.0)
        second = bloc_of.reindex(codes[edges[:, 1]]).to_numpy(dtype=np.float64, na_value=-2.0)
        same = first == second
        wrong += weights[same if inside_is_wrong else ~same].sum()
        total += weights.sum()
    return float(wrong / total) if total > 0 else float("nan")

