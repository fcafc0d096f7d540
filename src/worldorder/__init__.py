"""worldorder: measure and simulate the international system from real data.

The public API is listed in ``__all__``.  Names are imported on first use
(PEP 562), so that ``import worldorder`` and the command line start fast.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_PUBLIC = {
    "worldorder.countries": ["Country", "UnknownCountryError", "country", "iso3_codes", "iso3_crosswalk"],
    "worldorder.successions": [
        "SuccessionError",
        "break_years",
        "comparable_growth",
        "level_breaks",
        "source_units",
        "succession_events",
    ],
    "worldorder.data.fetch": ["DataFileError", "resolve"],
    "worldorder.data.registry": ["UnknownDatasetError", "cite", "sources"],
    "worldorder.frames": [
        "add_alliances",
        "add_capabilities",
        "add_contiguity",
        "add_disputes",
        "add_distance",
        "add_gdp",
        "add_ideal_points",
        "add_igos",
        "add_majors",
        "add_milex",
        "add_population",
        "add_trade",
        "add_trade_openness",
        "create_dyad_years",
        "create_state_years",
        "false_dyads",
    ],
    "worldorder.store": ["Store", "StoreError", "load", "open_store"],
    "worldorder.democracy": ["DEMOCRACY_MEASURES", "add_democracy"],
    "worldorder.vintage": ["Vintage", "vintage", "vintage_table", "vintage_text"],
    "worldorder.power": [
        "PowerError",
        "add_region",
        "change_points",
        "cinc",
        "composite",
        "concentration",
        "create_power_years",
        "eras",
        "gdp",
        "load_weights",
        "milex",
        "net_power",
        "polarity",
        "polarity_intervals",
        "polarity_robustness",
        "pole_rule",
        "poles",
        "population",
        "regional_leaders",
        "regional_polarity",
        "shares",
        "transition_summary",
        "transitions",
    ],
    "worldorder.charts": ["save_chart"],
    "worldorder.palette": ["LABEL_COLOURS", "MEASURE_COLOURS", "label_colour", "measure_colour"],
    "worldorder.shapes": ["MAP_NOTES", "StateShapes", "country_polygons", "state_shapes", "world_geojson", "world_topology_json"],
    "worldorder.errors": ["WorldOrderError"],
    "worldorder.years": ["Years", "YearsError"],
    "worldorder.seeds": ["DEFAULT_SEED", "SeedError", "rng"],
    "worldorder.networks.layers": ["Layer", "NetworkError", "layer_from_edges", "load_layer", "to_networkx"],
    "worldorder.networks.gas": ["GAS_BASIS", "gas_vintage", "load_gas_flows"],
    "worldorder.networks.metrics": ["centrality", "density", "globalization", "load_openness", "openness", "strength", "world_openness", "world_trade_share"],
    "worldorder.networks.blocs": [
        "Consensus",
        "alliance_ties",
        "bloc_polarity",
        "bloc_power",
        "blocs",
        "consensus_blocs",
        "frustration",
        "resolution_scan",
        "signed_blocs",
    ],
    "worldorder.networks.dependence": [
        "alliance_portfolios",
        "gas_dependence",
        "kappa",
        "pair_dependence",
        "portfolio_similarity",
        "s_score",
        "trade_dependence",
    ],
    "worldorder.claims": ["ClaimsError", "check_ledger", "evidence_table", "load_ledger", "parse_ledger", "verdict_table"],
    "worldorder.report": ["ReportError", "build_report"],
    "worldorder.sim": [
        "AlignmentSwitch",
        "BorderClosure",
        "GrowthShock",
        "LinkRemoval",
        "Sanctions",
        "ScenarioError",
        "SimulationError",
        "TradeWar",
        "apply_shock",
        "Backtest",
        "BacktestError",
        "Convergence",
        "backtest",
        "convergence",
        "track_record",
        "DiffusionError",
        "backtest_diffusion",
        "calibrate",
        "diffuse",
        "diffusion_exposure",
        "diffusion_fan_chart",
        "diffusion_view",
        "fit_diffusion",
        "gravity_counterfactual",
        "load_scenario",
        "project",
        "project_on_dask",
        "run_scenario",
        "simulate_diffusion",
        "trade_matrix",
        "validate_scenario",
    ],
}
_MODULE_OF = {name: module for module, names in _PUBLIC.items() for name in names}

__all__ = ["__version__", *sorted(_MODULE_OF)]


def __getattr__(name: str):
    if name in _MODULE_OF:
        value = getattr(import_module(_MODULE_OF[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'worldorder' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
