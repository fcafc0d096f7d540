"""Dyadic layers of the international system as weighted graphs, one per year.

A *layer* is one kind of tie between states — alliance, trade, UN-vote
similarity, contiguity, militarized dispute, gas flow — held as a tidy edge
table (``year, ccode1, ccode2, weight, ...``) and turned into an
:class:`igraph.Graph` for any year on demand.  Vertices are named by COW code
(the ``name`` attribute is the code as text, so that igraph never confuses a
code with a vertex index; ``ccode`` holds the integer and ``stateabb`` the
abbreviation).

Two kinds of function live here:

* ``*_edges`` builders take a source table first and return a new edge table.
  They do no I/O and are vectorised (one sort or one ``groupby``, no Python
  loop over rows).
* :func:`load_layer` reads the sources from the store and wraps the edges in a
  :class:`Layer`.

Which states are vertices matters for density and centrality.  Sources that
list every event (alliances, contiguity, disputes) make every member of the COW
state system a vertex, since a state they do not list has no such tie.  Sources
with gaps (trade, UN votes, gas) make only the states they report on vertices:
a state absent from the trade file that year is unknown, not isolated.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from worldorder.errors import WorldOrderError

__all__ = [
    "LAYERS",
    "Layer",
    "NetworkError",
    "alliance_edges",
    "atop_edges",
    "check_layer",
    "contiguity_edges",
    "dispute_edges",
    "layer_from_edges",
    "load_layer",
    "similarity_edges",
    "to_networkx",
    "trade_edges",
]

_SPAN = 1000  # COW codes are below 1000


class NetworkError(WorldOrderError, ValueError):
    """A network function was given something it cannot use (a missing column, an unknown layer or name)."""


# -- the Layer ----------------------------------------------------------------------
@dataclass(eq=False)
class Layer(Mapping):
    """One kind of tie as a weighted graph per year.

    ``layer[1985]`` is the :class:`igraph.Graph` of 1985, built on first use and
    kept.  Iterating gives the years.

    Parameters
    ----------
    name
        Short name (``"trade"``, ``"alliance"`` ...).
    edges
        ``year, ccode1, ccode2, weight`` and any further edge attributes.  For an
        undirected layer each pair appears once per year; for a directed layer
        ``ccode1 → ccode2``.
    nodes
        ``year, ccode, stateabb``: the vertices of each year.  When None, the
        vertices are the states at the ends of the edges.
    directed, signed
        Whether ties have a direction, and whether weights may be negative.
    unit
        Unit of ``weight`` (for labels).
    source
        The data set(s) behind the layer, for citations.
    """

    name: str
    edges: pd.DataFrame
    nodes: pd.DataFrame | None = None
    directed: bool = False
    signed: bool = False
    unit: str = ""
    source: str = ""
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        _require(self.edges, ("year", "ccode1", "ccode2", "weight"), "Layer edges")
        self.edges = self.edges.sort_values(["year", "ccode1", "ccode2"], kind="stable").reset_index(drop=True)
        self._edge_rows = _year_slices(self.edges["year"].to_numpy(np.int64))
        if self.nodes is not None:
            _require(self.nodes, ("year", "ccode"), "Layer nodes")
            nodes = self.nodes
            if "stateabb" not in nodes.columns:
                nodes = nodes.assign(stateabb=nodes["ccode"].astype(str))
            self.nodes = nodes.drop_duplicates(["year", "ccode"]).sort_values(["year", "ccode"]).reset_index(drop=True)
            self._node_rows = _year_slices(self.nodes["year"].to_numpy(np.int64))
        else:
            self._node_rows = {}
        self._years = sorted(set(self._edge_rows) | set(self._node_rows))
        self._abb = _abbreviations(self.edges, self.nodes)

    # Mapping protocol: years -> graphs
    def __getitem__(self, year: int):
        year = int(year)
        if year not in self._cache:
            if year not in self._edge_rows and year not in self._node_rows:
                span = f"{self._years[0]}-{self._years[-1]}" if self._years else "no years"
                raise KeyError(f"The {self.name} layer has no data for {year} (it covers {span}).")
            self._cache[year] = self._build(year)
        return self._cache[year]

    def __iter__(self) -> Iterator[int]:
        return iter(self._years)

    def __len__(self) -> int:
        return len(self._years)

    def __contains__(self, year) -> bool:
        try:
            return int(year) in self._edge_rows or int(year) in self._node_rows
        except (TypeError, ValueError):
            return False

    def __repr__(self) -> str:
        span = f"{self._years[0]}-{self._years[-1]}" if self._years else "empty"
        kind = "directed" if self.directed else "undirected"
        return f"<Layer {self.name!r}: {kind}{', signed' if self.signed else ''}, {span}, {len(self.edges):,} ties>"

    @property
    def years(self) -> list[int]:
        """The years with vertices or ties, ascending."""
        return list(self._years)

    def edges_of(self, year: int) -> pd.DataFrame:
        """The edge rows of ``year``."""
        start, end = self._edge_rows.get(int(year), (0, 0))
        return self.edges.iloc[start:end]

    def graph(self, year: int):
        """The graph of ``year`` (same as ``layer[year]``)."""
        return self[year]

    def to_networkx(self, year: int):
        """The graph of ``year`` as a :mod:`networkx` graph keyed by COW code."""
        return to_networkx(self[year])

    def _build(self, year: int):
        import igraph as ig

        edges = self.edges_of(year)
        c1 = edges["ccode1"].to_numpy(np.int64)
        c2 = edges["ccode2"].to_numpy(np.int64)
        codes = np.union1d(c1, c2)
        if year in self._node_rows:
            start, end = self._node_rows[year]
            codes = np.union1d(codes, self.nodes["ccode"].to_numpy(np.int64)[start:end])
        graph = ig.Graph(n=len(codes), directed=self.directed)
        if len(edges):
            graph.add_edges(np.column_stack([np.searchsorted(codes, c1), np.searchsorted(codes, c2)]))
        graph.vs["name"] = [str(c) for c in codes]
        graph.vs["ccode"] = codes.tolist()
        year_abb = {}
        if year in self._node_rows:  # the abbreviation of that year (345 is YUG to 2005, SRB after)
            start, end = self._node_rows[year]
            year_abb = dict(zip(self.nodes["ccode"].to_numpy()[start:end].tolist(), self.nodes["stateabb"].to_numpy()[start:end].tolist()))
        graph.vs["stateabb"] = [str(year_abb.get(int(c)) or self._abb.get(int(c), str(c))) for c in codes]
        for column in edges.columns:
            if column in ("year", "ccode1", "ccode2"):
                continue
            values = edges[column]
            if pd.api.types.is_numeric_dtype(values):
                graph.es[column] = values.to_numpy(np.float64, na_value=np.nan).tolist()
            else:
                graph.es[column] = values.astype(str).tolist()
        graph["layer"] = self.name
        graph["year"] = int(year)
        graph["signed"] = self.signed
        graph["unit"] = self.unit
        return graph


def _require(table: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise NetworkError(f"{what} lack the column(s) {', '.join(missing)}; found {', '.join(map(str, table.columns))}.")


def _year_slices(years: np.ndarray) -> dict[int, tuple[int, int]]:
    """{year: (start, end)} of the runs of equal values in sorted ``years``."""
    if len(years) == 0:
        return {}
    cuts = np.flatnonzero(np.diff(years)) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [len(years)]])
    return {int(years[s]): (int(s), int(e)) for s, e in zip(starts, ends)}


def _abbreviations(edges: pd.DataFrame, nodes: pd.DataFrame | None) -> dict[int, str]:
    abb: dict[int, str] = {}
    for side in ("1", "2"):
        if f"stateabb{side}" in edges.columns:
            pairs = edges[[f"ccode{side}", f"stateabb{side}"]].drop_duplicates(f"ccode{side}")
            abb.update(zip(pairs.iloc[:, 0].astype(int), pairs.iloc[:, 1].astype(str)))
    if nodes is not None and "stateabb" in nodes.columns:
        latest = nodes.drop_duplicates("ccode", keep="last")
        abb.update(zip(latest["ccode"].astype(int), latest["stateabb"].astype(str)))
    return abb


def layer_from_edges(
    edges: pd.DataFrame,
    name: str = "custom",
    nodes: pd.DataFrame | None = None,
    directed: bool = False,
    signed: bool | None = None,
    unit: str = "",
    source: str = "",
) -> Layer:
    """Wrap an edge table ``year, ccode1, ccode2, weight, ...`` as a :class:`Layer`.

    A table without ``year`` is taken as one year, 0.  Without ``weight`` every
    tie weighs 1.  ``signed`` defaults to whether any weight is negative.
    """
    edges = edges.copy()
    if "year" not in edges.columns:
        edges["year"] = 0
    if "weight" not in edges.columns:
        edges["weight"] = 1.0
    if signed is None:
        signed = bool((edges["weight"] < 0).any())
    return Layer(name=name, edges=edges, nodes=nodes, directed=directed, signed=signed, unit=unit, source=source)


def to_networkx(graph):
    """An :class:`igraph.Graph` as a :mod:`networkx` ``Graph``/``DiGraph`` keyed by COW code.

    Vertex attributes (``stateabb`` ...) become node attributes, edge
    attributes (``weight`` ...) edge attributes; graph attributes are kept.
    """
    import networkx as nx

    out = nx.DiGraph() if graph.is_directed() else nx.Graph()
    out.graph.update({key: graph[key] for key in graph.attributes()})
    attributes = graph.vs.attributes()
    keys = graph.vs["ccode"] if "ccode" in attributes else list(range(graph.vcount()))
    out.add_nodes_from(
        (key, {a: graph.vs[i][a] for a in attributes if a != "name"}) for i, key in enumerate(keys)
    )
    edge_attributes = graph.es.attributes()
    columns = {a: graph.es[a] for a in edge_attributes}
    out.add_edges_from(
        (keys[s], keys[t], {a: columns[a][i] for a in edge_attributes})
        for i, (s, t) in enumerate(graph.get_edgelist())
    )
    return out


# -- shared steps of the builders ------------------------------------------------------
def _undirected(table: pd.DataFrame) -> pd.DataFrame:
    """Put each pair as (smaller code, larger code)."""
    c1 = table["ccode1"].to_numpy(np.int64)
    c2 = table["ccode2"].to_numpy(np.int64)
    return table.assign(ccode1=np.minimum(c1, c2), ccode2=np.maximum(c1, c2))


def _years(table: pd.DataFrame, years) -> pd.DataFrame:
    from worldorder.years import parse_years

    span = parse_years(years)  # no year in the span: an empty layer, which says what it holds
    return table if span is None else table[(table["year"] >= span[0]) & (table["year"] <= span[1])]


# -- alliances -------------------------------------------------------------------------
COW_TYPES = ("defense", "neutrality", "nonaggression", "entente")
ATOP_TYPES = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")


def _ordinal(flags: pd.DataFrame, levels: Mapping[str, int]) -> np.ndarray:
    value = np.zeros(len(flags))
    for column, level in levels.items():
        value = np.maximum(value, np.where(flags[column].to_numpy(np.float64, na_value=0) > 0, level, 0))
    return value


_COW_LEVELS = {"defense": 3, "neutrality": 2, "nonaggression": 2, "entente": 1}
_ATOP_LEVELS = {"atop_defense": 3, "atop_offense": 3, "atop_neutral": 2, "atop_nonagg": 2, "atop_consul": 1}


def alliance_edges(members: pd.DataFrame, types: Iterable[str] | None = None, weighting: str = "binary") -> pd.DataFrame:
    """Alliance ties from the COW member-year file: one row per allied pair and year.

    Parameters
    ----------
    members
        COW Formal Alliances v4.1 member-years: ``version4id, ccode, year,
        defense, neutrality, nonaggression, entente``.
    types
        Keep only ties with at least one of these obligations (``"defense"``,
        ``"neutrality"``, ``"nonaggression"``, ``"entente"``); all when None.
    weighting
        ``"binary"``: every tie weighs 1.  ``"ordinal"``: 3 for a defence pact,
        2 for neutrality or non-aggression, 1 for an entente (the strongest
        obligation between the pair).

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2`` (``ccode1 < ccode2``), the four 0/1 type flags,
        ``alliances`` (number of alliances the pair shares) and ``weight``.

    Notes
    -----
    Members of the same alliance in the same year are paired.  A pair's type
    flag is 1 when either member carries that obligation in any alliance the
    two share (member-level obligations can differ within an alliance).

    References
    ----------
    Gibler, D. M. 2009. International Military Alliances, 1648-2008. CQ Press.
    Small, M. & Singer, J. D. 1969. Formal alliances, 1816-1965: an extension
    of the basic data. Journal of Peace Research 6: 257-282.
    """
    _require(members, ("version4id", "ccode", "year", *COW_TYPES), "COW alliance member-years")
    members = members[["version4id", "ccode", "year", *COW_TYPES]]
    pairs = members.merge(members, on=["version4id", "year"], suffixes=("1", "2"))
    pairs = pairs[pairs["ccode1"] < pairs["ccode2"]]
    flags = pd.DataFrame(
        {t: np.fmax(pairs[f"{t}1"].to_numpy(np.float64, na_value=np.nan), pairs[f"{t}2"].to_numpy(np.float64, na_value=np.nan)) for t in COW_TYPES}
    )
    flags = flags.fillna(0.0)
    flags[["year", "ccode1", "ccode2", "version4id"]] = pairs[["year", "ccode1", "ccode2", "version4id"]].to_numpy()
    edges = flags.groupby(["year", "ccode1", "ccode2"], as_index=False).agg(
        **{t: (t, "max") for t in COW_TYPES}, alliances=("version4id", "nunique")
    )
    return _typed_weights(edges, COW_TYPES, _COW_LEVELS, types, weighting)


def atop_edges(atop: pd.DataFrame, types: Iterable[str] | None = None, weighting: str = "binary") -> pd.DataFrame:
    """Alliance ties from ATOP dyad-years (as distributed by peacesciencer).

    Parameters
    ----------
    atop
        ``ccode1, ccode2, year, atop_defense, atop_offense, atop_neutral,
        atop_nonagg, atop_consul`` (undirected).
    types
        Keep only ties with one of these obligations (names with or without
        the ``atop_`` prefix).
    weighting
        ``"binary"`` or ``"ordinal"`` (3 defence or offence, 2 neutrality or
        non-aggression, 1 consultation).

    References
    ----------
    Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. 2002. Alliance
    Treaty Obligations and Provisions, 1815-1944. International Interactions
    28: 237-260.
    """
    _require(atop, ("ccode1", "ccode2", "year", *ATOP_TYPES), "ATOP dyad-years")
    table = _undirected(atop[["year", "ccode1", "ccode2", *ATOP_TYPES]])
    table = table[table["ccode1"] != table["ccode2"]]
    edges = table.groupby(["year", "ccode1", "ccode2"], as_index=False)[list(ATOP_TYPES)].max()
    edges[list(ATOP_TYPES)] = edges[list(ATOP_TYPES)].fillna(0.0).astype(np.float64)
    if types is not None:
        types = [t if t.startswith("atop_") else f"atop_{t}" for t in types]
    return _typed_weights(edges, ATOP_TYPES, _ATOP_LEVELS, types, weighting)


def _typed_weights(edges, all_types, levels, types, weighting) -> pd.DataFrame:
    if types is not None:
        types = list(types)
        unknown = [t for t in types if t not in all_types]
        if unknown:
            raise NetworkError(f"Unknown alliance type(s) {unknown}; choose from {', '.join(all_types)}.")
        edges = edges[(edges[types] > 0).any(axis=1)]
    if weighting == "binary":
        weight = np.ones(len(edges))
    elif weighting == "ordinal":
        weight = _ordinal(edges, levels)
    else:
        raise NetworkError(f"weighting must be 'binary' or 'ordinal', not {weighting!r}.")
    edges = edges.assign(weight=weight)
    for column in ("year", "ccode1", "ccode2"):
        edges[column] = edges[column].astype(np.int64)
    return edges.reset_index(drop=True)


# -- trade --------------------------------------------------------------------------------
def trade_edges(dyadic: pd.DataFrame, flow: str = "total", smoothed: bool = False) -> pd.DataFrame:
    """Trade ties from COW dyadic trade, with each flow as a share of each side's trade.

    Parameters
    ----------
    dyadic
        ``ccode1, ccode2, year, flow1, flow2`` (``flow1`` is ccode1's imports
        from ccode2, millions of current US dollars), as in COW Trade v4.0.
    flow
        ``"total"``: undirected ties weighted by ``flow1 + flow2``.
        ``"directed"``: one tie exporter → importer per positive flow,
        weighted by the importer's reported imports.
    smoothed
        Use COW's smoothed series (``smoothflow1/2``).

    Returns
    -------
    pandas.DataFrame
        ``"total"``: ``year, ccode1, ccode2, flow1, flow2, weight, share1,
        share2`` where ``share1`` is the pair's trade as a share of ccode1's
        total trade.  ``"directed"``: ``year, ccode1`` (exporter), ``ccode2``
        (importer), ``weight``, ``share_exporter`` (of the exporter's exports)
        and ``share_importer`` (of the importer's imports).

    Notes
    -----
    A state's total trade is the sum over its partners in the same table,
    :math:`T_i = \\sum_j (m_{ij} + m_{ji})`, so the shares of each state sum
    to one over its partners.  Dyad-years with a missing flow are left out of
    the total layer (their total is unknown, not zero), and ties of zero
    weight are dropped (the reduced COW copy rounds flows below 0.5 million
    to 0).  In the directed layer each known flow is kept on its own.

    Gaps of the source show as missing ties, not as zero trade: in the
    reduced copy West Germany (260) has dyadic rows only with Belgium and
    Luxembourg from 1960 to 1989, and many dyads are absent during the two
    World Wars, so centrality and blocs in those years reflect the data's
    coverage as much as trade.

    References
    ----------
    Barbieri, K., Keshk, O. M. G. & Pollins, B. 2009. Trading data: evaluating
    our assumptions and coding rules. Conflict Management and Peace Science
    26: 471-491.
    """
    first, second = ("smoothflow1", "smoothflow2") if smoothed else ("flow1", "flow2")
    _require(dyadic, ("ccode1", "ccode2", "year", first, second), "Dyadic trade")
    c1 = dyadic["ccode1"].to_numpy(np.int64)
    c2 = dyadic["ccode2"].to_numpy(np.int64)
    year = dyadic["year"].to_numpy(np.int64)
    f1 = dyadic[first].to_numpy(np.float64, na_value=np.nan)
    f2 = dyadic[second].to_numpy(np.float64, na_value=np.nan)
    f1 = np.where(f1 < 0, np.nan, f1)  # -9 if a raw COW file is passed
    f2 = np.where(f2 < 0, np.nan, f2)
    if flow == "total":
        total = f1 + f2
        keep = np.isfinite(total) & (total > 0) & (c1 != c2)
        swap = c1 > c2
        a, b = np.where(swap, c2, c1), np.where(swap, c1, c2)
        fa, fb = np.where(swap, f2, f1), np.where(swap, f1, f2)
        edges = pd.DataFrame({"year": year, "ccode1": a, "ccode2": b, "flow1": fa, "flow2": fb, "weight": total})[keep]
        edges = edges.drop_duplicates(["year", "ccode1", "ccode2"])
        totals = _state_sums(
            np.concatenate([edges["year"], edges["year"]]),
            np.concatenate([edges["ccode1"], edges["ccode2"]]),
            np.concatenate([edges["weight"], edges["weight"]]),
        )
        edges["share1"] = edges["weight"].to_numpy() / totals(edges["year"], edges["ccode1"])
        edges["share2"] = edges["weight"].to_numpy() / totals(edges["year"], edges["ccode2"])
        return edges.reset_index(drop=True)
    if flow == "directed":
        # flow1 = ccode1's imports from ccode2: a tie ccode2 -> ccode1
        exporter = np.concatenate([c2, c1])
        importer = np.concatenate([c1, c2])
        value = np.concatenate([f1, f2])
        years = np.concatenate([year, year])
        keep = np.isfinite(value) & (value > 0) & (exporter != importer)
        edges = pd.DataFrame({"year": years, "ccode1": exporter, "ccode2": importer, "weight": value})[keep]
        edges = edges.drop_duplicates(["year", "ccode1", "ccode2"])
        exports = _state_sums(edges["year"], edges["ccode1"], edges["weight"])
        imports = _state_sums(edges["year"], edges["ccode2"], edges["weight"])
        edges["share_exporter"] = edges["weight"].to_numpy() / exports(edges["year"], edges["ccode1"])
        edges["share_importer"] = edges["weight"].to_numpy() / imports(edges["year"], edges["ccode2"])
        return edges.reset_index(drop=True)
    raise NetworkError(f"flow must be 'total' or 'directed', not {flow!r}.")


def _state_sums(year, ccode, value):
    """Sum ``value`` by (year, ccode); return a look-up function (year, ccode) -> sum."""
    keys = np.asarray(year, np.int64) * _SPAN + np.asarray(ccode, np.int64)
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.bincount(inverse, weights=np.asarray(value, np.float64), minlength=len(unique))

    def lookup(y, c):
        query = np.asarray(y, np.int64) * _SPAN + np.asarray(c, np.int64)
        return sums[np.searchsorted(unique, query)]

    return lookup


# -- UN General Assembly similarity ---------------------------------------------------
def similarity_edges(ideal_points: pd.DataFrame, estimate: str = "idealpointfp", threshold: float | None = None) -> pd.DataFrame:
    """Ties of foreign-policy similarity from UN General Assembly ideal points.

    Parameters
    ----------
    ideal_points
        ``ccode, year`` and the ideal-point column ``estimate``.
    estimate
        ``"idealpointfp"`` (default), ``"idealpointall"`` or ``"idealpointlegacy"``.
    threshold
        Keep only ties with similarity at least this (0-1); all pairs when None.

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2, distance, weight`` with weight the similarity.

    Notes
    -----
    For states :math:`i, j` with ideal points :math:`x_i, x_j` in year
    :math:`t`,

    .. math:: s_{ij} = 1 - \\frac{|x_i - x_j|}{\\max_k x_k - \\min_k x_k},

    so the two most distant states of the year have similarity 0 and identical
    positions 1.  Every pair of states with an ideal point is a tie (a complete
    weighted graph) unless ``threshold`` is set.

    References
    ----------
    Bailey, M. A., Strezhnev, A. & Voeten, E. 2017. Estimating dynamic state
    preferences from United Nations voting data. Journal of Conflict
    Resolution 61: 430-456.
    """
    _require(ideal_points, ("ccode", "year", estimate), "Ideal points")
    table = ideal_points[["year", "ccode", estimate]].dropna().drop_duplicates(["year", "ccode"])
    table = table.sort_values(["year", "ccode"])
    years = table["year"].to_numpy(np.int64)
    codes = table["ccode"].to_numpy(np.int64)
    points = table[estimate].to_numpy(np.float64)
    parts = []
    for year, (start, end) in _year_slices(years).items():
        x = points[start:end]
        i, j = np.triu_indices(end - start, k=1)
        distance = np.abs(x[i] - x[j])
        spread = x.max() - x.min()
        similarity = 1.0 - distance / spread if spread > 0 else np.ones_like(distance)
        parts.append((np.full(len(i), year), codes[start:end][i], codes[start:end][j], distance, similarity))
    if not parts:
        return pd.DataFrame({c: [] for c in ("year", "ccode1", "ccode2", "distance", "weight")})
    edges = pd.DataFrame({name: np.concatenate([p[k] for p in parts]) for k, name in enumerate(("year", "ccode1", "ccode2", "distance", "weight"))})
    edges[["year", "ccode1", "ccode2"]] = edges[["year", "ccode1", "ccode2"]].astype(np.int64)
    if threshold is not None:
        edges = edges[edges["weight"] >= threshold]
    return edges.reset_index(drop=True)


# -- contiguity and disputes ------------------------------------------------------------
def contiguity_edges(contiguity: pd.DataFrame, max_type: int = 5) -> pd.DataFrame:
    """Contiguity ties from COW Direct Contiguity (directed dyad-years).

    Parameters
    ----------
    contiguity
        ``ccode1, ccode2, year, conttype``.
    max_type
        Keep ``conttype <= max_type``: 1 land or river border only; 5 also
        separation by up to 400 miles of water.

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2, conttype, weight`` (weight 1), ``ccode1 < ccode2``.

    References
    ----------
    Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F. & Gochman, C. 2002.
    The Correlates of War Project direct contiguity data, version 3.
    Conflict Management and Peace Science 19: 58-66.
    """
    _require(contiguity, ("ccode1", "ccode2", "year", "conttype"), "Contiguity")
    table = _undirected(contiguity[["year", "ccode1", "ccode2", "conttype"]])
    table = table[(table["conttype"] <= max_type) & (table["ccode1"] != table["ccode2"])]
    edges = table.groupby(["year", "ccode1", "ccode2"], as_index=False)["conttype"].min()
    edges["weight"] = 1.0
    return edges


def dispute_edges(disputes: pd.DataFrame, weighting: str = "binary") -> pd.DataFrame:
    """Negative ties between states on opposite sides of a militarized dispute.

    Parameters
    ----------
    disputes
        Dyadic MID dispute-dyad-years: ``ccode1, ccode2, year, hihost`` (and
        ``disno`` when available).
    weighting
        ``"binary"``: weight −1.  ``"hostility"``: weight −hihost, the highest
        hostility level of the disputes (1 none … 5 war).

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2, hihost, disputes, weight`` (``ccode1 < ccode2``).

    References
    ----------
    Maoz, Z., Johnson, P. L., Kaplan, J., Ogunkoya, F. & Shreve, A. P. 2019.
    The dyadic militarized interstate disputes (MIDs) dataset version 3.0.
    Journal of Conflict Resolution 63: 811-835.
    """
    _require(disputes, ("ccode1", "ccode2", "year", "hihost"), "Disputes")
    columns = ["year", "ccode1", "ccode2", "hihost"] + (["disno"] if "disno" in disputes.columns else [])
    table = _undirected(disputes[columns])
    table = table[table["ccode1"] != table["ccode2"]]
    if "disno" not in table.columns:
        table = table.assign(disno=np.arange(len(table)))
    edges = table.groupby(["year", "ccode1", "ccode2"], as_index=False).agg(hihost=("hihost", "max"), disputes=("disno", "nunique"))
    if weighting == "binary":
        edges["weight"] = -1.0
    elif weighting == "hostility":
        edges["weight"] = -edges["hihost"].astype(np.float64).fillna(1.0)
    else:
        raise NetworkError(f"weighting must be 'binary' or 'hostility', not {weighting!r}.")
    return edges


# -- loading layers from the store ----------------------------------------------------
#: Layer name → (store tables it reads, one-line description).
LAYERS: dict[str, tuple[tuple[str, ...], str]] = {
    "alliance": (("ps_atop_alliance",), "ATOP v5.1 alliances, 1815-2018 (undirected; typed; the default alliance source)"),
    "atop": (("ps_atop_alliance",), "ATOP v5.1 alliances, 1815-2018 (undirected; typed; same as alliance)"),
    "cow_alliance": (("cow_alliance_4_1",), "COW Formal Alliances v4.1, 1816-2012 (undirected; typed; only by explicit choice)"),
    "trade": (("cow_trade_dyadic_4",), "COW Trade v4.0 dyadic, 1870-2014, millions of current US$"),
    "unga": (("unga_ideal_points_2025",), "UNGA ideal-point similarity, 1946-2024 (complete weighted graph)"),
    "contiguity": (("cow_contiguity_3_2",), "COW Direct Contiguity v3.2, 1816-2016"),
    "disputes": (("cow_mid_dyadic_4_02",), "Dyadic MID v4.02, 1816-2014, negative ties"),
    "gas": (("iea_gas_trade_flows_2022_09",), "IEA Gas Trade Flows, Oct 2008-Sep 2022, million m3 of physical border flows (directed)"),
    "gas_2022_04": (("iea_gas_trade_flows_2022_04",), "IEA Gas Trade Flows, April 2022 file, Oct 2008-Apr 2022, million m3 (directed)"),
    "gas_bp": (("bp_gas_pipeline_trade_2020",), "bp Statistical Review 2021, pipeline trade 2020, bcm (directed)"),
}
_SYSTEM = "cow_system_2024"


def _store_table(name: str, db):
    from worldorder.store import Store, open_store

    store = db if isinstance(db, Store) else open_store(db)
    store.ensure([name])
    return _cached(str(store.path), name, store.stamp(name))


@lru_cache(maxsize=16)
def _cached(path: str, name: str, stamp) -> pd.DataFrame:
    from worldorder.store import open_store

    return open_store(path).table(name)


def _system(db, years=None) -> pd.DataFrame:
    return _years(_store_table(_SYSTEM, db)[["ccode", "stateabb", "year"]], years)


def _source_nodes(edges: pd.DataFrame, system: pd.DataFrame, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Vertices = states at the ends of the edges (and ``extra``), with COW abbreviations."""
    parts = [edges[["year", "ccode1"]].rename(columns={"ccode1": "ccode"}), edges[["year", "ccode2"]].rename(columns={"ccode2": "ccode"})]
    if extra is not None:
        parts.append(extra[["year", "ccode"]])
    nodes = pd.concat(parts, ignore_index=True).drop_duplicates()
    nodes = nodes.merge(system[["year", "ccode", "stateabb"]], on=["year", "ccode"], how="left")
    latest = system.drop_duplicates("ccode", keep="last").set_index("ccode")["stateabb"]
    fallback = nodes["ccode"].map(latest).astype(object).where(lambda s: s.notna(), nodes["ccode"].astype(str))
    nodes["stateabb"] = nodes["stateabb"].astype(object).where(nodes["stateabb"].notna(), fallback)
    return nodes


def check_layer(name: str) -> tuple[tuple[str, ...], str]:
    """The (store tables, description) of layer ``name``; the closest names when it is unknown."""
    if name not in LAYERS:
        import difflib

        close = difflib.get_close_matches(name, list(LAYERS), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise NetworkError(f"No layer named {name!r}.{hint} Layers: {', '.join(LAYERS)}.")
    return LAYERS[name]


def load_layer(name: str, years=None, db=None, **options) -> Layer:
    """Read a layer's sources from the store and return it as a :class:`Layer`.

    Parameters
    ----------
    name
        ``"alliance"`` (ATOP, also named ``"atop"``), ``"cow_alliance"`` (COW
        Formal Alliances, by explicit choice only: its maintainer asks that
        software not wrap it, and a notice says so once), ``"trade"``,
        ``"unga"``, ``"contiguity"``, ``"disputes"``, ``"gas"`` (IEA, to
        September 2022), ``"gas_2022_04"`` (the April 2022 IEA file) or ``"gas_bp"``.
    years
        Limit to these years (``1985``, ``"1870-2014"``, ``(1946, 1989)``).
    db
        Store path or :class:`~worldorder.store.Store`; default the usual store.
    **options
        Passed to the builder: ``types``/``weighting`` (alliances),
        ``flow``/``smoothed`` (trade), ``estimate``/``threshold`` (unga),
        ``max_type`` (contiguity), ``weighting`` (disputes).

    Examples
    --------
    >>> trade = load_layer("trade", years="2010-2014")  # doctest: +SKIP
    >>> trade[2014].vcount()  # doctest: +SKIP
    """
    tables, description = check_layer(name)
    if name in ("alliance", "atop", "cow_alliance", "contiguity", "disputes"):
        if name == "cow_alliance":
            from worldorder.frames import cow_alliance_notice

            cow_alliance_notice()
        source = _years(_store_table(tables[0], db), years)
        builder = {"alliance": atop_edges, "atop": atop_edges, "cow_alliance": alliance_edges,
                   "contiguity": contiguity_edges, "disputes": dispute_edges}[name]
        edges = builder(source, **options)
        system = _system(db, years)
        first, last = _coverage(tables[0])
        nodes = system[(system["year"] >= first) & (system["year"] <= last)]
        return Layer(name, edges, nodes=nodes, signed=name == "disputes", unit="tie", source=tables[0])
    system = _system(db)
    if name == "trade":
        edges = trade_edges(_years(_store_table(tables[0], db), years), **options)
        directed = options.get("flow", "total") == "directed"
        return Layer(name, edges, nodes=_source_nodes(edges, system), directed=directed, unit="million current US$", source=tables[0])
    if name == "unga":
        points = _years(_store_table(tables[0], db), years)
        edges = similarity_edges(points, **options)
        estimate = options.get("estimate", "idealpointfp")
        extra = points[points[estimate].notna()]
        return Layer(name, edges, nodes=_source_nodes(edges, system, extra), unit="similarity (0-1)", source=tables[0])
    from worldorder.networks.gas import _iea_table, bp_gas_edges, gas_edges, gas_flows

    if name in ("gas", "gas_2022_04"):
        # gaps and aggregate rows are found on the whole file, then the years are chosen
        flows = _years(gas_flows(_iea_table(db, tables[0]), states=system.drop_duplicates("ccode", keep="last")), years)
        edges = gas_edges(flows, **options)
        return Layer(name, edges, nodes=_source_nodes(edges, system), directed=True, unit="million m3", source=tables[0])
    edges = bp_gas_edges(_years(_store_table(tables[0], db), years))
    return Layer(name, edges, nodes=_source_nodes(edges, system), directed=True, unit="bcm", source=tables[0])


def _coverage(name: str) -> tuple[int, int]:
    from worldorder.frames import coverage

    return coverage(name)
