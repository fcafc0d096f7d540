"""A layer of the international system: one weighted graph of ties between states per year.

A *layer* is one kind of tie between states — alliance, trade, UN-vote
similarity, contiguity, militarized dispute, gas flow — held as a tidy edge
table (``year, ccode1, ccode2, weight, ...``) and turned into an
:class:`igraph.Graph` for any year on demand.  Vertices are named by COW code
(the ``name`` attribute is the code as text, so that igraph never confuses a
code with a vertex index; ``ccode`` holds the integer and ``stateabb`` the
abbreviation).  The edge builders are in :mod:`.edges`, reading layers from the
store in :mod:`.loading`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from worldorder.errors import WorldOrderError

__all__ = ["Layer", "NetworkError", "layer_from_edges", "to_networkx"]


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
