"""HTML helpers of the report: escaping, tables, verdict badges, the style sheet and the page around the sections."""

from __future__ import annotations

import html
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from worldorder.report.options import SECTION_TITLES


def esc(text) -> str:
    """``text`` escaped for HTML (None as empty)."""
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
header { background: var(--bg); border-bottom: 1px solid var(--line); padding: 1rem 2rem .6rem 2rem; }
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
details.claim { border: 1px solid var(--line); border-radius: .4rem; }
details.claim summary { cursor: pointer; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; font-size: .9rem; margin: .6rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
pre.bib { background: var(--bg); padding: .6rem; font-size: .75rem; white-space: pre-wrap; }
img.network { max-width: 100%; height: auto; border: 1px solid var(--line); }
footer { color: var(--muted); font-size: .8rem; padding: 1rem 2rem; }
details.more { border: 1px solid var(--line); border-radius: .4rem; padding: .4rem .9rem; margin: .7rem 0; background: #fff; }
details.more > summary { cursor: pointer; color: var(--accent); font-weight: 600; }
details.settings { margin-top: 2rem; }
ul.findings { list-style: none; padding: 0; margin: .4rem 0; display: grid; gap: .35rem; font-size: .93rem; line-height: 1.4; }
ul.findings li { border-left: 4px solid var(--accent); background: var(--bg); padding: .3rem .8rem; }
details.claim { padding: .25rem .8rem; margin: .3rem 0; }
details.claim > summary { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-weight: 500; }
details.claim[open] > summary { white-space: normal; }
ul.findings li b.label { padding: 0 .35rem; border-radius: .25rem; color: #fff; }
ul.findings a.more-link { font-size: .85rem; white-space: nowrap; margin-left: .4rem; }
"""

_VERDICT_CSS = {
    "supported": "supported",
    "not supported": "not-supported",
    "depends on the measure": "depends",
    "not testable with these data": "untestable",
}


def details(summary: str, body: str, css: str = "more") -> str:
    """``body`` folded under a one-line ``summary`` (closed until the reader opens it)."""
    return f'<details class="{css}"><summary>{esc(summary)}</summary>\n{body}\n</details>'


def label_badge(label) -> str:
    """A polarity label in its colour (:mod:`worldorder.palette`)."""
    from worldorder import label_colour

    return f'<b class="label" style="background:{label_colour(label)}">{esc(label)}</b>'


def verdict_badge(verdict: str) -> str:
    """A coloured badge for a ledger verdict."""
    return f'<span class="verdict {_VERDICT_CSS.get(verdict, "untestable")}">{esc(verdict)}</span>'


def document(chosen, bodies, settings: dict) -> str:
    """The whole HTML file: head with the style and plotly.js, the navigation, the sections, the settings at the end."""
    import plotly
    from plotly.offline import get_plotlyjs

    from worldorder import VERSION
    from worldorder import geo_assets_script

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
        f"<meta name=\"generator\" content=\"worldorder {esc(VERSION)}\">\n"
        "<title>The international system in data: a worldorder report</title>\n"
        f"<style>{_CSS}</style>\n"
        f"<script type=\"text/javascript\">/* plotly.js {esc(plotly.__version__)} (bundled with the plotly package) */\n{get_plotlyjs()}</script>\n"
        f"<script type=\"text/javascript\">/* world shapes for the maps: Natural Earth 1:110m, shipped with worldorder */\n{geo_assets_script()}</script>\n"
        "</head>\n<body>\n<header>\n<h1>The international system in data</h1>\n"
        f"<p>A worldorder report, generated {stamp} by worldorder {esc(VERSION)}. It opens with its findings; each links to "
        "the section with the charts and tables behind it. Every chart states its measure, rule and sources.</p>\n"
        f"<nav><ul>{nav}</ul></nav>\n</header>\n<main>\n{sections}\n"
        f"<details class=\"more settings\"><summary>How this report was made (settings)</summary><dl class=\"facts\">{facts}</dl></details>\n"
        "</main>\n"
        "<footer>Made with worldorder. The report opens without a network: charts and plotly.js are inside this file.</footer>\n"
        f"<script>{_RESIZE}</script>\n"
        "</body>\n</html>\n"
    )


# Charts inside a closed <details> are drawn at a default width: redraw them at their width when opened.
_RESIZE = (
    "document.querySelectorAll('details').forEach(function (d) { d.addEventListener('toggle', function () {"
    " if (d.open) { d.querySelectorAll('.js-plotly-plot').forEach(function (p) { Plotly.Plots.resize(p); }); } }); });"
)
