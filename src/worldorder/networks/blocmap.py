"""Blocs on a world map: each state coloured by its bloc, and a legend naming each bloc by its largest members.

:func:`bloc_map` decides what to draw (which shape shows which state, each
bloc's colour and its legend entry); :func:`save_bloc_map` writes it as an
interactive Plotly map (HTML, with the shapes inside the file, no network
needed) or a static matplotlib one (PNG, SVG, PDF).  Shapes are today's
borders from the Natural Earth 1:110m countries shipped with worldorder, with
states of the past drawn as :func:`worldorder.shapes.state_shapes` says.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from worldorder.networks.layers import NetworkError
from worldorder.networks.outputs import output_file
from worldorder.palette import GREY, PALETTE

__all__ = ["BLOC_MAP_SUFFIXES", "BlocMap", "bloc_colours", "bloc_map", "bloc_map_figure", "geo_assets_script", "save_bloc_map"]

BLOC_MAP_SUFFIXES = (".html", ".png", ".svg", ".pdf")
#: Colour of states alone (a bloc of one) and of blocs beyond the palette.
ALONE = "#D9D9D9"
#: Land without a state of the blocs (colonies, territories).
LAND = "#F2F2F2"


@dataclass
class BlocMap:
    """What a bloc map draws.

    Attributes
    ----------
    states
        ``ccode, name, bloc, size, colour``: every state of the blocs table.
    shapes
        ``iso3, ccode, bloc, colour``: the shapes drawn.
    legend
        ``bloc, colour, label, members, power_share``: one row per bloc of two
        or more states, largest first; ``label`` names its largest members.
    title, caption
        Texts of the map.
    missing
        Names of states of the blocs with no shape on the map (microstates).
    """

    states: pd.DataFrame
    shapes: pd.DataFrame
    legend: pd.DataFrame
    title: str = ""
    caption: str = ""
    missing: list[str] = field(default_factory=list)


def bloc_map(blocs: pd.DataFrame, year: int, size=None, names: dict[int, str] | None = None, title: str = "",
             caption: str = "", members: int = 3, db=None) -> BlocMap:
    """Colour each state of ``blocs`` by its bloc for a map of ``year``.

    Parameters
    ----------
    blocs
        ``ccode, bloc`` (from :func:`~worldorder.networks.blocs.blocs` or a
        consensus); ``stateabb`` is used for names when ``names`` is None.
    year
        The year drawn: it decides the shapes of states of the past.
    size
        Each state's weight (a power measure, or strength): a Series indexed
        by COW code or a table ``ccode, <value>``.  Blocs are ordered, and
        their members named, by it; by member count when None.
    names
        COW code -> name for the legend and the hover text.
    members
        How many of its largest members name a bloc in the legend.
    db
        Store for the COW-ISO3 codes (:func:`worldorder.countries.iso3_codes`).

    Returns
    -------
    BlocMap

    Notes
    -----
    A bloc's weight is :math:`W_b = \\sum_{i \\in b} w_i` (its share of the
    total when ``size`` is given); blocs of two or more states get the
    series colours in order of :math:`W_b`, states alone are light grey.
    """
    from worldorder.shapes import state_shapes

    if blocs is None or blocs.empty or not {"ccode", "bloc"} <= set(blocs.columns):
        raise NetworkError("A bloc map needs a table of blocs with the columns ccode and bloc.")
    states = blocs[["ccode", "bloc"]].copy()
    states["ccode"] = states["ccode"].astype(int)
    labels = names or (dict(zip(blocs["ccode"].astype(int), blocs["stateabb"])) if "stateabb" in blocs.columns else {})
    states["name"] = [labels.get(c, str(c)) for c in states["ccode"]]
    states["size"] = _sizes(size, states["ccode"])
    counts = states.groupby("bloc")["ccode"].transform("size")
    colour = bloc_colours(states["bloc"], states["size"] if size is not None else None)
    order = list(colour)
    total = states["size"].sum()
    states["colour"] = [colour.get(b, ALONE) for b in states["bloc"]]
    rows = []
    for bloc in order:
        part = states[states["bloc"] == bloc].sort_values(["size", "name"], ascending=[False, True], kind="stable")
        named = ", ".join(part["name"].head(members))
        more = len(part) - members
        rows.append({"bloc": bloc, "colour": colour[bloc], "members": len(part),
                     "power_share": float(part["size"].sum() / total) if size is not None and total > 0 else np.nan,
                     "label": f"{named}{f' and {more} more' if more > 0 else ''}"})
    alone = int((counts < 2).sum())
    if alone:
        rows.append({"bloc": -1, "colour": ALONE, "members": alone, "power_share": np.nan, "label": f"no bloc ({alone} states alone)"})
    legend = pd.DataFrame(rows, columns=["bloc", "colour", "members", "power_share", "label"])
    found = state_shapes(states["ccode"], year, db=db)
    shapes = found.shapes.merge(states[["ccode", "bloc", "colour", "name"]], on="ccode", how="left")
    missing = [labels.get(int(c), str(c)) for c in found.missing["ccode"]]
    return BlocMap(states, shapes, legend, title=title, caption=caption, missing=missing)


def bloc_colours(bloc_of, weights=None) -> dict:
    """Bloc -> colour for the blocs of two or more states, heaviest first (by ``weights`` summed, else by members).

    The series palette gives the colours in that order; blocs beyond it are
    grey.  The map and the network drawing colour blocs alike through it.
    """
    frame = pd.DataFrame({"bloc": np.asarray(bloc_of), "w": 1.0 if weights is None else np.abs(np.asarray(weights, dtype=np.float64))})
    counts = frame["bloc"].value_counts()
    frame = frame[frame["bloc"].isin(counts[counts >= 2].index)]
    order = frame.groupby("bloc")["w"].sum().sort_values(ascending=False, kind="stable").index.tolist()
    return {bloc: (PALETTE[i] if i < len(PALETTE) else GREY) for i, bloc in enumerate(order)}


def _sizes(size, codes: pd.Series) -> np.ndarray:
    if size is None:
        return np.ones(len(codes))
    if isinstance(size, pd.DataFrame):
        column = [c for c in size.columns if c not in ("year", "ccode", "stateabb")][0]
        size = pd.Series(size[column].to_numpy(), index=size["ccode"].astype(int).to_numpy())
    return np.abs(size.reindex(codes.to_numpy()).fillna(0).to_numpy(np.float64))


def geo_assets_script() -> str:
    """A script giving Plotly.js the shipped world topology (``window.PlotlyGeoAssets``), so that maps need no network.

    Plotly.js reads ``PlotlyGeoAssets.topojson[name]`` before it would fetch
    the topology from its CDN; the page must run this before drawing a map.
    """
    from worldorder.shapes import world_topology_json

    return "window.PlotlyGeoAssets = {topojson: {world_110m: " + world_topology_json().decode("utf-8") + "}};"


def bloc_map_figure(picture: BlocMap):
    """The map as a Plotly figure: one trace per bloc (its legend entry), on the world topology ``world_110m``.

    The page that shows it needs :func:`geo_assets_script` (or Plotly's
    ``topojsonURL`` pointing at the shipped topology) to draw without a network.
    """
    import plotly.graph_objects as go

    figure = go.Figure()
    for row in picture.legend.itertuples(index=False):
        part = picture.shapes[picture.shapes["bloc"] == row.bloc] if row.bloc != -1 else \
            picture.shapes[picture.shapes["colour"] == ALONE]
        if part.empty:
            continue
        share = f"; {row.power_share:.0%} of power" if pd.notna(row.power_share) else ""
        figure.add_trace(go.Choropleth(
            locationmode="ISO-3", locations=part["iso3"].tolist(), z=[1] * len(part),
            colorscale=[[0, row.colour], [1, row.colour]], showscale=False, showlegend=True,
            name=f"{row.label} ({row.members}{share})" if row.bloc != -1 else row.label,
            text=[f"{n}: {row.label if row.bloc == -1 else 'bloc of ' + row.label}" for n in part["name"]],
            hovertemplate="%{text}<extra></extra>", marker={"line": {"color": "white", "width": 0.4}},
        ))
    figure.update_geos(projection_type="natural earth", showland=True, landcolor=LAND, showcountries=True, countrycolor="white",
                       showcoastlines=False, showframe=False, lataxis_range=[-58, 85])
    wrapped = "<br>".join(textwrap.wrap(picture.caption, 150))
    lines = max(1, wrapped.count("<br>") + 1)
    figure.update_layout(
        title={"text": picture.title}, template="plotly_white", height=560 + 14 * lines,
        margin={"l": 10, "r": 10, "t": 50, "b": 30 + 16 * lines},
        legend={"orientation": "v", "x": 0.0, "y": 0.02, "xanchor": "left", "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)",
                "title": {"text": "Blocs, named by their largest members"}, "font": {"size": 11}},
    )
    if picture.caption:
        figure.add_annotation(text=wrapped, xref="paper", yref="paper", x=0, y=0, yshift=-(10 + 14 * lines), showarrow=False,
                              align="left", xanchor="left", yanchor="top", font={"size": 11, "color": "#444"})
    return figure


def to_matplotlib(picture: BlocMap):
    """The map as a matplotlib figure (plate carrée) with the legend under it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from worldorder.shapes import country_polygons

    polygons = country_polygons()
    figure = Figure(figsize=(12, 7.6))
    FigureCanvasAgg(figure)
    axes = figure.add_axes([0.0, 0.3, 1.0, 0.66])
    drawn = dict(zip(picture.shapes["iso3"], picture.shapes["colour"]))
    rings, colours = [], []
    for iso3, shape in polygons.items():
        for polygon in shape:
            rings.append(polygon[0])
            colours.append(drawn.get(iso3, LAND))
    axes.add_collection(PolyCollection(rings, facecolors=colours, edgecolors="white", linewidths=0.3))
    axes.set_xlim(-170, 190)
    axes.set_ylim(-58, 85)
    axes.set_aspect("equal")
    axes.set_axis_off()
    if picture.title:
        axes.set_title(picture.title, loc="left", fontsize=12)
    handles = []
    for row in picture.legend.itertuples(index=False):
        share = f"; {row.power_share:.0%} of power" if pd.notna(row.power_share) else ""
        text = row.label if row.bloc == -1 else f"{row.label} ({row.members}{share})"
        handles.append(Patch(facecolor=row.colour, edgecolor="none", label=text))
    caption = textwrap.wrap(picture.caption, 170) if picture.caption else []
    figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.02 + 0.02 * len(caption)), ncol=2, fontsize=8,
                  frameon=False, title="Blocs, named by their largest members", title_fontsize=9, alignment="left")
    if caption:
        figure.text(0.01, 0.01, "\n".join(caption), fontsize=7, va="bottom", color="0.25")
    return figure


def save_bloc_map(picture: BlocMap, path: str | os.PathLike, plotlyjs: str | bool = True) -> Path:
    """Write ``picture`` to ``path``: interactive HTML (Plotly) or PNG, SVG, PDF (matplotlib)."""
    path, suffix = output_file(path, BLOC_MAP_SUFFIXES, "a bloc map")
    if suffix == ".html":
        page = bloc_map_figure(picture).to_html(include_plotlyjs=plotlyjs, full_html=True)
        path.write_text(page.replace("<head>", f"<head><script>{geo_assets_script()}</script>", 1), encoding="utf-8")
    else:
        to_matplotlib(picture).savefig(path, format=suffix[1:], dpi=150, bbox_inches="tight")
    return path
