"""Diffusion of an alignment or a policy through a network of states.

Two classic models, run many times from chosen seed states on an igraph
graph (for example a layer year of :mod:`worldorder.networks`): the linear
threshold model and the independent-cascade model.  Each run records when
each state adopts; over runs, the probability of adoption, the distribution
of the time of adoption and the order of adoption.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.nanstats import column_moments, column_quantiles
from worldorder.sim.montecarlo import SimulationError


@dataclass
class Diffusion:
    """Adoption over runs.

    Attributes
    ----------
    states : pandas.DataFrame
        ``ccode, seed, p_adopt, mean_time, median_time, q05_time, q95_time,
        mean_rank``: times are steps after the start (seeds adopt at 0), over
        the runs in which the state adopts; ``mean_rank`` is the mean position
        in the order of adoption (1 = first; ties share the mean position).
    curve : pandas.DataFrame
        ``step, mean_adopters, q05, q95``: the number of adopters by step.
    times : numpy.ndarray
        ``runs x states`` adoption steps, NaN for never.
    ccode : numpy.ndarray
    model : str
    """

    states: pd.DataFrame
    curve: pd.DataFrame
    times: np.ndarray
    ccode: np.ndarray
    model: str


def _adjacency(graph, weights: str | None) -> tuple[np.ndarray, np.ndarray, bool]:
    n = graph.vcount()
    attrs = graph.vs.attributes()
    if "ccode" in attrs:
        codes = np.asarray(graph.vs["ccode"], dtype=np.int64)
    elif "name" in attrs:
        codes = np.asarray(graph.vs["name"])
    else:
        codes = np.arange(n)
    matrix = np.zeros((n, n))
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    if weights and weights in graph.es.attributes():
        w = np.asarray(graph.es[weights], dtype=float)
        if (w < 0).any() or not np.all(np.isfinite(w)):
            raise SimulationError(f"Edge weights {weights!r} must be finite and non-negative for diffusion.")
    else:
        w = np.ones(len(edges))
    directed = graph.is_directed()
    np.add.at(matrix, (edges[:, 0], edges[:, 1]), w)
    if not directed:
        np.add.at(matrix, (edges[:, 1], edges[:, 0]), w)
    np.fill_diagonal(matrix, 0.0)
    return matrix, codes, directed


def _seed_mask(codes: np.ndarray, seeds: Iterable) -> np.ndarray:
    seeds = list(seeds)
    index = {c.item() if hasattr(c, "item") else c: i for i, c in enumerate(codes)}
    mask = np.zeros(len(codes), bool)
    missing = [s for s in seeds if s not in index]
    if missing:
        raise SimulationError(f"Seed state(s) {missing} are not in the network.")
    if not seeds:
        raise SimulationError("Diffusion needs at least one seed state.")
    mask[[index[s] for s in seeds]] = True
    return mask


def diffuse(
    graph,
    seeds: Iterable,
    model: str = "threshold",
    runs: int = 1000,
    seed: int = 0,
    threshold: float | str | Mapping = "uniform",
    probability: float | str = 0.1,
    weights: str | None = "weight",
    max_steps: int | None = None,
) -> Diffusion:
    """Simulate the spread of an adoption from ``seeds`` through ``graph``.

    Parameters
    ----------
    graph : igraph.Graph
        The network; vertices named by a ``ccode`` (or ``name``) attribute.
        In a directed graph influence runs along the edges.
    seeds
        The states that adopt at step 0.
    model : {"threshold", "cascade"}
        Linear threshold or independent cascade.
    runs : int
        Number of runs.
    seed : int
        Seed of the random numbers; the same seed gives the same runs.
    threshold : float, "uniform" or mapping
        Threshold model: each state's threshold -- one number for all, a
        mapping ``{ccode: threshold}`` (others 0.5), or ``"uniform"``: drawn
        from U(0, 1) anew in every run (Kempe et al. 2003).
    probability : float or str
        Cascade model: probability that an adopter converts a neighbour --
        one number, or the name of an edge attribute holding probabilities.
    weights : str or None
        Edge attribute of tie strengths for the threshold model (None: all 1).
    max_steps : int, optional
        Stop after this many steps (default: until nothing changes).

    Returns
    -------
    Diffusion

    Notes
    -----
    *Threshold.* With tie weights :math:`w_{uv}`, state :math:`v` adopts at
    step :math:`t+1` when :math:`\\sum_{u \\in A_t} w_{uv} / \\sum_u w_{uv} \\ge
    \\theta_v`, :math:`A_t` the adopters by step :math:`t` (Granovetter 1978).
    A state without ties never adopts unless it is a seed.

    *Independent cascade.* A state adopting at step :math:`t` has one chance,
    at :math:`t+1`, to convert each neighbour :math:`v` that has not adopted,
    with probability :math:`p_{uv}`, independently; :math:`v` adopts with
    probability :math:`1 - \\prod_{u \\in N_t} (1 - p_{uv})` over the new
    adopters :math:`N_t` (Goldenberg, Libai & Muller 2001; Kempe et al. 2003).

    References
    ----------
    Granovetter, M. 1978. Threshold models of collective behavior. *American
    Journal of Sociology* 83(6): 1420-1443.
    Goldenberg, J., Libai, B. & Muller, E. 2001. Talk of the network: a
    complex systems look at the underlying process of word-of-mouth.
    *Marketing Letters* 12(3): 211-223.
    Kempe, D., Kleinberg, J. & Tardos, É. 2003. Maximizing the spread of
    influence through a social network. *Proceedings of KDD '03*: 137-146.
    """
    if model not in ("threshold", "cascade"):
        raise SimulationError(f"model must be 'threshold' or 'cascade', not {model!r}.")
    if runs < 1:
        raise SimulationError("runs must be 1 or more.")
    W, codes, _ = _adjacency(graph, weights if model == "threshold" else None)
    n = len(codes)
    start = _seed_mask(codes, seeds)
    rng = np.random.default_rng(seed)
    limit = n if max_steps is None else int(max_steps)
    times = np.full((runs, n), np.nan)
    times[:, start] = 0.0
    adopted = np.tile(start, (runs, 1))

    if model == "threshold":
        incoming = W.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(incoming > 0, W / np.where(incoming > 0, incoming, 1.0), 0.0)
        if isinstance(threshold, str):
            if threshold != "uniform":
                raise SimulationError("threshold must be a number, a mapping or 'uniform'.")
            theta = rng.uniform(0.0, 1.0, size=(runs, n))
        elif isinstance(threshold, Mapping):
            index = {c.item() if hasattr(c, "item") else c: i for i, c in enumerate(codes)}
            row = np.full(n, 0.5)
            for key, value in threshold.items():
                if key not in index:
                    raise SimulationError(f"Threshold given for {key}, which is not in the network.")
                row[index[key]] = float(value)
            theta = np.tile(row, (runs, 1))
        else:
            theta = np.full((runs, n), float(threshold))
        connected = incoming > 0
        for step in range(1, limit + 1):
            pressure = adopted.astype(float) @ share
            new = ~adopted & connected[None, :] & (pressure >= theta - 1e-12)
            if not new.any():
                break
            times[new] = step
            adopted |= new
    else:
        if isinstance(probability, str):
            Wp, _, _ = _adjacency(graph, probability)
            P = Wp
        else:
            P = np.where(W > 0, float(probability), 0.0)
        if (P < 0).any() or (P > 1).any():
            raise SimulationError("Cascade probabilities must be between 0 and 1.")
        with np.errstate(divide="ignore"):
            log_keep = np.log1p(-np.minimum(P, 1.0))  # -inf where p = 1
        newest = adopted.copy()
        for step in range(1, limit + 1):
            with np.errstate(invalid="ignore"):
                total = newest.astype(float) @ np.where(np.isinf(log_keep), -1e300, log_keep)
            chance = -np.expm1(np.maximum(total, -745.0))
            chance[total <= -1e299] = 1.0
            draw = rng.random((runs, n))
            new = ~adopted & (draw < chance)
            if not new.any():
                break
            times[new] = step
            adopted |= new
            newest = new

    adopted_any = ~np.isnan(times)
    p_adopt = adopted_any.mean(axis=0)
    mean_time = column_moments(times)[0]  # NaN for states no run reached
    q05, median, q95 = column_quantiles(times, [0.05, 0.5, 0.95])
    mean_rank = column_moments(pd.DataFrame(times).rank(axis=1, method="average").to_numpy())[0]
    states = pd.DataFrame(
        {
            "ccode": codes,
            "seed": start,
            "p_adopt": p_adopt,
            "mean_time": mean_time,
            "median_time": median,
            "q05_time": q05,
            "q95_time": q95,
            "mean_rank": mean_rank,
        }
    ).sort_values(["mean_rank", "ccode"], na_position="last", kind="stable").reset_index(drop=True)
    last = int(np.nanmax(times)) if adopted_any.any() else 0
    counts = np.stack([(times <= s).sum(axis=1) for s in range(last + 1)], axis=1)
    curve = pd.DataFrame(
        {
            "step": np.arange(last + 1),
            "mean_adopters": counts.mean(axis=0),
            "q05": np.quantile(counts, 0.05, axis=0),
            "q95": np.quantile(counts, 0.95, axis=0),
        }
    )
    return Diffusion(states, curve, times, codes, model)
