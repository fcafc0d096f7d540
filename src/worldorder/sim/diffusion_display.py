"""What the web Diffusion view and the report show: exposure by year, fitted effects, the simulation fan."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from worldorder.seeds import DEFAULT_SEED
from worldorder.sim.diffusion_outcomes import outcome_years, parse_outcome, year_span
from worldorder.sim.diffusion_ties import SYSTEM_TABLE, exposure, load_ties, tie_sources


def diffusion_exposure(outcome="democracy:polyarchy>=0.5", ties="contiguity,alliance,trade", years=None, db=None, data: pd.DataFrame | None = None) -> pd.DataFrame:
    """State-years with the outcome ``y`` and the exposure ``exp_<layer>`` along each layer (from the year before).

    See :func:`~worldorder.sim.diffusion_ties.exposure` for the formula.

    Examples
    --------
    >>> table = diffusion_exposure("democracy:polyarchy>=0.5", ties="contiguity,alliance", years="1989-1991")  # doctest: +SKIP
    """

    span = year_span(years)
    history = outcome_years(outcome, years=None if span is None else (max(1816, span[0] - 1), span[1]), db=db, data=data)
    table = exposure(history, load_ties(ties, years=span, db=db))
    if span is not None:
        table = table[(table["year"] >= span[0]) & (table["year"] <= span[1])]
    from worldorder import create_state_years

    names = create_state_years(years=span, db=db)[["ccode", "year", "stateabb"]]
    return names.merge(table, on=["ccode", "year"], how="right").reset_index(drop=True)


@dataclass(eq=False)
class DiffusionView:
    """Tables of the Diffusion view: ``exposure`` (one year), ``coefficients``, ``contributions``,
    ``backtest`` (scores, or None), ``verdict``, ``fan`` (shares by year), and ``caption``; ``fit``,
    ``check`` and ``simulation`` hold the full results (for :func:`diffusion_effects_chart`,
    :func:`diffusion_calibration_chart` and :func:`diffusion_fan_chart`); ``sources`` names the
    store tables read (outcome, ties, state system and, with a simulation, the population and GDP weights)."""

    exposure: pd.DataFrame
    coefficients: pd.DataFrame
    contributions: pd.DataFrame
    backtest: pd.DataFrame | None
    verdict: str
    fan: pd.DataFrame | None
    caption: str
    fit: object = None
    check: object = None
    simulation: object = None
    sources: tuple = ()


def diffusion_view(
    outcome="democracy:polyarchy>=0.5",
    ties="contiguity,alliance,trade",
    years="1946-2010",
    year: int = 1990,
    until: int | None = 1989,
    start: int | None = 2024,
    horizon: int = 2040,
    paths: int = 2000,
    seed: int = DEFAULT_SEED,
    db=None,
) -> DiffusionView:
    """Everything the Diffusion view and the report section show, from the public diffusion functions.

    Parameters
    ----------
    outcome, ties, years
        As in :func:`~worldorder.sim.diffusion_fit.fit_diffusion`.
    year
        The year of the exposure map.
    until
        End of the training years of the out-of-sample check (None: no check).
    start, horizon, paths, seed
        The simulation fan (``start=None``: no simulation).
    """
    from worldorder.sim.diffusion_backtest import backtest_diffusion
    from worldorder.sim.diffusion_fit import fit_diffusion
    from worldorder.sim.diffusion_sim import simulate_diffusion

    fit = fit_diffusion(outcome, ties=ties, years=years, db=db)
    mapped = diffusion_exposure(outcome, ties=ties, years=(year, year), db=db)
    scores, verdict, check, simulation = None, "", None, None
    if until is not None:
        check = backtest_diffusion(outcome, ties=ties, years=years, until=until, db=db)
        scores, verdict = check.scores, check.verdict
    if start is not None:
        simulation = simulate_diffusion(fit, start=start, horizon=horizon, paths=paths, seed=seed, db=db)
    caption = f"{fit.caption} Simulation: {paths:,} paths, seed {seed}, from {start} to {horizon}." if start else fit.caption
    from worldorder.democracy import DEMOCRACY_DATASET

    read = {"democracy": [DEMOCRACY_DATASET], "alliance": ["ps_atop_alliance"]}.get(fit.outcome.kind, [])
    sources = tuple(dict.fromkeys([*read, *tie_sources(ties), SYSTEM_TABLE, *(("wb_population", "wb_gdp") if simulation else ())]))
    return DiffusionView(mapped, fit.coefficients, fit.contributions, scores, verdict, None if simulation is None else simulation.shares,
                         caption, fit, check, simulation, sources)


def diffusion_fan_chart(simulation, weight: str = "states", caption: str = ""):
    """A fan chart (5-95% and 25-75% bands, median) of the share with the outcome, from :func:`simulate_diffusion`.

    ``weight``: ``"states"``, ``"population"`` or ``"gdp"``; with a shock the shocked run's median is drawn too.
    """
    from worldorder.charts import Chart, Series

    shares = simulation.shares if hasattr(simulation, "shares") else simulation
    rows = shares[shares["weight"] == weight]
    base = rows[rows["run"] == "baseline"] if "run" in rows.columns else rows
    x = base["year"].tolist()
    series = [
        Series("5-95%", x, base["q05"].tolist(), kind="band", y2=base["q95"].tolist()),
        Series("25-75%", x, base["q25"].tolist(), kind="band", y2=base["q75"].tolist()),
        Series("median", x, base["q50"].tolist()),
    ]
    if "run" in rows.columns:
        shocked = rows[rows["run"] == "shock"]
        series.append(Series("median with the shock", shocked["year"].tolist(), shocked["q50"].tolist()))
    label = {"states": "states", "population": "world population", "gdp": "world GDP"}.get(weight, weight)
    outcome = getattr(simulation, "settings", {}).get("outcome", "the outcome")
    return Chart(title=f"Share of {label} with {parse_outcome(outcome).label if outcome != 'the outcome' else outcome}", series=series,
                 caption=caption, xlabel="year", ylabel=f"share of {label}")


def diffusion_effects_chart(fit, caption: str = ""):
    """Bars of each layer's fitted coefficient on entering and on leaving, labelled with its 95% interval."""
    from worldorder.charts import Chart, Series

    table = fit.coefficients[fit.coefficients["term"].str.startswith("exp_")]
    series = []
    for transition in ("enter", "leave"):
        rows = table[table["transition"] == transition]
        text = [f"{c:.2f} ({lo:.2f} to {hi:.2f})" for c, lo, hi in zip(rows["coef"], rows["lo"], rows["hi"])]
        series.append(Series(transition, rows["term"].str.removeprefix("exp_").tolist(), rows["coef"].tolist(), kind="bar", text=text))
    low, high = min(0.0, float(table["coef"].min())), max(0.0, float(table["coef"].max()))
    pad = 0.25 * (high - low or 1.0)
    return Chart(title=f"Fitted effect of exposure on entering and leaving: {fit.outcome.label}", series=series,
                 caption=caption or fit.caption, xlabel="tie layer", ylabel="logit coefficient (95% interval in the labels)",
                 hlines=[0.0], ylim=(low - (pad if low < 0 else 0.0), high + pad))


def diffusion_calibration_chart(backtest, caption: str = ""):
    """Observed rate of transitions against the mean forecast, by bin of forecast, for each model of a backtest."""
    from worldorder.charts import Chart, Series

    table = backtest.calibration
    series = [Series(model, rows["mean_forecast"].tolist(), rows["observed"].tolist(), kind="line", markers=True,
                     text=[f"{n} state-years" for n in rows["n"]]) for model, rows in table.groupby("model", sort=False)]
    top = float(max(table["mean_forecast"].max(), table["observed"].max()))
    series.append(Series("perfect calibration", [0.0, top], [0.0, top], dash=True))
    return Chart(title=f"Calibration of one-year-ahead transition forecasts, {backtest.test[0]}-{backtest.test[1]}", series=series,
                 caption=caption or backtest.caption, xlabel="mean forecast probability", ylabel="observed share of transitions")
