"""Charts for every command: one description, two renderers.

A :class:`Chart` describes what to draw (line, bar or horizontal-bar series,
shaded spans, reference lines) and carries a caption that states the measure,
the rule and the sources.  :func:`save_chart` writes it by the file's suffix:

- ``.html``: an interactive Plotly figure (self-contained by default, so it
  opens offline; ``plotlyjs="cdn"`` makes a small file that loads Plotly from
  the web);
- ``.png`` / ``.svg`` / ``.pdf``: a static figure drawn with matplotlib (Agg).
  Plotly's own static export needs kaleido and a Chrome, which this project
  does not require.

Plotly and matplotlib are imported only when a chart is drawn.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CHART_SUFFIXES = (".html", ".png", ".svg", ".pdf")

from worldorder.errors import WorldOrderError
from worldorder.palette import LABEL_COLOURS, PALETTE


class ChartError(WorldOrderError, ValueError):
    """A chart cannot be drawn as asked (unknown file type, no data)."""


@dataclass
class Series:
    """One series: ``x`` and ``y`` values (NaN breaks a line), a name and a kind.

    ``kind`` is ``"line"``, ``"step"``, ``"markers"``, ``"bar"`` or ``"band"``
    (a shaded interval between ``y`` and ``y2``); ``text`` labels the points
    (shown on bars and in hover boxes); ``colour`` fixes the colour (a
    measure's or a label's from :mod:`worldorder.palette`), otherwise the
    series palette gives one in order.
    """

    name: str
    x: Sequence
    y: Sequence
    kind: str = "line"
    text: Sequence | None = None
    dash: bool = False
    markers: bool = False
    y2: Sequence | None = None
    colour: str | None = None


@dataclass
class Span:
    """A shaded interval of the x axis (``axis="x"``), e.g. an era, or of the y axis (a parity window).

    Spans with a ``group`` (such as a polarity label) are coloured by group and
    explained once in the legend instead of labelled one by one.
    """

    start: float
    end: float
    label: str = ""
    axis: str = "x"
    group: str = ""


def _group_colour(group: str, groups: list[str]) -> str:
    if group in LABEL_COLOURS:
        return LABEL_COLOURS[group]
    return PALETTE[(groups.index(group) + 3) % len(PALETTE)]


@dataclass
class Chart:
    """What to draw.

    Attributes
    ----------
    title, xlabel, ylabel
        Texts of the chart.
    series
        The data series.
    caption
        The caption under the chart: measure, rule, sources.
    horizontal
        Draw bars horizontally (categories on the y axis, first on top).
    spans
        Shaded intervals.
    hlines
        Reference lines at these values of the value axis (horizontal lines;
        vertical ones when the bars are horizontal).
    ylim
        Optional (low, high) of the y axis.
    """

    title: str
    series: list[Series]
    caption: str = ""
    xlabel: str = ""
    ylabel: str = ""
    horizontal: bool = False
    spans: list[Span] = field(default_factory=list)
    hlines: list[float] = field(default_factory=list)
    ylim: tuple[float, float] | None = None


# -- captions -------------------------------------------------------------------------------------
def source_text(datasets: Iterable[str]) -> str:
    """'Publisher, Title version, data to LAST' for each registered data set name (the name itself otherwise)."""
    from worldorder.vintages import vintage_text

    return vintage_text(datasets)


def caption(measure: str = "", rule: str = "", sources: Iterable[str] | str = (), among: str = "", note: str = "") -> str:
    """A chart caption: 'Measure: ... Reference set: ... Rule: ... Sources: ...'.

    ``sources`` is a text, or data-set names resolved with :func:`source_text`.
    """
    if not isinstance(sources, str):
        sources = source_text(sources)
    parts = []
    if measure:
        parts.append(f"Measure: {measure}.")
    if among:
        parts.append(f"Reference set: {among}.")
    if rule:
        parts.append(f"Rule: {rule}.")
    if note:
        parts.append(note.rstrip(".") + ".")
    if sources:
        parts.append(f"Sources: {sources}.")
    return " ".join(parts)


# -- builders -------------------------------------------------------------------------------------
def line_chart(x, ys: Mapping[str, Sequence], title: str, caption: str = "", xlabel: str = "year", ylabel: str = "", **options) -> Chart:
    """A line chart: one line per entry of ``ys`` over the shared ``x``."""
    series = [Series(name, list(x), list(y)) for name, y in ys.items()]
    return Chart(title=title, series=series, caption=caption, xlabel=xlabel, ylabel=ylabel, **options)


def bar_chart(labels: Sequence, values: Sequence, title: str, caption: str = "", xlabel: str = "", ylabel: str = "",
              horizontal: bool = True, name: str = "", text: Sequence | None = None, **options) -> Chart:
    """A bar chart of ``values`` by ``labels`` (horizontal by default, first label on top)."""
    series = [Series(name or ylabel or "value", list(labels), list(values), kind="bar", text=text)]
    return Chart(title=title, series=series, caption=caption, xlabel=xlabel, ylabel=ylabel, horizontal=horizontal, **options)


# -- rendering ------------------------------------------------------------------------------------
def save_chart(chart: Chart, path: str | os.PathLike, plotlyjs: str | bool = True) -> Path:
    """Write ``chart`` to ``path``: HTML with Plotly, PNG/SVG/PDF with matplotlib.

    Parameters
    ----------
    chart
        The chart.
    path
        Output file; its suffix chooses the format.
    plotlyjs
        For HTML: ``True`` embeds plotly.js (works offline, about 4.5 MB);
        ``"directory"`` writes one ``plotly.min.js`` beside the file (once per
        folder, shared by every chart there: small files that still open
        offline); ``"cdn"`` links it from the web.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise ChartError(f"{path}: a chart file must end in {', '.join(CHART_SUFFIXES)}.")
    if not chart.series or all(len(s.x) == 0 for s in chart.series):
        raise ChartError(f"Nothing to draw for {chart.title!r}: the table is empty.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        figure = to_plotly(chart)
        figure.write_html(str(path), include_plotlyjs=plotlyjs, full_html=True)
    else:
        figure = to_matplotlib(chart)
        figure.savefig(path, format=suffix[1:], dpi=150, bbox_inches="tight")
    return path


def _colours(series: list[Series]) -> list[str]:
    """Each series' own colour, or palette colours in order; bands are grey."""
    out, k = [], 0
    for item in series:
        if item.colour:
            out.append(item.colour)
        elif item.kind == "band":
            out.append("#555555")
        else:
            out.append(PALETTE[k % len(PALETTE)])
            k += 1
    return out


def _clean(values) -> list:
    out = []
    for v in values:
        if v is None:
            out.append(None)
        elif isinstance(v, (float, np.floating)) and np.isnan(v):
            out.append(None)
        elif isinstance(v, np.generic):
            out.append(v.item())
        else:
            out.append(v)
    return out


def _finite(values) -> np.ndarray:
    """The finite numbers among ``values`` (None and NaN left out), as a float array, possibly empty."""
    array = np.array([np.nan if v is None else v for v in values], dtype=float)
    return array[np.isfinite(array)]


def to_plotly(chart: Chart):
    """The chart as a ``plotly.graph_objects.Figure``."""
    import plotly.graph_objects as go

    figure = go.Figure()
    colours = _colours(chart.series)
    for series, colour in zip(chart.series, colours):
        x, y = _clean(series.x), _clean(series.y)
        text = None if series.text is None else [str(t) if t is not None else "" for t in series.text]
        if series.kind == "band":
            upper = _clean(series.y2 or [])
            figure.add_trace(go.Scatter(x=x, y=upper, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"))
            figure.add_trace(go.Scatter(x=x, y=y, mode="lines", line={"width": 0}, fill="tonexty", name=series.name,
                                        fillcolor="rgba(80,80,80,0.18)"))
            continue
        if series.kind == "bar":
            if chart.horizontal:
                figure.add_trace(go.Bar(x=y, y=x, orientation="h", name=series.name, marker_color=colour, text=text, textposition="auto"))
            else:
                figure.add_trace(go.Bar(x=x, y=y, name=series.name, marker_color=colour, text=text, textposition="auto"))
        else:
            mode = "markers" if series.kind == "markers" else "lines+markers" if series.markers else "lines"
            line = {"color": colour, "shape": "hv" if series.kind == "step" else "linear"}
            if series.dash:
                line["dash"] = "dash"
            figure.add_trace(go.Scatter(x=x, y=y, name=series.name, mode=mode, line=line, text=text, connectgaps=False))
    groups = list(dict.fromkeys(span.group for span in chart.spans if span.group))
    for group in groups:  # legend entries for the coloured spans
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=group,
                                    marker={"symbol": "square", "size": 12, "color": _group_colour(group, groups), "opacity": 0.3}))
    for j, span in enumerate(chart.spans):
        shade = "rgba(120,120,120,0.10)" if j % 2 == 0 else "rgba(120,120,120,0.20)"
        if span.group:
            figure.add_vrect(x0=span.start, x1=span.end, fillcolor=_group_colour(span.group, groups), opacity=0.15,
                             line_width=0, layer="below")
        elif span.axis == "x":
            figure.add_vrect(x0=span.start, x1=span.end, fillcolor=shade, line_width=0, layer="below",
                             annotation_text=span.label, annotation_position="top left", annotation_font_size=10)
        else:
            figure.add_hrect(y0=span.start, y1=span.end, fillcolor="rgba(0,114,178,0.10)", line_width=0, layer="below",
                             annotation_text=span.label, annotation_position="top left", annotation_font_size=10)
    for value in chart.hlines:  # reference values of the value axis: vertical lines when the bars are horizontal
        if chart.horizontal:
            figure.add_vline(x=value, line_dash="dot", line_color="#555555", annotation_text=f"{value:.3g}", annotation_position="top")
        else:
            figure.add_hline(y=value, line_dash="dot", line_color="#555555")
    wrapped = "<br>".join(textwrap.wrap(chart.caption, 150))
    lines = max(1, wrapped.count("<br>") + 1)
    figure.update_layout(
        title={"text": chart.title},
        xaxis_title=chart.ylabel if chart.horizontal else chart.xlabel,
        yaxis_title=chart.xlabel if chart.horizontal else chart.ylabel,
        template="plotly_white",
        margin={"b": 80 + 16 * lines},
        legend={"orientation": "h", "y": -0.15 if not chart.horizontal else 1.02},
        barmode="group",
    )
    if chart.horizontal:
        figure.update_yaxes(autorange="reversed")
    if chart.ylim is not None:
        figure.update_yaxes(range=list(chart.ylim))
    if chart.caption:
        figure.add_annotation(text=wrapped, xref="paper", yref="paper", x=0, y=0, yshift=-(60 + 14 * lines),
                              showarrow=False, align="left", xanchor="left", yanchor="top", font={"size": 11, "color": "#444"})
    return figure


def to_matplotlib(chart: Chart):
    """The chart as a matplotlib ``Figure`` on an Agg canvas (no pyplot state, no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    bars = [s for s in chart.series if s.kind == "bar"]
    height = 5.0
    if chart.horizontal and bars:
        height = max(3.0, min(14.0, 0.35 * len(bars[0].x) + 1.5))
    figure = Figure(figsize=(10, height))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    groups = list(dict.fromkeys(span.group for span in chart.spans if span.group))
    labelled: set[str] = set()
    for j, span in enumerate(chart.spans):
        if span.group:
            axes.axvspan(span.start, span.end, color=_group_colour(span.group, groups), alpha=0.15, lw=0,
                         label=None if span.group in labelled else span.group)
            labelled.add(span.group)
        elif span.axis == "x":
            axes.axvspan(span.start, span.end, color="0.5", alpha=0.10 if j % 2 == 0 else 0.20, lw=0)
            if span.label:
                axes.annotate(span.label, xy=(span.start, 1.0), xycoords=("data", "axes fraction"),
                              xytext=(2, -2), textcoords="offset points", va="top", fontsize=7, color="0.3")
        else:
            axes.axhspan(span.start, span.end, color=PALETTE[0], alpha=0.10, lw=0, label=span.label or None)
    width = 0.8 / max(1, len(bars))
    bar_index = 0
    for series, colour in zip(chart.series, _colours(chart.series)):
        i = bar_index
        y = np.array([np.nan if v is None else v for v in series.y], dtype=float)
        if series.kind == "bar":
            bar_index += 1
            positions = np.arange(len(series.x)) + (i - (len(bars) - 1) / 2) * width
            if chart.horizontal:
                axes.barh(positions, y, height=width, color=colour, label=series.name)
            else:
                axes.bar(positions, y, width=width, color=colour, label=series.name)
            if series.text is not None:
                for position, value, label in zip(positions, y, series.text):
                    if np.isfinite(value) and label:
                        if chart.horizontal:
                            axes.annotate(str(label), (value, position), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
                        else:
                            axes.annotate(str(label), (position, value), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=8)
        else:
            x = np.asarray(series.x, dtype=float)
            style = "--" if series.dash else "-"
            if series.kind == "band":
                upper = np.array([np.nan if v is None else v for v in (series.y2 or [])], dtype=float)
                axes.fill_between(x, y, upper, color="0.3", alpha=0.18, lw=0, label=series.name)
            elif series.kind == "step":
                axes.step(x, y, where="post", color=colour, label=series.name, linestyle=style)
            elif series.kind == "markers":
                axes.plot(x, y, "o", color=colour, label=series.name, markersize=3)
            else:
                axes.plot(x, y, color=colour, label=series.name, linestyle=style, linewidth=1.4,
                          marker="o" if series.markers else None, markersize=2.5)
    if bars and any(b.text is not None for b in bars):  # room for the value labels
        values = _finite(v for b in bars for v in b.y)
        if values.size and values.max() > 0:
            (axes.set_xlim if chart.horizontal else axes.set_ylim)(0, values.max() * 1.22)
    if bars and not _finite(v for b in bars for v in b.y).size:
        axes.text(0.5, 0.5, "no value for any bar", transform=axes.transAxes, ha="center", va="center", color="0.4")
    if bars:
        ticks = np.arange(len(bars[0].x))
        names = [str(v) for v in bars[0].x]
        if chart.horizontal:
            axes.set_yticks(ticks, names)
            axes.invert_yaxis()
        else:
            axes.set_xticks(ticks, names, rotation=45 if len(names) > 8 else 0, ha="right" if len(names) > 8 else "center")
    for value in chart.hlines:
        (axes.axvline if chart.horizontal else axes.axhline)(value, color="0.35", linestyle=":", linewidth=1)
    if chart.ylim is not None:
        axes.set_ylim(*chart.ylim)
    axes.set_title(chart.title, fontsize=12, loc="left")
    axes.set_xlabel(chart.ylabel if chart.horizontal else chart.xlabel)
    axes.set_ylabel(chart.xlabel if chart.horizontal else chart.ylabel)
    axes.grid(True, axis="x" if chart.horizontal else "y", color="0.9")
    axes.spines[["top", "right"]].set_visible(False)
    if chart.ylim is None and not chart.horizontal and all(s.kind != "bar" for s in chart.series):
        low, high = axes.get_ylim()
        values = _finite(v for s in chart.series for v in s.y)
        if low < 0 <= (values.min() if values.size else 0):
            axes.set_ylim(0, high)
    if len(chart.series) > 1 or groups or any(s.axis == "y" and s.label for s in chart.spans):
        axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    if chart.caption:
        figure.text(0.01, -0.01, "\n".join(textwrap.wrap(chart.caption, 140)), ha="left", va="top", fontsize=7.5, color="0.25")
    figure.tight_layout()
    return figure


def label_spans(years, labels) -> list[Span]:
    """Spans of consecutive years with the same label (for shading a chart by polarity label)."""
    spans, start, current, previous = [], None, None, None
    for year, label in zip(years, labels):
        if label != current or (previous is not None and year != previous + 1):
            if current is not None:
                spans.append(Span(start - 0.5, previous + 0.5, group=str(current)))
            start, current = year, label
        previous = year
    if current is not None:
        spans.append(Span(start - 0.5, previous + 0.5, group=str(current)))
    return [s for s in spans if s.group not in ("None", "nan", "")]


def agreement_support(table) -> "pd.DataFrame":
    """How many measures each year's agreement rests on, and the agreement only where two or more have data.

    ``table`` is :func:`worldorder.power.polarity_robustness`'s: one
    ``measure|rule`` column of labels per combination.  Returns ``year,
    modal, measures, agreement``: ``measures`` counts the measures with a
    label in the year, and ``agreement`` is missing where fewer than two do
    (one measure agreeing with itself across rules says nothing about
    measures).
    """
    import pandas as pd

    combos = [c for c in table.columns if "|" in str(c)]
    keys = sorted({c.split("|")[0] for c in combos})
    present = pd.DataFrame({k: table[[c for c in combos if c.split("|")[0] == k]].notna().any(axis=1) for k in keys})
    measures = present.sum(axis=1).astype(int) if keys else pd.Series(0, index=table.index)
    agreement = table["agreement"].where(measures >= 2)
    return pd.DataFrame({"year": table["year"], "modal": table["modal"], "measures": measures, "agreement": agreement})


def agreement_chart(table, title: str, caption: str = "") -> Chart:
    """The agreement line (none where fewer than two measures have data), the number of measures behind it, label shading."""
    support = agreement_support(table)
    years = support["year"].tolist()
    most = max(1, int(support["measures"].max()) if len(support) else 1)
    return Chart(
        title=title,
        series=[Series("agreement (two or more measures)", years, support["agreement"].tolist(), colour="#1D2733"),
                Series(f"share of the {most} measures with data", years, (support["measures"] / most).tolist(),
                       kind="step", dash=True, colour="#8C8C8C")],
        caption=(caption.rstrip() + " The dashed step is the share of the measures with data in each year; "
                 "no agreement is drawn where fewer than two have data.").strip(),
        xlabel="year", ylabel="share agreeing", ylim=(0, 1.05),
        spans=label_spans(years, support["modal"].tolist()),
    )
