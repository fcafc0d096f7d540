"""``worldorder scenario check FILE --observed``: a scenario beside what happened."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from worldorder.cli.common import DbOption, PrintFormatOption, console, errors, output_check


def check_command(
    file: Path = typer.Argument(..., help="Scenario file (.toml, .yaml, .yml): a gas border point removed, or a border closure."),
    observed: bool = typer.Option(False, "--observed", help="Compare the scenario with what happened (IEA and Energy Institute gas data; World Bank openness)."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Write each table as CSV to this folder.", callback=lambda v: output_check(folder=True)(v)),
    fmt: str = PrintFormatOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Check a scenario against observed shocks: predicted, observed and difference side by side.

    Example: worldorder scenario check examples/scenarios/nord_stream_cut.toml --observed
    """
    if not observed:
        raise typer.BadParameter("say what to check the scenario against: --observed", param_hint="--observed")
    from worldorder import check_observed, vintage_text

    check = check_observed(file, db=db)
    sources = f"Sources: {vintage_text(check.sources)}"
    for name, table in check.tables.items():
        unit = table.attrs.get("unit", "")
        if fmt == "csv":
            typer.echo(f"# {name}: {unit}")
            typer.echo(table.to_csv(index=False), nl=False)
        elif fmt == "json":
            typer.echo(table.to_json(orient="records"))
        else:
            from rich.table import Table

            shown = Table(*map(str, table.columns), title=f"{check.scenario}: {name} ({unit})")
            for row in table.itertuples(index=False):
                shown.add_row(*[f"{v:,.1f}" if isinstance(v, float) else str(v) for v in row])
            console.print(shown)
    if fmt == "table":
        for note in check.notes:
            console.print(f"[dim]{note}[/]")
        console.print(f"[dim]{sources}[/]", highlight=False)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, table in check.tables.items():
            table.to_csv(out_dir / f"observed_{name}.csv", index=False)
        (out_dir / "observed_notes.txt").write_text("\n".join([*check.notes, sources]) + "\n", encoding="utf-8")
        errors.print(f"Wrote {len(check.tables)} tables and the notes to {out_dir}")
