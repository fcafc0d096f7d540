"""The Leiden engine behind every bloc function: seeded runs, their quality, and bloc labels.

Undirected layers use igraph's C implementation (an order of magnitude faster
than the ``leidenalg`` package on these graphs); directed layers and signed
blocs use ``leidenalg``, which also handles several layers at once.  The same
seed gives the same blocs.  Bloc labels are 1, 2, 3 ... by descending size
(ties broken by the smallest COW code), so they do not depend on the order the
algorithm visited the states.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from worldorder.errors import whole_number_between
from worldorder.networks.layers import NetworkError
from worldorder.networks.metrics import _vertex_columns

__all__ = ["ENGINES"]

_METHODS = ("modularity", "cpm")


#: The most Leiden runs of a consensus or a scan: the runs' agreement is settled long before.
MAX_RUNS = 1000


def _seeds(seed: int, runs: int) -> list[int]:
    """``runs`` independent seeds for leidenalg, derived from ``seed``."""
    if not whole_number_between(runs, 1, MAX_RUNS):
        raise NetworkError(f"runs {runs!r}: give a whole number from 1 to {MAX_RUNS}.")
    return [int(s) for s in np.random.SeedSequence(seed).generate_state(runs) & 0x7FFFFFFF]


def _check_weights(graph, weights: str | None) -> list[float] | None:
    if weights is None or graph.ecount() == 0:
        return None
    if weights not in graph.es.attributes():
        raise NetworkError(f"The graph has no edge attribute {weights!r}; it has {', '.join(graph.es.attributes()) or 'none'}.")
    values = np.asarray(graph.es[weights], dtype=np.float64)
    if (values < 0).any():
        raise NetworkError(
            "The graph has negative ties; community detection needs non-negative weights. "
            "Use signed_blocs(positive, negative) for a signed layer such as disputes."
        )
    return values.tolist()


ENGINES = ("auto", "igraph", "leidenalg")


def _leiden(graph, resolution: float, seed: int, weights, method: str, n_iterations: int, engine: str = "auto") -> np.ndarray:
    """One seeded Leiden run; the membership as an array aligned with the vertices.

    ``engine="igraph"`` is igraph's C implementation (undirected graphs only,
    an order of magnitude faster); ``"leidenalg"`` is Traag's leidenalg
    package (directed graphs too); ``"auto"`` takes igraph when it can.
    Both optimise the same objective and give the same result for a seed
    within each engine, not across engines.
    """
    if method not in _METHODS:
        raise NetworkError(f"method must be one of {', '.join(_METHODS)}, not {method!r}.")
    if not (isinstance(resolution, (int, float, np.number)) and np.isfinite(resolution) and resolution >= 0):
        raise NetworkError(f"resolution {resolution!r}: give a finite number of 0 or more (1 is the usual modularity).")
    if engine not in ENGINES:
        raise NetworkError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}.")
    if graph.vcount() == 0:
        return np.zeros(0, dtype=np.int64)
    if engine == "igraph" and graph.is_directed():
        raise NetworkError("igraph's Leiden takes undirected graphs only; use engine='leidenalg' for a directed layer.")
    if engine == "auto":
        engine = "leidenalg" if graph.is_directed() else "igraph"
    if engine == "igraph":
        import random

        import igraph as ig

        ig.set_random_number_generator(random.Random(seed))
        try:
            clustering = graph.community_leiden(
                objective_function="modularity" if method == "modularity" else "CPM",
                weights=weights,
                resolution=resolution,
                n_iterations=n_iterations,
            )
        finally:
            ig.set_random_number_generator(random)
        return np.asarray(clustering.membership, dtype=np.int64)
    import leidenalg as la

    kind = la.RBConfigurationVertexPartition if method == "modularity" else la.CPMVertexPartition
    partition = la.find_partition(
        graph, kind, weights=weights, resolution_parameter=resolution, seed=seed, n_iterations=n_iterations
    )
    return np.asarray(partition.membership, dtype=np.int64)


def _relabel(membership: np.ndarray, ccodes: Sequence[int]) -> np.ndarray:
    """Labels 1..K by descending bloc size, then smallest COW code."""
    membership = np.asarray(membership)
    if len(membership) == 0:
        return membership.astype(np.int64)
    codes = np.asarray(ccodes, dtype=np.int64)
    groups, inverse, sizes = np.unique(membership, return_inverse=True, return_counts=True)
    smallest = np.full(len(groups), np.iinfo(np.int64).max)
    np.minimum.at(smallest, inverse, codes)
    order = np.lexsort((smallest, -sizes))
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = np.arange(1, len(groups) + 1)
    return rank[inverse]


def _codes(graph) -> list[int]:
    return graph.vs["ccode"] if "ccode" in graph.vs.attributes() else list(range(graph.vcount()))


def _bloc_columns(graph, labels: np.ndarray, **extra) -> dict:
    labels = np.asarray(labels, dtype=np.int64)
    sizes = np.bincount(labels)[labels] if len(labels) else np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.asarray(_codes(graph), dtype=np.int64), labels))
    return _vertex_columns(graph, order=order, bloc=labels, bloc_size=sizes, **extra)


def _bloc_table(graph, labels: np.ndarray, **extra) -> pd.DataFrame:
    return pd.DataFrame(_bloc_columns(graph, labels, **extra), copy=False)


def _nmi(memberships: np.ndarray) -> float:
    import igraph as ig

    runs = len(memberships)
    if runs < 2:
        return float("nan")
    scores = [
        ig.compare_communities(memberships[a].tolist(), memberships[b].tolist(), method="nmi")
        for a in range(runs)
        for b in range(a + 1, runs)
    ]
    return float(np.mean(scores))


def _quality(graph, membership: np.ndarray, weights, resolution: float, method: str) -> float:
    """The objective Leiden maximises: modularity at ``resolution``, or the constant Potts model."""
    if graph.ecount() == 0:
        return 0.0
    if method == "modularity":
        return graph.modularity(membership.tolist(), weights=weights, resolution=resolution, directed=graph.is_directed())
    edges = np.asarray(graph.get_edgelist())
    w = np.ones(len(edges)) if weights is None else np.asarray(weights, dtype=np.float64)
    inside = w[membership[edges[:, 0]] == membership[edges[:, 1]]].sum()
    sizes = np.bincount(membership)
    return float(inside - resolution * np.sum(sizes * (sizes - 1) / 2))

