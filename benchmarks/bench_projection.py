"""Benchmark: Monte Carlo projection of power shares, worldorder against plain numpy.

100,000 paths x 190 states x 30 years, with CON and the leading state's share
for every path and year, timed for

* ``worldorder``: :func:`worldorder.sim.project` (float32, blocks of 1,024
  paths on threads, CON, leading share, pole counts and overtaking per path
  and year, summarized into histograms);
* ``baseline``: a straightforward float64 numpy implementation holding every
  path at once.

Each runs in its own process so that its peak resident memory (``ru_maxrss``)
is its own.  ``--trace`` also reports numpy's peak traced allocations
(``tracemalloc``), in separate runs: tracing slows allocation-heavy code down,
so traced runs are not timed.

    python benchmarks/bench_projection.py [--paths 100000] [--states 190] [--years 30]

The target of issue 5: worldorder under 3 s with peak memory under 500 MB on two cores.

``--scaling`` measures how the projection's reduction scales (issue 11): one
run with per-state summaries on one worker gives the serial fraction ``f``
(planning, adding the partial results on the client, summarizing), and
Amdahl's law predicts the speed-up on 16 workers, ``1 / (f + (1 - f) / 16)``,
printed beside real runs on Dask local clusters of 1 and 2 worker processes
(same seed: identical results, checked).

    python benchmarks/bench_projection.py --scaling [--paths 100000] [--states 178]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd


def history(states: int, seed: int = 7) -> pd.DataFrame:
    """A synthetic GDP-like history: 40 years of correlated log growth for ``states`` states."""
    rng = np.random.default_rng(seed)
    ccodes = np.linspace(2, 990, states).astype(int)
    ccodes = np.unique(ccodes)
    while len(ccodes) < states:  # pragma: no cover - only for unusual counts
        ccodes = np.unique(np.concatenate([ccodes, ccodes[-1:] + 1]))
    level = rng.lognormal(3.0, 2.0, states)
    mean = rng.normal(0.03, 0.015, states)
    rows = []
    for year in range(1979, 2019):
        level = level * np.exp(mean + rng.normal(0, 0.02) + rng.normal(0, 0.035, states))
        rows.append(pd.DataFrame({"ccode": ccodes, "year": year, "gdp": level}))
    return pd.concat(rows, ignore_index=True)


def run_worldorder(paths: int, states: int, years: int, trace: bool = False) -> dict:
    from worldorder.sim.montecarlo import calibrate, project

    model = calibrate(history(states))
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = project(model, horizon=model.base_year + years, paths=paths, seed=1, state_summaries=False, progress=False)
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] if trace else float("nan")
    last = result.polarity[result.polarity["year"] == model.base_year + years].set_index("index")
    return {"seconds": seconds, "traced_mb": traced / 2**20, "mean_con": float(last.loc["con", "mean"]), "mean_top": float(last.loc["top_share", "mean"])}


def run_baseline(paths: int, states: int, years: int, trace: bool = False) -> dict:
    from worldorder.sim.montecarlo import calibrate

    model = calibrate(history(states))
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    rng = np.random.default_rng(1)
    n = model.n_states
    loadings = model.loadings * model.sigma[:, None]
    idio = model.sigma * model.idio
    logx = np.tile(np.log(model.base / model.base.sum()), (paths, 1))
    con = np.empty((years, paths))
    top = np.empty((years, paths))
    for t in range(years):
        factors = rng.standard_normal((paths, loadings.shape[1]))
        logx += model.mu + factors @ loadings.T + idio * rng.standard_normal((paths, n))
        level = np.exp(logx)
        shares = level / level.sum(axis=1, keepdims=True)
        hhi = (shares**2).sum(axis=1)
        con[t] = np.sqrt((hhi - 1 / n) / (1 - 1 / n))
        top[t] = shares.max(axis=1)
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] if trace else float("nan")
    return {"seconds": seconds, "traced_mb": traced / 2**20, "mean_con": float(con[-1].mean()), "mean_top": float(top[-1].mean())}


REPEATS = {"worldorder": 3, "baseline": 1}  # the baseline takes ~20 s a run; its first-run overhead is negligible


def child(which: str, paths: int, states: int, years: int, trace: bool) -> None:
    function = run_worldorder if which == "worldorder" else run_baseline
    runs = [function(paths, states, years, trace) for _ in range(1 if trace else REPEATS[which])]
    result = min(runs, key=lambda run: run["seconds"])
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def scaling(paths: int, states: int, years: int) -> None:
    """Serial fraction on this machine, Amdahl's prediction for 16 workers, real runs on 1 and 2 Dask workers."""
    from distributed import Client, LocalCluster

    from worldorder.sim.montecarlo import calibrate, project

    model = calibrate(history(states))
    options = dict(horizon=model.base_year + years, paths=paths, seed=1, state_summaries=True, progress=False)
    one = project(model, workers=1, **options)
    t = one.settings["timings"]
    serial = t["total"] - t["simulate"]
    fraction = serial / t["total"]
    print(f"scaling: {paths:,} paths x {states} states x {years} years, with per-state summaries")
    print(f"  one thread: {t['total']:.2f} s, of which serial {serial:.3f} s "
          f"(plan {t['plan']:.3f}, reduce {t['reduce']:.3f}, summarize {t['summarize']:.3f})")
    print(f"  serial fraction f = {fraction:.2%}  (target < 2%)")
    for n in (2, 16):
        print(f"  Amdahl's law, {n:2d} workers: {1 / (fraction + (1 - fraction) / n):.1f}x")
    times = {}
    for n in (1, 2):
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, Client(cluster) as client:
            project(model, client=client, **dict(options, paths=min(paths, 4096)))  # warm the workers up
            start = time.perf_counter()
            result = project(model, client=client, **options)
            times[n] = time.perf_counter() - start
        assert result.states.equals(one.states), "Dask results differ from the local run"
        r = result.settings["timings"]
        print(f"  Dask, {n} worker(s): {times[n]:.2f} s (client-side reduce {r['reduce']:.3f} s, summarize {r['summarize']:.3f} s)")
    print(f"  measured speed-up 2 workers vs 1: {times[1] / times[2]:.2f}x (Amdahl predicts {1 / (fraction + (1 - fraction) / 2):.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--states", type=int, default=190)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--trace", action="store_true", help="also measure numpy's traced peak (separate, untimed runs)")
    parser.add_argument("--child", choices=["worldorder", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--scaling", action="store_true", help="serial fraction, Amdahl's prediction and 1-2 Dask workers")
    args = parser.parse_args()
    if args.scaling:
        scaling(args.paths, args.states, args.years)
        return
    if args.child:
        child(args.child, args.paths, args.states, args.years, args.trace)
        return

    def run(which: str, trace: bool) -> dict:
        command = [sys.executable, __file__, "--child", which, "--paths", str(args.paths), "--states", str(args.states), "--years", str(args.years)]
        output = subprocess.run(command + (["--trace"] if trace else []), check=True, capture_output=True, text=True).stdout
        return json.loads(output.strip().splitlines()[-1])

    results = {which: run(which, False) for which in ("worldorder", "baseline")}
    if args.trace:
        for which in results:
            results[which]["traced_mb"] = run(which, True)["traced_mb"]
    print(f"projection: {args.paths:,} paths x {args.states} states x {args.years} years, CON and top share per path-year")
    print(f"  best of {REPEATS['worldorder']} runs for worldorder, {REPEATS['baseline']} for the baseline, each in a fresh process")
    for which, r in results.items():
        traced = f"   numpy traced {r['traced_mb']:7.1f} MB" if args.trace else ""
        print(
            f"  {which:10s} {r['seconds']:6.2f} s   peak RSS {r['peak_rss_mb']:7.1f} MB{traced}   "
            f"mean CON {r['mean_con']:.4f}   mean top share {r['mean_top']:.4f}"
        )
    ratio = results["baseline"]["seconds"] / results["worldorder"]["seconds"]
    print(f"  speed-up: {ratio:.1f}x  (target: worldorder < 3 s, peak RSS < 500 MB)")


if __name__ == "__main__":
    main()
