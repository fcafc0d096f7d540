"""The ensemble on Dask gives the local numbers, whatever the number of workers."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("distributed")

from worldorder.sim.distributed import project_on_dask  # noqa: E402
from worldorder.sim.montecarlo import BLOCK, calibrate, project  # noqa: E402

from test_sim_montecarlo import assert_same, history  # noqa: E402


@pytest.fixture(scope="module")
def model():
    return calibrate(history(states=10))


def test_one_and_two_workers_match_the_local_run(model):
    from distributed import Client, LocalCluster

    options = dict(horizon=2026, paths=4 * BLOCK + 7, seed=11, progress=False)
    local = project(model, chunk=BLOCK, **options)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, Client(cluster) as client:
        two = project_on_dask(model, client=client, chunk=BLOCK, **options)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, Client(cluster) as client:
        one = project_on_dask(model, client=client, chunk=3 * BLOCK, **options)
    assert_same(local, two)
    assert_same(local, one)
    assert two.settings["backend"].endswith(":2")


def test_local_cluster_started_by_default(model):
    result = project_on_dask(model, workers=2, processes=False, horizon=2022, paths=BLOCK, seed=1, progress=False)
    local = project(model, horizon=2022, paths=BLOCK, seed=1, progress=False)
    pd.testing.assert_frame_equal(result.polarity, local.polarity, check_exact=True)


def test_an_existing_cluster_by_its_scheduler_address(model):
    """`--scheduler ADDRESS`: a cluster started elsewhere, with worker processes, gives the local numbers."""
    from distributed import LocalCluster

    options = dict(horizon=2024, paths=2 * BLOCK + 3, seed=5, progress=False)
    local = project(model, chunk=BLOCK, **options)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        remote = project_on_dask(model, scheduler=cluster.scheduler_address, chunk=BLOCK, **options)
        address = cluster.scheduler_address
    assert_same(local, remote)
    assert remote.settings["backend"] == f"dask:{address}:2"


def test_an_unreachable_scheduler_is_one_clear_error(model):
    from worldorder.sim.montecarlo import SimulationError

    with pytest.raises(SimulationError, match="Cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        project_on_dask(model, scheduler="tcp://127.0.0.1:9", horizon=2022, paths=BLOCK, seed=1, progress=False)


def test_backtest_origins_on_dask_give_the_local_scores():
    from distributed import Client, LocalCluster

    from test_sim_backtest import synthetic
    from worldorder.sim.backtesting import backtest

    table = synthetic(states=10, years=(1940, 2000))
    options = dict(measures="cinc", origins="1970,1980", horizons="5,10", paths=64, seed=3, tables={"cinc": table})
    local = backtest(workers=1, **options)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, Client(cluster) as client:
        remote = backtest(client=client, **options)
    pd.testing.assert_frame_equal(local.scores, remote.scores)
    assert remote.settings["backend"] == "dask"


def test_compacted_partials_add_up_to_the_dense_ones(model):
    import numpy as np

    from worldorder.sim.engine import make_plan, simulate_blocks

    plan = make_plan(model, 2030, 3 * BLOCK, 2, "leader:0.5", None, None, True, "table", None)
    dense = simulate_blocks(plan, [0, 1, 2])
    parts = [simulate_blocks(plan, [b]).compact() for b in (0, 1, 2)]
    assert all(p.shares is None and p.sparse[0].size < p.sparse[2][0] * p.sparse[2][1] * p.sparse[2][2] for p in parts)
    total = parts[0]
    total.add(parts[1])
    total.add(parts[2].dense().compact())
    np.testing.assert_array_equal(total.dense().shares, dense.shares)
