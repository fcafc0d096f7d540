"""The Monte Carlo projection on a Dask cluster.

The ensemble is cut into the same fixed blocks of paths as
:func:`worldorder.sim.montecarlo.project`; each block is seeded from its index
alone and summarized into integer histograms and per-block sums, which the
client adds up (the sums in block order).  The result is therefore identical,
bit for bit, to the local run and to any other number of workers.

Dask is an optional dependency: ``pip install "dask[distributed]"``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from worldorder.sim.montecarlo import (
    GrowthModel,
    Partial,
    Projection,
    SimulationError,
    _plan,
    _settings,
    calibrate,
    chunks_of,
    simulate_blocks,
    summarize,
)


def _client(scheduler: str | None, workers: int | None, processes: bool):
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise SimulationError(
            'Running on Dask needs the distributed package: pip install "dask[distributed]".'
        ) from error
    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except OSError as error:
            raise SimulationError(
                f"Cannot reach the Dask scheduler at {scheduler}: {error}. Check the address and that the "
                "scheduler runs (`dask scheduler`), or leave out --scheduler to start a local cluster."
            ) from error
    cluster = LocalCluster(
        n_workers=int(workers or 2),
        threads_per_worker=1,
        processes=processes,
        dashboard_address=":0",
    )
    return Client(cluster), cluster


def project_on_dask(
    power: pd.DataFrame | GrowthModel,
    horizon: int = 2050,
    paths: int = 100_000,
    seed: int = 1,
    chunk: int | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    processes: bool = True,
    rule="leader:0.5",
    leader: int | None = None,
    challenger: int | None = None,
    quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95),
    state_summaries: bool = True,
    shocks: Sequence | None = None,
    normals: str = "table",
    progress: bool = True,
    client=None,
    **calibration,
) -> Projection:
    """Run :func:`worldorder.sim.montecarlo.project` on a Dask cluster.

    Parameters
    ----------
    scheduler : str, optional
        Address of an existing scheduler (``"tcp://10.0.0.5:8786"``).  Without
        it a ``LocalCluster`` of ``workers`` single-threaded workers is started
        and closed again.
    workers : int, optional
        Workers of the local cluster (default 2).
    processes : bool
        Local workers as processes (True) or threads in this process.
    client : distributed.Client, optional
        Use this client instead of connecting or starting a cluster.

    Other parameters are those of :func:`~worldorder.sim.montecarlo.project`,
    and the results are identical to it for the same seed.

    Notes
    -----
    Tasks are chunks of whole blocks (:data:`~worldorder.sim.montecarlo.BLOCK`
    paths).  Block :math:`b` draws from ``SeedSequence(seed).spawn(B)[b]``, so
    which worker computes it, and with which other blocks, does not change its
    numbers.

    References
    ----------
    Dask Development Team. 2016. *Dask: Library for dynamic task scheduling*.
    https://dask.org
    """
    model = power if isinstance(power, GrowthModel) else calibrate(power, **calibration)
    plan = _plan(model, horizon, paths, seed, rule, leader, challenger, state_summaries, normals, shocks)
    tasks = chunks_of(plan, chunk)
    cluster = None
    own_client = client is None
    if own_client:
        client, cluster = _client(scheduler, workers, processes)
    total = Partial.empty(plan)
    try:
        from distributed import as_completed

        from worldorder._progress import progress_steps

        remote_plan = client.scatter(plan, broadcast=True)
        futures = client.map(simulate_blocks, [remote_plan] * len(tasks), tasks, pure=False)
        context = progress_steps(len(tasks), f"Projecting {paths:,} paths on Dask") if progress else _Quiet()
        with context as advance:
            for future in as_completed(futures):
                total.add(future.result())
                future.release()
                advance("")
        n_workers = len(client.scheduler_info().get("workers", {}))
    finally:
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()
    settings = _settings(plan, model, horizon, seed, quantiles, chunk, backend=f"dask:{scheduler or 'local'}:{n_workers}")
    return summarize(plan, model, total, quantiles, settings)


class _Quiet:
    def __enter__(self):
        return lambda label: None

    def __exit__(self, *exc):
        return False
