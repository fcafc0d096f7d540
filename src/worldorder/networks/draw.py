"""Pictures of layers: a network drawing with blocs coloured, and time series.

The drawing is static (PNG, SVG, PDF with matplotlib) or interactive (HTML with
Plotly).  Time series go through :mod:`worldorder.charts`, like every other
chart of the project.  The layout is seeded: the same seed draws the same
picture.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np
import pandas as pd

from worldorder.networks.layers import NetworkError
from worldorder.networks.outputs import output_file

__all__ = ["NETWORK_SUFFIXES", "backbone", "bloc_layout", "draw_network", "layout", "plot_series", "save_network"]

NETWORK_SUFFIXES = (".png", ".svg", ".pdf", ".html")


def layout(graph, seed: int = 0, weights: str | None = "weight", iterations: int = 500) -> np.ndarray:
    """Seeded Fruchterman–Reingold positions (n × 2) for ``graph``.

    Tie strengths are compressed with :math:`\\log(1 + |w| / \\bar{w})` so that
    a few very large trade flows do not collapse the picture.  States without
    ties are set in rows under the drawing rather than scattered around it.

    References
    ----------
    Fruchterman, T. M. J. & Reingold, E. M. 1991. Graph drawing by
    force-directed placement. Software: Practice and Experience 21: 1129-1164.
    """
    import igraph as ig

    n = graph.vcount()
    coords = np.zeros((n, 2))
    if n == 0:
        return coords
    degree = np.asarray(graph.degree(), dtype=np.int64)
    tied = np.flatnonzero(degree > 0)
    alone = np.flatnonzero(degree == 0)
    if len(tied):
        sub = graph.subgraph(tied.tolist())
        if sub.ecount() > 4 * sub.vcount():  # a dense layer: lay out its backbone
            sub = sub.subgraph_edges(backbone(sub, weights).tolist(), delete_vertices=False)
        rng = np.random.default_rng(seed)
        start = rng.uniform(-1.0, 1.0, size=(len(tied), 2)) * np.sqrt(len(tied))
        w = None
        if weights and sub.ecount() and weights in sub.es.attributes():
            values = np.abs(np.asarray(sub.es[weights], dtype=np.float64))
            mean = values.mean() if values.mean() > 0 else 1.0
            w = (np.log1p(values / mean) + 1e-3).tolist()
        ig.set_random_number_generator(random.Random(seed))
        try:
            placed = sub.layout_fruchterman_reingold(weights=w, seed=start.tolist(), niter=iterations, grid=False)
        finally:
            ig.set_random_number_generator(random)
        coords[tied] = np.asarray(placed.coords, dtype=np.float64)
    if len(alone):
        low, high = (coords[tied].min(axis=0), coords[tied].max(axis=0)) if len(tied) else (np.zeros(2), np.ones(2))
        width = max(high[0] - low[0], 1.0)
        per_row = max(10, int(np.ceil(np.sqrt(len(alone) * 4))))
        step = width / per_row
        rows, columns = np.divmod(np.arange(len(alone)), per_row)
        coords[alone, 0] = low[0] + (columns + 0.5) * step
        coords[alone, 1] = low[1] - step * (2 + rows)
    return coords


def bloc_layout(graph, bloc_of, seed: int = 0, gap: float = 0.6, size=None) -> np.ndarray:
    """Positions (n × 2) that keep each bloc apart: every bloc laid out on its own, the blocs set side by side.

    Each bloc of two or more states is laid out with :func:`layout` on its own
    ties (a dense bloc, such as one multilateral pact, fills a disc with its
    strongest states at the centre, Vogel's spiral) and scaled to a disc of radius :math:`\\sqrt{n_b}`; the discs are set
    in rows, largest first, ``gap`` radii apart.  States alone go in rows
    underneath.  Ties between blocs are then drawn across the gaps.  ``size``
    (one value per state, default strength) puts the largest states of a
    dense bloc at its centre.
    """
    bloc_of = np.asarray(bloc_of)
    n = graph.vcount()
    coords = np.zeros((n, 2))
    counts = pd.Series(bloc_of).value_counts()
    groups = [b for b in counts.index if counts[b] >= 2]
    discs = []
    strength = np.asarray(size if size is not None else graph.strength(weights="weight" if "weight" in graph.es.attributes() else None), dtype=np.float64)
    for bloc in groups:
        members = np.flatnonzero(bloc_of == bloc)
        sub = graph.subgraph(members.tolist())
        if sub.density() > 0.4:  # a dense bloc (a multilateral pact) lays out as a ring: fill a disc instead
            members = members[np.argsort(-strength[members], kind="stable")]
            local = _sunflower(len(members))
        else:
            local = layout(sub, seed=seed)
        local = local - local.mean(axis=0)
        reach = np.sqrt((local ** 2).sum(axis=1)).max()
        radius = np.sqrt(len(members))
        discs.append((members, local / reach * radius if reach > 0 else local, radius))
    width = max(4.0, 1.7 * np.sqrt(sum(np.pi * r * r for _, _, r in discs)))
    x = y = row_height = 0.0
    for members, local, radius in discs:
        if x > 0 and x + 2 * radius > width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        coords[members] = local + [x + radius, y - radius]
        x += 2 * radius + gap
        row_height = max(row_height, 2 * radius)
    alone = np.flatnonzero(~np.isin(bloc_of, groups))
    if len(alone):
        per_row = max(10, int(width / 0.8))
        rows, columns = np.divmod(np.arange(len(alone)), per_row)
        coords[alone, 0] = columns * (width / per_row)
        coords[alone, 1] = y - row_height - 2 * gap - rows * 0.8
    return coords


def _sunflower(n: int) -> np.ndarray:
    """``n`` points filling a disc evenly, the first at the centre (Vogel's spiral, golden angle)."""
    k = np.arange(n)
    radius = np.sqrt(k + 0.5)
    angle = k * np.pi * (3 - np.sqrt(5))
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def backbone(graph, weights: str | None = "weight", per_state: int = 3) -> np.ndarray:
    """Edge ids of each state's ``per_state`` strongest ties (the union over states).

    Dense layers (trade, UN-vote similarity) are drawn and laid out on this
    backbone; every state keeps at least its strongest ties.
    """
    if graph.ecount() == 0:
        return np.zeros(0, dtype=np.int64)
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64)
    if weights and weights in graph.es.attributes():
        w = np.abs(np.asarray(graph.es[weights], dtype=np.float64))
    else:
        w = np.ones(len(edges))
    ids = np.arange(len(edges))
    ends = pd.DataFrame({"vertex": np.concatenate([edges[:, 0], edges[:, 1]]), "edge": np.concatenate([ids, ids]), "w": np.concatenate([w, w])})
    ends = ends.sort_values(["vertex", "w"], ascending=[True, False], kind="stable")
    keep = ends.groupby("vertex").cumcount() < per_state
    return np.unique(ends.loc[keep, "edge"].to_numpy())


def _colours(bloc_of: np.ndarray, weights: np.ndarray | None = None) -> list[str]:
    from worldorder.networks.blocmap import ALONE, bloc_colours

    colour = bloc_colours(bloc_of, weights)
    return [colour.get(b, ALONE) for b in bloc_of]


def _prepare(graph, blocs: pd.DataFrame | None, size: pd.DataFrame | pd.Series | None, max_edges: int):
    codes = np.asarray(graph.vs["ccode"]) if "ccode" in graph.vs.attributes() else np.arange(graph.vcount())
    labels = graph.vs["stateabb"] if "stateabb" in graph.vs.attributes() else [str(c) for c in codes]
    if blocs is not None:
        bloc_of = pd.Series(blocs["bloc"].to_numpy(), index=blocs["ccode"].to_numpy()).reindex(codes).fillna(0).astype(int).to_numpy()
    else:
        bloc_of = np.ones(len(codes), dtype=int)
    if size is None:
        values = np.asarray(graph.strength(weights="weight" if "weight" in graph.es.attributes() else None), dtype=np.float64)
    else:
        if isinstance(size, pd.DataFrame):
            column = [c for c in size.columns if c not in ("year", "ccode", "stateabb")][0]
            size = pd.Series(size[column].to_numpy(), index=size["ccode"].to_numpy())
        values = size.reindex(codes).fillna(0).to_numpy(np.float64)
    values = np.abs(values)
    scaled = 20 + 380 * (values / values.max()) if values.max() > 0 else np.full(len(codes), 40.0)
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    weights = np.abs(np.asarray(graph.es["weight"], dtype=np.float64)) if "weight" in graph.es.attributes() and len(edges) else np.ones(len(edges))
    if len(edges) > 4 * graph.vcount():  # dense: draw the backbone of each state's strongest ties
        keep = backbone(graph)
        edges, weights = edges[keep], weights[keep]
    if len(edges) > max_edges:  # draw the strongest ties only
        keep = np.argsort(weights)[-max_edges:]
        edges, weights = edges[keep], weights[keep]
    return codes, labels, bloc_of, scaled, edges, weights, values


def draw_network(
    graph,
    blocs: pd.DataFrame | None = None,
    size: pd.DataFrame | pd.Series | None = None,
    seed: int = 0,
    title: str = "",
    caption: str = "",
    labels: int = 12,
    max_edges: int = 3000,
):
    """A matplotlib figure of ``graph``: states coloured by bloc, sized by a measure, blocs set apart.

    Parameters
    ----------
    graph
        One year's graph.
    blocs
        ``ccode, bloc`` (from :func:`~worldorder.networks.blocs.blocs`); the
        eight largest blocs of two or more states get colours, the rest grey.
    size
        Vertex sizes: a table ``ccode, <measure>`` (from ``centrality``) or a
        Series indexed by COW code; strength by default.
    labels
        Label this many of the largest states with their abbreviation (the
        others are unlabelled, so that the labels can be read).
    max_edges
        Draw at most this many ties (the strongest).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    if graph.vcount() == 0:
        raise NetworkError("The graph has no states to draw.")
    codes, names, bloc_of, scaled, edges, weights, values = _prepare(graph, blocs, size, max_edges)
    xy = bloc_layout(graph, bloc_of, seed=seed, size=values) if blocs is not None else layout(graph, seed=seed)
    colours = _colours(bloc_of, values)
    figure, axes = plt.subplots(figsize=(11, 9))
    if len(edges):
        alpha = 0.08 + 0.5 * (np.log1p(weights) / np.log1p(weights).max() if np.log1p(weights).max() > 0 else 0)
        segments = np.stack([xy[edges[:, 0]], xy[edges[:, 1]]], axis=1)
        edge_colours = np.zeros((len(edges), 4))
        edge_colours[:, 3] = np.clip(alpha, 0.03, 0.6)
        axes.add_collection(LineCollection(segments, colors=edge_colours, linewidths=0.6, zorder=1))
    axes.scatter(xy[:, 0], xy[:, 1], s=scaled, c=colours, edgecolors="white", linewidths=0.6, zorder=2)
    for i in _labelled(scaled, labels):
        axes.annotate(names[i], xy[i], fontsize=8, ha="center", va="center", zorder=3, fontweight="bold")
    axes.set_axis_off()
    axes.autoscale_view()
    if title:
        axes.set_title(title)
    if caption:
        import textwrap

        figure.text(0.02, 0.01, textwrap.fill(caption, 160), fontsize=7, va="bottom")
    return figure


def _labelled(scaled: np.ndarray, labels: int) -> list[int]:
    """The ``labels`` largest states."""
    return [int(i) for i in np.argsort(-scaled, kind="stable")[:labels]]


def _plotly_network(graph, blocs, size, seed, title, caption, max_edges, labels: int = 12):
    import plotly.graph_objects as go

    codes, names, bloc_of, scaled, edges, weights, values = _prepare(graph, blocs, size, max_edges)
    xy = bloc_layout(graph, bloc_of, seed=seed, size=values) if blocs is not None else layout(graph, seed=seed)
    shown = set(_labelled(scaled, labels))
    colours = _colours(bloc_of, values)
    line_x, line_y = [], []
    for s, t in edges:
        line_x += [xy[s, 0], xy[t, 0], None]
        line_y += [xy[s, 1], xy[t, 1], None]
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=line_x, y=line_y, mode="lines", line={"width": 0.5, "color": "rgba(0,0,0,0.15)"}, hoverinfo="skip", showlegend=False))
    hover = [f"{n} ({c}) bloc {b}" for n, c, b in zip(names, codes, bloc_of)]
    figure.add_trace(
        go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="markers+text", text=[n if i in shown else "" for i, n in enumerate(names)], textposition="middle center",
                   textfont={"size": 8}, hovertext=hover, hoverinfo="text",
                   marker={"size": np.sqrt(scaled) * 1.5, "color": colours, "line": {"width": 0.5, "color": "white"}}, showlegend=False)
    )
    figure.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False}, plot_bgcolor="white",
                         annotations=[{"text": caption, "xref": "paper", "yref": "paper", "x": 0, "y": -0.06, "showarrow": False, "font": {"size": 9}}] if caption else [])
    return figure


def save_network(graph, path: str | os.PathLike, blocs: pd.DataFrame | None = None, size=None, seed: int = 0,
                 title: str = "", caption: str = "", max_edges: int = 3000) -> Path:
    """Draw ``graph`` (see :func:`draw_network`) to ``path``: PNG, SVG, PDF or interactive HTML."""
    path, suffix = output_file(path, NETWORK_SUFFIXES, "a network drawing")
    if suffix == ".html":
        _plotly_network(graph, blocs, size, seed, title, caption, max_edges).write_html(str(path), include_plotlyjs=True)
    else:
        import matplotlib.pyplot as plt

        figure = draw_network(graph, blocs=blocs, size=size, seed=seed, title=title, caption=caption, max_edges=max_edges)
        figure.savefig(path, format=suffix[1:], dpi=150, bbox_inches="tight")
        plt.close(figure)
    return path


def plot_series(table: pd.DataFrame, columns, title: str, caption: str = "", x: str = "year", ylabel: str = ""):
    """A :class:`worldorder.charts.Chart` of ``columns`` of ``table`` over ``x`` (save it with ``charts.save_chart``)."""
    from worldorder.charts import line_chart

    columns = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in [x, *columns] if c not in table.columns]
    if missing:
        raise NetworkError(f"The table has no column(s) {', '.join(missing)}.")
    ordered = table.sort_values(x)
    return line_chart(ordered[x].tolist(), {c: ordered[c].tolist() for c in columns}, title=title, caption=caption, xlabel=x, ylabel=ylabel)
