"""Networks of the international system: layers, measures, blocs and dependence.

``layers``      a layer: dyadic ties per year as weighted igraph graphs
``edges``       edge builders (alliances, trade, UN-vote similarity, contiguity, disputes)
``loading``     the list of layers and load_layer (from the store)
``metrics``     density, strength, centrality, globalization
``leiden``      the Leiden engine: seeded runs, their quality, bloc labels
``obligations`` alliance obligation types (which alliance ties blocs are found on)
``blocs``       Leiden blocs and resolution scans (and every bloc name, re-exported)
``consensus``   consensus blocs over repeated runs, and their stability
``signed``      signed blocs and frustration
``bloc_structure`` each bloc's share of power, and bloc polarity
``gas``         IEA and bp gas flows with COW codes (physical border flows, not origin)
``gas_quality`` reporting gaps and aggregate rows of the IEA file, found from the data
``dependence``  trade and gas dependence, pair asymmetry
``portfolios``  alliance portfolios and their similarity (S, kappa)
``draw``        network drawings and time-series charts (matplotlib)

Names are imported on first use, so ``import worldorder.networks`` does not
load igraph or leidenalg.  The function ``blocs`` shares its name with the
module ``worldorder.networks.blocs``; import it as ``worldorder.blocs`` or
``from worldorder.networks.blocs import blocs``.
"""

from __future__ import annotations

from worldorder._exports import exports

_PUBLIC = {
    "worldorder.networks.layers": ["Layer", "NetworkError", "layer_from_edges", "to_networkx"],
    "worldorder.networks.edges": [
        "alliance_edges",
        "atop_edges",
        "contiguity_edges",
        "dispute_edges",
        "similarity_edges",
        "trade_edges",
    ],
    "worldorder.networks.loading": ["LAYERS", "check_layer", "load_layer"],
    "worldorder.networks.gas": ["GAS_BASIS", "bp_gas_edges", "gas_edges", "gas_flows", "gas_vintage", "load_gas_flows"],
    "worldorder.networks.gas_quality": ["aggregate_rows", "mark_gas_flows", "reporting_gaps"],
    "worldorder.networks.metrics": [
        "centrality",
        "density",
        "globalization",
        "load_openness",
        "openness",
        "strength",
        "world_openness",
        "world_trade_share",
    ],
    "worldorder.networks.obligations": ["alliance_ties"],
    "worldorder.networks.blocs": ["resolution_scan"],
    "worldorder.networks.consensus": ["Consensus", "consensus_blocs"],
    "worldorder.networks.signed": ["frustration", "signed_blocs"],
    "worldorder.networks.bloc_structure": ["bloc_polarity", "bloc_power"],
    "worldorder.networks.dependence": ["gas_dependence", "pair_dependence", "trade_dependence"],
    "worldorder.networks.portfolios": ["alliance_portfolios", "kappa", "portfolio_similarity", "s_score"],
    "worldorder.networks.draw": ["draw_network", "layout", "plot_series", "save_network"],
}
__all__, __getattr__, __dir__ = exports(__name__, _PUBLIC, globals())
