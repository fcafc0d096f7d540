"""The world-order report: one self-contained HTML file built from the public API.

``worldorder report --out report.html`` (or :func:`build_report`) writes one
file holding every chart inline, with plotly.js embedded from the installed
``plotly`` package, so that it opens without a network.  Its sections:

``polarity``      concentration of power and the polarity label over time, with
                  eras (change points) and the agreement of labels across
                  measures and pole rules;
``distribution``  today's distribution of power by several measures;
``regions``       the leading state of each region, and since when;
``blocs``         alliance blocs (consensus Leiden blocs) and their share of power;
``projection``    a baseline Monte Carlo projection of the distribution of power;
``claims``        the verdicts of a claims ledger, with their evidence;
``sources``       the data sets used, with versions and citations.

The report describes; it does not argue.  Every chart states its measure, its
rule and its sources.
"""

from __future__ import annotations

import base64
import html
import io
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

SECTIONS = ("polarity", "distribution", "regions", "blocs", "projection", "claims", "sources")
SECTION_TITLES = {
    "polarity": "Polarity over time",
    "distribution": "The distribution of power today",
    "regions": "Regional leaders",
    "blocs": "Alliance blocs",
    "projection": "A baseline projection",
    "claims": "Claims and verdicts",
    "sources": "Sources",
}
DEFAULT_MEASURES = ("cinc", "gdp", "gdp_wb", "milex", "milex_wb")


class ReportError(ValueError):
    """The report cannot be built as asked (unknown section or measure, bad years, unwritable file)."""


@dataclass
class Report:
    """What :func:`build_report` wrote: the file, its sections, its size and the time per section."""

    path: Path
    sections: tuple[str, ...]
    bytes: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    verdicts: pd.DataFrame | None = None


def default_ledger() -> Path:
    """The example ledger shipped with the package (``examples/claims.yaml`` in the repository)."""
    return Path(__file__).resolve().parent / "claims" / "example_ledger.yaml"


def build_report(
    out: str | os.PathLike = "report.html",
    years=None,
    measures: Sequence[str] = DEFAULT_MEASURES,
    sections: Iterable[str] = SECTIONS,
    ledger=None,
    among: str = "majors",
    rule: str = "leader:0.5",
    rules: Sequence[str] | None = None,
    projection_measure: str = "gdp_wb",
    horizon: int = 2050,
    paths: int = 20_000,
    seed: int = 1,
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
        Alliance layer (``"atop"`` or ``"alliance"``) and year of the blocs
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
    chosen = _sections(sections)
    first, last = _years(years)
    measures = _measures(measures)
    _check_rule(rule)
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ReportError(f"{out}: the report is an HTML file; give a name ending in .html.")
    ledger_obj = _ledger(ledger) if "claims" in chosen else None
    from worldorder._progress import progress_steps

    builder = _Builder(measures=measures, first=first, last=last, among=among, rule=rule, rules=rules, db=db, seed=seed)
    timings: dict[str, float] = {}
    steps = 1 + len(chosen) + 1
    context = progress_steps(steps, "Building the report") if progress else _silent()
    with context as advance:
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
                bodies[name] = builder.polarity_section()
            elif name == "distribution":
                bodies[name] = builder.distribution_section()
            elif name == "regions":
                bodies[name] = builder.regions_section(ledger_obj)
            elif name == "blocs":
                bodies[name] = builder.blocs_section(bloc_layer, bloc_year)
            elif name == "projection":
                bodies[name] = builder.projection_section(projection_measure, horizon, paths, seed)
            elif name == "claims":
                bodies[name] = builder.claims_section(ledger_obj)
            elif name == "sources":
                bodies[name] = ""  # written last, once every section has named its sources
            timings[name] = time.perf_counter() - tick
            advance(name)
        if "sources" in chosen:
            tick = time.perf_counter()
            bodies["sources"] = builder.sources_section()
            timings["sources"] += time.perf_counter() - tick
        document = builder.document(chosen, bodies, settings={
            "years": "all" if first is None and last is None else f"{first or ''}-{last or ''}",
            "measures": ", ".join(measures), "reference set": among, "pole rule": rule,
            "projection": f"{projection_measure} to {horizon}, {paths:,} paths, seed {seed}" if "projection" in chosen else "not included",
            "ledger": _ledger_text(ledger_obj) if "claims" in chosen else "not included",
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


# -- options ------------------------------------------------------------------------------------
def _sections(sections) -> tuple[str, ...]:
    names = [sections] if isinstance(sections, str) else list(sections)
    names = [n.strip() for name in names for n in str(name).split(",") if n.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise ReportError(f"Unknown section {', '.join(unknown)}; sections: {', '.join(SECTIONS)}.")
    if not names:
        raise ReportError(f"Choose at least one section: {', '.join(SECTIONS)}.")
    return tuple(n for n in SECTIONS if n in names)


def _years(years) -> tuple[int | None, int | None]:
    if years is None:
        return None, None
    if isinstance(years, str):
        from worldorder.claims.ledger import parse_years

        try:
            span = parse_years(years)
        except ValueError as error:
            raise ReportError(str(error)) from None
        return span.first, span.last
    first, last = years
    if first is not None and last is not None and first > last:
        raise ReportError(f"The first year {first} is after the last {last}.")
    return first, last


def _measures(measures) -> tuple[str, ...]:
    from worldorder.power import MEASURES

    keys = [measures] if isinstance(measures, str) else list(measures)
    keys = [k.strip() for key in keys for k in str(key).split(",") if k.strip()]
    bad = [k for k in keys if k not in MEASURES or k == "composite"]
    if bad:
        known = ", ".join(k for k in MEASURES if k != "composite")
        raise ReportError(f"Unknown measure {', '.join(bad)}; measures: {known}.")
    if not keys:
        raise ReportError("Choose at least one measure.")
    return tuple(dict.fromkeys(keys))


def _check_rule(rule: str) -> None:
    from worldorder.power import PowerError, pole_rule

    try:
        pole_rule(rule)
    except PowerError as error:
        raise ReportError(str(error)) from None


def _ledger_text(ledger) -> str:
    """Where the ledger came from: its path, or the example shipped with the package."""
    path = getattr(ledger, "file", None)
    if path is None:
        return "none"
    if Path(path).resolve() == default_ledger():
        return "the example ledger shipped with worldorder (examples/claims.yaml)"
    return str(path)


def _ledger(ledger):
    from worldorder.claims import Ledger, load_ledger

    if isinstance(ledger, Ledger):
        return ledger
    return load_ledger(default_ledger() if ledger is None else ledger)


# -- HTML helpers -----------------------------------------------------------------------------------
def esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _cell(value, fmt: str | None = None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return '<td class="na">–</td>'
    if fmt == "nowrap":
        return f'<td class="nowrap">{esc(value)}</td>'
    if fmt == "pct":
        return f'<td class="num">{float(value):.1%}</td>'
    if fmt == "int":
        return f'<td class="num">{int(value)}</td>'
    if fmt and fmt.startswith("."):
        return f'<td class="num">{float(value):{fmt}}</td>'
    if isinstance(value, (float, np.floating)):
        return f'<td class="num">{float(value):.3g}</td>'
    if isinstance(value, (int, np.integer)):
        return f'<td class="num">{int(value)}</td>'
    return f"<td>{esc(value)}</td>"


def table_html(frame: pd.DataFrame, columns: dict[str, tuple[str, str | None]], caption: str = "", css: str = "") -> str:
    """An HTML table of ``frame``: ``columns`` maps column -> (header, format: pct, int, .3f or None)."""
    head = "".join(f"<th>{esc(title)}</th>" for title, _ in columns.values())
    rows = []
    for record in frame.to_dict("records"):
        cells = "".join(_cell(record.get(col), fmt) for col, (_, fmt) in columns.items())
        rows.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<div class="table-wrap"><table class="data {css}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


_CSS = """
:root { --ink:#1f2328; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; --accent:#0072B2; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0; line-height: 1.5; }
header { background: var(--bg); border-bottom: 1px solid var(--line); padding: 1.5rem 2rem; }
header h1 { margin: 0 0 .3rem 0; font-size: 1.7rem; }
header p { margin: .2rem 0; color: var(--muted); }
nav ul { list-style: none; padding: 0; margin: .8rem 0 0 0; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; }
nav a { color: var(--accent); text-decoration: none; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 2rem 3rem 2rem; }
section.report-section { border-bottom: 1px solid var(--line); padding: 1rem 0 2rem 0; }
h2 { font-size: 1.4rem; margin-top: 1.5rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem 0; }
p.lead { color: var(--muted); }
.table-wrap { overflow-x: auto; margin: .6rem 0 1rem 0; }
table.data { border-collapse: collapse; font-size: .85rem; min-width: 50%; }
table.data caption { text-align: left; color: var(--muted); font-size: .8rem; padding: .3rem 0; caption-side: bottom; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
table.data th { background: var(--bg); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.na { color: #999; text-align: center; }
td.nowrap { white-space: nowrap; }
figure.chart { margin: .5rem 0 1.4rem 0; }
figure.chart figcaption { margin: 0 1rem; }
.chart { margin: .5rem 0 1.2rem 0; }
.caption { color: var(--muted); font-size: .8rem; }
.verdict { display: inline-block; padding: .05rem .5rem; border-radius: .8rem; font-size: .8rem; font-weight: 600; white-space: nowrap; }
.verdict.supported { background: #dff3e4; color: #1a7f37; }
.verdict.not-supported { background: #ffe2e0; color: #b42318; }
.verdict.depends { background: #fff4d6; color: #7d4e00; }
.verdict.untestable { background: #eaeef2; color: #57606a; }
details.claim { border: 1px solid var(--line); border-radius: .4rem; padding: .6rem 1rem; margin: .8rem 0; }
details.claim summary { cursor: pointer; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; font-size: .9rem; margin: .6rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
pre.bib { background: var(--bg); padding: .6rem; font-size: .75rem; white-space: pre-wrap; }
img.network { max-width: 100%; height: auto; border: 1px solid var(--line); }
footer { color: var(--muted); font-size: .8rem; padding: 1rem 2rem; }
"""

_VERDICT_CSS = {
    "supported": "supported",
    "not supported": "not-supported",
    "depends on the measure": "depends",
    "not testable with these data": "untestable",
}


def verdict_badge(verdict: str) -> str:
    return f'<span class="verdict {_VERDICT_CSS.get(verdict, "untestable")}">{esc(verdict)}</span>'


# -- the builder ---------------------------------------------------------------------------------------
class _Builder:
    """Holds the data shared by the sections and turns each section into HTML."""

    def __init__(self, measures, first, last, among, rule, rules, db, seed):
        self.measures = measures
        self.first, self.last = first, last
        self.among, self.rule = among, rule
        self.rules = rules
        self.db = db
        self.seed = seed
        self.sources: list[str] = []
        self.charts = 0
        self.verdicts: pd.DataFrame | None = None
        self.frame: pd.DataFrame | None = None
        self.data = None

    # data
    def load(self, extra_measures) -> None:
        from worldorder.claims.quantities import Data
        from worldorder.power import create_power_years

        keys = list(dict.fromkeys([*self.measures, *extra_measures]))
        self.frame = create_power_years(keys, db=self.db)
        self.data = Data(db=self.db, power=self.frame)
        self._source("cow_system_2024", "cow_majors_2024")

    def column(self, key: str) -> str:
        from worldorder.power import MEASURES

        return MEASURES[key].column

    def info(self, key: str) -> dict:
        """Label, unit and sources of a measure (recorded by the power layer in ``attrs["measures"]``)."""
        return self.data.measure_info(key)

    def history(self) -> pd.DataFrame:
        """The power table restricted to the chosen years (its measure records kept)."""
        import copy

        if self.first is None and self.last is None:
            return self.frame
        years = self.frame["year"]
        keep = np.ones(len(self.frame), dtype=bool)
        if self.first is not None:
            keep &= (years >= self.first).to_numpy()
        if self.last is not None:
            keep &= (years <= self.last).to_numpy()
        out = self.frame[keep]
        out.attrs = copy.deepcopy(self.frame.attrs)
        return out

    def _source(self, *names) -> None:
        for name in names:
            if name and name not in self.sources:
                self.sources.append(name)

    def chart_html(self, chart) -> str:
        """A Chart from :mod:`worldorder.charts` as an inline Plotly div (plotly.js is in the page head), its caption below."""
        from dataclasses import replace

        from worldorder.charts import to_plotly

        self.charts += 1
        figure = to_plotly(replace(chart, caption=""))
        bars = [s for s in chart.series if s.kind == "bar"]
        if chart.horizontal and bars:
            rows = len(bars[0].x)
            height = 150 + rows * max(26, 9 * len(bars))
            figure.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0}, margin={"t": 100, "b": 60})
        else:
            height = 440
            figure.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0}, margin={"t": 60, "b": 100})
        figure.update_layout(height=height)
        div = figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{self.charts}",
                             config={"displaylogo": False, "responsive": True})
        caption = f'<figcaption class="caption">{esc(chart.caption)}</figcaption>' if chart.caption else ""
        return f'<figure class="chart">{div}{caption}</figure>'

    def caption(self, key: str, among: str = "", rule: str = "", note: str = "") -> str:
        from worldorder.charts import caption

        info = self.info(key)
        self._source(*info.get("sources", ()))
        measure = info["label"] + (f"; unit: {info['unit']}" if info.get("unit") else "")
        return caption(measure=measure, rule=rule, sources=info.get("sources", ()), among=among, note=note)

    # sections ----------------------------------------------------------------------------------------
    def polarity_section(self) -> str:
        from worldorder.charts import Chart, Series, Span, label_spans
        from worldorder.power import describe_among, eras, polarity, polarity_robustness, pole_rule
        from worldorder.power.polarity import DEFAULT_RULES

        frame = self.history()
        key = self.measures[0]
        column = self.column(key)
        the_rule = pole_rule(self.rule)
        table = polarity(frame, column, among=self.among, rule=the_rule)
        table = table[table["n"] > 0].reset_index(drop=True)
        among_text = describe_among(self.among)
        parts = [f'<p class="lead">How concentrated power is among {esc(among_text)}, year by year, by '
                 f'{esc(self.info(key)["label"])}, and the polarity label under the rule "{esc(str(the_rule))}". '
                 "The label counts poles: one is unipolar, two bipolar, three or more multipolar.</p>"]
        x = table["year"].tolist()
        chart = Chart(
            title=f"Concentration of power ({key}, {among_text})",
            series=[Series("CON", x, table["con"].tolist()), Series("top-1 share", x, table["top1_share"].tolist()),
                    Series("top-1 minus top-2", x, table["top_gap"].tolist())],
            caption=self.caption(key, among=among_text, rule=str(the_rule), note="shading: polarity label of each year"),
            xlabel="year", ylabel="index (0-1)", spans=label_spans(x, table["polarity"].tolist()),
        )
        parts.append(self.chart_html(chart))
        # eras
        era_table = eras(table, columns=("con",))
        step_x, step_y = [], []
        for row in era_table.itertuples(index=False):
            step_x += [row.start - 0.5, row.end + 0.5, float("nan")]
            step_y += [row.mean_con, row.mean_con, float("nan")]
        chart = Chart(
            title=f"Eras of power concentration ({key}, {among_text})",
            series=[Series("CON", x, table["con"].tolist()), Series("era mean of CON", step_x, step_y, dash=True)],
            caption=self.caption(key, among=among_text, note=f"eras: change points in CON by {era_table.attrs.get('method', 'pelt')} "
                                 f"({era_table.attrs.get('model', 'l2')} cost) with ruptures"),
            xlabel="year", ylabel="CON", spans=[Span(r.start - 0.5, r.end + 0.5, f"{r.start}-{r.end}") for r in era_table.itertuples(index=False)],
        )
        parts.append("<h3>Eras</h3>")
        parts.append(self.chart_html(chart))
        columns = {"era": ("era", "int"), "start": ("from", "int"), "end": ("to", "int"), "years": ("years", "int"),
                   "mean_con": ("mean CON", ".3f"), "mean_effective_poles": ("mean effective poles", ".2f"),
                   "mean_top1_share": ("mean top-1 share", "pct"), "polarity": ("most frequent label", None),
                   "polarity_share": ("share of years", "pct"), "leader": ("most frequent leader", None)}
        parts.append(table_html(era_table, {k: v for k, v in columns.items() if k in era_table.columns},
                                caption="Eras found by change-point detection in CON (worldorder.power.eras)."))
        # CON by every measure
        lines = []
        for other in self.measures:
            part = polarity(frame, self.column(other), among=self.among, rule=the_rule)
            part = part[part["n"] > 0]
            lines.append(Series(other, part["year"].tolist(), part["con"].tolist()))
            self._source(*self.info(other).get("sources", ()))
        chart = Chart(title=f"Concentration of power by measure ({among_text})", series=lines,
                      caption=_caption_text(f"CON of each measure among {among_text}", self.measures, self),
                      xlabel="year", ylabel="CON")
        parts.append("<h3>By measure</h3>")
        parts.append(self.chart_html(chart))
        # robustness
        rules = list(self.rules or DEFAULT_RULES)
        columns = [self.column(k) for k in self.measures]
        robust = polarity_robustness(frame, columns, among=self.among, rules=rules)
        rules_text = "; ".join(f"{name}: {text}" for name, text in robust.attrs["rules"].items())
        chart = Chart(
            title=f"Agreement of polarity labels across {len(columns)} measures and {len(rules)} rules",
            series=[Series("agreement", robust["year"].tolist(), robust["agreement"].tolist())],
            caption=_caption_text(f"share of measure-rule combinations giving the most frequent label (shading); rules: {rules_text}",
                                  self.measures, self),
            xlabel="year", ylabel="share agreeing", ylim=(0, 1.05),
            spans=label_spans(robust["year"].tolist(), robust["modal"].tolist()),
        )
        parts.append("<h3>How sure the label is</h3>")
        parts.append('<p class="lead">The label depends on the measure and the pole rule. The line shows the share of '
                     "measure-rule combinations that give the most frequent label of each year; the shading shows that label.</p>")
        parts.append(self.chart_html(chart))
        return "\n".join(parts)

    def distribution_section(self) -> str:
        from worldorder.charts import Chart, Series
        from worldorder.power import polarity, pole_rule, shares

        frame = self.history()
        the_rule = pole_rule(self.rule)
        summary, tops = [], {}
        for key in self.measures:
            column = self.column(key)
            with_values = frame[frame[column].notna()]
            if with_values.empty:
                continue
            year = int(with_values["year"].max())
            table = shares(frame[frame["year"] == year], column, among="all")
            table = table[table["share"].notna()].sort_values("share", ascending=False)
            tops[key] = (year, table)
            yearly = polarity(frame[frame["year"] == year], column, among="all", rule=the_rule)
            row = yearly.iloc[0]
            summary.append({"measure": key, "label": self.info(key)["label"], "year": year, "n": int(row["n"]),
                            "leader": row["leader"], "top1": row["top1_share"], "second": row["second"],
                            "top2": row["top2_share"], "con": row["con"], "enp": row["effective_poles"],
                            "poles": row["poles"], "polarity": row["polarity"]})
            self._source(*self.info(key).get("sources", ()))
        if not tops:
            return '<p class="lead">No measure has values in the chosen years.</p>'
        first_key = next(iter(tops))
        order = list(tops[first_key][1]["stateabb"].head(10))
        for key, (_, table) in tops.items():
            for abb in table["stateabb"].head(5):
                if abb not in order:
                    order.append(abb)
        series = []
        for key, (year, table) in tops.items():
            lookup = dict(zip(table["stateabb"], table["share"]))
            series.append(Series(f"{key} ({year})", order, [lookup.get(a, np.nan) for a in order], kind="bar"))
        chart = Chart(title="Shares of the largest states by each measure, latest year with data", series=series,
                      caption=_caption_text("share of all states with a value in the measure's latest year", list(tops), self),
                      xlabel="state", ylabel="share of the system total", horizontal=True)
        parts = ['<p class="lead">Each measure\'s latest year with data: the shares of the largest states, how concentrated '
                 f'power is, and the poles under the rule "{esc(str(the_rule))}" (all states as the reference set).</p>',
                 self.chart_html(chart)]
        parts.append(table_html(pd.DataFrame(summary), {
            "measure": ("measure", None), "year": ("year", "int"), "n": ("states", "int"), "leader": ("largest", None),
            "top1": ("its share", "pct"), "second": ("second", None), "top2": ("its share", "pct"), "con": ("CON", ".3f"),
            "enp": ("effective poles", ".2f"), "poles": ("poles", None), "polarity": ("label", None)},
            caption="CON: Ray-Singer-Stuckey concentration (0 equal shares, 1 one holder); effective poles: 1/HHI."))
        return "\n".join(parts)

    def regions_section(self, ledger) -> str:
        from worldorder.charts import Chart, Series
        from worldorder.power import regional_leaders

        frame = self.history()
        columns = [self.column(k) for k in self.measures]
        tables = [("COW regions (Oceania apart)", regional_leaders(frame, columns, regions="cow6", year=None, db=self.db))]
        if ledger is not None and ledger.regions:
            from worldorder.claims.quantities import resolve

            resolved = resolve(ledger, self.data)
            tables.append((f"regions of the claims ledger ({Path(ledger.file).name})",
                           regional_leaders(frame, columns, regions=resolved.regions, year=None, db=self.db)))
        parts = ['<p class="lead">The state with the largest share of each region\'s total, by each measure, in the measure\'s '
                 'latest year with data; "since" is the first year of its current unbroken spell at the top of the region.</p>']
        for title, table in tables:
            if table.empty:
                continue
            parts.append(f"<h3>{esc(title[0].upper() + title[1:])}</h3>")
            key = table["measure"].iloc[0]
            first = table[table["measure"] == key]
            chart = Chart(title=f"Leader's share of each region ({key})",
                          series=[Series(key, first["region"].tolist(), first["share"].tolist(), kind="bar",
                                         text=[f"{a} since {s}" for a, s in zip(first["leader"], first["since"])])],
                          caption=_caption_text(f"leader's share of the region's total; {title}", [self._key_of(key)], self),
                          xlabel="region", ylabel="share of the region", horizontal=True)
            parts.append(self.chart_html(chart))
            cells = table.assign(cell=[f"{a} {s:.0%} (since {y}); 2nd {b or '-'} {t:.0%}" if isinstance(a, str) else ""
                                       for a, s, y, b, t in zip(table["leader"], table["share"], table["since"], table["second"],
                                                                table["second_share"].fillna(0))])
            wide = cells.pivot(index="region", columns="measure", values="cell").reindex(index=list(dict.fromkeys(table["region"])))
            years = table.groupby("measure")["year"].max()
            wide = wide[[m for m in dict.fromkeys(table["measure"])]].reset_index()
            parts.append(table_html(wide, {"region": ("region", None), **{m: (f"{m} ({int(years[m])})", None) for m in wide.columns[1:]}},
                                    caption="Leader, its share of the region, the first year of its current spell, and the second state."))
        self._source("countrycode_codelist")
        return "\n".join(parts)

    def _key_of(self, key_or_column: str) -> str:
        from worldorder.power import MEASURES

        for key, spec in MEASURES.items():
            if key_or_column in (key, spec.column):
                return key
        return key_or_column

    def blocs_section(self, layer_name: str, year: int | None) -> str:
        from worldorder.charts import Chart, Series
        from worldorder.networks import bloc_power, consensus_blocs, draw_network, load_layer
        from worldorder.networks.blocs import bloc_polarity, blocs

        layer = load_layer(layer_name, db=self.db)
        years = layer.years
        if self.first is not None or self.last is not None:
            years = [y for y in years if (self.first is None or y >= self.first) and (self.last is None or y <= self.last)]
        if not years:
            return f'<p class="lead">The {esc(layer_name)} layer has no years in the chosen span.</p>'
        year = year if year is not None else max(years)
        if year not in layer:
            raise ReportError(f"The {layer_name} layer has no year {year}; its years are {min(layer.years)}-{max(layer.years)}.")
        self._source(layer.source)
        graph = layer[year]
        consensus = consensus_blocs(graph, runs=20, seed=self.seed)
        power_key = "cinc" if "cinc" in self.measures else self.measures[0]
        power = self.frame[["ccode", "year", self.column(power_key)]]
        self._source(*self.info(power_key).get("sources", ()))
        shares = bloc_power(consensus.blocs.assign(year=year), power[power["year"] == year], value=self.column(power_key))
        shares = shares[shares["size"] >= 2].sort_values("size", ascending=False)
        shares["members_short"] = [" ".join(m.split()[:18]) + (" ..." if len(m.split()) > 18 else "") for m in shares["members"]]
        parts = [f'<p class="lead">Blocs of the {esc(layer_name.upper() if layer_name == "atop" else layer_name)} alliance layer in {year}: '
                 f"communities found by the Leiden algorithm, agreed over {consensus.runs} seeded runs (stability {consensus.stability:.2f}, "
                 f"share of runs equal to the consensus {consensus.agreement:.2f}). Each bloc's share of power is by "
                 f"{esc(self.info(power_key)['label'])}.</p>"]
        parts.append(table_html(shares, {"bloc": ("bloc", "int"), "size": ("states", "int"), "power_share": (f"share of {power_key}", "pct"),
                                         "members_short": ("members (strongest first)", None)},
                                caption=f"Consensus Leiden blocs, seed {self.seed}; states without allies are left out."))
        try:
            import matplotlib.pyplot as plt

            figure = draw_network(graph, blocs=consensus.blocs, size=power[power["year"] == year][["ccode", self.column(power_key)]],
                                  seed=self.seed, title=f"{layer_name} alliances, {year}: blocs coloured, states sized by {power_key}")
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
            plt.close(figure)
            encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
            parts.append(f'<img class="network" alt="Network drawing of the {esc(layer_name)} layer in {year}" '
                         f'src="data:image/png;base64,{encoded}">')
        except Exception as error:  # noqa: BLE001 - a drawing failure should not lose the report
            parts.append(f'<p class="caption">The network drawing could not be made: {esc(error)}</p>')
        # blocs over time
        chosen = {y: layer[y] for y in years}
        history = bloc_polarity(blocs(chosen, seed=self.seed))
        chart = Chart(title=f"Number of alliance blocs over time ({layer_name})",
                      series=[Series("effective number of blocs (by members)", history["year"].tolist(), history["effective_blocs"].tolist()),
                              Series("blocs of two or more states", history["year"].tolist(), history["blocs"].tolist())],
                      caption=f"Leiden blocs of each year (seed {self.seed}); effective number = 1 / sum of squared shares of states. "
                              f"Sources: {_source_names([layer.source])}.",
                      xlabel="year", ylabel="blocs")
        parts.append(self.chart_html(chart))
        return "\n".join(parts)

    def projection_section(self, key: str, horizon: int, paths: int, seed: int) -> str:
        from worldorder.charts import Chart, Series
        from worldorder.sim import project

        column = self.column(key)
        power = self.frame[["ccode", "year", column]]
        result = project(power, horizon=horizon, paths=paths, seed=seed, rule=self.rule, progress=False, value=column)
        settings = result.settings
        self._source(*self.info(key).get("sources", ()))
        names = dict(zip(self.frame["ccode"], self.frame["stateabb"]))
        q = [c for c in result.polarity.columns if c.startswith("q")]
        low, high = q[0], q[-1]
        median = "q50" if "q50" in q else q[len(q) // 2]
        note = (f"{paths:,} paths from {settings['base_year']} to {horizon}, seed {seed}; growth calibrated on "
                f"{settings['window'][0]}-{settings['window'][1]}, correlation {settings['correlation']}; band {low}-{high}")
        cap = self.caption(key, rule=settings["rule"], note=note)
        parts = [f'<p class="lead">A baseline projection: each state\'s {esc(self.info(key)["label"])} grows as it did in '
                 f"{settings['window'][0]}-{settings['window'][1]} (means shrunk toward the group, correlated across regions), "
                 "with no shocks. The bands show the spread of the simulated paths, not a forecast of events.</p>"]
        for index, title, ylabel in (("enp", "Effective number of poles", "1 / HHI"), ("con", "Concentration of power (CON)", "CON")):
            rows = result.polarity[result.polarity["index"] == index]
            chart = Chart(title=f"{title}: baseline projection ({key})",
                          series=[Series(f"{low}-{high}", rows["year"].tolist(), rows[low].tolist(), kind="band", y2=rows[high].tolist()),
                                  Series("median", rows["year"].tolist(), rows[median].tolist())],
                          caption=cap, xlabel="year", ylabel=ylabel)
            parts.append(self.chart_html(chart))
        labels = result.labels
        chart = Chart(title=f"Probability of each polarity label ({settings['rule']})",
                      series=[Series(n, labels["year"].tolist(), labels[n].tolist()) for n in ("unipolar", "bipolar", "multipolar", "nonpolar") if labels[n].any()],
                      caption=cap, xlabel="year", ylabel="probability", ylim=(0, 1.02))
        parts.append(self.chart_html(chart))
        if result.states is not None:
            states = result.states
            base = states[states["year"] == states["year"].min()].nlargest(5, "mean")["ccode"].tolist()
            series = []
            for code in base:
                rows = states[states["ccode"] == code]
                series.append(Series(names.get(int(code), str(code)), rows["year"].tolist(), rows[median].tolist()))
            chart = Chart(title="Median projected shares of the five largest states", series=series, caption=cap, xlabel="year", ylabel="share")
            parts.append(self.chart_html(chart))
        transition = result.transition
        leader, challenger = int(transition["leader"].iloc[0]), int(transition["challenger"].iloc[0])
        shown = transition[transition["year"].isin(sorted({int(transition["year"].min()), *range(2030, horizon + 1, 10), horizon}))]
        enp = result.polarity[result.polarity["index"] == "enp"].set_index("year")
        rows = []
        for record in shown.itertuples(index=False):
            rows.append({"year": record.year, "enp": enp.loc[record.year, median], "unipolar": labels.set_index("year").loc[record.year, "unipolar"],
                         "bipolar": labels.set_index("year").loc[record.year, "bipolar"],
                         "multipolar": labels.set_index("year").loc[record.year, "multipolar"], "overtaken": record.p_overtaken})
        parts.append(table_html(pd.DataFrame(rows), {"year": ("year", "int"), "enp": ("median effective poles", ".2f"),
                                                     "unipolar": ("P(unipolar)", "pct"), "bipolar": ("P(bipolar)", "pct"),
                                                     "multipolar": ("P(multipolar)", "pct"),
                                                     "overtaken": (f"P({names.get(challenger, challenger)} ahead of {names.get(leader, leader)} in some year so far)", "pct")},
                                caption=note))
        return "\n".join(parts)

    def claims_section(self, ledger) -> str:
        from worldorder.claims import check_ledger, verdict_table

        results = check_ledger(ledger, data=self.data)
        self.verdicts = verdict_table(results)
        for r in results:
            self._source(*r.sources)
        parts = [f'<p class="lead">Each claim of the ledger {esc(Path(ledger.file).name)} is tested on every measure, reference set '
                 'and pole rule it lists. The verdict follows the rule stated with it; the evidence shows in which cases the '
                 "claim holds and in which it does not. The verdicts describe these data and measures, not the merits of any position.</p>"]
        rows = "".join(
            f"<tr><td><a href=\"#claim-{esc(r.claim.id)}\">{esc(r.claim.id)}</a></td><td>{esc(r.claim.claim)}</td>"
            f"<td>{verdict_badge(r.verdict)}</td><td class=\"num\">{r.holding}/{r.tested}</td></tr>"
            for r in results
        )
        parts.append('<div class="table-wrap"><table class="data verdicts"><thead><tr><th>id</th><th>claim</th><th>verdict</th>'
                     f"<th>cases holding / with data</th></tr></thead><tbody>{rows}</tbody></table></div>")
        for r in results:
            evidence = r.evidence
            facts = [("Claim", r.claim.claim), ("Made by", r.claim.made_by), ("Test", r.test), ("Rule", r.rule),
                     ("Result", r.summary + (f"; {r.breakdown}" if r.breakdown else ""))]
            facts += [(f"Reference set {k}", v) for k, v in r.reference_sets.items()]
            if r.notes:
                facts.append(("Notes", "; ".join(r.notes)))
            facts.append(("Sources", _source_names(r.sources)))
            dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
            parts.append(
                f'<details class="claim" id="claim-{esc(r.claim.id)}" open><summary>{esc(r.claim.id)} {verdict_badge(r.verdict)}</summary>'
                f'<dl class="facts">{dl}</dl>'
                + table_html(evidence, {"case": ("case", "nowrap"), "years": ("years", "nowrap"), "finding": ("finding", None), "holds": ("holds", None)})
                + self.chart_html(r.chart())
                + "</details>"
            )
        return "\n".join(parts)

    def sources_section(self) -> str:
        from worldorder.data.registry import UnknownDatasetError, cite, get_dataset

        rows, bibs = [], []
        for name in self.sources:
            try:
                d = get_dataset(name)
            except UnknownDatasetError:
                continue
            link = d.url or d.homepage
            anchor = f'<a href="{esc(link)}">{esc(link)}</a>' if link else ""
            rows.append(f"<tr><td><code>{esc(name)}</code></td><td>{esc(d.publisher)}</td><td>{esc(d.title)}</td><td>{esc(d.version)}</td>"
                        f"<td>{esc(d.coverage)}</td><td>{esc(d.licence)}</td><td>{anchor}</td></tr>")
            bibs.append(f"<h3 id=\"cite-{esc(name)}\">{esc(name)}</h3><pre class=\"bib\">{esc(cite(name))}</pre>")
        return ('<p class="lead">The data sets this report used, as registered by worldorder (version, coverage, licence), '
                "and their citations. `worldorder data cite NAME` prints a citation.</p>"
                '<div class="table-wrap"><table class="data sources"><thead><tr><th>name</th><th>publisher</th><th>title</th>'
                f"<th>version</th><th>coverage</th><th>licence</th><th>address</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
                "<h3>Citations</h3>" + "".join(bibs))

    def document(self, chosen, bodies, settings: dict) -> str:
        import plotly
        from plotly.offline import get_plotlyjs

        from worldorder import __version__

        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        nav = "".join(f'<li><a href="#{name}">{esc(SECTION_TITLES[name])}</a></li>' for name in chosen)
        sections = "\n".join(
            f'<section id="{name}" class="report-section" data-section="{name}"><h2>{esc(SECTION_TITLES[name])}</h2>\n{bodies[name]}\n</section>'
            for name in chosen
        )
        facts = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in settings.items())
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"worldorder {esc(__version__)}\">\n"
            "<title>The international system in data: a worldorder report</title>\n"
            f"<style>{_CSS}</style>\n"
            f"<script type=\"text/javascript\">/* plotly.js {esc(plotly.__version__)} (bundled with the plotly package) */\n{get_plotlyjs()}</script>\n"
            "</head>\n<body>\n<header>\n<h1>The international system in data</h1>\n"
            f"<p>A worldorder report, generated {stamp} by worldorder {esc(__version__)}. Every figure comes from the data sets listed "
            "under Sources; every chart states its measure, rule and sources.</p>\n"
            f"<dl class=\"facts\">{facts}</dl>\n<nav><ul>{nav}</ul></nav>\n</header>\n<main>\n{sections}\n</main>\n"
            "<footer>Made with worldorder. The report opens without a network: charts and plotly.js are inside this file.</footer>\n"
            "</body>\n</html>\n"
        )


def _source_names(names) -> str:
    from worldorder.charts import source_text

    return source_text(list(names))


def _caption_text(note: str, keys, builder: _Builder) -> str:
    from worldorder.charts import caption

    labels, sources = [], []
    for key in keys:
        info = builder.info(builder._key_of(key))
        labels.append(f"{key}: {info['label']}")
        sources.extend(info.get("sources", ()))
        builder._source(*info.get("sources", ()))
    return caption(measure="; ".join(labels), sources=list(dict.fromkeys(sources)), note=note)
