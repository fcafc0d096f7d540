"""Charts of a backtest: interval coverage against horizon, a reliability diagram, PIT histograms."""

from __future__ import annotations

import numpy as np

from worldorder.sim.backtesting import LEVELS, Backtest

#: Probability bins of the reliability diagram.
RELIABILITY_BINS = 10


def _caption(result: Backtest) -> str:
    settings = result.settings
    sources = sorted({s for info in settings["measures"].values() for s in info.get("sources", [])})
    lasts = ", ".join(f"{name} to {info['last_year']}" for name, info in settings["measures"].items())
    return (f"Origins {settings['origins'][0]}-{settings['origins'][-1]}, {settings['paths']:,} paths, seed {settings['seed']}; "
            f"sources: {', '.join(sources) or 'given tables'} ({lasts}).")


def reliability(result: Backtest, bins: int = RELIABILITY_BINS):
    """Binary events by forecast-probability bin: ``measure, forecaster, bin, probability, frequency, n``."""
    events = result.events.copy()
    events["bin"] = np.minimum((events["probability"] * bins).astype(int), bins - 1)
    grouped = events.groupby(["measure", "forecaster", "bin"], sort=True)
    table = grouped.agg(probability=("probability", "mean"), frequency=("happened", "mean"), n=("happened", "size"))
    return table.reset_index()


def backtest_charts(result: Backtest) -> dict:
    """``{"coverage", "reliability", "pit"}`` charts of the projection (forecaster ``worldorder``).

    The coverage chart draws, per measure and level, the pooled share of
    realised state shares inside the central interval against the horizon,
    with the nominal level as a dashed line; the reliability diagram the
    observed frequency of binary events (polarity labels, challenger ahead)
    against their forecast probability; the PIT chart the share of outcomes
    in each tenth of the forecast distribution (flat at 0.1 when calibrated).
    """
    from worldorder.charts import Chart, Series

    caption = _caption(result)
    cov = result.coverage[result.coverage["origin"].isna() & (result.coverage["forecaster"] == "worldorder")]
    series = []
    for (measure, level), rows in cov.groupby(["measure", "level"], sort=True):
        rows = rows.sort_values("horizon")
        series.append(Series(f"{measure} {round(level * 100)}%", rows["horizon"].tolist(), rows["coverage"].tolist(), markers=True))
    horizons = sorted(cov["horizon"].unique().tolist())
    for level in LEVELS:
        series.append(Series(f"nominal {round(level * 100)}%", horizons, [level] * len(horizons), dash=True))
    coverage = Chart(title="Coverage of the projection's intervals of state shares", series=series, caption=caption,
                     xlabel="horizon (years)", ylabel="share of outcomes inside", ylim=(0, 1))
    rel = reliability(result)
    rel = rel[rel["forecaster"] == "worldorder"]
    series = [Series(measure, rows["probability"].tolist(), rows["frequency"].tolist(), markers=True)
              for measure, rows in rel.groupby("measure", sort=True)]
    series.append(Series("perfect", [0, 1], [0, 1], dash=True))
    reliability_chart = Chart(title="Reliability of polarity-label and challenger-ahead probabilities", series=series,
                              caption=caption, xlabel="forecast probability", ylabel="observed frequency", ylim=(0, 1))
    pit = result.pit[result.pit["forecaster"] == "worldorder"]
    series = []
    for (measure, horizon), rows in pit.groupby(["measure", "horizon"], sort=True):
        share = rows["count"] / rows["count"].sum()
        series.append(Series(f"{measure} h={horizon}", ((rows["low"] + rows["high"]) / 2).tolist(), share.tolist()))
    series.append(Series("uniform", [0, 1], [0.1, 0.1], dash=True))
    pit_chart = Chart(title="PIT of realised state shares (flat = calibrated)", series=series, caption=caption,
                      xlabel="PIT", ylabel="share of outcomes")
    return {"coverage": coverage, "reliability": reliability_chart, "pit": pit_chart}
