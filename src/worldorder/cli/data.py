"""``worldorder data ...`` and ``worldorder frame ...``: data sets and state/dyad-year tables."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from worldorder.cli.common import DbOption, FormatOption, console, errors, open_cli_store, output_check, write_table

data_app = typer.Typer(help="Data sets: list, fetch, verify, ingest, cite.", no_args_is_help=True)
frame_app = typer.Typer(help="Build state-year and dyad-year tables.", no_args_is_help=True)


def _names(names: Optional[list[str]]) -> list[str]:
    from worldorder import get_dataset, registry

    if not names:
        return list(registry())
    return [get_dataset(name).name for name in names]


# -- data ---------------------------------------------------------------------------
@data_app.command("list")
def data_list(
    addresses: bool = typer.Option(False, "--addresses", help="Show where each file comes from: the publisher's address and the copies kept by others."),
) -> None:
    """List the registered data sets (with --addresses: the publisher's address of each and the copies, marked as such)."""
    from worldorder import registry
    from worldorder import vintage

    if addresses:
        kinds = {"file": "publisher's file", "zip": "publisher's zip", "page": "publisher's page (file from a copy)"}
        table = Table()
        table.add_column("name", no_wrap=True)
        table.add_column("address", overflow="fold")
        table.add_column("what")
        for dataset in registry().values():
            what = kinds[dataset.url_kind] + (f", member {dataset.member}" if dataset.member else "")
            table.add_row(dataset.name, dataset.url or dataset.homepage, what)
            for alternate in dataset.alternates:
                table.add_row("", alternate.url, alternate.note or "copy kept by others")
        console.print(table)
        return
    table = Table("version", "data to", "coverage", "title")
    table.add_column("name", no_wrap=True)
    table.columns.insert(0, table.columns.pop())
    for dataset in registry().values():
        table.add_row(dataset.name, dataset.version, vintage(dataset.name).last or "", dataset.coverage, dataset.title)
    console.print(table)


@data_app.command("status")
def data_status(db: Optional[Path] = DbOption) -> None:
    """Show which data sets are in the store, with their provenance."""
    from worldorder import registry
    from worldorder import SCHEMA_VERSION, default_db_path

    path = db or default_db_path()
    ingested = {}
    if Path(path).exists():
        store = open_cli_store(path, read_only=True)
        store.check()  # a damaged page anywhere fails here, with what to do
        provenance = store.provenance()
        columns = ["name", "version", "rows", "origin", "ingested_at", "sha256"]
        ingested = {row[0]: row for row in provenance[columns].itertuples(index=False)}
    console.print(f"Store: {path} (schema {SCHEMA_VERSION}){'' if ingested else ' — empty or not created yet'}")
    table = Table("version", "in store", "rows", "from", "ingested (UTC)")
    table.add_column("name", no_wrap=True)
    table.columns.insert(0, table.columns.pop())
    for dataset in registry().values():
        row = ingested.get(dataset.name)
        if row is None:
            table.add_row(dataset.name, dataset.version, "no", "", "", "")
        else:
            stale = "" if row[5] == dataset.sha256 else " (file changed)"
            table.add_row(dataset.name, row[1], "yes" + stale, f"{row[2]:,}", row[3], f"{row[4]:%Y-%m-%d %H:%M}")
    console.print(table)


@data_app.command("fetch")
def data_fetch(names: Optional[list[str]] = typer.Argument(None, help="Data sets (default: all).")) -> None:
    """Find (mirror, cache) or download each data set's file, and verify it."""
    from worldorder import resolve

    for name in _names(names):
        resolved = resolve(name)
        console.print(f"[green]ok[/] {name}: {resolved.path} ({resolved.origin})")


@data_app.command("verify")
def data_verify(names: Optional[list[str]] = typer.Argument(None, help="Data sets (default: all).")) -> None:
    """Check the SHA-256 of each data set's file (and its derived copies) against the registry."""
    from worldorder import DataFileError, candidate_paths, file_sha256, resolve

    failed = 0
    for name in _names(names):
        try:
            resolved = resolve(name, download=False)
            console.print(f"[green]ok[/]      {name}: {resolved.path}")
        except DataFileError as error:
            failed += 1
            errors.print(f"[red]failed[/]  {name}: {error}")
            continue
        for extra in resolved.dataset.extra_files:
            path = resolved.path.parent / extra.file
            try:
                differs = path.is_file() and file_sha256(path) != extra.sha256
            except OSError as error:
                failed += 1
                errors.print(f"[red]failed[/]  {name}: cannot read {path}: {error.strerror or error}")
                continue
            if differs:
                failed += 1
                errors.print(f"[red]failed[/]  {name}: {path} does not match sha256 {extra.sha256}")
    if failed:
        raise typer.Exit(1)


@data_app.command("ingest")
def data_ingest(
    names: Optional[list[str]] = typer.Argument(None, help="Data sets (default: all)."),
    force: bool = typer.Option(False, "--force", help="Re-ingest even if the file is unchanged."),
    db: Optional[Path] = DbOption,
) -> None:
    """Load data sets into the store, each in one transaction (idempotent)."""
    from worldorder import progress_steps

    store = open_cli_store(db)
    selected = _names(names)
    with progress_steps(len(selected), "Ingesting") as advance:
        for name in selected:
            result = store.ingest(name, force=force)
            advance(name)
            console.print(f"{'[green]ingested[/] ' if result == 'ingested' else 'unchanged'} {name}")
    console.print(f"Store: {store.path}")


@data_app.command("cite")
def data_cite(name: str = typer.Argument(..., help="Data set name (see `worldorder data list`).")) -> None:
    """Print the BibTeX citation of a data set."""
    from worldorder import cite

    typer.echo(cite(name), nl=False)


# -- frames -------------------------------------------------------------------------
def _build_frame(kind: str, years: Optional[str], add: Optional[str], db: Optional[Path], **options):
    from worldorder import ADDERS, create_dyad_years, create_state_years

    store = open_cli_store(db)
    frame = (
        create_state_years(years=years, db=store, **options)
        if kind == "state"
        else create_dyad_years(years=years, db=store, **options)
    )
    for item in [part.strip() for part in (add or "").split(",") if part.strip()]:
        if item not in ADDERS:
            raise typer.BadParameter(
                f"unknown table {item!r}; choose from {', '.join(sorted(ADDERS))}", param_hint="--add"
            )
        frame = ADDERS[item](frame, db=store)
    return frame


YearsOption = typer.Option(None, "--years", help="Years, e.g. 1816-2016 or 1990.")
AddOption = typer.Option(None, "--add", help="Comma-separated: nmc, gdp, milex, majors, alliances (ATOP), cow_alliances (COW, by explicit choice), trade, contiguity, disputes, ideal_points, population, distance, igos, gdp_ppp, fariss, trade_openness, democracy, regime.")
OutOption = typer.Option(None, "--out", "-o", help="Output file (.csv, .parquet, .dta); CSV to standard output if omitted.",
                         callback=output_check((".csv", ".parquet", ".dta")))


@frame_app.command("state-years")
def frame_state_years(
    years: Optional[str] = YearsOption,
    add: Optional[str] = AddOption,
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    system: str = typer.Option("cow", help="State system: cow or gw."),
    db: Optional[Path] = DbOption,
) -> None:
    """State-year table of the state system, with the chosen sources joined."""
    write_table(_build_frame("state", years, add, db, system=system), out, fmt)


@frame_app.command("dyad-years")
def frame_dyad_years(
    years: Optional[str] = YearsOption,
    add: Optional[str] = AddOption,
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    directed: bool = typer.Option(True, "--directed/--undirected", help="Directed (a,b and b,a) or undirected (a<b)."),
    keep_false_dyads: bool = typer.Option(False, "--keep-false-dyads", help="Keep pairs that share a year but never a day (dropped by default, as in peacesciencer)."),
    db: Optional[Path] = DbOption,
) -> None:
    """Dyad-year table of pairs of system members, with the chosen sources joined."""
    write_table(_build_frame("dyad", years, add, db, directed=directed, keep_false_dyads=keep_false_dyads), out, fmt)
