"""Blocs: communities in a layer, how stable they are, and how power divides among them.

Blocs are found with the Leiden algorithm, which optimises modularity (or the
constant Potts model) and, unlike Louvain, guarantees connected communities.
Undirected layers use igraph's C implementation (an order of magnitude faster
than the ``leidenalg`` package on these graphs); directed layers and signed
blocs use ``leidenalg``, which also handles several layers at once.  Every function that runs it takes ``seed=``: the same
seed gives the same blocs.  Bloc labels are 1, 2, 3 ... by descending size
(ties broken by the smallest COW code), so they do not depend on the order the
algorithm visited the states.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.networks.layers import NetworkError
from worldorder.networks.metrics import _is_graph, _per_year, _vertex_columns

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

_METHODS = ("modularity", "cpm")

#: Obligation flags of the two alliance sources (edge attributes of their graphs) and their names.
_ALLIANCE_TYPES = {
    "ATOP": {"atop_defense": "defence pacts", "atop_offense": "offence pacts", "atop_neutral": "neutrality pacts",
             "atop_nonagg": "non-aggression pacts", "atop_consul": "consultation pacts"},
    "COW": {"defense": "defence pacts", "neutrality": "neutrality pacts", "nonaggression": "non-aggression pacts",
            "entente": "ententes"},
}


def alliance_ties(graph, types="defense"):
    """An alliance graph restricted to ties of some obligation types, and the name of those ties.

    Parameters
    ----------
    graph
        One year's graph.  Only graphs of an alliance layer (ATOP or COW, with
        their obligation flags as edge attributes) are restricted; any other
        graph is returned unchanged, named by its layer.
    types
        ``"defense"`` (the default: defence pacts), ``"all"`` (every type: an
        explicit choice), or a list of types (``"neutral"``, ``"nonagg"``,
        ``"consul"``, ``"offense"`` for ATOP; ``"neutrality"``, ``"nonaggression"``,
        ``"entente"`` for COW), with or without the ``atop_`` prefix.

    Returns
    -------
    (igraph.Graph, str)
        The graph with every vertex and only the ties that carry one of the
        types, and a label such as ``"ATOP defence pacts"``.

    Notes
    -----
    With every ATOP type, non-aggression and consultation pacts join states
    that are not allies in the usual sense (in 2018 Russia and Iran fall in
    with NATO Europe), so blocs default to defence pacts.
    """
    attributes = set(graph.es.attributes())
    source = next((name for name, flags in _ALLIANCE_TYPES.items() if set(flags) <= attributes), None)
    if source is None:
        layer = graph["layer"] if "layer" in graph.attributes() else None
        return graph, f"ties of the {layer} layer" if layer else "all ties"
    flags = _ALLIANCE_TYPES[source]
    if types == "all" or types is None:
        return graph, f"{source} alliances of every type ({', '.join(flags.values())})"
    wanted = [types] if isinstance(types, str) else list(types)
    prefix = "atop_" if source == "ATOP" else ""
    columns = [t if t.startswith(prefix) else prefix + t for t in wanted]
    unknown = [t for t in columns if t not in flags]
    if unknown:
        raise NetworkError(f"Unknown {source} alliance type(s) {', '.join(unknown)}; choose from "
                           f"{', '.join(f.removeprefix(prefix) for f in flags)} or 'all'.")
    keep = np.zeros(graph.ecount(), dtype=bool)
    for column in columns:
        keep |= np.asarray(graph.es[column], dtype=np.float64) > 0
    restricted = graph.subgraph_edges(np.flatnonzero(keep).tolist(), delete_vertices=False)
    return restricted, f"{source} " + " and ".join(flags[c] for c in columns)


def _seeds(seed: int, runs: int) -> list[int]:
    """``runs`` independent seeds for leidenalg, derived from ``seed``."""
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


# -- blocs -----------------------------------------------------------------------------------------
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


# -- consensus ---------------------------------------------------------------------------------------
@dataclass
class Consensus:
    """Blocs agreed over repeated Leiden runs.

    Attributes
    ----------
    blocs
        ``year, ccode, stateabb, bloc, bloc_size, stability``: the consensus
        blocs; a state's ``stability`` is the mean, over runs, of the Jaccard
        overlap between its consensus bloc and its bloc in that run (1: always
        grouped with exactly these states).
    coassignment
        Square table (COW codes on both axes): the share of runs that put the
        two states in the same bloc.
    stability
        Mean normalised mutual information between pairs of runs (1: every
        run found the same blocs).
    agreement
        Share of runs whose blocs equal the consensus exactly.
    runs, rounds
        Runs per round, and rounds until the consensus settled.
    """

    blocs: pd.DataFrame
    coassignment: pd.DataFrame
    stability: float
    agreement: float
    runs: int
    rounds: int


def _coassignment(memberships: np.ndarray) -> np.ndarray:
    runs, n = memberships.shape
    together = np.zeros((n, n))
    for membership in memberships:
        onehot = np.zeros((n, membership.max() + 1))
        onehot[np.arange(n), membership] = 1.0
        together += onehot @ onehot.T
    return together / runs


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    _, first = np.unique(a, return_inverse=True)
    _, second = np.unique(b, return_inverse=True)
    pairs = np.unique(np.column_stack([first, second]), axis=0)
    return len(pairs) == first.max() + 1 == second.max() + 1


def consensus_blocs(
    graph,
    runs: int = 50,
    resolution: float = 1.0,
    seed: int = 0,
    threshold: float = 0.5,
    method: str = "modularity",
    weights: str | None = "weight",
    max_rounds: int = 20,
    engine: str = "auto",
    types="defense",
) -> Consensus:
    """Consensus blocs over ``runs`` seeded Leiden runs, with their stability.

    Parameters
    ----------
    graph
        One year's graph.
    runs
        Leiden runs per round (seeds derived from ``seed``).
    threshold
        Co-assignment share below which a pair is not tied in the consensus graph.
    max_rounds
        Rounds of re-clustering before giving up on full agreement (the last
        round's most common partition is then returned).
    engine
        Leiden implementation, as in :func:`blocs`.
    types
        Alliance layers only: obligation types whose ties count, as in :func:`blocs`.

    Returns
    -------
    Consensus
        Its ``blocs`` table has a ``ties`` column naming the ties used.

    Notes
    -----
    Consensus clustering (Lancichinetti & Fortunato 2012): run the algorithm
    :math:`R` times; form the co-assignment matrix
    :math:`D_{ij} = \\frac{1}{R} \\sum_r \\delta(c^r_i, c^r_j)`; drop entries
    below the threshold :math:`\\tau`; run the algorithm :math:`R` times on
    :math:`D`; repeat until all runs agree.  Stability is the mean pairwise
    normalised mutual information of the first :math:`R` runs.

    References
    ----------
    Lancichinetti, A. & Fortunato, S. 2012. Consensus clustering in complex
    networks. Scientific Reports 2: 336.
    """
    import igraph as ig

    if not _is_graph(graph):
        raise NetworkError("consensus_blocs takes one year's graph: pass layer[year].")
    if runs < 1:
        raise NetworkError("runs must be at least 1.")
    graph, ties = alliance_ties(graph, types)
    w = _check_weights(graph, weights)
    n = graph.vcount()
    codes = _codes(graph)
    seeds = _seeds(seed, runs)
    first = np.array([_leiden(graph, resolution, s, w, method, -1, engine) for s in seeds]).reshape(runs, n)
    stability = _nmi(first)
    memberships = first
    rounds = 0
    while True:
        rounds += 1
        if all(_same_partition(memberships[0], m) for m in memberships[1:]) or rounds > max_rounds:
            break
        together = _coassignment(memberships)
        np.fill_diagonal(together, 0.0)
        together[together < threshold] = 0.0
        i, j = np.nonzero(np.triu(together, k=1))
        consensus_graph = ig.Graph(n=n, edges=np.column_stack([i, j]), directed=False)
        values = together[i, j].tolist()
        memberships = np.array(
            [_leiden(consensus_graph, 1.0, s, values if values else None, "modularity", -1, engine) for s in _seeds(seed + rounds, runs)]
        ).reshape(runs, n)
    if rounds > max_rounds:  # no full agreement: the most frequent partition of the last round
        keys = [tuple(_relabel(m, codes)) for m in memberships]
        chosen = np.array(max(set(keys), key=keys.count))
    else:
        chosen = memberships[0]
    labels = _relabel(chosen, codes)
    per_state = _jaccard_stability(labels, first)
    agreement = float(np.mean([_same_partition(labels, m) for m in first]))
    together = pd.DataFrame(_coassignment(first), index=pd.Index(codes, name="ccode"), columns=pd.Index(codes, name="ccode"))
    return Consensus(
        blocs=_bloc_table(graph, labels, stability=per_state, ties=np.full(n, ties, dtype=object)),
        coassignment=together,
        stability=stability,
        agreement=agreement,
        runs=runs,
        rounds=rounds,
    )


def _jaccard_stability(labels: np.ndarray, memberships: np.ndarray) -> np.ndarray:
    """Mean over runs of |C_i ∩ R_i| / |C_i ∪ R_i| for each vertex i."""
    if len(labels) == 0:
        return np.zeros(0)
    _, consensus = np.unique(labels, return_inverse=True)
    total = np.zeros(len(labels))
    for membership in memberships:
        _, run = np.unique(membership, return_inverse=True)
        table = np.zeros((consensus.max() + 1, run.max() + 1))
        np.add.at(table, (consensus, run), 1.0)
        inter = table[consensus, run]
        union = table.sum(axis=1)[consensus] + table.sum(axis=0)[run] - inter
        total += inter / union
    return total / len(memberships)


# -- signed blocs ------------------------------------------------------------------------------------
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


# -- polarity of blocs -----------------------------------------------------------------------------
def _power_column(power: pd.DataFrame, value: str | None) -> str:
    if value is not None:
        if value not in power.columns:
            raise NetworkError(f"The power table has no column {value!r}; it has {', '.join(power.columns)}.")
        return value
    candidates = [c for c in power.columns if c not in ("ccode", "year", "stateabb")]
    if len(candidates) != 1:
        raise NetworkError(f"Name the power column with value=; candidates: {', '.join(candidates)}.")
    return candidates[0]


def _with_power(bloc_table: pd.DataFrame, power: pd.DataFrame, value: str | None) -> tuple[pd.DataFrame, str]:
    value = _power_column(power, value)
    keys = ["ccode", "year"] if "year" in bloc_table.columns and "year" in power.columns else ["ccode"]
    right = power[[*keys, value]].drop_duplicates(keys)
    if keys == ["ccode"] and power["ccode"].duplicated().any():
        raise NetworkError("The power table has several years per state; give the bloc table a year column.")
    return bloc_table.merge(right, on=keys, how="left"), value


def bloc_power(bloc_table: pd.DataFrame, power: pd.DataFrame, value: str | None = None) -> pd.DataFrame:
    """Each bloc's share of power, by a chosen power measure.

    Parameters
    ----------
    bloc_table
        ``[year,] ccode, bloc`` (the output of :func:`blocs` and friends).
    power
        A state-year power table ``ccode, year, <value>`` (CINC, GDP, military
        spending ...) from any source.
    value
        The power column; optional when the table has only one.

    Returns
    -------
    pandas.DataFrame
        ``year, bloc, size, members`` (abbreviations, strongest first),
        ``power``, ``power_share`` (of the power of all states in the table
        with a value) and ``states_with_power``.

    Notes
    -----
    :math:`p_k = \\sum_{i \\in k} P_i / \\sum_i P_i`; states without a power
    value are left out of both sums (their count shows in ``states_with_power``).

    References
    ----------
    Singer, J. D., Bremer, S. & Stuckey, J. 1972. Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (ed.), Peace,
    War, and Numbers. Sage (CINC, the usual power measure).
    """
    joined, value = _with_power(bloc_table, power, value)
    joined = joined.assign(_has=joined[value].notna())
    if "stateabb" not in joined.columns:
        joined["stateabb"] = joined["ccode"].astype(str)
    keys = (["year"] if "year" in joined.columns else []) + ["bloc"]
    joined = joined.sort_values([*keys, value], ascending=[True] * len(keys) + [False], na_position="last")
    out = joined.groupby(keys, as_index=False, sort=True).agg(
        size=("ccode", "size"),
        members=("stateabb", lambda s: " ".join(s)),
        power=(value, "sum"),
        states_with_power=("_has", "sum"),
    )
    totals = out.groupby(keys[:-1])["power"].transform("sum") if len(keys) > 1 else out["power"].sum()
    out["power_share"] = out["power"] / totals
    out.loc[out["states_with_power"] == 0, ["power", "power_share"]] = np.nan
    return out[[*keys, "size", "members", "power", "power_share", "states_with_power"]]


def bloc_polarity(bloc_table: pd.DataFrame, power: pd.DataFrame | None = None, value: str | None = None, min_size: int = 2) -> pd.DataFrame:
    """Polarity of a bloc structure: how many blocs, how large, how much power each holds.

    Parameters
    ----------
    bloc_table
        ``[year,] ccode, bloc``.
    power
        Optional state-year power table ``ccode, year, <value>``.
    min_size
        Smallest bloc counted in ``blocs`` (singletons are states without allies).

    Returns
    -------
    pandas.DataFrame
        Per year: ``states, blocs`` (of ``min_size`` or more), ``singletons``,
        ``sizes`` (of the counted blocs, largest first), ``largest_share`` (of
        states), ``effective_blocs`` (by members); with ``power`` also
        ``effective_blocs_power``, ``largest_power_share`` and
        ``power_coverage`` (share of states with a power value).

    Notes
    -----
    The effective number of blocs (Laakso & Taagepera 1979) is

    .. math:: N_e = \\frac{1}{\\sum_k s_k^2},

    with :math:`s_k` the bloc's share of states (or of power); every bloc,
    singletons included, enters the sum.  Two equal blocs give 2; one
    dominant bloc gives close to 1.

    References
    ----------
    Laakso, M. & Taagepera, R. 1979. "Effective" number of parties: a measure
    with application to West Europe. Comparative Political Studies 12: 3-27.
    """
    if not {"ccode", "bloc"} <= set(bloc_table.columns):
        raise NetworkError("bloc_polarity needs a bloc table with ccode and bloc: run blocs() first.")
    keys = ["year"] if "year" in bloc_table.columns else []
    table = bloc_table if keys else bloc_table.assign(year=0)
    sizes = table.groupby(["year", "bloc"]).size().rename("size").reset_index()
    rows = []
    for year, group in sizes.groupby("year"):
        n = group["size"].sum()
        counted = np.sort(group["size"].to_numpy())[::-1]
        shares = counted / n
        rows.append(
            {
                "year": year,
                "states": int(n),
                "blocs": int((counted >= min_size).sum()),
                "singletons": int((counted == 1).sum()),
                "sizes": " ".join(str(int(s)) for s in counted[counted >= min_size]),
                "largest_share": float(shares.max()),
                "effective_blocs": float(1.0 / np.sum(shares**2)),
            }
        )
    out = pd.DataFrame(rows)
    if power is not None:
        shares = bloc_power(table, power, value)
        coverage = shares.groupby("year").agg(with_power=("states_with_power", "sum"), states=("size", "sum"))
        summary = shares.groupby("year").agg(
            effective_blocs_power=("power_share", lambda s: 1.0 / np.nansum(s.to_numpy() ** 2) if s.notna().any() else np.nan),
            largest_power_share=("power_share", "max"),
        )
        summary["power_coverage"] = coverage["with_power"] / coverage["states"]
        out = out.merge(summary.reset_index(), on="year", how="left")
    if not keys:
        out = out.drop(columns="year")
    return out
