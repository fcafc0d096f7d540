"""Resident memory of the web app after many distinct requests, beside the bytes its caches hold.

Runs the app in this process (starlette's test client) over a store with the
web's data sets, sends N distinct requests of each kind (maps by year and
reference set, timelines by reference set and format, composites of distinct
weights), and prints the process's resident set size (RSS) and the caches'
bytes against their budget (``WORLDORDER_WEB_CACHE_MB``).  The baseline is the
RSS after the first request of each kind: the ratio shows how much many
distinct requests add.

    python benchmarks/bench_web_memory.py --db STORE --per-kind 1000 --composites 100
"""

from __future__ import annotations

import argparse
import time
import warnings


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="A store holding the web app's data sets (worldorder serve prepares one).")
    parser.add_argument("--per-kind", type=int, default=1000, help="Distinct map and timeline requests of each kind.")
    parser.add_argument("--composites", type=int, default=100, help="Distinct composite weightings (each about a second).")
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
        "composite": lambda i: f"/api/timeline?measure=composite&weights=gdp:{1 + i % 97},milex:{1 + i // 97 % 89},population:{1 + i % 7}",
    }
    counts = {"map": args.per_kind, "map_gdp": args.per_kind, "timeline": args.per_kind, "composite": args.composites}
    start = time.perf_counter()
    with TestClient(app) as client:
        for name, url in kinds.items():
            assert client.get(url(0)).status_code == 200, url(0)
        baseline = rss_mb()
        sent = 0
        for name, url in kinds.items():
            for i in range(1, counts[name]):
                response = client.get(url(i))
                sent += 1
                if response.status_code != 200:
                    print(f"  {url(i)}: {response.status_code} {response.text[:120]}")
            print(f"after {counts[name]:>5} distinct {name:<9} requests: RSS {rss_mb():7.0f} MB, caches {budget.nbytes / 2**20:6.0f} MB "
                  f"of {budget.max_bytes / 2**20:.0f} MB, {budget.evictions} evicted")
    final = rss_mb()
    print(f"{sent} requests in {time.perf_counter() - start:.0f} s; RSS {baseline:.0f} MB after one request of each kind, "
          f"{final:.0f} MB after all (ratio {final / baseline:.2f}); caches {budget.nbytes / 2**20:.0f} MB held")


if __name__ == "__main__":
    main()
