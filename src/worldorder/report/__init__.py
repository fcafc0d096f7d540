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

from worldorder import exports

_PUBLIC = {
    "worldorder.report.build": ["Report", "build_report"],
    "worldorder.report.html": ["esc", "table_html", "verdict_badge"],
    "worldorder.report.options": ["DEFAULT_MEASURES", "SECTIONS", "SECTION_TITLES", "ReportError", "default_ledger"],
}
__all__, __getattr__, __dir__ = exports(__name__, _PUBLIC, globals())
