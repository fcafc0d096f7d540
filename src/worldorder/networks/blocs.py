"""Blocs: Leiden communities of a layer, year by year, and how they change with the resolution.

Blocs are found with the Leiden algorithm (:mod:`worldorder.networks.leiden`),
which optimises modularity (or the constant Potts model) and, unlike Louvain,
guarantees connected communities.  Every function that runs it takes
``seed=``: the same seed gives the same blocs.  Consensus blocs, signed blocs
and the power of blocs live in :mod:`~worldorder.networks.consensus`,
:mod:`~worldorder.networks.signed` and :mod:`~worldorder.networks.bloc_structure`;
their names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from worldorder.networks.bloc_structure import bloc_polarity, bloc_power
from worldorder.networks.consensus import Consensus, consensus_blocs
from worldorder.networks.layers import NetworkError
from worldorder.seeds import check_seed
from worldorder.networks.leiden import _bloc_columns, _check_weights, _codes, _leiden, _nmi, _quality, _relabel, _seeds
from worldorder.networks.metrics import _is_graph, _per_year
from worldorder.networks.obligations import alliance_ties
from worldorder.networks.signed import frustration, signed_blocs

__all__ = [
    "Consensus",
    "alliance_ties",
    "bloc_polarity",
    "bloc_power",
    "blocs",
    "consensus_blocs",
    "frustration",
    "resolution_scan",
    "signed_blocs",
]


def blocs(
    graph_or_layer,
    resolution: float = 1.0,
    seed: int = 0,
    method: str = "modularity",
    weights: str | None = "weight",
    n_iterations: int = -1,
    engine: str = "auto",
    types="defense",
) -> pd.DataFrame:
    """Blocs of a layer by Leiden community detection.

    Parameters
    ----------
    graph_or_layer
        A graph, or a layer (blocs per year).
    resolution
        :math:`\\gamma`; above 1 gives more, smaller blocs, below 1 fewer, larger.
    seed
        Seed of the algorithm's random order; the same seed gives the same blocs.
    method
        ``"modularity"`` (Reichardt–Bornholdt configuration model; plain
        modularity at :math:`\\gamma = 1`) or ``"cpm"`` (constant Potts model,
        where :math:`\\gamma` is a density threshold in weight units).
    weights
        Edge attribute of tie strengths (non-negative); None for unweighted.
    n_iterations
        Leiden iterations; negative runs until no further improvement.
    engine
        ``"igraph"`` (igraph's C Leiden, undirected only), ``"leidenalg"``
        or ``"auto"`` (igraph for undirected layers, leidenalg for directed).
    types
        Alliance layers only: the obligation types whose ties count
        (:func:`alliance_ties`); defence pacts by default, ``"all"`` for every type.

    Returns
    -------
    pandas.DataFrame
        ``year, ccode, stateabb, bloc, bloc_size, ties``; bloc 1 is the largest.
        States without ties are blocs of their own; ``ties`` names the ties used.

    Notes
    -----
    The modularity objective with resolution :math:`\\gamma` is

    .. math:: Q = \\frac{1}{2m} \\sum_{ij} \\left(A_{ij} - \\gamma \\frac{k_i k_j}{2m}\\right) \\delta(c_i, c_j),

    with :math:`A` the weighted adjacency matrix, :math:`k_i` the strength of
    :math:`i` and :math:`m` the total weight.

    References
    ----------
    Traag, V. A., Waltman, L. & van Eck, N. J. 2019. From Louvain to Leiden:
    guaranteeing well-connected communities. Scientific Reports 9: 5233.
    Reichardt, J. & Bornholdt, S. 2006. Statistical mechanics of community
    detection. Physical Review E 74: 016110.
    """

    def table(graph):
        graph, ties = alliance_ties(graph, types)
        membership = _leiden(graph, resolution, seed, _check_weights(graph, weights), method, n_iterations, engine)
        return _bloc_columns(graph, _relabel(membership, _codes(graph)), ties=np.full(graph.vcount(), ties, dtype=object))

    return _per_year(graph_or_layer, table)

def resolution_scan(
    graph,
    resolutions: Sequence[float] | None = None,
    runs: int = 10,
    seed: int = 0,
    method: str = "modularity",
    weights: str | None = "weight",
    engine: str = "auto",
    types="defense",
) -> pd.DataFrame:
    """Blocs across a range of resolutions, with their modularity and stability.

    Parameters
    ----------
    graph
        One year's graph.
    resolutions
        Values of :math:`\\gamma`; default 13 values from 0.25 to 4 (geometric).
    runs
        Leiden runs per resolution, with seeds derived from ``seed``.
    engine
        Leiden implementation, as in :func:`blocs`.
    types
        Alliance graphs only: obligation types whose ties count, as in :func:`blocs`.

    Returns
    -------
    pandas.DataFrame
        ``resolution, blocs`` (median number of blocs of two or more states),
        ``blocs_all`` (median, singletons included), ``modularity`` (the
        standard :math:`Q` at :math:`\\gamma = 1` of the best run) and
        ``stability`` (mean normalised mutual information between runs; 1 when
        every run finds the same blocs).

    References
    ----------
    Danon, L., Díaz-Guilera, A., Duch, J. & Arenas, A. 2005. Comparing
    community structure identification. Journal of Statistical Mechanics
    P09008 (normalised mutual information).
    """
    if not _is_graph(graph):
        raise NetworkError("resolution_scan takes one year's graph: pass layer[year].")
    check_seed(seed)
    graph, _ = alliance_ties(graph, types)
    if resolutions is None:
        resolutions = np.round(np.geomspace(0.25, 4.0, 13), 4)
    w = _check_weights(graph, weights)
    seeds = _seeds(seed, runs)
    rows = []
    for gamma in resolutions:
        memberships = np.array([_leiden(graph, float(gamma), s, w, method, -1, engine) for s in seeds]).reshape(len(seeds), -1)
        quality = [_quality(graph, m, w, float(gamma), method) for m in memberships]
        best = memberships[int(np.argmax(quality))] if len(quality) else np.zeros(0, dtype=np.int64)
        counts = [np.bincount(np.unique(m, return_inverse=True)[1]) for m in memberships]
        rows.append(
            {
                "resolution": float(gamma),
                "blocs": float(np.median([(c >= 2).sum() for c in counts])),
                "blocs_all": float(np.median([len(c) for c in counts])),
                "modularity": graph.modularity(best.tolist(), weights=w, directed=graph.is_directed()) if graph.ecount() else np.nan,
                "stability": _nmi(memberships),
            }
        )
    return pd.DataFrame(rows)

