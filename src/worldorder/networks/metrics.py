"""Measures on layers: density, strength, centrality, and globalization over time.

Every measure takes a graph (one year) or a :class:`~worldorder.networks.layers.Layer`
(any mapping of year → graph) first and returns new data: a number or a table
for one graph, a table with a ``year`` column for a layer.  Tables carry
``ccode`` and ``stateabb`` for each vertex.

Weights are tie strengths (trade in dollars, similarity, alliance level).  Where
an algorithm needs lengths (betweenness), a tie of weight :math:`w` has length
:math:`1/|w|`: strong ties are short.  On signed layers eigenvector centrality
and betweenness use :math:`|w|`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from worldorder.networks.layers import NetworkError

# igraph reports through Python warnings that a graph is acyclic or not strongly connected, which
# is common in yearly layers (centralities then concentrate on a component, docs/networks.md).
_IGRAPH_NOTICES = dict(action="ignore", category=RuntimeWarning, module=r"worldorder\.networks\.metrics",
                       message=r"(Graph is directed and acyclic|Some eigenvector centralities are nearly zero)")


def _silence_igraph_notices() -> None:
    """Add (once) a filter for igraph's notices raised here only.

    Not ``warnings.catch_warnings``: it saves and restores the process-wide
    filters, which loses other threads' changes under the web server.  Adding
    the same filter again is a no-op (:func:`warnings.filterwarnings` removes
    a duplicate before inserting).
    """
    if not any(f[0] == "ignore" and f[1] is not None and f[1].pattern == _IGRAPH_NOTICES["message"] for f in warnings.filters):
        warnings.filterwarnings(**_IGRAPH_NOTICES)

__all__ = [
    "CENTRALITY_MEASURES",
    "betweenness_values",
    "centrality",
    "density",
    "eigenvector_values",
    "globalization",
    "load_openness",
    "openness",
    "strength",
    "world_openness",
]


def _is_graph(obj) -> bool:
    import igraph as ig

    return isinstance(obj, ig.Graph)


def _per_year(obj, function: Callable[[object], pd.DataFrame | dict]) -> pd.DataFrame:
    """Apply ``function`` to one graph, or to each year of a layer and stack the results.

    ``function`` returns a DataFrame or a dict of equal-length arrays; dicts
    from many years are concatenated column by column into one table, which
    is much cheaper than building and concatenating a table per year.
    """
    if _is_graph(obj):
        result = function(obj)
        return pd.DataFrame(result, copy=False) if isinstance(result, dict) else result
    if isinstance(obj, Mapping):
        parts = [function(obj[year]) for year in obj]
        if not parts:
            return pd.DataFrame()
        if all(isinstance(part, dict) for part in parts):
            return pd.DataFrame({key: np.concatenate([np.asarray(part[key]) for part in parts]) for key in parts[0]}, copy=False)
        return pd.concat([pd.DataFrame(p) if isinstance(p, dict) else p for p in parts], ignore_index=True)
    raise NetworkError(f"Expected an igraph.Graph or a Layer (year -> graph), not {type(obj).__name__}.")


def _vertex_columns(graph, order: np.ndarray | None = None, **columns) -> dict:
    """``year, ccode, stateabb`` and ``columns`` for the vertices (in ``order`` when given), as arrays."""
    n = graph.vcount()
    attributes = graph.vs.attributes()
    table = {}
    if "year" in graph.attributes():
        table["year"] = np.full(n, graph["year"], dtype=np.int64)
    codes = np.asarray(graph.vs["ccode"] if "ccode" in attributes else range(n), dtype=np.int64)
    table["ccode"] = codes
    table["stateabb"] = np.asarray(graph.vs["stateabb"] if "stateabb" in attributes else codes.astype(str), dtype=object)
    table.update({key: np.asarray(value) for key, value in columns.items()})
    if order is not None:
        table = {key: value[order] for key, value in table.items()}
    return table


def _vertex_table(graph, order: np.ndarray | None = None, **columns) -> pd.DataFrame:
    """:func:`_vertex_columns` as a DataFrame."""
    return pd.DataFrame(_vertex_columns(graph, order, **columns), copy=False)


def _weights(graph, weights: str | None, absolute: bool = False) -> np.ndarray | None:
    if weights is None or graph.ecount() == 0:
        return None
    if weights not in graph.es.attributes():
        raise NetworkError(f"The graph has no edge attribute {weights!r}; it has {', '.join(graph.es.attributes()) or 'none'}.")
    values = np.asarray(graph.es[weights], dtype=np.float64)
    return np.abs(values) if absolute else values


# -- density and strength ------------------------------------------------------------------
def density(graph_or_layer):
    """Share of possible ties that exist.

    Parameters
    ----------
    graph_or_layer
        An :class:`igraph.Graph`, or a layer (year → graph).

    Returns
    -------
    float or pandas.DataFrame
        For a graph, the density.  For a layer, ``year, states, ties, density``.

    Notes
    -----
    With :math:`n` vertices and :math:`m` ties,

    .. math:: D = \\frac{2m}{n(n-1)} \\text{ (undirected)}, \\qquad D = \\frac{m}{n(n-1)} \\text{ (directed)}.

    Multiple ties between a pair count once; a graph with fewer than two
    vertices has density NaN.

    References
    ----------
    Wasserman, S. & Faust, K. 1994. Social Network Analysis: Methods and
    Applications. Cambridge University Press, section 4.2.
    """
    if _is_graph(graph_or_layer):
        return _density(graph_or_layer)

    def row(graph):
        return pd.DataFrame(
            {"year": [graph["year"]], "states": [graph.vcount()], "ties": [_ties(graph)], "density": [_density(graph)]}
        )

    out = _per_year(graph_or_layer, row)
    if out.columns.empty:  # a layer without years (e.g. asked for years past its source): typed and empty
        out = pd.DataFrame({"year": np.array([], np.int64), "states": np.array([], np.int64),
                            "ties": np.array([], np.int64), "density": np.array([], np.float64)})
    return out


def _ties(graph) -> int:
    if graph.ecount() == 0:
        return 0
    edges = np.asarray(graph.get_edgelist(), dtype=np.int64)
    edges = edges[edges[:, 0] != edges[:, 1]]
    if not graph.is_directed():
        edges = np.sort(edges, axis=1)
    return int(len(np.unique(edges[:, 0] * graph.vcount() + edges[:, 1])))


def _density(graph) -> float:
    n = graph.vcount()
    if n < 2:
        return float("nan")
    possible = n * (n - 1) if graph.is_directed() else n * (n - 1) / 2
    return _ties(graph) / possible


def strength(graph_or_layer, mode: str = "all", weights: str | None = "weight") -> pd.DataFrame:
    """Sum of the weights of each state's ties.

    Parameters
    ----------
    graph_or_layer
        A graph or a layer.
    mode
        On directed graphs: ``"in"`` (received, e.g. imports), ``"out"``
        (sent, e.g. exports) or ``"all"``.
    weights
        Edge attribute; None counts ties (degree).

    Returns
    -------
    pandas.DataFrame
        ``year, ccode, stateabb, strength``.

    Notes
    -----
    :math:`s_i = \\sum_j w_{ij}`.  On a signed layer negative ties subtract.

    References
    ----------
    Barrat, A., Barthélemy, M., Pastor-Satorras, R. & Vespignani, A. 2004.
    The architecture of complex weighted networks. PNAS 101: 3747-3752.
    """
    if mode not in ("all", "in", "out"):
        raise NetworkError(f"mode must be 'all', 'in' or 'out', not {mode!r}.")

    def table(graph):
        values = graph.strength(mode=mode, loops=False, weights=_weights(graph, weights))
        return _vertex_columns(graph, strength=np.asarray(values, dtype=np.float64))

    return _per_year(graph_or_layer, table)


# -- centrality -------------------------------------------------------------------------------
def eigenvector_values(graph, weights: str | None = "weight") -> np.ndarray:
    """Eigenvector centrality of each vertex (largest = 1), as an array aligned with the vertices."""
    if graph.vcount() == 0:
        return np.zeros(0)
    if graph.ecount() == 0:
        return np.zeros(graph.vcount())
    _silence_igraph_notices()
    values = graph.eigenvector_centrality(directed=True, weights=_weights(graph, weights, absolute=True))
    values = np.abs(np.asarray(values, dtype=np.float64))
    values[values < 1e-12] = 0.0
    largest = values.max()
    # igraph scales to a largest value of 1 up to rounding (0.9999999999999999 on some BLAS builds)
    return values / largest if largest > 0 else values


def betweenness_values(graph, weights: str | None = "weight", normalized: bool = True, lengths: bool = False) -> np.ndarray:
    """Betweenness of each vertex, as an array aligned with the vertices.

    Ties of weight :math:`w` have length :math:`1/|w|` unless ``lengths`` is
    True (the weights are already lengths).
    """
    n = graph.vcount()
    if n == 0:
        return np.zeros(0)
    w = _weights(graph, weights, absolute=True)
    if w is not None and not lengths:
        w = 1.0 / w
    values = np.asarray(graph.betweenness(directed=True, weights=None if w is None else w.tolist()), dtype=np.float64)
    if normalized:
        pairs = (n - 1) * (n - 2) if graph.is_directed() else (n - 1) * (n - 2) / 2
        values = values / pairs if pairs > 0 else np.zeros(n)
    return values


CENTRALITY_MEASURES = ("eigenvector", "betweenness", "strength", "degree")


def centrality(graph_or_layer, measure: str = "eigenvector", weights: str | None = "weight", normalized: bool = True) -> pd.DataFrame:
    """Centrality of each state: eigenvector, betweenness, strength or degree.

    Parameters
    ----------
    graph_or_layer
        A graph or a layer.
    measure
        ``"eigenvector"``, ``"betweenness"``, ``"strength"`` or ``"degree"``.
    weights
        Edge attribute holding tie strengths; None for an unweighted measure.
    normalized
        Betweenness as a share of the pairs of other vertices.

    Returns
    -------
    pandas.DataFrame
        ``year, ccode, stateabb, <measure>``, sorted by year, then descending
        value (ties by COW code).

    Notes
    -----
    Eigenvector centrality :math:`x` solves :math:`\\lambda x = A^\\top x` for the
    largest eigenvalue :math:`\\lambda` of the weighted adjacency matrix
    :math:`A` (on a directed graph a state is central when central states send
    to it), scaled so that the most central state has 1.  On a disconnected
    graph the states outside the component holding the leading eigenvalue get 0.

    Betweenness of :math:`v` is
    :math:`b_v = \\sum_{s \\ne v \\ne t} \\sigma_{st}(v)/\\sigma_{st}`, the share of
    shortest paths between other pairs that pass through :math:`v`, with tie
    lengths :math:`1/w`; normalised by :math:`(n-1)(n-2)/2` pairs (undirected)
    or :math:`(n-1)(n-2)` (directed).

    References
    ----------
    Bonacich, P. 1972. Factoring and weighting approaches to status scores and
    clique identification. Journal of Mathematical Sociology 2: 113-120.
    Freeman, L. C. 1977. A set of measures of centrality based on betweenness.
    Sociometry 40: 35-41.
    Brandes, U. 2001. A faster algorithm for betweenness centrality. Journal of
    Mathematical Sociology 25: 163-177.
    """
    if measure not in CENTRALITY_MEASURES:
        raise NetworkError(f"measure must be one of {', '.join(CENTRALITY_MEASURES)}, not {measure!r}.")

    def table(graph):
        if measure == "eigenvector":
            values = eigenvector_values(graph, weights)
        elif measure == "betweenness":
            values = betweenness_values(graph, weights, normalized=normalized)
        elif measure == "strength":
            values = np.asarray(graph.strength(mode="all", loops=False, weights=_weights(graph, weights)), dtype=np.float64)
        else:
            values = np.asarray(graph.degree(mode="all", loops=False), dtype=np.float64)
        order = np.lexsort((np.asarray(graph.vs["ccode"]) if "ccode" in graph.vs.attributes() else np.arange(len(values)), -values))
        return _vertex_columns(graph, order=order, **{measure: values})

    return _per_year(graph_or_layer, table)  # years in order, each sorted by descending value


# -- globalization ------------------------------------------------------------------------------
def openness(state_years: pd.DataFrame, imports: str = "imports", exports: str = "exports", gdp: str = "wb_gdp", trade_unit: float = 1e6) -> pd.DataFrame:
    """Trade openness of each state-year: trade as a share of GDP.

    Parameters
    ----------
    state_years
        A state-year table with imports, exports (COW national trade, millions
        of current US dollars) and GDP (current US dollars), e.g. from
        ``add_gdp(add_trade(create_state_years()), source="worldbank")``.
    imports, exports, gdp
        Column names.
    trade_unit
        Dollars per unit of the trade columns (1e6: COW trade is in millions).

    Returns
    -------
    pandas.DataFrame
        A copy of ``state_years`` with ``openness``; NaN where trade or GDP is
        missing (World Bank GDP starts in 1960).

    Notes
    -----
    .. math:: O_{it} = \\frac{M_{it} + X_{it}}{Y_{it}}

    with :math:`M` imports, :math:`X` exports and :math:`Y` GDP, all in
    current US dollars.  Values above 1 are common for small entrepôt
    economies.

    References
    ----------
    Barbieri, K., Keshk, O. M. G. & Pollins, B. 2009. Trading data: evaluating
    our assumptions and coding rules. Conflict Management and Peace Science 26.
    World Bank. World Development Indicators, NY.GDP.MKTP.CD.
    """
    missing = [c for c in (imports, exports, gdp) if c not in state_years.columns]
    if missing:
        raise NetworkError(
            f"openness needs the column(s) {', '.join(missing)}: add them with "
            "add_trade(frame) and add_gdp(frame, source='worldbank')."
        )
    out = state_years.copy()
    trade = (out[imports].astype(np.float64) + out[exports].astype(np.float64)) * trade_unit
    value = out[gdp].astype(np.float64)
    out["openness"] = (trade / value).where(value > 0)
    return out


def world_openness(state_years: pd.DataFrame, imports: str = "imports", exports: str = "exports", gdp: str = "wb_gdp", trade_unit: float = 1e6) -> pd.DataFrame:
    """World trade openness per year: the trade of states with GDP data over their GDP.

    Returns
    -------
    pandas.DataFrame
        ``year, world_trade`` (imports + exports of all states with trade
        data, US dollars),
        ``states_trade``, ``states_both`` (states with trade and GDP),
        ``trade_with_gdp`` and ``gdp`` (dollars) over those states, and
        ``openness``; NaN in years without GDP data.

    Notes
    -----
    .. math:: O_t = \\frac{\\sum_{i \\in S_t} (M_{it} + X_{it})}{\\sum_{i \\in S_t} Y_{it}}

    over the set :math:`S_t` of states with both trade and GDP in year
    :math:`t`, a GDP-weighted mean of state openness.  World trade counts each
    flow twice (as one state's import and another's export).

    References
    ----------
    Barbieri, K., Keshk, O. M. G. & Pollins, B. 2009. Trading data: evaluating
    our assumptions and coding rules. Conflict Management and Peace Science 26.
    World Bank. World Development Indicators, NY.GDP.MKTP.CD.
    """
    table = openness(state_years, imports, exports, gdp, trade_unit)
    trade = table[imports].astype(np.float64) + table[exports].astype(np.float64)
    both = trade.notna() & table["openness"].notna()
    frame = pd.DataFrame(
        {
            "year": table["year"].to_numpy(),
            "trade": trade.to_numpy() * trade_unit,
            "has_trade": trade.notna().to_numpy(),
            "both": both.to_numpy(),
            "trade_both": trade.where(both).to_numpy() * trade_unit,
            "gdp_both": table[gdp].astype(np.float64).where(both).to_numpy(),
        }
    )
    out = frame.groupby("year", as_index=False).agg(
        world_trade=("trade", "sum"),
        states_trade=("has_trade", "sum"),
        states_both=("both", "sum"),
        trade_with_gdp=("trade_both", "sum"),
        gdp=("gdp_both", "sum"),
    )
    out.loc[out["states_trade"] == 0, "world_trade"] = np.nan
    has = out["states_both"] > 0
    out["openness"] = (out["trade_with_gdp"] / out["gdp"]).where(has)
    out.loc[~has, ["trade_with_gdp", "gdp"]] = np.nan
    return out


def globalization(layer, state_years: pd.DataFrame | None = None, **columns) -> pd.DataFrame:
    """Globalization over time: the density of a trade layer beside world trade openness.

    Parameters
    ----------
    layer
        A trade layer (year → graph); its density is the share of pairs of
        reporting states that trade.
    state_years
        Optional state-year table with imports, exports and GDP, for
        :func:`world_openness`; ``columns`` passes its column names.

    Returns
    -------
    pandas.DataFrame
        ``year, states, ties, density`` and, with ``state_years``, the columns
        of :func:`world_openness`.

    Notes
    -----
    Density :math:`D_t = 2 m_t / (n_t (n_t - 1))` over the :math:`n_t` states
    the trade source reports in year :math:`t`, and openness
    :math:`O_t = \\sum_i (M_{it} + X_{it}) / \\sum_i Y_{it}` (see
    :func:`density`, :func:`world_openness`).  In the reduced COW dyadic copy
    flows below half a million dollars are 0 and are not ties, so early
    densities are slightly understated.

    References
    ----------
    Kim, S. & Shin, E.-H. 2002. A longitudinal analysis of globalization and
    regionalization in international trade: a social network approach.
    Social Forces 81: 445-471.
    """
    out = density(layer)
    if state_years is not None:
        out = out.merge(world_openness(state_years, **columns), on="year", how="outer").sort_values("year")
    return out.reset_index(drop=True)


def world_trade_share(db=None) -> pd.DataFrame:
    """The World Bank's world trade openness: ``year, openness_wb`` (a share, 1970-2023).

    Exports plus imports of goods and services of the world over world GDP,
    as the World Bank aggregates them (WDI NE.TRD.GNFS.ZS, code WLD), divided
    by 100.  It runs nine years past COW trade.

    References
    ----------
    World Bank. World Development Indicators, NE.TRD.GNFS.ZS.
    """
    from worldorder.store import load

    table = load("wb_trade_share", db=db, columns=["iso3", "year", "trade_gdp_pct"])
    world = table[table["iso3"] == "WLD"].dropna(subset=["trade_gdp_pct"])
    return pd.DataFrame({"year": world["year"].to_numpy(np.int64), "openness_wb": world["trade_gdp_pct"].to_numpy(np.float64) / 100})


def load_openness(years=None, db=None) -> pd.DataFrame:
    """Globalization from the store: trade-network density and world openness for ``years``.

    Reads COW dyadic and national trade (1870-2014) and World Bank GDP
    (1960-); openness is NaN before 1960 since no current-dollar GDP series
    covers those years here.  ``openness_wb`` is the World Bank's own world
    trade openness (:func:`world_trade_share`), 1970-2023.
    """
    from worldorder.frames import add_gdp, add_trade, create_state_years
    from worldorder.networks.loading import load_layer

    layer = load_layer("trade", years=years, db=db)
    frame = create_state_years(years=years, db=db)
    frame = add_gdp(add_trade(frame, db=db), source="worldbank", db=db)
    out = globalization(layer, frame)
    out = out.merge(world_trade_share(db=db), on="year", how="outer").sort_values("year")
    counts = [c for c in ("states", "ties", "states_trade", "states_both") if c in out.columns]
    out[counts] = out[counts].astype("Int64")  # the outer merge made them floats
    if years is not None:
        from worldorder.years import Years

        out = Years.parse(years).select(out)
    return out.reset_index(drop=True)
