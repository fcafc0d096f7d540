"""Where the blocks of a projection run: local threads or a Dask cluster, reduced on the workers.

Each backend takes a :class:`~worldorder.sim.engine.Plan` and its chunks of
blocks and returns one :class:`~worldorder.sim.engine.Partial`.  The summaries
are reduced where they are computed: every thread adds its chunks into its own
accumulator, and on Dask partial results are added pairwise on the workers (a
tree), so that the client receives one result whatever the number of tasks.
Integer histograms add in any order and the floating-point sums are kept per
block, so every backend and worker count gives the same numbers, bit for bit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from worldorder.errors import whole_number_between
from worldorder.sim.inputs import SimulationError
from worldorder.sim.engine import Partial, Plan, simulate_blocks

BACKENDS = ("threads", "dask")
#: Local workers (threads or Dask processes) per CPU core at most: more only queue, and thousands hang a new cluster.
WORKERS_PER_CORE = 4


def check_backend(workers: int | None = None, scheduler: str | None = None) -> None:
    """Refuse a worker count or a scheduler address that cannot run, before any work.

    Raises
    ------
    SimulationError
        When ``workers`` is not a whole number from 1 to :data:`WORKERS_PER_CORE`
        per CPU core, or ``scheduler`` is given but empty.
    """
    import os

    if workers is not None:
        limit = WORKERS_PER_CORE * (os.cpu_count() or 1)
        if not whole_number_between(workers, 1, limit):
            raise SimulationError(
                f"workers {workers!r}: give a whole number from 1 to {limit} ({WORKERS_PER_CORE} per CPU core here); "
                "for more, start a Dask scheduler on other machines and give its address."
            )
    if scheduler is not None and not str(scheduler).strip():
        raise SimulationError("The Dask scheduler address is empty: give one such as tcp://10.0.0.5:8786, or leave it out to run here.")


def merge(left: Partial, right: Partial) -> Partial:
    """``left`` with ``right`` added (a node of the reduction tree), compacted for the trip to the next node."""
    left.add(right)
    return left.compact()


def simulate_compact(plan: Plan, blocks: Sequence[int]) -> Partial:
    """:func:`~worldorder.sim.engine.simulate_blocks`, compacted: only nonzero histogram bins travel."""
    return simulate_blocks(plan, blocks).compact()


def _accumulate(plan: Plan, tasks: Sequence[Sequence[int]], advance: Callable[[str], None], lock: threading.Lock) -> Partial:
    total = Partial.empty(plan)
    for task in tasks:
        total.add(simulate_blocks(plan, task))
        with lock:
            advance("")
    return total


def run_threads(plan: Plan, tasks: list[list[int]], threads: int, advance: Callable[[str], None]) -> tuple[Partial, dict]:
    """Run ``tasks`` on ``threads`` threads, each adding its results into its own accumulator.

    Returns the total and ``{"reduce": seconds}``, the serial time spent adding
    the per-thread accumulators on the caller's thread.
    """
    threads = max(1, min(int(threads), len(tasks)))
    lock = threading.Lock()
    if threads == 1:
        total = _accumulate(plan, tasks, advance, lock)
        return total, {"reduce": 0.0}
    groups = [tasks[i::threads] for i in range(threads)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = list(pool.map(lambda group: _accumulate(plan, group, advance, lock), groups))
    start = time.perf_counter()
    total = parts[0]
    for part in parts[1:]:
        total.add(part)
    return total, {"reduce": time.perf_counter() - start}


def _connect(Client, scheduler: str, deadline: float = 30.0):
    """``Client(scheduler)``, given up after ``deadline`` seconds.

    A server that accepts the connection but never answers Dask's handshake
    (a web server, say) holds ``Client`` past its own timeout, so the client is
    made on a daemon thread that is abandoned when the deadline passes.
    """
    made: dict = {}

    def connect() -> None:
        try:
            made["client"] = Client(scheduler, timeout="10s")
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            made["error"] = error

    thread = threading.Thread(target=connect, name="worldorder-dask-connect", daemon=True)
    thread.start()
    thread.join(deadline)
    if "error" in made:
        raise made["error"]
    if "client" not in made:
        raise SimulationError(
            f"Something answers at {scheduler}, but no Dask scheduler replied within {deadline:.0f} s. "
            "Check the address and port (a scheduler listens on 8786 by default)."
        )
    return made["client"]


def dask_client(scheduler: str | None, workers: int | None, processes: bool):
    """A client of the scheduler at ``scheduler``, or of a new local cluster of ``workers`` workers."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise SimulationError(
            'Running on Dask needs the distributed package: pip install "dask[distributed]".'
        ) from error
    check_backend(workers, scheduler)
    if scheduler:
        try:
            return _connect(Client, scheduler), None
        except SimulationError:
            raise
        except OSError as error:
            raise SimulationError(
                f"Cannot reach the Dask scheduler at {scheduler}: {error}. Check the address and that the "
                "scheduler runs (`dask scheduler`), or leave out --scheduler to start a local cluster."
            ) from error
        except (MemoryError, ValueError, TypeError, KeyError) as error:  # bytes of another protocol read as Dask's
            raise SimulationError(
                f"Something answers at {scheduler}, but it is not a Dask scheduler ({type(error).__name__}). "
                "Check the address and port (a scheduler listens on 8786 by default)."
            ) from None
    cluster = LocalCluster(n_workers=int(workers or 2), threads_per_worker=1, processes=processes, dashboard_address=":0")
    return Client(cluster), cluster


@contextmanager
def dask_session(client=None, scheduler: str | None = None, workers: int | None = None, processes: bool = True) -> Iterator:
    """``client`` as it is, or one of :func:`dask_client`'s, closed again (with its cluster) on leaving."""
    if client is not None:
        yield client
        return
    client, cluster = dask_client(scheduler, workers, processes)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_dask(plan: Plan, tasks: list[list[int]], client, advance: Callable[[str], None]) -> tuple[Partial, dict]:
    """Run ``tasks`` on the Dask ``client``'s cluster and add their results pairwise on the workers.

    Returns the total and ``{"reduce": seconds}``: the time from the last leaf
    task's end to the root of the tree being received.

    Notes
    -----
    With :math:`m` leaf tasks the tree has :math:`\\lceil \\log_2 m \\rceil`
    levels; the client receives one partial result instead of :math:`m`.
    Results travel compacted (:meth:`~worldorder.sim.engine.Partial.compact`):
    only the nonzero bins of the per-state histograms.
    """
    from distributed import as_completed

    remote_plan = client.scatter(plan, broadcast=True)
    leaves = client.map(simulate_compact, [remote_plan] * len(tasks), tasks, pure=False)
    level = list(leaves)
    while len(level) > 1:
        pairs = [client.submit(merge, level[i], level[i + 1], pure=False) for i in range(0, len(level) - 1, 2)]
        level = pairs + ([level[-1]] if len(level) % 2 else [])
    for _ in as_completed(leaves):
        advance("")
    start = time.perf_counter()
    del leaves
    total = level[0].result().dense()
    return total, {"reduce": time.perf_counter() - start}
