"""``worldorder project`` and ``worldorder scenario ...``: Monte Carlo futures and what-if scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from worldorder.cli.common import DbOption, DriftOption, SeedOption, console, errors, output_check

sim_app = typer.Typer(help="Monte Carlo projections of power.", no_args_is_help=True)
scenario_app = typer.Typer(help="Scenario files: validate and run what-if shocks.", no_args_is_help=True)

#: File formats of the tables written with ``--out-dir`` (``--table-format``; ``--format`` is for printed output elsewhere).
TABLE_FORMATS = ("csv", "parquet")
MAX_HORIZON = 2100  # growth compounded over centuries overflows; the web app caps it alike
CHART_FORMATS = ("html", "png", "svg")
TableFormatOption = typer.Option("csv", "--table-format", help="Files of the tables written with --out-dir: csv or parquet.")


def _check_format(table_format: str, chart_format: str) -> None:
    if table_format not in TABLE_FORMATS:
        raise typer.BadParameter(f"--table-format must be one of {', '.join(TABLE_FORMATS)}", param_hint="--table-format")
    if chart_format not in CHART_FORMATS:
        raise typer.BadParameter(f"--chart-format must be one of {', '.join(CHART_FORMATS)}", param_hint="--chart-format")


#: Charts written into a folder share one plotly.min.js beside them (Plotly's "directory" mode), not a copy each.
SHARED = "directory"


def _write_tables(tables: dict, out_dir: Path, table_format: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        path = out_dir / f"{name}.{table_format}"
        if table_format == "csv":
            table.to_csv(path, index=False)
        else:  # a Parquet column holds one type: a key-value column (the scenario's polarity) is written as text, as in CSV
            mixed = [c for c in table.columns if table[c].dtype == object and table[c].dropna().map(type).nunique() > 1]
            table.astype({c: "string" for c in mixed}).to_parquet(path, index=False)
    errors.print(f"Wrote {len(tables)} tables to {out_dir}")


def _labels_of(db) -> dict[int, str]:
    try:
        from worldorder import load

        states = load("cow_states_2024", db=db)
        return dict(zip(states["ccode"].astype(int), states["stateabb"].astype(str)))
    except Exception:  # noqa: BLE001 - labels are a nicety; codes will do
        return {}


def _fan_charts(result, out_dir: Path, chart_format: str, caption: str, names: dict[int, str], top: int = 6) -> None:
    from worldorder import Chart, Series, save_chart

    polarity = result.polarity
    q = [c for c in polarity.columns if c.startswith("q")]
    low, high = q[0], q[-1]
    inner = (q[1], q[-2]) if len(q) >= 4 else None
    median = "q50" if "q50" in q else q[len(q) // 2]
    written = []
    for index, title, ylabel in (
        ("con", "Concentration of power (CON)", "CON"),
        ("enp", "Effective number of poles", "1 / HHI"),
        ("top_share", "Share of the largest state", "share"),
    ):
        rows = polarity[polarity["index"] == index]
        series = [Series(f"{low}-{high}", rows["year"].tolist(), rows[low].tolist(), kind="band", y2=rows[high].tolist())]
        if inner:
            series.append(Series(f"{inner[0]}-{inner[1]}", rows["year"].tolist(), rows[inner[0]].tolist(), kind="band", y2=rows[inner[1]].tolist()))
        series.append(Series("median", rows["year"].tolist(), rows[median].tolist()))
        chart = Chart(title=title, series=series, caption=caption, xlabel="year", ylabel=ylabel)
        written.append(save_chart(chart, out_dir / f"fan_{index}.{chart_format}", plotlyjs=SHARED))
    if result.states is not None:
        states = result.states
        base = states[states["year"] == states["year"].min()].nlargest(top, "mean")["ccode"].tolist()
        series = []
        for code in base:
            rows = states[states["ccode"] == code]
            label = names.get(int(code), str(code))
            series.append(Series(f"{label} {low}-{high}", rows["year"].tolist(), rows[low].tolist(), kind="band", y2=rows[high].tolist()))
            series.append(Series(label, rows["year"].tolist(), rows[median].tolist()))
        chart = Chart(title=f"Shares of the {len(base)} largest states", series=series, caption=caption, xlabel="year", ylabel="share")
        written.append(save_chart(chart, out_dir / f"fan_shares.{chart_format}", plotlyjs=SHARED))
    labels = result.labels
    series = [Series(name, labels["year"].tolist(), labels[name].tolist()) for name in ("unipolar", "bipolar", "multipolar", "nonpolar") if labels[name].any()]
    chart = Chart(title="Probability of each polarity label", series=series, caption=caption, xlabel="year", ylabel="probability", ylim=(0, 1))
    written.append(save_chart(chart, out_dir / f"labels.{chart_format}", plotlyjs=SHARED))
    errors.print(f"Wrote {len(written)} charts to {out_dir}")


def _summary(result, names: dict[int, str]) -> None:
    from rich.table import Table

    last = int(result.labels["year"].max())
    table = Table("year", "CON median", "ENP median", "top share median", "P(unipolar)", "P(bipolar)", "P(multipolar)", "P(challenger ahead)", title=f"{result.settings['paths']:,} paths, seed {result.settings['seed']}, rule {result.settings['rule']}")
    polarity = result.polarity.set_index(["index", "year"])
    labels = result.labels.set_index("year")
    transition = result.transition.set_index("year")
    years = sorted(result.labels["year"])
    shown = sorted(set(years[:: max(1, len(years) // 6)]) | {last})
    for year in shown:
        table.add_row(
            str(year),
            f"{polarity.loc[('con', year), 'q50']:.3f}",
            f"{polarity.loc[('enp', year), 'q50']:.2f}",
            f"{polarity.loc[('top_share', year), 'q50']:.3f}",
            f"{labels.loc[year, 'unipolar']:.3f}",
            f"{labels.loc[year, 'bipolar']:.3f}",
            f"{labels.loc[year, 'multipolar']:.3f}",
            f"{transition.loc[year, 'p_ahead']:.3f}",
        )
    console.print(table)
    leader, challenger = int(result.transition["leader"].iloc[0]), int(result.transition["challenger"].iloc[0])
    console.print(
        f"Leader {names.get(leader, leader)}, challenger {names.get(challenger, challenger)}: "
        f"P(challenger ahead in some year by {last}) = {transition.loc[last, 'p_overtaken']:.3f}"
    )


@sim_app.command("project")
def project_command(
    measure: str = typer.Option("gdp", "--measure", help="Power measure (see `worldorder powers --help`): gdp, gdp_wb, cinc, milex ..."),
    horizon: int = typer.Option(2050, "--horizon", max=MAX_HORIZON, help=f"Last projected year (at most {MAX_HORIZON}, as in the web app)."),
    paths: int = typer.Option(100_000, "--paths", min=1, help="Number of Monte Carlo paths."),
    seed: int = SeedOption,
    years: Optional[str] = typer.Option(None, "--calibration-years", help="Calibration years FIRST-LAST (default: the 20 years to the base year)."),
    base_year: Optional[int] = typer.Option(None, "--base-year", help="Year the projection starts from (default: the latest year with 90% of states)."),
    rule: str = typer.Option("leader:0.5", "--rule", help="Pole rule: leader:R, threshold:T or wayman."),
    correlation: str = typer.Option("region", "--correlation", help="region, factor or none."),
    drift: str = DriftOption,
    chunk: Optional[int] = typer.Option(None, "--chunk", min=1, help="Paths per task (memory, not results)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run on the Dask scheduler at this address (tcp://host:8786)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Run on a local Dask cluster of N workers."),
    no_states: bool = typer.Option(False, "--no-states", help="Skip the per-state share quantiles (about twice as fast)."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Write tables and fan charts to this folder.", callback=output_check(folder=True)),
    table_format: str = TableFormatOption,
    chart_format: str = typer.Option("html", "--chart-format", help="Chart format: html, png or svg."),
    db: Optional[Path] = DbOption,
) -> None:
    """Project the distribution of power to a horizon with Monte Carlo paths."""
    _check_format(table_format, chart_format)
    if scheduler and workers:
        raise typer.BadParameter("give --scheduler or --workers, not both", param_hint="--workers")
    from worldorder import DEFAULT_WINDOW, Years
    from worldorder import create_power_years, measure_column
    from worldorder import calibrate, check_backend, check_paths, project

    check_paths(paths)  # before the data load and calibration, a few seconds of work
    check_backend(workers, scheduler)
    span = Years.parse(years)
    if span.latest or (span.first is None) != (span.last is None):
        raise typer.BadParameter("give the calibration years as FIRST-LAST, such as 1990-2018", param_hint="--calibration-years")
    window = None if span.everything else (span.first, span.last)
    load_years = None if window is None else (window[0] - 1, base_year or window[1])
    if window is None and base_year:
        load_years = (base_year - DEFAULT_WINDOW - 1, base_year)  # the window's levels and the year before it
    table = create_power_years([measure], years=load_years, majors=False, db=db)
    column = measure_column(measure)
    power = table[["ccode", "year", column, *[c for c in ("maddison_gdppc", "maddison_pop") if c in table.columns]]]
    if load_years is not None and not (power[column] > 0).any():
        raise typer.BadParameter(
            f"{measure} has no values in {load_years[0]}-{load_years[1]}; give years inside its coverage "
            "(worldorder data list shows it)", param_hint="--base-year / --calibration-years")
    if base_year is None and window is not None:
        base_year = window[1]
    model = calibrate(power, value=column, years=window, base_year=base_year, correlation=correlation, drift=drift)
    options = dict(horizon=horizon, paths=paths, seed=seed, chunk=chunk, rule=rule, state_summaries=not no_states)
    if scheduler is not None or workers:
        options.update(backend="dask", scheduler=scheduler, workers=workers)
    result = project(model, **options)
    names = _labels_of(db)
    _summary(result, names)
    for sentence in result.track_record_parts():  # a line per set of origins
        console.print(sentence)
    if out_dir is not None:
        _write_tables(result.tables(), out_dir, table_format)
        from worldorder import caption

        sources = table.attrs.get("measures", {}).get(column, {}).get("sources", ())
        text = caption(
            measure=column,
            rule=result.settings["rule"],
            sources=sources,
            note=f"{paths:,} paths from {model.base_year}, seed {seed}; growth calibrated on {model.window[0]}-{model.window[1]}",
        )
        _fan_charts(result, out_dir, chart_format, text, names)


@scenario_app.command("validate")
def scenario_validate(
    file: Path = typer.Argument(..., help="Scenario file (.toml, .yaml, .yml)."),
    no_resolve: bool = typer.Option(False, "--no-resolve", help="Do not resolve country names (only COW codes are then accepted)."),
    db: Optional[Path] = DbOption,
) -> None:
    """Check a scenario file against the schema; report each problem with its line."""
    from worldorder import load_scenario, validate_scenario

    problems = validate_scenario(file, resolve=not no_resolve, db=db)
    if problems:
        if len(problems) == 1:
            errors.print(f"[red]Error:[/] {problems[0]}", highlight=False)
        else:
            errors.print(f"[red]Error:[/] {len(problems)} problems in the scenario:", highlight=False)
            for problem in problems:
                errors.print(f"  [red]{problem}[/]", highlight=False)
        raise typer.Exit(1)
    scenario = load_scenario(file, resolve=not no_resolve, db=db)
    kinds = ", ".join(s.kind for s in scenario.shocks)
    console.print(f"[green]valid[/] {file}: {scenario.name!r}, base year {scenario.base_year}, {len(scenario.shocks)} shock(s): {kinds}")


@scenario_app.command("run")
def scenario_run(
    file: Path = typer.Argument(..., help="Scenario file (.toml, .yaml, .yml)."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Write the tables and charts to this folder.", callback=output_check(folder=True)),
    table_format: str = TableFormatOption,
    chart_format: str = typer.Option("html", "--chart-format", help="Chart format: html, png or svg."),
    paths: Optional[int] = typer.Option(None, "--paths", min=1, help="Monte Carlo paths (overrides the file's projection)."),
    db: Optional[Path] = DbOption,
) -> None:
    """Run a scenario and show it beside the baseline."""
    _check_format(table_format, chart_format)
    from rich.table import Table

    from worldorder import run_scenario

    result = run_scenario(file, db=db, paths=paths)
    names = _labels_of(db)
    pol = Table("index", "baseline", "scenario", "change", title=f"{result.scenario.name}: polarity in {result.scenario.base_year}")
    for _, row in result.polarity.iterrows():
        change = "" if row["change"] != row["change"] else f"{row['change']:+.4f}"
        fmt_value = (lambda v: f"{v:.4f}" if isinstance(v, float) else str(names.get(v, v)) if row["index"].endswith("ccode") else str(v))
        pol.add_row(row["index"], fmt_value(row["baseline"]), fmt_value(row["scenario"]), change)
    console.print(pol)
    moved = result.power.assign(rel=lambda t: t["scenario"] / t["baseline"] - 1).dropna(subset=["rel"])
    moved = moved.reindex(moved["rel"].abs().sort_values(ascending=False).index).head(10)
    if (moved["rel"].abs() > 0).any():
        table = Table("state", "power change", "share before", "share after", title="Largest changes in power")
        for _, row in moved.iterrows():
            table.add_row(str(names.get(int(row["ccode"]), row["ccode"])), f"{row['rel']:+.3%}", f"{row['share_baseline']:.4f}", f"{row['share_scenario']:.4f}")
        console.print(table)
    for note in result.notes:
        console.print(f"[dim]{note}[/]")
    if out_dir is not None:
        _write_tables(result.tables(), out_dir, table_format)
        from worldorder import bar_chart, caption, save_chart

        text = caption(measure=result.scenario.measure, rule=result.scenario.rule, sources=result.sources, note=f"Scenario {result.scenario.name!r}")
        if (moved["rel"].abs() > 0).any():
            chart = bar_chart([str(names.get(int(c), c)) for c in moved["ccode"]], (100 * moved["rel"]).tolist(), title="Change in power, scenario vs baseline (%)", caption=text, ylabel="%")
            save_chart(chart, out_dir / f"power_change.{chart_format}", plotlyjs=SHARED)
        if result.gas_dependence is not None:
            gas = result.gas_dependence.dropna(subset=["change"])
            gas = gas.reindex(gas["change"].abs().sort_values(ascending=False).index).head(15)
            labels = [f"{names.get(int(c), c)} from {s}" for c, s in zip(gas["ccode"], gas["supplier"])]
            save_chart(bar_chart(labels, gas["change"].tolist(), title="Change in gas import shares", caption=text, ylabel="share"), out_dir / f"gas_dependence.{chart_format}", plotlyjs=SHARED)
        if result.projection:
            for which, projection in result.projection.items():
                folder = out_dir / f"projection_{which}"
                folder.mkdir(parents=True, exist_ok=True)
                _fan_charts(projection, folder, chart_format, text, names)
        errors.print(f"Wrote charts to {out_dir}")
