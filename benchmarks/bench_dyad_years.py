"""Directed dyad-years 1816-2016 with both states' six NMC components and the ATOP alliance flag.

Times the public calls exactly as a user makes them (no store handed in: each
call finds the default store, as ``wo.add_capabilities(frame)`` does)::

    frame = wo.create_dyad_years(directed=True, years="1816-2016")
    frame = wo.add_capabilities(frame, columns=[six components])
    frame = wo.add_alliances(frame, columns=["atop_alliance"])

against a straightforward pandas pipeline written beside it (self-merge of the
state list per year less the false dyads, two merges of NMC, a merge of ATOP
dyads), alternately in the same run, best of 8 after one warm-up call each.
Both give the same table (checked), which is 1.9 million rows by 16 columns
(245 MB).  Prints the times, the ratio and the machine's load average.

Run: ``WORLDORDER_DATA_DIR=../shared/data python benchmarks/bench_dyad_years.py``
"""

from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd

import worldorder as wo
from worldorder.store import load, open_store

REPEATS = 8
COMPONENTS = ["milex", "milper", "irst", "pec", "tpop", "upop"]


def project():
    frame = wo.create_dyad_years(directed=True, years="1816-2016")
    frame = wo.add_capabilities(frame, columns=COMPONENTS)
    return wo.add_alliances(frame, columns=["atop_alliance"])


def false_dyads(states: pd.DataFrame) -> pd.DataFrame:
    """Directed pairs that share a year but never a day, from the spell dates (computed once, outside the timing)."""
    rows = []
    for spell in states.itertuples(index=False):
        for year in range(spell.start.year, spell.end.year + 1):
            rows.append((spell.ccode, year, max(spell.start, pd.Timestamp(year, 1, 1)), min(spell.end, pd.Timestamp(year, 12, 31))))
    days = pd.DataFrame(rows, columns=["ccode", "year", "begin", "end"])
    pairs = days.merge(days, on="year", suffixes=("1", "2"))
    pairs = pairs[pairs.ccode1 != pairs.ccode2]
    meet = ((pairs.begin1 <= pairs.end2) & (pairs.begin2 <= pairs.end1)).groupby([pairs.ccode1, pairs.ccode2, pairs.year]).any()
    return meet[~meet].reset_index()[["ccode1", "ccode2", "year"]]


def baseline(system: pd.DataFrame, nmc: pd.DataFrame, atop: pd.DataFrame, false: pd.DataFrame) -> pd.DataFrame:
    states = system[(system.year >= 1816) & (system.year <= 2016)][["ccode", "year"]]
    dyads = states.merge(states, on="year", suffixes=("1", "2"))
    dyads = dyads[dyads.ccode1 != dyads.ccode2]
    dyads = dyads.merge(false.assign(false=True), on=["ccode1", "ccode2", "year"], how="left")
    dyads = dyads[dyads["false"].isna()].drop(columns="false")
    capabilities = nmc[["ccode", "year", *COMPONENTS]]
    for side in ("1", "2"):
        renamed = capabilities.rename(columns={c: c + side for c in ["ccode", *COMPONENTS]})
        dyads = dyads.merge(renamed, on=[f"ccode{side}", "year"], how="left")
    ties = atop[["ccode1", "ccode2", "year"]].drop_duplicates().assign(atop_alliance=1.0)
    dyads = dyads.merge(ties, on=["ccode1", "ccode2", "year"], how="left")
    dyads["atop_alliance"] = dyads["atop_alliance"].fillna(0.0)  # ATOP covers 1815-2018: every year here
    return dyads


def best_of_interleaved(first, second, repeats: int) -> tuple[float, object, float, object]:
    """Best times of two functions run alternately, so that both meet the same machine noise."""
    times = ([], [])
    results = [None, None]
    for _ in range(repeats):
        for slot, function in enumerate((first, second)):
            start = time.perf_counter()
            results[slot] = function()
            times[slot].append(time.perf_counter() - start)
    return min(times[0]), results[0], min(times[1]), results[1]


def main() -> None:
    store = open_store()
    store.ensure(["cow_system_2024", "cow_states_2024", "cow_nmc_7", "ps_atop_alliance"])
    start = time.perf_counter()
    project()
    cold = time.perf_counter() - start
    system = load("cow_system_2024", db=store)
    nmc = load("cow_nmc_7", db=store)
    atop = load("ps_atop_alliance", db=store)
    false = false_dyads(load("cow_states_2024", db=store))
    baseline(system, nmc, atop, false)  # warm-up of the baseline too
    load_before = os.getloadavg()[0]
    ours, frame, theirs, reference = best_of_interleaved(project, lambda: baseline(system, nmc, atop, false), REPEATS)
    load_after = os.getloadavg()[0]

    keys = ["ccode1", "ccode2", "year"]
    columns = keys + [c + s for s in "12" for c in COMPONENTS] + ["atop_alliance"]
    ours_sorted = frame[columns].sort_values(keys).reset_index(drop=True)
    reference_sorted = reference[columns].sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours_sorted, reference_sorted, check_dtype=False)
    megabytes = sum(frame[c].to_numpy().nbytes for c in columns) / 1e6

    print(f"rows: {len(frame):,} (directed dyad-years 1816-2016 less {len(false)} false dyads; "
          f"12 NMC columns + ATOP flag, {megabytes:.0f} MB)")
    print(f"worldorder first call (reads the store, builds look-ups): {cold:.3f} s")
    print(f"worldorder public calls, warm, best of {REPEATS}: {ours * 1000:.1f} ms   (goal <= 40 ms)")
    print(f"pandas merge baseline, best of {REPEATS}:          {theirs * 1000:.1f} ms")
    print(f"ratio baseline / worldorder: {theirs / ours:.1f}x   (goal >= 5x)")
    print(f"load average (1 min) before / after the timed runs: {load_before:.1f} / {load_after:.1f} on {os.cpu_count()} cores")
    assert np.array_equal(frame["year"].to_numpy(), np.sort(frame["year"].to_numpy()))


if __name__ == "__main__":
    main()
