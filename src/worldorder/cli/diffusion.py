"""``worldorder diffusion fit|backtest|simulate``: how an outcome spreads along ties, fitted, checked and drawn forward."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from worldorder.cli.common import DbOption, OutOption, PrintFormatOption, SeedOption, console, errors, output_check, write_table

diffusion_app = typer.Typer(help="Diffusion fitted to history: fit, backtest and simulate how an outcome spreads along ties.", no_args_is_help=True)

OutcomeOption = typer.Option(
    "democracy:polyarchy>=0.5", "--outcome",
    help="democracy[:polyarchy|uds|polity[>=T]], alliance:STATE[+STATE] (ATOP) or column:NAME[>=T] (with --data).",
)
TiesOption = typer.Option("contiguity,alliance,trade", "--ties", help="Tie layers: contiguity, distance[:KM], alliance, trade, unga, region, world.")
FitYearsOption = typer.Option("1946-2010", "--years", help="Years of the transitions fitted (FIRST-LAST).")
ControlsOption = typer.Option(None, "--controls", help="Controls, comma-separated: gdppc (log GDP per capita) or columns of --data.")
DataOption = typer.Option(None, "--data", help="CSV with ccode, year and your columns (for column: outcomes or controls).")
OutDirOption = typer.Option(None, "--out-dir", help="Write every table as CSV into this folder.", callback=output_check(folder=True))
ChartOption = typer.Option(None, "--chart", help="Picture: .png, .svg, .pdf or .html.", callback=output_check((".png", ".svg", ".pdf", ".html")))


def _data(path: Optional[Path]):
    if path is None:
        return None
    import pandas as pd

    if not path.exists():
        raise typer.BadParameter(f"{path} does not exist", param_hint="--data")
    return pd.read_csv(path)


def _show(tables: dict, main: str, fmt: str, out: Optional[Path], out_dir: Optional[Path], caption: str, lines: tuple[str, ...] = ()) -> None:
    """Print the tables (rich, CSV of the main one, or JSON of all) and write them where asked."""
    if out is not None:
        write_table(tables[main], out)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            table.to_csv(out_dir / f"{name}.csv", index=False)
        errors.print(f"Wrote {len(tables)} tables to {out_dir}")
    if out is not None or out_dir is not None:
        return
    if fmt == "csv":
        typer.echo(tables[main].to_csv(index=False), nl=False)
    elif fmt == "json":
        payload = {name: json.loads(table.to_json(orient="records")) for name, table in tables.items()}
        payload["caption"] = caption
        payload["notes"] = list(lines)
        typer.echo(json.dumps(payload, indent=1))
    else:
        from rich.table import Table

        for name, table in tables.items():
            view = Table(title=name, title_justify="left")
            for column in table.columns:
                view.add_column(str(column), justify="right" if table[column].dtype.kind in "fiu" else "left")
            for row in table.itertuples(index=False):
                view.add_row(*(f"{v:.4g}" if isinstance(v, float) else str(v) for v in row))
            console.print(view)
        for line in lines:
            console.print(line)
        console.print(f"[dim]{caption}[/]")


def _controls(controls: Optional[str]) -> list[str]:
    return [c.strip() for c in (controls or "").split(",") if c.strip()]


@diffusion_app.command("fit")
def fit_command(
    outcome: str = OutcomeOption,
    ties: str = TiesOption,
    years: str = FitYearsOption,
    controls: Optional[str] = ControlsOption,
    data: Optional[Path] = DataOption,
    fmt: str = PrintFormatOption,
    out: Optional[Path] = OutOption,
    out_dir: Optional[Path] = OutDirOption,
    chart: Optional[Path] = ChartOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Fit logits of entering and leaving the outcome on exposure by tie layer (SEs clustered by state).

    Example: worldorder diffusion fit --outcome democracy:polyarchy>=0.5 --ties contiguity,alliance,trade --years 1946-2010
    """
    from worldorder import fit_diffusion

    fit = fit_diffusion(outcome, ties=ties, years=years, controls=_controls(controls), db=db, data=_data(data))
    thresholds = fit.thresholds
    observed = thresholds[thresholds["status"] == "observed"]["threshold"]
    lines = (f"Adoption thresholds (exposure at first entry, {len(observed)} states): median {observed.median():.3f}, "
             f"quartiles {observed.quantile(0.25):.3f}-{observed.quantile(0.75):.3f}; "
             f"{int((thresholds['status'] == 'above').sum())} states never entered (threshold above their highest exposure).",)
    tables = {"coefficients": fit.coefficients, "contributions": fit.contributions, "thresholds": thresholds}
    if fmt == "table" and out is None and out_dir is None:
        tables = {"coefficients": fit.coefficients, "contributions": fit.contributions}
    _show(tables, "coefficients", fmt, out, out_dir, fit.caption, lines)
    if chart is not None:
        from worldorder import diffusion_effects_chart

        _save(diffusion_effects_chart(fit), chart)


@diffusion_app.command("backtest")
def backtest_command(
    outcome: str = OutcomeOption,
    ties: str = TiesOption,
    years: str = FitYearsOption,
    until: int = typer.Option(1989, "--until", help="Fit on transitions up to this year; score the later years of --years."),
    controls: Optional[str] = ControlsOption,
    data: Optional[Path] = DataOption,
    seed: int = SeedOption,
    fmt: str = PrintFormatOption,
    out: Optional[Path] = OutOption,
    out_dir: Optional[Path] = OutDirOption,
    chart: Optional[Path] = ChartOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Out-of-sample check: fit to --until, forecast later transitions one year ahead, score against baselines.

    Example: worldorder diffusion backtest --outcome democracy:polyarchy>=0.5 --years 1946-2010 --until 1989
    """
    from worldorder import backtest_diffusion

    result = backtest_diffusion(outcome, ties=ties, years=years, until=until, controls=_controls(controls), db=db, data=_data(data), seed=seed)
    tables = {"scores": result.scores, "gain": result.gain, "calibration": result.calibration}
    _show(tables, "scores", fmt, out, out_dir, result.caption, (result.verdict,))
    if chart is not None:
        from worldorder import diffusion_calibration_chart

        _save(diffusion_calibration_chart(result), chart)


@diffusion_app.command("simulate")
def simulate_command(
    outcome: str = OutcomeOption,
    ties: str = TiesOption,
    years: str = FitYearsOption,
    start: int = typer.Option(2024, "--from", help="Observed start year."),
    horizon: int = typer.Option(2040, "--horizon", help="Last simulated year."),
    paths: int = typer.Option(10_000, "--paths", help="Number of simulated paths."),
    seed: int = SeedOption,
    shock: Optional[str] = typer.Option(None, "--shock", help='"STATE switches in YEAR", e.g. "CHN switches in 2026".'),
    controls: Optional[str] = ControlsOption,
    data: Optional[Path] = DataOption,
    backend: str = typer.Option("local", "--backend", help="local (threads) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a local cluster)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Threads (local) or Dask worker processes."),
    top: int = typer.Option(15, "--top", help="Rows of the most exposed states shown."),
    fmt: str = PrintFormatOption,
    out: Optional[Path] = OutOption,
    out_dir: Optional[Path] = OutDirOption,
    chart: Optional[Path] = ChartOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Draw transitions forward from the fitted model along the latest ties: shares, most exposed states, cascades.

    Example: worldorder diffusion simulate --outcome democracy:polyarchy>=0.5 --from 2024 --horizon 2040 --paths 2000 --seed 1
    """
    from worldorder import fit_diffusion, simulate_diffusion

    table = _data(data)
    fit = fit_diffusion(outcome, ties=ties, years=years, controls=_controls(controls), db=db, data=table)
    result = simulate_diffusion(fit, start=start, horizon=horizon, paths=paths, seed=seed, shock=shock, backend=backend,
                                scheduler=scheduler, workers=workers, db=db, data=table)
    shares = result.shares
    tables = {"shares": shares, "exposed": result.states if (out or out_dir or fmt != "table") else result.states.head(top)}
    if result.cascade is not None:
        tables["cascade"] = result.cascade
        tables["induced"] = result.induced if (out or out_dir or fmt != "table") else result.induced.head(top)
    if fmt == "table" and out is None and out_dir is None:
        tables["shares"] = shares[shares["year"].isin([start, (start + horizon) // 2, horizon])]
    settings = result.settings
    caption = (f"{settings['paths']:,} paths, seed {settings['seed']}, blocks of {settings['block']}; fitted on {settings['fit_years'][0]}-{settings['fit_years'][1]}; "
               f"ties held at their latest year {settings['tie_years']}; {settings['states']} states with a known outcome in {start}; {settings['weights']}. {settings['caption']}")
    lines = ()
    if result.cascade is not None:
        sizes = result.cascade
        mean = float((sizes["size"] * sizes["share"]).sum())
        lines = (f"Cascade after {shock}: {mean:.2f} other states end differently on average (same random numbers with and without the shock); "
                 f"P(no other state) = {float(sizes.loc[sizes['size'] == 0, 'share'].sum()):.3f}.",)
    _show(tables, "shares", fmt, out, out_dir, caption, lines)
    if chart is not None:
        from worldorder import diffusion_fan_chart

        _save(diffusion_fan_chart(result, caption=caption), chart)


def _save(figure, path: Path) -> None:
    from worldorder import save_chart

    save_chart(figure, path)
    errors.print(f"Wrote {path}")
