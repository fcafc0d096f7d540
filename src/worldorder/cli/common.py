"""Shared pieces of the command line: consoles, the --db option, table output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

console = Console(width=None if sys.stdout.isatty() else 140)  # piped tables: wide, not folded at 80
errors = Console(stderr=True)

DbOption = typer.Option(None, "--db", help="DuckDB store file (default: $WORLDORDER_DB or the user data folder).")
OutOption = typer.Option(None, "--out", help="Output table (.csv, .parquet, .dta); printed if omitted.")


def open_cli_store(db: Optional[Path], read_only: bool = False):
    """The store at ``db`` (or the default), opened once per process."""
    from worldorder.store import open_store

    return open_store(db, read_only=read_only)


def write_table(frame, out: Optional[Path]) -> None:
    """Write ``frame`` to ``out`` by its suffix (.csv, .parquet, .dta), or CSV to standard output."""
    if out is None:
        typer.echo(frame.to_csv(index=False), nl=False)
        return
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet", ".dta"):
        raise typer.BadParameter(f"{out}: the output must end in .csv, .parquet or .dta", param_hint="--out")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(out, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(out, index=False)
    else:
        frame.to_stata(out, write_index=False, version=118)
    errors.print(f"Wrote {len(frame):,} rows × {frame.shape[1]} columns to {out}")
