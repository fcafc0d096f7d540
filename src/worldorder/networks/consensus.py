"""Consensus blocs: the blocs repeated seeded Leiden runs agree on, and how stable they are."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.networks.layers import NetworkError
from worldorder.seeds import check_seed
from worldorder.networks.leiden import _bloc_table, _check_weights, _codes, _leiden, _nmi, _relabel, _seeds
from worldorder.networks.metrics import _is_graph
from worldorder.networks.obligations import alliance_ties

__all__ = ["Consensus", "consensus_blocs"]


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
    check_seed(seed)
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

