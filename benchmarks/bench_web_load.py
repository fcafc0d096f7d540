"""Load on the web app: 50 concurrent clients on the timeline and map endpoints, over loopback.

A real server (``worldorder serve``, uvicorn, one process) is started on a free
loopback port over a store of its own; 50 clients (``httpx.AsyncClient``
coroutines, each sending its next request as soon as the last one is
answered) send a fixed number of requests to

- ``/api/timeline`` (the overview's polarity series with eras),
- ``/api/map`` (one year's shares and shapes, the year drawn at random),

and, as baselines in the same run, to the trivial ``/api/health`` (what the
server and client cost with no work at all) and, in-process, the uncached
computation of the timeline (what every request would cost without the
in-memory tables).  It prints p50/p95/p99 latency and throughput for each and
the ratios.  Target: p95 under 100 ms for the timeline and the map.

The numbers include the clients' own CPU time: clients and server share the
machine's cores.

Run: ``WORLDORDER_DATA_DIR=../shared/data python benchmarks/bench_web_load.py [--requests 2000] [--clients 50]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def load(base: str, urls: list[str], clients: int, kind: str = "raw") -> tuple[list[float], float, int]:
    """Send ``urls`` with ``clients`` concurrent closed-loop clients; latencies in seconds.

    ``kind="raw"``: each client is one keep-alive HTTP/1.1 connection written
    with asyncio streams (a few microseconds of client CPU per request, so the
    figures are the server's); ``kind="httpx"``: one shared ``httpx.AsyncClient``
    (closer to a real program, but its connection pool costs much client CPU
    at 50 connections on a two-core machine).
    """
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    latencies: list[float] = []
    failures = 0
    host, port = base.removeprefix("http://").split(":")

    async def raw_worker():
        nonlocal failures
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while True:
                try:
                    url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                start = time.perf_counter()
                writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - start)
                failures += status != 200
        finally:
            writer.close()

    async def httpx_worker(client):
        nonlocal failures
        while True:
            try:
                url = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            start = time.perf_counter()
            response = await client.get(url)
            await response.aread()
            latencies.append(time.perf_counter() - start)
            failures += response.status_code != 200

    start = time.perf_counter()
    if kind == "raw":
        await asyncio.gather(*(raw_worker() for _ in range(clients)))
    else:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            await asyncio.gather(*(httpx_worker(client) for _ in range(clients)))
    elapsed = time.perf_counter() - start
    return latencies, elapsed, failures


def report(label: str, latencies: list[float], elapsed: float, failures: int) -> dict:
    p50, p95, p99 = (1000 * percentile(latencies, q) for q in (50, 95, 99))
    rate = len(latencies) / elapsed
    print(f"{label:44s} n={len(latencies):5d}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms  "
          f"max {1000 * max(latencies):7.1f} ms  {rate:7.0f} req/s  failures {failures}")
    return {"p50": p50, "p95": p95, "p99": p99, "rate": rate}


def uncached_timeline(db: Path, repeats: int) -> list[float]:
    """Seconds per uncached timeline computation (polarity + eras + JSON), in this process."""
    from worldorder.web.app import open_read_only
    from worldorder.web.model import WebModel
    from worldorder.web.tables import dumps, table_json

    store = open_read_only(db)
    frame = WebModel(store).power_frame()  # the state-year table is built once per process either way
    times = []
    for _ in range(repeats):
        model = WebModel(store)  # empty caches
        model.memo.put(("power_frame",), frame)
        start = time.perf_counter()
        yearly = model.polarity("cinc", "majors", "leader:0.5")
        eras = model.eras("cinc", "majors", "leader:0.5")
        dumps({"polarity": table_json(yearly), "eras": table_json(eras)})
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw", help="load generator (see load())")
    parser.add_argument("--db", type=Path, default=None, help="store for the server (default: a temporary one, ingested from the mirror)")
    args = parser.parse_args()

    from worldorder.web.app import prepare_store

    folder = tempfile.mkdtemp(prefix="worldorder-bench-web-")
    db = args.db or Path(folder) / "web.duckdb"
    source = None
    if args.db is None and os.environ.get("WORLDORDER_DB") and Path(os.environ["WORLDORDER_DB"]).exists():
        from worldorder.store import Store

        source = Store(os.environ["WORLDORDER_DB"])  # copy from the usual store rather than parse again
    started = time.perf_counter()
    prepare_store(db, source=source)
    if source is not None:
        source.close()
    print(f"store {db} ready in {time.perf_counter() - started:.1f} s")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-c", "from worldorder.cli import main; main()", "serve", "--db", str(db), "--port", str(port), "--no-ingest"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{server.stdout.read() if server.stdout else ''}")
            time.sleep(0.2)
        print(server.stdout.readline().strip())

        timeline = "/api/timeline?measure=cinc&among=majors&rule=leader%3A0.5"
        start = time.perf_counter()
        httpx.get(base + timeline, timeout=120).raise_for_status()
        first_timeline = time.perf_counter() - start
        meta = httpx.get(base + "/api/meta", timeout=60).json()
        cinc = next(m for m in meta["measures"] if m["key"] == "cinc")
        years = list(range(cinc["first"], cinc["last"] + 1))
        start = time.perf_counter()
        for year in years:  # each year's table is computed on its first request, then kept
            httpx.get(f"{base}/api/map?measure=cinc&among=all&year={year}", timeout=60).raise_for_status()
        first_maps = (time.perf_counter() - start) / len(years)
        print(f"first (uncached) requests: timeline {1000 * first_timeline:.0f} ms; map {1000 * first_maps:.1f} ms per year on average")

        rng = random.Random(1)
        runs = {
            "baseline: /api/health (no work)": ["/api/health"] * args.requests,
            "/api/timeline (cinc, majors, leader:0.5)": [timeline] * args.requests,
            "/api/map (cinc, all states, random year)": [f"/api/map?measure=cinc&among=all&year={rng.choice(years)}" for _ in range(args.requests)],
        }
        asyncio.run(load(base, ["/api/health"] * 200, args.clients, args.client))  # warm the server's code paths
        print(f"\n{args.clients} concurrent clients ({args.client}), {args.requests} requests per endpoint, loopback, "
              f"1 uvicorn process, {os.cpu_count()} cores")
        results = {label: report(label, *asyncio.run(load(base, urls, args.clients, args.client))) for label, urls in runs.items()}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    uncached = uncached_timeline(db, repeats=3)
    health = results["baseline: /api/health (no work)"]
    print()
    for label in ("/api/timeline (cinc, majors, leader:0.5)", "/api/map (cinc, all states, random year)"):
        found = results[label]
        verdict = "meets" if found["p95"] < 100 else "MISSES"
        print(f"{label}: p95 {found['p95']:.1f} ms ({verdict} the 100 ms target), "
              f"{found['p95'] / health['p95']:.2f}x the p95 of the no-work endpoint")
    cached = results["/api/timeline (cinc, majors, leader:0.5)"]["p50"]
    print(f"uncached timeline computation (polarity + eras + JSON, in-process, median of 3): {1000 * statistics.median(uncached):.0f} ms "
          f"= {1000 * statistics.median(uncached) / cached:.0f}x the cached p50 under load")


if __name__ == "__main__":
    main()
