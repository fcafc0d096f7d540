"""Centrality and blocs for every year of the trade and alliance layers: worldorder (igraph) vs networkx.

For each year of the COW trade layer (1870-2014, ties weighted by total trade)
and the COW alliance layer (1816-2012), both sides compute

* eigenvector centrality (weighted),
* betweenness centrality (weighted, tie length 1/w, normalised),
* blocs: Leiden (leidenalg, seeded) for worldorder, Louvain
  (``networkx.community.louvain_communities``, seeded) as the networkx baseline.

The worldorder side runs the library's own functions (``centrality``,
``blocs``), table building included.  The networkx side gets its graphs built
beforehand, with the length attribute precomputed, so only the algorithms are
timed.  Graph construction is timed separately for both.  The script checks
that both sides agree (eigenvector and betweenness values, modularity of the
blocs) and prints times and the ratio.

Leiden runs on igraph's C implementation by default (what ``blocs`` uses for
undirected layers); ``--engine leidenalg`` times the leidenalg package instead.

Run: ``WORLDORDER_DATA_DIR=../shared/data python benchmarks/bench_networks.py [--step N] [--layers trade,alliance] [--engine leidenalg]``
"""

from __future__ import annotations

import argparse
import time
import warnings

import igraph  # noqa: F401  (imported here so that its import time is not counted as graph building)
import networkx as nx
import numpy as np

from worldorder.networks.blocs import blocs
from worldorder.networks.layers import load_layer, to_networkx
from worldorder.networks.metrics import centrality


ENGINE = "auto"


def worldorder_side(graphs: dict, seed: int) -> dict:
    """The library's own calls over every year: three tables, one row per state-year."""
    eig = centrality(graphs, "eigenvector")
    btw = centrality(graphs, "betweenness")
    bl = blocs(graphs, seed=seed, engine=ENGINE)
    out = {}
    for year in graphs:
        e, b, c = (t[t["year"] == year] for t in (eig, btw, bl))
        out[year] = (dict(zip(e["ccode"], e["eigenvector"])), dict(zip(b["ccode"], b["betweenness"])), dict(zip(c["ccode"], c["bloc"])))
    return out


def worldorder_timed(graphs: dict, seed: int) -> float:
    start = time.perf_counter()
    centrality(graphs, "eigenvector")
    centrality(graphs, "betweenness")
    blocs(graphs, seed=seed, engine=ENGINE)
    return time.perf_counter() - start


FALLBACKS: list = []


def networkx_eigenvector(graph) -> dict:
    """Power iteration (networkx's default); where it does not converge (two components with
    the same leading eigenvalue), networkx's ARPACK version on the component of largest eigenvalue."""
    if graph.number_of_edges() == 0:
        return dict.fromkeys(graph, 0.0)
    try:
        return nx.eigenvector_centrality(graph, weight="weight", max_iter=1000, tol=1e-8)
    except nx.PowerIterationFailedConvergence:
        FALLBACKS.append(graph.graph.get("year"))
        best, best_value = None, -1.0
        for nodes in nx.connected_components(graph):
            if len(nodes) < 2:
                continue
            sub = graph.subgraph(nodes)
            values = nx.eigenvector_centrality_numpy(sub, weight="weight") if len(nodes) > 2 else dict.fromkeys(nodes, 1.0)
            leading = max(sum(abs(d["weight"]) for _, _, d in sub.edges(node, data=True)) for node in nodes)
            if leading > best_value:
                best, best_value = values, leading
        out = dict.fromkeys(graph, 0.0)
        out.update(best or {})
        return out


def networkx_side(graphs: dict, seed: int) -> dict:
    out = {}
    for year, graph in graphs.items():
        eig = networkx_eigenvector(graph)
        btw = nx.betweenness_centrality(graph, weight="length", normalized=True)
        communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
        out[year] = (eig, btw, {node: k for k, members in enumerate(communities) for node in members})
    return out


def modularity(graph, membership: dict) -> float:
    if graph.number_of_edges() == 0:
        return float("nan")
    groups: dict = {}
    for node, label in membership.items():
        groups.setdefault(label, set()).add(node)
    return nx.community.modularity(graph, list(groups.values()), weight="weight")


def compare(ig_results: dict, nx_results: dict, nx_graphs: dict) -> tuple[float, float, float]:
    """Largest gaps in scaled eigenvector and betweenness, and mean modularity gap (Leiden − Louvain)."""
    eig_gap = btw_gap = 0.0
    modularity_gap = []
    for year, (eig, btw, bl) in ig_results.items():
        n_eig, n_btw, n_bl = nx_results[year]
        top = max(n_eig.values()) if n_eig and max(n_eig.values()) > 0 else 1.0
        eig_gap = max(eig_gap, max(abs(eig[c] - n_eig[c] / top) for c in eig) if eig else 0.0)
        btw_gap = max(btw_gap, max(abs(btw[c] - n_btw[c]) for c in btw) if btw else 0.0)
        graph = nx_graphs[year]
        if graph.number_of_edges():
            modularity_gap.append(modularity(graph, bl) - modularity(graph, n_bl))
    return eig_gap, btw_gap, float(np.mean(modularity_gap)) if modularity_gap else float("nan")


def run_layer(name: str, years: str, step: int, seed: int) -> tuple[float, float]:
    start = time.perf_counter()
    layer = load_layer(name, years=years)
    loaded = time.perf_counter() - start
    selected = layer.years[::step]
    start = time.perf_counter()
    graphs = {year: layer[year] for year in selected}
    ig_build = time.perf_counter() - start
    start = time.perf_counter()
    nx_graphs = {}
    for year, graph in graphs.items():
        converted = to_networkx(graph)
        for _, _, data in converted.edges(data=True):
            data["length"] = 1.0 / abs(data["weight"])
        nx_graphs[year] = converted
    nx_build = time.perf_counter() - start
    ties = sum(g.ecount() for g in graphs.values())
    print(f"\n{name}: {len(graphs)} years ({selected[0]}-{selected[-1]}), {ties:,} ties in all; "
          f"edge table from the store {loaded:.2f} s")
    print(f"  build graphs   igraph {ig_build:7.2f} s   networkx (from igraph) {nx_build:7.2f} s")

    first = {selected[-1]: graphs[selected[-1]]}  # warm both sides up on one year (lazy imports, caches)
    worldorder_side(first, seed)
    networkx_side({selected[-1]: nx_graphs[selected[-1]]}, seed)
    ig_time = worldorder_timed(graphs, seed)
    ig_results = worldorder_side(graphs, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        nx_results = networkx_side(nx_graphs, seed)
        nx_time = time.perf_counter() - start
    eig_gap, btw_gap, mod_gap = compare(ig_results, nx_results, nx_graphs)
    print(f"  eigenvector + betweenness + blocs: worldorder (igraph, {ENGINE} Leiden) {ig_time:7.2f} s   "
          f"networkx+louvain {nx_time:8.2f} s   ratio {nx_time / ig_time:6.1f}x")
    if FALLBACKS:
        print(f"  networkx power iteration did not converge in {len(FALLBACKS)} years ({', '.join(map(str, FALLBACKS[:8]))}); "
              "ARPACK on the leading component used there")
        FALLBACKS.clear()
    print(f"  agreement: max |eigenvector gap| {eig_gap:.2e}, max |betweenness gap| {btw_gap:.2e}, "
          f"mean modularity Leiden - Louvain {mod_gap:+.4f}")
    return ig_time, nx_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default="trade,alliance", help="comma-separated: trade, alliance")
    parser.add_argument("--step", type=int, default=1, help="every n-th year (1 = every year)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engine", default="auto", help="Leiden implementation: auto (igraph's C Leiden here), igraph or leidenalg")
    args = parser.parse_args()
    global ENGINE
    ENGINE = args.engine
    print(f"Leiden engine: {ENGINE}")
    spans = {"trade": "1870-2014", "alliance": "1816-2012"}
    total_ig = total_nx = 0.0
    for name in args.layers.split(","):
        ig_time, nx_time = run_layer(name.strip(), spans[name.strip()], args.step, args.seed)
        total_ig += ig_time
        total_nx += nx_time
    print(f"\nall layers: worldorder {total_ig:.2f} s, networkx {total_nx:.2f} s, ratio {total_nx / total_ig:.1f}x (target >= 20x)")


if __name__ == "__main__":
    main()
