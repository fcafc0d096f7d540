"""The Monte Carlo projection of the distribution of power: :func:`project`.

Calibration (:mod:`worldorder.sim.calibration`), the engine
(:mod:`worldorder.sim.engine`), where it runs (:mod:`worldorder.sim.backends`)
and the summaries (:mod:`worldorder.sim.summaries`) each live in their own
module; this one puts them together.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

import pandas as pd

from worldorder.seeds import DEFAULT_SEED, check_seed
from worldorder.sim.backends import BACKENDS, check_backend, dask_session, run_dask, run_threads
from worldorder.sim.calibration import GrowthModel, calibrate
from worldorder.sim.inputs import SimulationError, value_column
from worldorder.sim.engine import BLOCK, Plan, check_paths, chunks_of, histogram_quantiles, make_plan, normal_table
from worldorder.sim.summaries import Projection, summarize

__all__ = [
    "BLOCK",
    "GrowthModel",
    "Projection",
    "SimulationError",
    "calibrate",
    "histogram_quantiles",
    "normal_table",
    "project",
    "value_column",
]


def project(
    power: pd.DataFrame | GrowthModel,
    horizon: int = 2050,
    paths: int = 100_000,
    seed: int = DEFAULT_SEED,
    chunk: int | None = None,
    rule="leader:0.5",
    leader: int | None = None,
    challenger: int | None = None,
    quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95),
    state_summaries: bool = True,
    shocks: Sequence | None = None,
    workers: int | None = None,
    normals: str = "table",
    progress: bool | Callable[[str], None] = True,
    backend: str = "threads",
    scheduler: str | None = None,
    client=None,
    processes: bool = True,
    **calibration,
) -> Projection:
    """Project the distribution of power with Monte Carlo paths.

    Parameters
    ----------
    power : pandas.DataFrame or GrowthModel
        A state-year power table ``ccode, year, <value>`` (calibrated with
        :func:`calibrate` and the ``calibration`` keywords), or a model
        calibrated already.
    horizon : int
        Last projected year.
    paths : int
        Number of simulated paths.
    seed : int
        Seed of the random numbers (default :data:`worldorder.seeds.DEFAULT_SEED`); the same seed gives the same numbers.
    chunk : int, optional
        Paths per task (rounded to whole blocks of :data:`BLOCK`); sets the
        memory in use, never the results.
    rule : str or PoleRule
        The pole rule, as in :func:`worldorder.power.polarity.pole_rule`:
        ``"leader:0.5"`` (a pole has at least half the leader's power),
        ``"threshold:0.1"`` (at least 10% of the total) or ``"wayman"`` (the
        fewest largest states holding half).  User-written rules are not
        supported inside the simulation.
    leader, challenger : int, optional
        COW codes; default the largest and second-largest states in the base
        year.
    quantiles : sequence of float
        Probabilities of the reported quantiles.
    state_summaries : bool
        Also summarize each state's share (costs about as much again as
        the rest).
    shocks : sequence of GrowthShock, optional
        Changes to states' mean growth in some years
        (:class:`worldorder.sim.shocks.GrowthShock`).
    workers : int, optional
        Threads (default: the number of CPUs), or with ``backend="dask"`` the
        workers of a new local cluster (default 2).
    normals : {"table", "ziggurat"}
        How standard-normal shocks are drawn (see Notes).
    progress : bool or callable
        Show a progress bar on standard error; or a function called with
        each chunk's label as it completes (an exception it raises stops the
        run: the web app stops a projection whose client has gone).
    backend : {"threads", "dask"}
        Where the blocks run (:mod:`worldorder.sim.backends`); ``scheduler`` or
        ``client`` imply ``"dask"``.  Results are identical on every backend.
    scheduler : str, optional
        Address of an existing Dask scheduler (``"tcp://10.0.0.5:8786"``).
    client : distributed.Client, optional
        Use this Dask client.
    processes : bool
        Workers of a new local Dask cluster as processes (True) or threads.
    **calibration
        Passed to :func:`calibrate` when ``power`` is a table.

    Returns
    -------
    Projection

    Notes
    -----
    With shares :math:`s_{it} = x_{it} / \\sum_j x_{jt}` and the growth model
    of :func:`calibrate`,
    :math:`\\log x_{it} = \\log x_{i,t-1} + \\mu_{it} + \\sigma_i(\\lambda_i^\\top
    f_t + \\psi_i e_{it})`.  Each path and year gives :math:`H_t = \\sum_i
    s_{it}^2`, :math:`\\mathrm{CON}_t = \\sqrt{(H_t - 1/N)/(1 - 1/N)}` (Ray &
    Singer 1973), the effective number of poles :math:`1/H_t` (Laakso &
    Taagepera 1979), the leader's share, the count of poles under the rule,
    and whether the challenger is ahead of the leader.

    Quantiles are read from histograms that are merged across blocks: 8,192
    equal bins on [0, 1] for CON and the leading share (quantiles of the
    effective number of poles and of HHI follow from CON's, being monotone
    functions of it) and 32 bins per doubling for each state's share (bins
    3% wide, shares under :math:`2^{-30}` in one bin), with linear
    interpolation inside the bin.

    ``normals="table"`` draws each standard-normal shock as one of 65,536
    equal-probability normal quantiles picked by a uniform 16-bit integer
    (inverse-transform sampling on a grid, scaled to unit variance): its
    distribution function is within :math:`2^{-17}` of the normal's
    everywhere -- far below Monte Carlo error -- with the tails cut at
    :math:`\\pm 4.3` standard deviations.  It is about three times faster than
    numpy's ziggurat (``normals="ziggurat"``, exact).

    References
    ----------
    Ray, J. L. & Singer, J. D. 1973. Measuring the concentration of power in
    the international system. *Sociological Methods & Research* 1(4): 403-437.
    Laakso, M. & Taagepera, R. 1979. "Effective" number of parties.
    *Comparative Political Studies* 12(1): 3-27.

    Examples
    --------
    >>> result = project(gdp, horizon=2050, paths=10_000, seed=1)  # doctest: +SKIP
    >>> result.labels.tail(1)  # doctest: +SKIP
    """
    check_paths(paths)  # before the calibration: a run that cannot start costs nothing
    check_seed(seed)
    check_backend(workers, scheduler)
    model = power if isinstance(power, GrowthModel) else calibrate(power, **calibration)
    if isinstance(power, GrowthModel) and calibration:
        raise SimulationError(f"Calibration options {sorted(calibration)} need a power table, not a GrowthModel.")
    if scheduler is not None or client is not None:
        backend = "dask"
    if backend not in BACKENDS:
        raise SimulationError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}.")
    started = time.perf_counter()
    plan = make_plan(model, horizon, paths, seed, rule, leader, challenger, state_summaries, normals, shocks)
    tasks = chunks_of(plan, chunk)
    from worldorder._progress import progress_steps

    planned = time.perf_counter()
    where = " on Dask" if backend == "dask" else ""
    with progress_steps(len(tasks), f"Projecting {paths:,} paths{where}", enabled=progress) as advance:
        if backend == "threads":
            threads = max(1, int(workers or os.cpu_count() or 1))
            total, timings = run_threads(plan, tasks, threads, advance)
            name = f"threads:{threads}"
        else:
            with dask_session(client, scheduler, workers, processes) as session:
                total, timings = run_dask(plan, tasks, session, advance)
                name = f"dask:{scheduler or 'local'}:{len(session.scheduler_info().get('workers', {}))}"
    settings = _settings(plan, model, horizon, seed, quantiles, chunk, backend=name)
    start = time.perf_counter()
    timings["plan"] = planned - started
    timings["simulate"] = start - planned - timings["reduce"]
    result = summarize(plan, model, total, quantiles, settings)
    timings["summarize"] = time.perf_counter() - start
    timings["total"] = time.perf_counter() - started
    result.settings["timings"] = timings
    return result


def _settings(plan: Plan, model: GrowthModel, horizon, seed, quantiles, chunk, backend: str) -> dict:
    return {
        "value": model.value,
        "base_year": model.base_year,
        "horizon": int(horizon),
        "paths": plan.paths,
        "seed": seed,
        "block": BLOCK,
        "chunk": chunk,
        "rule": plan.rule_name,
        "normals": plan.normals,
        "quantiles": list(quantiles),
        "backend": backend,
        "states": model.n_states,
        "window": model.window,
        "correlation": model.correlation,
    }

