"""Building the report: the sections in order, timed, into one HTML file."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from worldorder import DEFAULT_SEED
from worldorder.report.builder import Builder
from worldorder.report.html import document as page
from worldorder.report.options import (
    DEFAULT_MEASURES,
    SECTIONS,
    ReportError,
    check_rule,
    read_ledger,
    ledger_text,
    parse_measures,
    parse_sections,
    parse_year_span,
)
from worldorder.report.sections_blocs import blocs_section
from worldorder.report.sections_checks import diffusion_section, observed_section
from worldorder.report.sections_claims import claims_section, sources_section
from worldorder.report.sections_futures import projection_section
from worldorder.report.sections_openness import openness_section
from worldorder.report.sections_power import distribution_section, polarity_section, regions_section
from worldorder.report.sections_summary import summary_section


@dataclass
class Report:
    """What :func:`build_report` wrote: the file, its sections, its size and the time per section."""

    path: Path
    sections: tuple[str, ...]
    bytes: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    verdicts: pd.DataFrame | None = None


def build_report(
    out: str | os.PathLike = "report.html",
    years=None,
    measures: Sequence[str] = DEFAULT_MEASURES,
    sections: Iterable[str] = SECTIONS,
    ledger=None,
    among: str = "majors",
    rule: str = "leader:0.5",
    rules: Sequence[str] | None = None,
    projection_measure: str = "gdp",
    horizon: int = 2050,
    paths: int = 20_000,
    seed: int = DEFAULT_SEED,
    bloc_layer: str = "atop",
    bloc_year: int | None = None,
    db=None,
    progress: bool = True,
) -> Report:
    """Build the world-order report as one self-contained HTML file.

    Parameters
    ----------
    out
        The HTML file to write.
    years
        Years shown in the history sections: ``(first, last)``, ``"1946-2022"``
        or None for all; "today" is the last year with data up to ``last``.
    measures
        Power measures (keys of :data:`worldorder.power.MEASURES`); the first
        leads the polarity history.
    sections
        Sections to include, in the order of :data:`SECTIONS`.
    ledger
        A claims ledger (:class:`~worldorder.claims.Ledger` or a path); default
        the example ledger shipped with the package (``examples/claims.yaml``).
    among
        Reference set of the polarity history (``"majors"``, ``"all"``, ``"top:K"``).
    rule, rules
        Pole rule of the history and the projection; rules compared in the
        robustness chart (default threshold:0.1, leader:0.5, wayman).
    projection_measure, horizon, paths, seed
        The baseline projection (:func:`worldorder.sim.project`).
    bloc_layer, bloc_year
        Alliance layer (``"atop"``, or ``"cow_alliance"`` by explicit choice) and year of the blocs
        (default its last year).
    db
        Store path or :class:`~worldorder.store.Store`.
    progress
        Show a progress bar on standard error.

    Returns
    -------
    Report
    """
    started = time.perf_counter()
    chosen = parse_sections(sections)
    first, last = parse_year_span(years)
    measures = parse_measures(measures)
    check_rule(rule)
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ReportError(f"{out}: the report is an HTML file; give a name ending in .html.")
    ledger_obj = read_ledger(ledger) if "claims" in chosen else None
    from worldorder import progress_steps

    builder = Builder(measures=measures, first=first, last=last, among=among, rule=rule, rules=rules, db=db, seed=seed)
    timings: dict[str, float] = {}
    steps = 1 + len(chosen) + 1
    with progress_steps(steps, "Building the report", enabled=progress) as advance:
        tick = time.perf_counter()
        extra = [projection_measure] if "projection" in chosen else []
        if ledger_obj is not None:
            extra += [m for c in ledger_obj.claims if c.test.quantity in ("polarity", "ranking") for m in c.test.measures]
        builder.load(extra)
        timings["data"] = time.perf_counter() - tick
        advance("data")
        bodies = {}
        for name in chosen:
            tick = time.perf_counter()
            if name == "polarity":
                bodies[name] = polarity_section(builder)
            elif name == "distribution":
                bodies[name] = distribution_section(builder)
            elif name == "regions":
                bodies[name] = regions_section(builder, ledger_obj)
            elif name == "blocs":
                bodies[name] = blocs_section(builder, bloc_layer, bloc_year)
            elif name == "openness":
                bodies[name] = openness_section(builder)
            elif name == "projection":
                bodies[name] = projection_section(builder, projection_measure, horizon, paths, seed)
            elif name == "observed":
                bodies[name] = observed_section(builder)
            elif name == "diffusion":
                bodies[name] = diffusion_section(builder)
            elif name == "claims":
                bodies[name] = claims_section(builder, ledger_obj)
            elif name in ("summary", "sources"):
                bodies[name] = ""  # written last: the sources once every section has named its own, the summary from all
            timings[name] = time.perf_counter() - tick
            advance(name)
        if "sources" in chosen:
            tick = time.perf_counter()
            bodies["sources"] = sources_section(builder)
            timings["sources"] += time.perf_counter() - tick
        if "summary" in chosen:
            tick = time.perf_counter()
            bodies["summary"] = summary_section(builder, chosen)
            timings["summary"] += time.perf_counter() - tick
        document = page(chosen, bodies, settings={
            "years": "all" if first is None and last is None else f"{first or ''}-{last or ''}",
            "measures": ", ".join(measures), "reference set": among, "pole rule": rule,
            "projection": f"{projection_measure} to {horizon}, {paths:,} paths, seed {seed}" if "projection" in chosen else "not included",
            "ledger": ledger_text(ledger_obj) if "claims" in chosen else "not included",
        })
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(document, encoding="utf-8")
        except OSError as error:
            raise ReportError(f"Cannot write {out}: {error}") from error
        advance("written")
    elapsed = time.perf_counter() - started
    return Report(out, chosen, out.stat().st_size, elapsed, timings, builder.verdicts)


class _silent:
    def __enter__(self):
        return lambda label: None

    def __exit__(self, *exc):
        return False
