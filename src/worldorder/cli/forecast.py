"""``worldorder backtest`` and ``worldorder convergence``: the projection's track record, and catch-up in history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from worldorder.cli.common import DbOption, DriftOption, OutOption, PrintFormatOption, SeedOption, console, errors, output_check, write_table

forecast_app = typer.Typer(help="Backtests of the projection and convergence of GDP per capita.", no_args_is_help=True)

ChartOption = typer.Option(None, "--chart", help="Picture: .png, .svg or .html.", callback=output_check((".png", ".svg", ".html")))


def _print(table, fmt: str, title: str, notes: tuple[str, ...] = (), more: dict | None = None) -> None:
    """Print ``table`` (csv, json or a Rich table with ``notes`` below); ``more``: ``{title: table}`` shown after it
    as tables, or in JSON under ``"more"`` (CSV holds the first table only)."""
    more = more or {}
    if fmt == "csv":
        typer.echo(table.to_csv(index=False), nl=False)
        return
    if fmt == "json":
        rows = lambda frame: json.loads(frame.to_json(orient="records"))  # noqa: E731
        body = {"title": title, "rows": rows(table), "notes": list(notes)}
        if more:
            body["more"] = [{"title": name, "rows": rows(frame)} for name, frame in more.items()]
        typer.echo(json.dumps(body, indent=1))
        return
    from rich.table import Table

    short = {"forecaster": "forecaster", "horizon": "h", **{f"coverage{v}": f"cov{v}" for v in (50, 80, 90)},
             "top5_coverage80": "top5 cov80", "crps_share": "CRPS share", "crps_con": "CRPS CON", "crps_enp": "CRPS ENP",
             "brier_label": "Brier label", "log_label": "log label", "brier_ahead": "Brier ahead", "log_ahead": "log ahead",
             "difference": "model - baseline", "p_value": "p"}
    for name, frame in {title: table, **more}.items():
        shown = Table(*[short.get(str(c), str(c)) for c in frame.columns], title=name)
        for row in frame.itertuples(index=False):
            shown.add_row(*[f"{v:.3g}" if isinstance(v, float) else str(v) for v in row])
        console.print(shown)
        if name == title:
            for note in notes:
                console.print(note)


@forecast_app.command("backtest")
def backtest_command(
    measure: str = typer.Option("gdp,cinc", "--measure", help="Measures, comma-separated: gdp (Maddison), cinc (COW NMC), gdp_fariss (Fariss et al.)."),
    origins: str = typer.Option("1960-2000/5", "--origins", help="Origin years: FIRST-LAST/STEP, FIRST-LAST or a comma-separated list."),
    horizons: str = typer.Option("5,10,20,30", "--horizons", help="Years ahead, comma-separated."),
    paths: int = typer.Option(20_000, "--paths", help="Paths per forecaster and origin."),
    seed: int = SeedOption,
    workers: Optional[int] = typer.Option(None, "--workers", help="Run the origins on a local Dask cluster of N workers."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run the origins on the Dask scheduler at this address."),
    drift: str = DriftOption,
    out: Optional[Path] = OutOption,
    chart: Optional[Path] = ChartOption,
    fmt: str = PrintFormatOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Score the projection from past origins against no change, a random walk and a bootstrap."""
    if scheduler and workers:
        raise typer.BadParameter("give --scheduler or --workers, not both", param_hint="--workers")
    from worldorder import backtest, format_p_value, track_record

    result = backtest(measures=measure, origins=origins, horizons=horizons, paths=paths, seed=seed, db=db,
                      model=None if drift == "regression" else {"drift": drift},
                      backend="dask" if scheduler is not None or workers else "threads", scheduler=scheduler, workers=workers)
    if out is not None:
        write_table(result.scores, out)
    summary = result.summary()
    columns = ["measure", "horizon", "forecaster", "coverage50", "coverage80", "coverage90", "top5_coverage80", "crps_share",
               "crps_con", "crps_enp", "brier_label", "log_label", "brier_ahead", "log_ahead"]
    notes = tuple(track_record(name, h, result=result) for name in result.settings["measures"] for h in result.settings["horizons"])
    paired = result.compare(["crps_share", "brier_label", "brier_ahead"])
    paired = paired[["measure", "horizon", "metric", "baseline", "n", "difference", "p_value"]]
    if fmt == "table":  # one row per measure, horizon and metric; a column per baseline
        cells = [f"{d:+.3g} ({format_p_value(p)})" for d, p in zip(paired["difference"], paired["p_value"])]
        paired = (paired.assign(cell=cells).pivot(index=["measure", "horizon", "metric", "n"], columns="baseline", values="cell")
                  .reset_index().rename_axis(columns=None))
    span = f"{result.settings['origins'][0]}-{result.settings['origins'][-1]}"
    if out is None or fmt != "table":
        _print(summary[columns], fmt, f"Backtest, pooled over origins {span}", notes,
               {f"Model minus baseline, paired by origin {span} (Diebold-Mariano p; negative: the model scored better)": paired})
    if chart is not None:
        from worldorder import save_chart
        from worldorder import backtest_charts

        for name, figure in backtest_charts(result).items():
            path = chart if name == "coverage" else chart.with_name(f"{chart.stem}_{name}{chart.suffix}")
            save_chart(figure, path)
            errors.print(f"Wrote {path}")
    errors.print(f"{len(result.settings['origins'])} origins in {result.settings['seconds']:.1f} s ({result.settings['backend']})")


@forecast_app.command("convergence")
def convergence_command(
    measure: str = typer.Option("gdppc", "--measure", help="gdppc: GDP per capita (Maddison)."),
    years: str = typer.Option("1950-2018", "--years", help="FIRST-LAST."),
    states: Optional[str] = typer.Option(None, "--states", help="States for the gaps and the chart: codes or names, comma-separated."),
    out: Optional[Path] = OutOption,
    chart: Optional[Path] = ChartOption,
    fmt: str = PrintFormatOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Beta- and sigma-convergence of GDP per capita, gaps to the frontier and years to close them."""
    if measure != "gdppc":
        raise typer.BadParameter("convergence is measured on gdppc (Maddison GDP per capita)", param_hint="--measure")
    from worldorder import Years, convergence, country, create_power_years

    span = Years.parse(years)
    table = create_power_years(["gdp"], majors=False, db=db)
    held = table.loc[table["maddison_gdppc"].notna(), "year"]  # the table's years run past the last GDP per capita
    first, last = span.resolve((int(held.min()), int(held.max())), "Maddison GDP per capita")
    codes = None if not states else [country(s.strip(), db=db).ccode for s in states.split(",") if s.strip()]
    result = convergence(table, (first, last), states=codes)
    if out is not None:
        write_table(result.gaps, out)
    names = dict(zip(table["ccode"].astype(int), table["stateabb"].astype(str)))
    info = table.attrs.get("measures", {}).get("gdp", {})
    newest = int(held.max())
    closing = result.closing.assign(state=result.closing["ccode"].map(names))
    if codes is None:
        closing = closing.nsmallest(10, "years_to_close")
    sigma = result.sigma
    notes = (
        f"sigma (sd of log GDP per capita, {int(sigma['n'].iloc[0])} states present throughout): "
        f"{sigma['sigma'].iloc[0]:.3f} in {first}, {sigma['sigma'].iloc[-1]:.3f} in {last}",
        f"Source: {info.get('label', 'GDP')} ({', '.join(info.get('sources', []))}), GDP per capita to {newest}; "
        f"frontier: the highest among states of 10 million people or more.",
    )
    if out is None or fmt != "table":
        _print(result.beta, fmt, f"Beta-convergence of GDP per capita, {first}-{last}")
        _print(closing[["state", "ccode", "gap", "rate", "years_to_close"]], fmt, "Gap to the frontier (log) and years to close it at the last 10 years' rate", notes)
    if chart is not None:
        from worldorder import Chart, Series, save_chart

        shown = result.gaps if codes else result.gaps[result.gaps["ccode"].isin(closing["ccode"])]
        series = [Series(names.get(int(c), str(c)), rows["year"].tolist(), (rows["gdppc"] / rows["frontier"]).tolist())
                  for c, rows in shown.groupby("ccode")]
        save_chart(Chart(title="Catch-up: GDP per capita as a share of the frontier", series=series,
                         caption=notes[1], xlabel="year", ylabel="share of the frontier"), chart)
        errors.print(f"Wrote {chart}")
