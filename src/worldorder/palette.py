"""The colours of worldorder: one for each polarity label, one for each power measure, one series palette.

The report, the web app (``/palette.js``) and the CLI's charts all read them
here, so that a colour means the same thing everywhere: the labels have hues
of their own (Paul Tol's *muted* scheme) that no measure or series uses, and
measures keep their colour from chart to chart (Okabe-Ito hues, a lighter or
darker shade for a variant of the same quantity).

References
----------
Okabe, M. & Ito, K. 2008. Color universal design (CUD): how to make figures and
presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
Tol, P. 2021. Colour schemes. SRON technical note SRON/EPS/TN/09-002, issue 3.2.
"""

from __future__ import annotations

import json

#: A colour-blind-safe qualitative palette for series that are neither labels nor measures (Okabe & Ito 2008).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C510A")

#: The polarity labels: hues that no measure or series uses (Tol's muted wine, indigo and olive).
LABEL_COLOURS = {"unipolar": "#882255", "bipolar": "#332288", "multipolar": "#999933", "nonpolar": "#AAAAAA"}

#: Each power measure's colour; a variant of a quantity (another source) is a shade of the same hue.
MEASURE_COLOURS = {
    "cinc": "#0072B2", "cinc_recomputed": "#56B4E9",
    "gdp": "#D55E00", "gdp_wb": "#E69F00", "gdp_ppp": "#A04000", "gdp_fariss": "#F4A582",
    "milex": "#009E73", "milex_wb": "#66C2A5", "milper": "#00614A",
    "population": "#CC79A7", "population_wb": "#E7A1C9", "population_maddison": "#9E4A7E", "population_fariss": "#F1C6E0",
    "net_power": "#000000", "net_power_wb": "#666666",
    "irst": "#8C510A", "pec": "#BF812D", "upop": "#35978F",
    "composite": "#444444",
}

#: Grey of things without a colour of their own (states alone, missing data).
GREY = "#BBBBBB"


def label_colour(label) -> str:
    """The colour of a polarity label (grey for anything else)."""
    return LABEL_COLOURS.get(str(label), GREY)


def measure_colour(key: str, column: str | None = None) -> str:
    """The colour of a power measure, by its key (or its column); a measure not listed gets a series colour.

    A measure added to the catalog without a colour here keeps one stable
    colour: the palette entry chosen by its name.
    """
    for name in (key, column):
        if name in MEASURE_COLOURS:
            return MEASURE_COLOURS[name]
    from worldorder.power import MEASURES

    for name, spec in MEASURES.items():
        if spec.column in (key, column) and name in MEASURE_COLOURS:
            return MEASURE_COLOURS[name]
    return PALETTE[sum(map(ord, str(key))) % len(PALETTE)]


def series_colour(index: int) -> str:
    """The ``index``-th colour of the series palette (cycling)."""
    return PALETTE[index % len(PALETTE)]


def as_javascript() -> str:
    """The palette as a script for the web pages: ``const WO_COLOURS = {...}``."""
    data = {"labels": LABEL_COLOURS, "measures": MEASURE_COLOURS, "palette": list(PALETTE), "grey": GREY}
    return f"/* worldorder.palette: the colours of labels, measures and series */\nconst WO_COLOURS = {json.dumps(data)};\n"
