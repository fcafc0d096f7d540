"""Diffusion: known answers on small graphs, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

ig = pytest.importorskip("igraph")

from worldorder.sim.diffusion import diffuse  # noqa: E402
from worldorder.sim.montecarlo import SimulationError  # noqa: E402


def path_graph():
    graph = ig.Graph([(0, 1), (1, 2), (2, 3)])
    graph.vs["ccode"] = [2, 20, 200, 365]
    return graph


def test_certain_cascade_reaches_at_the_distance():
    result = diffuse(path_graph(), [2], model="cascade", probability=1.0, runs=3)
    states = result.states.set_index("ccode")
    assert states["mean_time"].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert states["mean_rank"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert (states["p_adopt"] == 1.0).all()


def test_cascade_probabilities_multiply_along_a_path():
    runs = 40_000
    result = diffuse(path_graph(), [2], model="cascade", probability=0.5, runs=runs, seed=3)
    p = result.states.set_index("ccode")["p_adopt"]
    for code, expected in ((20, 0.5), (200, 0.25), (365, 0.125)):
        assert p[code] == pytest.approx(expected, abs=4 * np.sqrt(expected * (1 - expected) / runs))


def test_threshold_known_answers():
    star = ig.Graph([(0, 1), (0, 2), (0, 3)])
    star.vs["ccode"] = [2, 20, 200, 365]
    result = diffuse(star, [2], model="threshold", threshold=0.5, runs=2)
    assert result.states.set_index("ccode")["mean_time"].tolist() == [0.0, 1.0, 1.0, 1.0]
    # a leaf seed: the hub sees one of three neighbours adopt (1/3 < 0.5) and nothing spreads
    still = diffuse(star, [20], model="threshold", threshold=0.5, runs=2).states.set_index("ccode")
    assert still.loc[2, "p_adopt"] == 0.0 and still.loc[20, "p_adopt"] == 1.0
    # random thresholds: the middle of a path adopts when its threshold is at most 1/2
    uniform = diffuse(path_graph(), [2], model="threshold", runs=20_000, seed=1).states.set_index("ccode")
    assert uniform.loc[20, "p_adopt"] == pytest.approx(0.5, abs=0.015)


def test_same_seed_same_runs():
    a = diffuse(path_graph(), [2], model="cascade", probability=0.4, runs=500, seed=9)
    b = diffuse(path_graph(), [2], model="cascade", probability=0.4, runs=500, seed=9)
    assert np.array_equal(a.times, b.times, equal_nan=True)
    with pytest.raises(SimulationError, match="not in the network"):
        diffuse(path_graph(), [999])
