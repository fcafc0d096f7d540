"""Resident memory of the web app after many distinct requests, beside the bytes its caches hold.

Runs the app in this process (starlette's test client) over a store with the
web's data sets, sends N distinct requests of each kind (maps by year and
reference set, timelines by reference set and format, and composites of N
distinct weightings each, no two proportional, as timelines, maps, regional
polarity and agreement across measures), and prints the process's resident
set size (RSS) and the caches' bytes against their budget
(``WORLDORDER_WEB_CACHE_MB``).  The baseline is the RSS after the first request
of each kind: the ratio shows how much many distinct requests add.

    python benchmarks/bench_web_memory.py --db STORE --per-kind 5000
"""

from __future__ import annotations

import argparse
import time
import warnings

from bench_composite import weightings


def rss_mb(field: str = "VmRSS") -> float:
    """The process's resident set size now (``VmHWM``: its peak so far), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="A store holding the web app's data sets (worldorder serve prepares one).")
    parser.add_argument("--per-kind", type=int, default=1000, help="Distinct requests of each kind.")
    parser.add_argument("--kinds", default=None, help="Only these kinds, comma-separated (default: all).")
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from worldorder.web import cache
    from worldorder.web.app import create_app

    app = create_app(args.db, warm=False)
    budget = cache.default_budget()
    kinds = {
        "map": lambda i: f"/api/map?measure=cinc&year={1816 + i % 200}&among=top:{2 + (i // 200) % 49}",
        "map_gdp": lambda i: f"/api/map?measure=gdp&year={1850 + i % 170}&among=top:{2 + (i // 170) % 49}",
        "timeline": lambda i: f"/api/timeline?measure=cinc&among=top:{2 + i % 49}&first={1816 + i // 49}&format={('json', 'csv')[i % 2]}",
        "composite": lambda i: f"/api/timeline?measure=composite&weights={composite[i]}",
        "comp_map": lambda i: f"/api/map?measure=composite&weights={composite[args.per_kind + i]}&year={1950 + i % 60}",
        "comp_region": lambda i: f"/api/regions/polarity?measure=composite&weights={composite[2 * args.per_kind + i]}",
        "comp_agree": lambda i: f"/api/agreement?weights={composite[3 * args.per_kind + i]}",
    }
    composite = [",".join(f"{k}:{v}" for k, v in w.items()) for w in weightings(4 * args.per_kind)]  # all distinct
    if args.kinds:
        kinds = {name: kinds[name] for name in args.kinds.split(",")}
    counts = dict.fromkeys(kinds, args.per_kind)
    start = time.perf_counter()
    with TestClient(app) as client:
        for name, url in kinds.items():
            assert client.get(url(0)).status_code == 200, url(0)
        baseline = rss_mb()
        sent = len(kinds)
        for name, url in kinds.items():
            began = time.perf_counter()
            for i in range(1, counts[name]):
                response = client.get(url(i))
                sent += 1
                if response.status_code != 200:
                    print(f"  {url(i)}: {response.status_code} {response.text[:120]}")
            print(f"after {counts[name]:>5} distinct {name:<11} requests: RSS {rss_mb():7.0f} MB, caches {budget.nbytes / 2**20:6.0f} MB "
                  f"of {budget.max_bytes / 2**20:.0f} MB, {budget.evictions} evicted, "
                  f"{(time.perf_counter() - began) / max(1, counts[name] - 1) * 1000:.0f} ms per request")
    final = rss_mb()
    print(f"{sent} requests in {time.perf_counter() - start:.0f} s; RSS {baseline:.0f} MB after one request of each kind, "
          f"{final:.0f} MB after all (ratio {final / baseline:.2f}), peak {rss_mb('VmHWM'):.0f} MB; caches {budget.nbytes / 2**20:.0f} MB held")


if __name__ == "__main__":
    main()
