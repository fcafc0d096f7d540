"""``worldorder claims check FILE`` and ``worldorder report``: claims, verdicts and the report.

``claims check`` evaluates every claim of a ledger on every applicable measure
and prints, for each, the verdict with the rule that produced it and the
evidence: a small table and a chart drawn in text (``--charts DIR`` also writes
each chart as HTML, PNG or SVG).  ``report`` writes the self-contained HTML
report.  Both use only the public API (:mod:`worldorder.claims`,
:mod:`worldorder.report`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from worldorder.cli.common import DbOption, SeedOption, console, errors, output_check, span_of

claims_app = typer.Typer(help="Claims and the report.", no_args_is_help=True)
ledger_app = typer.Typer(help="Claims ledgers: test structural claims against the data.", no_args_is_help=True)
claims_app.add_typer(ledger_app, name="claims")

_VERDICT_STYLE = {
    "supported": "bold green",
    "not supported": "bold red",
    "depends on the measure": "bold yellow",
    "not testable with these data": "bold",
}
_BLOCKS = " ▁▂▃▄▅▆▇█"


def _split(values) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


# -- text charts ------------------------------------------------------------------------------------
def sparkline(values, width: int = 48) -> str:
    """A line of block characters for ``values`` (NaN as a space), at most ``width`` wide (longer series are averaged in bins)."""
    import numpy as np

    data = np.asarray([np.nan if v is None else float(v) for v in values], dtype=float)
    if len(data) > width:  # bin means over finite values; an all-NaN bin stays NaN
        bins = [part[np.isfinite(part)] for part in np.array_split(data, width)]
        data = np.array([part.mean() if part.size else np.nan for part in bins])
    finite = data[np.isfinite(data)]
    if finite.size == 0:
        return ""
    low, high = float(finite.min()), float(finite.max())
    span = high - low or 1.0
    return "".join(" " if not np.isfinite(v) else _BLOCKS[1 + int(round((v - low) / span * 7))] for v in data)


def bar(value: float | None, width: int = 24, top: float = 1.0) -> str:
    if value is None:
        return "no data"
    filled = max(0, min(width, int(round(value / top * width)))) if top > 0 else 0
    return "█" * filled + "·" * (width - filled)


def text_chart(result) -> list[str]:
    """The claim's chart drawn with characters, one line per case."""
    import numpy as np

    kind = result.claim.test.predicate.type
    width = max(len(c.label) for c in result.cases) if result.cases else 0
    lines = []
    if kind in ("all-years", "any-year", "share-of-years"):
        lines.append("share of years meeting the condition:")
        for c in result.cases:
            stat = c.outcome.stat
            lines.append(f"  {c.label:<{width}}  {bar(stat)} {'' if stat is None else f'{stat:.0%}'}")
        return lines
    if kind == "rank":
        lines.append("shares of the reference set, latest year:")
        for c in result.cases:
            shares = c.outcome.detail.get("shares", {})
            text = "  ".join(f"{name} {value:.0%}" for name, value in shares.items() if np.isfinite(value))
            top = max([v for v in shares.values() if np.isfinite(v)], default=0)
            lines.append(f"  {c.label:<{width}}  {bar(top, 16)} {text}")
        return lines
    if kind == "exceeds-next":
        lines.append(f"ratio of {result.claim.test.predicate.get('state')} to the next {result.claim.test.predicate.get('next')} together, by year:")
        for c in result.cases:
            ratios = c.outcome.detail.get("ratios")
            if ratios is None or not len(ratios):
                lines.append(f"  {c.label:<{width}}  no data")
                continue
            lines.append(f"  {c.label:<{width}}  {sparkline(ratios['ratio'])}  {int(ratios['year'].iloc[0])}-{int(ratios['year'].iloc[-1])}, "
                         f"min {ratios['ratio'].min():.2f}, max {ratios['ratio'].max():.2f}")
        return lines
    lines.append("series by year:")
    for c in result.cases:
        table = c.series.table
        if table.empty or table["value"].dtype == object:
            lines.append(f"  {c.label:<{width}}  {c.holds_text}")
            continue
        ordered = table.sort_values("year")
        test = result.claim.test
        first = test.years.first if test.years.first is not None else None
        if kind == "recovers":
            first = min(test.predicate.get("shocks")) - 11
        if first is not None:
            ordered = ordered[ordered["year"] >= first - (0 if kind == "recovers" else 10)]
        if ordered.empty:
            lines.append(f"  {c.label:<{width}}  no data")
            continue
        values = ordered["value"].to_numpy(float)
        lines.append(f"  {c.label:<{width}}  {sparkline(values)}  {int(ordered['year'].iloc[0])}-{int(ordered['year'].iloc[-1])}, "
                     f"{values[0]:.3g} to {values[-1]:.3g}")
    return lines


# -- claims check ------------------------------------------------------------------------------------
@ledger_app.command("check")
def check_command(
    file: Path = typer.Argument(..., help="Claims ledger (YAML); see examples/claims.yaml."),
    claim: Optional[List[str]] = typer.Option(None, "--claim", help="Check only these claim ids (comma-separated)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the evidence of every claim to this file (.csv, .parquet or .json).", callback=output_check((".csv", ".parquet", ".json"))),
    charts: Optional[Path] = typer.Option(None, "--out-dir", help="Write one chart per claim into this folder.", callback=output_check(folder=True)),
    chart_format: str = typer.Option("html", "--chart-format", help="Chart files: html, png or svg."),
    summary_only: bool = typer.Option(False, "--summary", help="Print only the table of verdicts."),
    fmt: str = typer.Option("text", "--format", help="text (each verdict with its evidence) or json (verdicts and evidence)."),
    db: Optional[Path] = DbOption,
) -> None:
    """Test every claim of a ledger on every applicable measure; print each verdict with its evidence."""
    from worldorder import check_ledger, evidence_table, load_ledger, verdict_table

    if chart_format not in ("html", "png", "svg"):
        raise typer.BadParameter("--chart-format must be html, png or svg", param_hint="--chart-format")
    if out is not None and out.suffix.lower() not in (".csv", ".parquet", ".json"):
        raise typer.BadParameter(f"{out}: the evidence file must end in .csv, .parquet or .json", param_hint="--out")
    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"{fmt!r}: choose text or json", param_hint="--format")
    as_json = fmt == "json"
    ledger = load_ledger(file)
    wanted = _split(claim) or None
    results = check_ledger(ledger, db=db, claims=wanted, progress=not as_json)
    if as_json:
        payload = {
            "ledger": str(file),
            "claims": [
                {
                    "id": r.claim.id, "claim": r.claim.claim, "made_by": r.claim.made_by, "verdict": r.verdict, "rule": r.rule,
                    "test": r.test, "summary": r.summary, "breakdown": r.breakdown, "notes": r.notes, "sources": list(r.sources),
                    "evidence": json.loads(r.evidence.drop(columns=["claim"]).to_json(orient="records")),
                }
                for r in results
            ],
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        if not summary_only:
            for number, result in enumerate(results, start=1):
                _print_claim(result, number, len(results))
        _print_summary(verdict_table(results), ledger.title or str(file))
    if out is not None:
        table = evidence_table(results)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".csv":
            table.to_csv(out, index=False)
        elif out.suffix.lower() == ".parquet":
            table.to_parquet(out, index=False)
        else:
            out.write_text(table.to_json(orient="records", indent=2, force_ascii=False), encoding="utf-8")
        errors.print(f"Wrote the evidence ({len(table)} rows) to {out}")
    if charts is not None:
        from worldorder import save_chart

        for result in results:
            save_chart(result.chart(), charts / f"{result.claim.id}.{chart_format}", plotlyjs="directory")  # one plotly.js per folder
        errors.print(f"Wrote {len(results)} charts to {charts}")


def _print_claim(result, number: int, total: int) -> None:
    from rich.table import Table

    from worldorder import source_text

    style = _VERDICT_STYLE.get(result.verdict, "bold")
    console.print()
    console.rule(f"[bold]{number}/{total} {result.claim.id}[/]  [{style}]{result.verdict}[/]", align="left")
    for label, text in (("Claim", result.claim.claim), ("Kind of source", result.claim.made_by), ("Test", result.test), ("Rule", result.rule)):
        console.print(f"[dim]{label}:[/] {text}", highlight=False)
    for among, text in result.reference_sets.items():
        console.print(f"[dim]Reference set {among}:[/] {text}", highlight=False)
    console.print(f"[dim]Result:[/] [{style}]{result.verdict}[/]: {result.summary}" + (f"; {result.breakdown}" if result.breakdown else ""), highlight=False)
    table = Table("case", "years", "finding", "holds", show_lines=False, header_style="bold")
    for case in result.cases:
        mark = {"yes": "[green]yes[/]", "no": "[red]no[/]"}.get(case.holds_text, case.holds_text)
        table.add_row(case.label, case.outcome.years_text, case.outcome.finding, mark)
    console.print(table)
    for line in text_chart(result):
        console.print(line, highlight=False, markup=False)
    for note in result.notes:
        console.print(f"[dim]Note:[/] {note}", highlight=False)
    console.print(f"[dim]Sources:[/] {source_text(result.sources)}", highlight=False)


def _print_summary(table, title: str) -> None:
    from rich.table import Table

    summary = Table("id", "verdict", "holds / cases with data", title=f"Verdicts: {title}", header_style="bold")
    for row in table.itertuples(index=False):
        style = _VERDICT_STYLE.get(row.verdict, "bold")
        summary.add_row(row.id, f"[{style}]{row.verdict}[/]", f"{row.holds}/{row.cases_with_data}")
    console.print()
    console.print(summary)


# -- report ----------------------------------------------------------------------------------------------
@claims_app.command("report")
def report_command(
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="The HTML file to write.", callback=output_check((".html",))),
    years: Optional[str] = typer.Option(None, "--years", help="Years of the history sections: FIRST-LAST, FIRST-, -LAST (\"today\" is the last year with data up to LAST)."),
    measure: Optional[List[str]] = typer.Option(None, "--measure", "-m", help="Power measures (repeat or comma-separate); default cinc,gdp,gdp_wb,milex,milex_wb."),
    section: Optional[List[str]] = typer.Option(None, "--section", "-s", help="Sections to include (repeat or comma-separate): polarity, distribution, regions, blocs, projection, claims, sources."),
    ledger: Optional[Path] = typer.Option(None, "--ledger", help="Claims ledger for the claims section (default: the example ledger, examples/claims.yaml)."),
    among: str = typer.Option("majors", "--among", help="Reference set of the polarity history: majors, all, top:K."),
    rule: str = typer.Option("leader:0.5", "--rule", help="Pole rule: leader:R, threshold:T or wayman."),
    projection_measure: str = typer.Option("gdp", "--projection-measure", help="Power measure of the baseline projection (default gdp: Maddison, which has a backtested track record)."),
    horizon: int = typer.Option(2050, "--horizon", help="Last year of the projection."),
    paths: int = typer.Option(20_000, "--paths", help="Monte Carlo paths of the projection."),
    seed: int = SeedOption,
    bloc_layer: str = typer.Option("atop", "--bloc-layer", help="Alliance layer of the blocs (defence pacts): atop or cow_alliance (COW, by explicit choice)."),
    bloc_year: Optional[int] = typer.Option(None, "--bloc-year", help="Year of the blocs (default the layer's last year)."),
    db: Optional[Path] = DbOption,
) -> None:
    """Write the world-order report: one self-contained HTML file (charts inline, opens offline)."""
    from worldorder import DEFAULT_MEASURES, SECTIONS, ReportError, build_report

    span_of(years)
    if bloc_layer not in ("atop", "alliance", "cow_alliance"):
        raise ReportError("--bloc-layer must be atop (also alliance) or cow_alliance.")
    report = build_report(
        out=out,
        years=years,
        measures=_split(measure) or DEFAULT_MEASURES,
        sections=_split(section) or SECTIONS,
        ledger=ledger,
        among=among,
        rule=rule,
        projection_measure=projection_measure,
        horizon=horizon,
        paths=paths,
        seed=seed,
        bloc_layer=bloc_layer,
        bloc_year=bloc_year,
        db=db,
        progress=True,
    )
    timing = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.timings.items())
    errors.print(f"Wrote {report.path} ({report.bytes / 1e6:.1f} MB, sections: {', '.join(report.sections)}) in {report.seconds:.1f} s ({timing})",
                 highlight=False)
