"""Shared pieces of the command line: consoles, the --db option, table output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from worldorder import DEFAULT_SEED

console = Console(width=None if sys.stdout.isatty() else 140)  # piped tables: wide, not folded at 80
errors = Console(stderr=True)

DbOption = typer.Option(None, "--db", help="DuckDB store file (default: $WORLDORDER_DB or the user data folder).")
TABLE_SUFFIXES = (".csv", ".parquet", ".dta")
OutOption = typer.Option(None, "--out", "-o", help="Output table (.csv, .parquet, .dta); printed if omitted.",
                         callback=lambda value: output_check(TABLE_SUFFIXES)(value))
YearsOption = typer.Option(
    None, "--years", help="Years: YEAR, FIRST-LAST, FIRST- (to the latest), -LAST or latest; default all."
)
YearOption = typer.Option(None, "--year", "--years", "-y", help="Year, or latest (default: the latest year with values).")


def _seed_check(value: int) -> int:
    """Refuse a seed numpy would not take (negative, 2**32 or more) before the command computes anything."""
    from worldorder import SeedError, check_seed

    try:
        return check_seed(value)
    except SeedError as error:
        raise typer.BadParameter(str(error)) from None


SeedOption = typer.Option(DEFAULT_SEED, "--seed", callback=_seed_check,
                          help="Seed of the random numbers (worldorder.DEFAULT_SEED unless given): the same seed gives the same numbers.")


def span_of(years: Optional[str], option: str = "--years"):
    """The :class:`worldorder.Years` of a ``--years`` value (all years when omitted)."""
    from worldorder import Years, YearsError

    try:
        return Years.parse(years)
    except YearsError as error:
        raise YearsError(f"{option}: {error}") from None


def one_year(year: Optional[str], option: str = "--year") -> Optional[int]:
    """The year of a ``--year`` value, or None for the latest year with values."""
    from worldorder import YearsError

    span = span_of(year, option)
    if span.everything or (span.latest and span.first is None and span.last is None):
        return None
    if span.first is None or span.first != span.last:
        raise YearsError(f"{option}: this command takes one year (such as 2016) or latest, not {span}.")
    return span.first


def unwritable(path: Path, folder: bool = False) -> Optional[str]:
    """Why ``path`` (a file, or a folder when ``folder``) cannot be written, or None: checked before any work."""
    if not folder and path.is_dir():
        return f"{path} is a folder; give a file name"
    if folder and path.exists() and not path.is_dir():
        return f"{path} is a file, not a folder"
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else f"{parent} is a file, so nothing can be written under it"
    return None


def output_check(suffixes: tuple[str, ...] = (), folder: bool = False):
    """A typer callback refusing an output name before the command computes anything.

    It checks the suffix (one of ``suffixes``, when given) and that the file
    or folder can be written where it is named (see :func:`unwritable`).
    """

    def check(value: Optional[Path]) -> Optional[Path]:
        if value is None:
            return None
        if suffixes and value.suffix.lower() not in suffixes:
            raise typer.BadParameter(f"{value}: the file must end in {', '.join(suffixes)}")
        problem = unwritable(value, folder=folder)
        if problem:
            raise typer.BadParameter(problem)
        return value

    return check


def open_cli_store(db: Optional[Path], read_only: bool = False):
    """The store at ``db`` (or the default), opened once per process."""
    from worldorder import open_store

    return open_store(db, read_only=read_only)


FORMATS = ("table", "csv", "json")


def format_check(value: Optional[str]) -> Optional[str]:
    """Refuse a ``--format`` other than table, csv or json before the command computes anything (also with --out)."""
    if value is not None and value not in FORMATS:
        raise typer.BadParameter(f"{value!r}: choose table, csv or json")
    return value


#: ``--format`` of commands that print a table unless told otherwise.
PrintFormatOption = typer.Option("table", "--format", help="table, csv or json.", callback=format_check)


def _drift_check(value: str) -> str:
    if value not in ("regression", "own"):
        raise typer.BadParameter(f"{value!r}: choose regression or own")
    return value


DriftOption = typer.Option(
    "regression", "--drift", callback=_drift_check,
    help="The projection's mean growth ahead: regression (fitted on the decades before the base year, the backtested "
         "default) or own (each state's shrunk window mean, row H of docs/simulation.md).",
)
FormatOption = typer.Option(
    None, "--format", callback=format_check,
    help="How to print the table: table (rounded, with units), csv or json; default a table on a terminal, CSV when piped."
)


def _number(value) -> str:
    """A float rounded for reading: thousands separated, four significant digits below 1."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    size = abs(value)
    if size >= 1e5:
        return f"{value:,.0f}"
    if size >= 1:
        return f"{value:,.2f}"
    return f"{value:.4g}"


def print_table(frame) -> None:
    """A Rich table of ``frame``: floats rounded, each measure column headed with its unit (from ``attrs``)."""
    import pandas as pd
    from rich.table import Table

    units = {column: info.get("unit") for column, info in frame.attrs.get("measures", {}).items() if info.get("unit")}
    table = Table(show_lines=False, header_style="bold")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
        header = f"{column}\n({units[column]})" if column in units else str(column)
        table.add_column(header, justify="right" if numeric else "left", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*("" if pd.isna(v) else _number(v) if isinstance(v, float) else str(v) for v in row))
    console.print(table)


def write_table(frame, out: Optional[Path], fmt: Optional[str] = None) -> None:
    """Write ``frame`` to ``out`` by its suffix (.csv, .parquet, .dta), or print it.

    Printed as ``fmt``: ``table`` (Rich, rounded, with units), ``csv`` or
    ``json`` (records); by default a table on a terminal and CSV when piped.
    """
    if out is None:
        if fmt is not None and fmt not in FORMATS:
            raise typer.BadParameter(f"{fmt!r}: choose table, csv or json", param_hint="--format")
        fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
        if fmt == "table":
            print_table(frame)
        elif fmt == "json":
            typer.echo(frame.to_json(orient="records", date_format="iso", default_handler=str))
        else:
            typer.echo(frame.to_csv(index=False), nl=False)
        return
    suffix = out.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise typer.BadParameter(f"{out}: the output must end in .csv, .parquet or .dta", param_hint="--out")
    problem = unwritable(out)
    if problem:
        raise typer.BadParameter(problem, param_hint="--out")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(out, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(out, index=False)
    else:
        frame.to_stata(out, write_index=False, version=118)
    errors.print(f"Wrote {len(frame):,} rows × {frame.shape[1]} columns to {out}")
