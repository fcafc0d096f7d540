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
