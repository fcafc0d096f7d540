"""Diffusion fitted to history and simulated forward: worldorder vs a straightforward pandas/statsmodels loop.

Fit: democracy (V-Dem polyarchy >= 0.5), transitions 1946-2010, exposure along
contiguity, ATOP alliances and trade.  Both sides start from the same tables
(the outcome of every state-year and each layer's edge table, read beforehand);
the baseline computes each state-year's exposure with pandas filters, one state
and year at a time, builds the panel with ``groupby().shift()`` and fits the
two logits with the statsmodels formula API (SEs clustered by state).  The script
checks that both give the same coefficients, and times ``fit_diffusion`` end to
end (store reads included) against the 10 s target.

Simulation: 10,000 paths x 16 years (2024-2040) of the model fitted to the
extended UDS (democracy:uds>0, which scores all 195 states of 2024).  worldorder runs ``simulate_diffusion``
(seeded blocks, threads); the baseline loops over paths and years with one
matrix-vector product per step, on a sample of paths, scaled to 10,000.

Run: ``WORLDORDER_DATA_DIR=../shared/data python benchmarks/bench_diffusion.py [--baseline-paths 200]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from worldorder import fit_diffusion, simulate_diffusion
from worldorder.sim.diffusion_fit import fit_panel, transition_panel
from worldorder.sim.diffusion_outcomes import outcome_years
from worldorder.sim.diffusion_ties import load_ties

OUTCOME = "democracy:polyarchy>=0.5"
SIM_OUTCOME = "democracy:uds>0"
TIES = "contiguity,alliance,trade"
YEARS = (1946, 2010)


def baseline_fit(outcome: pd.DataFrame, layers) -> pd.DataFrame:
    """Exposure with pandas filters per state-year, panel by groupby/shift, statsmodels formula logits."""
    import statsmodels.formula.api as smf

    table = outcome.copy()
    lagged = outcome.assign(year=outcome["year"] + 1).rename(columns={"ccode": "source", "y": "y_source"})
    for layer in layers:
        edges = pd.DataFrame({"year": layer.year + 1, "target": layer.target, "source": layer.source, "w": layer.weight})
        edges = edges.merge(lagged, on=["source", "year"], how="left").dropna(subset=["y_source"])
        values = []
        by_year = {year: rows for year, rows in edges.groupby("year")}
        for code, year in zip(table["ccode"], table["year"]):
            if not layer.first <= year - 1 <= layer.last:
                values.append(np.nan)
                continue
            rows = by_year.get(year, edges.iloc[:0])
            mine = rows[rows["target"] == code]
            values.append((mine["w"] * mine["y_source"]).sum() / mine["w"].sum() if len(mine) else 0.0)
        table[f"exp_{layer.key}"] = values
    table = table.sort_values(["ccode", "year"])
    table["prev"] = table.groupby("ccode")["y"].shift()
    table.loc[table.groupby("ccode")["year"].diff() != 1, "prev"] = np.nan
    durations = []
    for _, group in table.groupby("ccode", sort=False):
        run, last, previous_year = 0, None, None
        for year, value in zip(group["year"], group["y"]):
            run = run + 1 if (value == last and previous_year == year - 1 and not np.isnan(value)) else 1
            durations.append(run)
            last, previous_year = value, year
    table["d"] = durations
    table["log_duration"] = np.log(table.groupby("ccode")["d"].shift())
    table = table[(table["year"] >= YEARS[0]) & (table["year"] <= YEARS[1])].dropna(subset=["prev", "y", "log_duration"])
    formula = "change ~ " + " + ".join(f"exp_{layer.key}" for layer in layers) + " + log_duration"
    rows = []
    for name, state in (("enter", 0.0), ("leave", 1.0)):
        part = table[table["prev"] == state].dropna().assign(change=lambda t: (t["y"] != state).astype(float))
        result = smf.logit(formula, part).fit(disp=0, cov_type="cluster", cov_kwds={"groups": part["ccode"].to_numpy()})
        rows += [(name, term, value) for term, value in result.params.items()]
    return pd.DataFrame(rows, columns=["transition", "term", "coef"])


def baseline_simulate(plan_y0, M_enter, M_leave, c, g, d0, paths: int, steps: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shares = np.empty((paths, steps))
    for path in range(paths):
        y, d = plan_y0.copy(), d0.copy()
        for step in range(steps):
            enter = M_enter @ y + c[0] + g[0] * np.log(d)
            leave = M_leave @ y + c[1] + g[1] * np.log(d)
            p = 1 / (1 + np.exp(-np.where(y > 0.5, leave, enter)))
            switch = rng.random(len(y)) < p
            y = np.where(switch, 1 - y, y)
            d = np.where(switch, 1, d + 1)
            shares[path, step] = y.mean()
    return shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-paths", type=int, default=200, help="paths the baseline simulates (scaled to 10,000)")
    args = parser.parse_args()

    start = time.perf_counter()
    fit = fit_diffusion(OUTCOME, ties=TIES, years=f"{YEARS[0]}-{YEARS[1]}")
    first_call = time.perf_counter() - start
    start = time.perf_counter()
    fit = fit_diffusion(OUTCOME, ties=TIES, years=f"{YEARS[0]}-{YEARS[1]}")
    end_to_end = time.perf_counter() - start

    outcome = outcome_years(OUTCOME, years=(1816, YEARS[1]))
    layers = load_ties(TIES, years=YEARS)
    start = time.perf_counter()
    panel = transition_panel(outcome, layers)
    ours = fit_panel(panel[(panel["year"] >= YEARS[0]) & (panel["year"] <= YEARS[1])], OUTCOME, layers)
    ours_time = time.perf_counter() - start
    start = time.perf_counter()
    theirs = baseline_fit(outcome, layers)
    base_time = time.perf_counter() - start
    mine = ours.coefficients.set_index(["transition", "term"])["coef"]
    other = theirs.replace({"Intercept": "const"}).set_index(["transition", "term"])["coef"]
    gap = float(np.max(np.abs(mine.reindex(other.index).to_numpy() - other.to_numpy())))
    print(f"Fit {OUTCOME}, {TIES}, {YEARS[0]}-{YEARS[1]} ({len(ours.panel)} state-years)")
    print(f"  fit_diffusion end to end: first call {first_call:.2f} s (store reads, imports), again {end_to_end:.2f} s (target < 10 s)")
    print(f"  panel + logits from the same tables: worldorder {ours_time:.2f} s, pandas/statsmodels loop {base_time:.2f} s, ratio {base_time / ours_time:.1f}x")
    print(f"  largest coefficient difference: {gap:.2e}")

    paths, horizon = 10_000, 2040
    fit = fit_diffusion(SIM_OUTCOME, ties=TIES, years=f"{YEARS[0]}-{YEARS[1]}")  # UDS covers all 195 states of 2024
    start = time.perf_counter()
    simulate_diffusion(fit, start=2024, horizon=horizon, paths=1, seed=1)
    overhead = time.perf_counter() - start
    start = time.perf_counter()
    result = simulate_diffusion(fit, start=2024, horizon=horizon, paths=paths, seed=1)
    total = time.perf_counter() - start
    n = result.settings["states"]
    # the baseline simulates the same model: rebuild its matrices from the fit the same way
    codes = result.states.sort_values("ccode")["ccode"].to_numpy()
    layer_now = load_ties(TIES, years=(2009, 2024))
    mats = [layer.matrix(min(2024, layer.last), codes) for layer in layer_now]
    k = [fit.terms.index(f"exp_{layer.key}") for layer in layer_now]
    M = [sum(fit.params[r][i] * W for i, W in zip(k, mats)) for r in ("enter", "leave")]
    c = [fit.params[r][0] for r in ("enter", "leave")]
    g = [fit.params[r][fit.terms.index("log_duration")] for r in ("enter", "leave")]
    start_rows = result.states.sort_values("ccode")
    y0 = start_rows["start"].to_numpy(float)
    start = time.perf_counter()
    baseline_simulate(y0, M[0], M[1], c, g, np.full(n, 5.0), args.baseline_paths, horizon - 2024, seed=1)
    base_sim = (time.perf_counter() - start) * paths / args.baseline_paths
    print(f"Simulate {paths:,} paths x {horizon - 2024} years x {n} states")
    print(f"  simulate_diffusion: {total:.2f} s in all, of which about {max(total - overhead, 0):.2f} s simulating (one-path call {overhead:.2f} s: reads and set-up; target < 5 s)")
    print(f"  baseline loop over paths: {base_sim:.1f} s (from {args.baseline_paths} paths, scaled), ratio {base_sim / max(total - overhead, 1e-9):.0f}x on the simulation, {base_sim / total:.0f}x end to end")
    final = result.shares[(result.shares["weight"] == "states") & (result.shares["year"] == horizon)]
    print(f"  median share of states with the outcome in {horizon}: {final['q50'].iloc[0]:.3f} (5-95%: {final['q05'].iloc[0]:.3f}-{final['q95'].iloc[0]:.3f})")


if __name__ == "__main__":
    main()
