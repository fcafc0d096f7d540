"""Every polarity index for every year 1816-2022, four measures x two reference sets.

Times ``worldorder.power.polarity`` (dense year x state matrices) against a
straightforward pandas implementation (``groupby("year").apply``) written
here, on the same in-memory state-year table, in the same run.  Both compute,
per year: the number of states with a value, HHI, the effective number of
poles (1/HHI and exp(entropy)), CON, the coefficient of variation, the top-1
and top-2 shares and their gap, the leader and the runner-up, and the poles
and polarity label under the rule "a pole holds at least half the leader's
power".  The script checks that both give the same numbers and labels, then
prints the best-of-N warm times and the ratio.

Run: ``WORLDORDER_DATA_DIR=../shared/data python benchmarks/bench_polarity.py``
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from worldorder.power import create_power_years, polarity

MEASURES = ("cinc", "gdp", "milex", "population")
COLUMNS = {"cinc": "cinc", "gdp": "gdp", "milex": "milex_usd", "population": "population"}
AMONG = ("all", "majors")
RULE_RATIO = 0.5
REPEATS = 7
INDEXES = ["n", "hhi", "effective_poles", "effective_poles_entropy", "con", "cv", "top1_share", "top2_share", "top_gap"]


def project(frame: pd.DataFrame) -> dict:
    return {
        (measure, among): polarity(frame, COLUMNS[measure], among=among, rule=f"leader:{RULE_RATIO}")
        for measure in MEASURES
        for among in AMONG
    }


def _year_indices(group: pd.DataFrame, column: str) -> pd.Series:
    values = group[column]
    n = int(values.count())
    total = values.sum()
    share = values / total
    hhi = (share**2).sum()
    positive = share[share > 0]
    entropy = -(positive * np.log(positive)).sum()
    con = np.sqrt(max(0.0, (hhi - 1 / n) / (1 - 1 / n))) if n >= 2 else np.nan
    ranked = group.assign(share=share).sort_values("share", ascending=False, kind="stable")
    ranked = ranked[ranked["share"].notna()]
    top1 = ranked["share"].iloc[0]
    top2 = ranked["share"].iloc[1] if n >= 2 else 0.0
    poles = ranked[ranked["share"] >= RULE_RATIO * top1]
    count = len(poles)
    label = "unipolar" if count == 1 else "bipolar" if count == 2 else "multipolar"
    return pd.Series(
        {
            "n": n,
            "hhi": hhi,
            "effective_poles": 1 / hhi,
            "effective_poles_entropy": np.exp(entropy),
            "con": con,
            "cv": values.std(ddof=0) / values.mean(),
            "top1_share": top1,
            "top2_share": top2,
            "top_gap": top1 - top2,
            "leader": ranked["stateabb"].iloc[0],
            "second": ranked["stateabb"].iloc[1] if n >= 2 else None,
            "n_poles": count,
            "poles": ";".join(poles["stateabb"]),
            "polarity": label,
        }
    )


def baseline(frame: pd.DataFrame) -> dict:
    out = {}
    for measure in MEASURES:
        column = COLUMNS[measure]
        for among in AMONG:
            part = frame if among == "all" else frame[frame["major"] == 1]
            part = part[part[column].notna()]
            out[(measure, among)] = (
                part.groupby("year")[["stateabb", column]].apply(_year_indices, column=column).reset_index()
            )
    return out


def best_of(function, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def check(ours: dict, theirs: dict) -> int:
    """Compare the two results; return the number of state-years compared."""
    compared = 0
    for key, expected in theirs.items():
        got = ours[key]
        got = got[got["n"] > 0].set_index("year").loc[expected["year"]]
        for column in INDEXES:
            np.testing.assert_allclose(
                got[column].to_numpy(float), expected[column].to_numpy(float), rtol=1e-9, atol=1e-12,
                err_msg=f"{key} {column}",
            )
        for column in ("leader", "second", "poles", "polarity"):
            mismatch = (got[column].fillna("").to_numpy() != expected[column].fillna("").to_numpy()).sum()
            assert mismatch == 0, f"{key} {column}: {mismatch} years differ"
        assert (got["n_poles"].to_numpy(int) == expected["n_poles"].to_numpy(int)).all(), f"{key} n_poles"
        compared += int(expected["n"].sum())
    return compared


def main() -> None:
    frame = create_power_years(MEASURES, years="1816-2022")
    columns = ["ccode", "stateabb", "year", "major", *COLUMNS.values()]
    frame = frame[columns].copy()
    frame.attrs = {}
    years = frame["year"].agg(["min", "max"]).tolist()
    print(f"table: {len(frame):,} state-years, {years[0]}-{years[1]}; measures {', '.join(MEASURES)}; among {', '.join(AMONG)}")

    start = time.perf_counter()
    project(frame)
    cold = time.perf_counter() - start
    ours_time, ours = best_of(lambda: project(frame), REPEATS)
    base_time, theirs = best_of(lambda: baseline(frame), max(2, REPEATS // 3))
    compared = check(ours, theirs)
    years_total = sum(len(t) for t in theirs.values())
    print(f"checked: {years_total:,} year rows ({compared:,} state-year values) agree to 1e-9, labels identical")
    print(f"worldorder (dense matrices): {ours_time * 1000:8.1f} ms warm (best of {REPEATS}), {cold * 1000:.1f} ms first call")
    print(f"pandas groupby baseline:     {base_time * 1000:8.1f} ms warm")
    print(f"ratio: {base_time / ours_time:.1f}x faster")
    target = ours_time < 0.100 and base_time / ours_time >= 5
    print("targets (< 100 ms warm, >= 5x):", "met" if target else "NOT met")
    sys.exit(0 if target else 1)


if __name__ == "__main__":
    main()
