"""Benchmark: the full backtest of issue 11 (9 origins x 4 horizons x 2 measures x 20,000 paths).

Times, in one run and on the same data,

* ``worldorder``: :func:`worldorder.backtest` with its default two threads
  (origins side by side);
* ``baseline``: the same backtest computed serially (one origin at a time, one thread);
* optionally (``--dask``) the origins as tasks on a local Dask cluster of 2 worker processes.

The data are loaded once before timing.  The target: under 60 s on this
2-core machine.

    python benchmarks/bench_backtest.py [--paths 20000] [--dask]
"""

from __future__ import annotations

import argparse
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=20_000)
    parser.add_argument("--origins", default="1960-2000/5")
    parser.add_argument("--horizons", default="5,10,20,30")
    parser.add_argument("--dask", action="store_true", help="also run the origins on a local Dask cluster of 2 workers")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    from worldorder.sim.backtesting import _load, backtest

    tables = {name: _load(name)[0] for name in ("gdp", "cinc")}
    options = dict(measures="gdp,cinc", origins=args.origins, horizons=args.horizons, paths=args.paths, seed=1, tables=tables)
    runs = {}
    start = time.perf_counter()
    fast = backtest(workers=2, **options)
    runs["worldorder (2 threads)"] = time.perf_counter() - start
    start = time.perf_counter()
    slow = backtest(workers=1, **options)
    runs["baseline (serial)"] = time.perf_counter() - start
    assert fast.scores.equals(slow.scores), "threads changed the scores"
    if args.dask:
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, Client(cluster) as client:
            start = time.perf_counter()
            remote = backtest(client=client, **options)
            runs["Dask (2 workers)"] = time.perf_counter() - start
        assert remote.scores.equals(fast.scores), "Dask changed the scores"
    cells = len(fast.scores[fast.scores["origin"].notna()][["measure", "origin", "horizon"]].drop_duplicates())
    print(f"backtest: gdp,cinc, origins {args.origins}, horizons {args.horizons}, {args.paths:,} paths, "
          f"{cells} scored origin-horizon cells, 4 forecasters")
    for name, seconds in runs.items():
        print(f"  {name:24s} {seconds:6.1f} s")
    print(f"  speed-up over the serial run: {runs['baseline (serial)'] / runs['worldorder (2 threads)']:.2f}x "
          f"(target: worldorder < 60 s)")


if __name__ == "__main__":
    main()
