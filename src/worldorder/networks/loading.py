"""Reading a layer's sources from the store: the list of layers, :func:`check_layer` and :func:`load_layer`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.networks.edges import _SPAN, alliance_edges, atop_edges, contiguity_edges, dispute_edges, similarity_edges, trade_edges
from worldorder.networks.layers import Layer, NetworkError
from worldorder.networks.store_tables import _store_table, _system, _years

__all__ = ["LAYERS", "check_layer", "load_layer"]

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


def _members_only(edges: pd.DataFrame, system: pd.DataFrame) -> pd.DataFrame:
    """The edges whose two states are both members of the COW system in the edge's year.

    ATOP lists states before or outside their COW membership (Monaco, San Marino and Liechtenstein,
    Kiribati and Tuvalu in 1985; Ukraine and Belarus in 1990), and a layer whose vertices are the
    system's states keeps to them, as dyad-years built from the state list do.
    """
    members = system["year"].to_numpy(np.int64) * _SPAN + system["ccode"].to_numpy(np.int64)
    year = edges["year"].to_numpy(np.int64) * _SPAN
    keep = np.isin(year + edges["ccode1"].to_numpy(np.int64), members) & np.isin(year + edges["ccode2"].to_numpy(np.int64), members)
    return edges if keep.all() else edges[keep].reset_index(drop=True)


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
        return Layer(name, _members_only(edges, nodes), nodes=nodes, signed=name == "disputes", unit="tie", source=tables[0])
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
