"""Alliance obligation types: which alliance ties blocs are found on."""

from __future__ import annotations

import numpy as np

from worldorder.networks.layers import NetworkError

__all__ = ["alliance_ties"]

#: Obligation flags of the two alliance sources (edge attributes of their graphs) and their names.
_ALLIANCE_TYPES = {
    "ATOP": {"atop_defense": "defence pacts", "atop_offense": "offence pacts", "atop_neutral": "neutrality pacts",
             "atop_nonagg": "non-aggression pacts", "atop_consul": "consultation pacts"},
    "COW": {"defense": "defence pacts", "neutrality": "neutrality pacts", "nonaggression": "non-aggression pacts",
            "entente": "ententes"},
}


def alliance_ties(graph, types="defense"):
    """An alliance graph restricted to ties of some obligation types, and the name of those ties.

    Parameters
    ----------
    graph
        One year's graph.  Only graphs of an alliance layer (ATOP or COW, with
        their obligation flags as edge attributes) are restricted; any other
        graph is returned unchanged, named by its layer.
    types
        ``"defense"`` (the default: defence pacts), ``"all"`` (every type: an
        explicit choice), or a list of types (``"neutral"``, ``"nonagg"``,
        ``"consul"``, ``"offense"`` for ATOP; ``"neutrality"``, ``"nonaggression"``,
        ``"entente"`` for COW), with or without the ``atop_`` prefix.

    Returns
    -------
    (igraph.Graph, str)
        The graph with every vertex and only the ties that carry one of the
        types, and a label such as ``"ATOP defence pacts"``.

    Notes
    -----
    With every ATOP type, non-aggression and consultation pacts join states
    that are not allies in the usual sense (in 2018 Russia and Iran fall in
    with NATO Europe), so blocs default to defence pacts.
    """
    attributes = set(graph.es.attributes())
    source = next((name for name, flags in _ALLIANCE_TYPES.items() if set(flags) <= attributes), None)
    if source is None:
        layer = graph["layer"] if "layer" in graph.attributes() else None
        return graph, f"ties of the {layer} layer" if layer else "all ties"
    flags = _ALLIANCE_TYPES[source]
    if types == "all" or types is None:
        return graph, f"{source} alliances of every type ({', '.join(flags.values())})"
    wanted = [types] if isinstance(types, str) else list(types)
    if not wanted or not all(isinstance(t, str) and t.strip() for t in wanted):
        raise NetworkError(f"Give at least one {source} alliance type: {', '.join(f.removeprefix('atop_') for f in flags)}, or 'all'.")
    prefix = "atop_" if source == "ATOP" else ""
    columns = [t if t.startswith(prefix) else prefix + t for t in wanted]
    unknown = [t for t in columns if t not in flags]
    if unknown:
        raise NetworkError(f"Unknown {source} alliance type(s) {', '.join(unknown)}; choose from "
                           f"{', '.join(f.removeprefix(prefix) for f in flags)} or 'all'.")
    keep = np.zeros(graph.ecount(), dtype=bool)
    for column in columns:
        keep |= np.asarray(graph.es[column], dtype=np.float64) > 0
    restricted = graph.subgraph_edges(np.flatnonzero(keep).tolist(), delete_vertices=False)
    return restricted, f"{source} " + " and ".join(flags[c] for c in columns)
