"""``project_on_dask``: :func:`worldorder.sim.project` with ``backend="dask"`` (kept for existing callers)."""

from __future__ import annotations

from worldorder.sim.montecarlo import project


def project_on_dask(power, scheduler: str | None = None, workers: int | None = None, processes: bool = True, client=None, **options):
    """Run :func:`~worldorder.sim.montecarlo.project` on a Dask cluster.

    The same as ``project(power, backend="dask", ...)``, which new code should
    call.  Without ``scheduler`` or ``client`` a ``LocalCluster`` of
    ``workers`` (default 2) single-threaded workers is started and closed
    again.  Results are identical to the local run for the same seed.

    References
    ----------
    Dask Development Team. 2016. *Dask: Library for dynamic task scheduling*.
    https://dask.org
    """
    return project(power, backend="dask", scheduler=scheduler, workers=workers, processes=processes, client=client, **options)
