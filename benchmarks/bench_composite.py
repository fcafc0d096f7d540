"""One distinct composite weighting, as the web app's timeline computes it: the composite, its polarity and its eras.

Times, for N distinct weightings of gdp, milex and population (no two
proportional), what ``/api/timeline?measure=composite`` computes for a new
weighting: ``worldorder.composite`` over all states, ``polarity`` among the
major powers (rule leader:0.5) and ``eras`` of CON (PELT, l2 cost).  The
baseline, in the same run, computes the same with plain pandas (each
component's share of the year's total by ``groupby().transform``, averaged with
the weights the state reports; no composite in a year a component lacks) and
``ruptures.Pelt`` for the change points.  The script checks that both give the
same composites and eras, then prints the best-of-3 times per weighting and
the ratio.  With ``--db`` (a store holding the web app's data sets) it also
times whole requests of the app, one per new weighting.

Run: ``WORLDORDER_DATA_DIR=../shared/data python benchmarks/bench_composite.py [--db WEB_STORE]``
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import worldorder as wo

COMPONENTS = ("gdp", "milex", "population")
RULE = "leader:0.5"
REPEATS = 3


def weightings(count: int, offset: int = 0) -> list[dict[str, int]]:
    """``count`` weightings of the components, none a multiple of another (distinct after normalising)."""
    out, seen = [], set()
    i = offset
    while len(out) < count:
        weights = (1 + i % 97, 1 + i // 97 % 89, 1 + i % 7)
        key = tuple(np.round(np.array(weights) / sum(weights), 12))
        if key not in seen:
            seen.add(key)
            out.append(dict(zip(COMPONENTS, weights)))
        i += 1
    return out


def project(frame: pd.DataFrame, weights: dict) -> tuple[np.ndarray, list[int]]:
    out = wo.composite(frame, weights)
    yearly = wo.polarity(out, "composite", among="majors", rule=RULE)
    table = wo.eras(yearly[yearly["con"].notna()], columns=["con"])
    return out["composite"].to_numpy(), table["start"].tolist()


def baseline(frame: pd.DataFrame, columns: dict[str, str], weights: dict) -> tuple[np.ndarray, list[int]]:
    import ruptures as rpt

    numerator = pd.Series(0.0, index=frame.index)
    denominator = pd.Series(0.0, index=frame.index)
    covered = pd.Series(True, index=frame.index)
    for key, weight in weights.items():
        column = frame[columns[key]]
        total = column.groupby(frame["year"]).transform("sum", min_count=1)
        share = column / total
        numerator += (weight * share).fillna(0.0)
        denominator += np.where(share.notna(), weight, 0.0)
        covered &= total.notna()
    values = (numerator / denominator.replace(0.0, np.nan)).where(covered)
    yearly = wo.polarity(frame.assign(composite=values), "composite", among="majors", rule=RULE)
    yearly = yearly[yearly["con"].notna()].sort_values("year")
    signal = yearly["con"].to_numpy(np.float64)[:, None]
    signal = (signal - signal.mean()) / signal.std()
    ends = rpt.Pelt(model="l2", min_size=5, jump=1).fit(signal).predict(pen=3.0 * np.log(len(signal)))
    years = yearly["year"].to_numpy()
    return values.to_numpy(), [int(years[0]), *(int(years[e]) for e in ends[:-1])]


def best(function, items) -> float:
    """Best of REPEATS of the mean time per item (each repeat on weightings not seen before by any cache)."""
    times = []
    for repeat in range(REPEATS):
        start = time.perf_counter()
        for item in items[repeat]:
            function(item)
        times.append((time.perf_counter() - start) / len(items[repeat]))
    return min(times)


def web_requests(db: str, count: int) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from worldorder.web.app import create_app

    app = create_app(db, warm=False)
    urls = [f"/api/timeline?measure=composite&weights={','.join(f'{k}:{v}' for k, v in w.items())}"
            for w in weightings(count, offset=10_000)]
    with TestClient(app) as client:
        assert client.get(urls[0]).status_code == 200  # the power table and first composite: not timed
        start = time.perf_counter()
        for url in urls[1:]:
            assert client.get(url).status_code == 200, url
    return (time.perf_counter() - start) / (len(urls) - 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weightings", type=int, default=20, help="Distinct weightings per repeat.")
    parser.add_argument("--db", help="A store with the web app's data sets: also time whole requests of the app.")
    args = parser.parse_args()
    table = wo.PowerTable(db=wo.open_store(args.db, read_only=True) if args.db else None)  # read-only, as the app opens it
    frame = table.table(COMPONENTS)
    columns = {key: table.column(key) for key in COMPONENTS}
    sets = [weightings(args.weightings, offset=repeat * 1000) for repeat in range(REPEATS)]
    for weights in sets[0][:5]:
        (ours, our_eras), (theirs, their_eras) = project(frame, weights), baseline(frame, columns, weights)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15, equal_nan=True)
        assert our_eras == their_eras, (weights, our_eras, their_eras)
    ours = best(lambda w: project(frame, w), sets)
    theirs = best(lambda w: baseline(frame, columns, w), sets)
    print(f"{len(frame)} state-years, {args.weightings} distinct weightings per repeat, best of {REPEATS}; same composites and eras")
    print(f"worldorder (composite, polarity, eras): {ours * 1000:7.1f} ms per weighting")
    print(f"pandas + ruptures baseline:             {theirs * 1000:7.1f} ms per weighting")
    print(f"ratio (baseline / worldorder):          {theirs / ours:7.1f}x")
    if args.db:
        print(f"web app, /api/timeline?measure=composite with a new weighting: {web_requests(args.db, args.weightings) * 1000:.1f} ms per request")


if __name__ == "__main__":
    main()
