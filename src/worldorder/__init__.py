"""worldorder: measure and simulate the international system from real data.

A short guide
-------------
Power and polarity
    ``create_power_years`` (state-years with CINC, GDP, military spending ...,
    each with its sources), ``polarity``, ``polarity_robustness``, ``eras``,
    ``regional_leaders``.
Networks and blocs
    ``load_layer`` (alliances, trade, UN votes, gas ...), ``consensus_blocs``,
    ``bloc_map``, ``gas_dependence``.
Futures
    ``project`` (a Monte Carlo projection) with its ``track_record``;
    ``load_scenario`` and ``run_scenario`` (shocks against a baseline).
Claims, report, web
    ``load_ledger`` and ``check_ledger``; ``build_report`` (one HTML file);
    ``worldorder serve`` on the command line starts the web app.
Data
    ``sources()`` lists the registered data sets, ``cite(name)`` gives the
    citation; the files are read once into a local store.

Example
-------
>>> import worldorder as wo
>>> power = wo.create_power_years(["cinc"])
>>> wo.polarity(power, "cinc", among="majors").tail(1)        # doctest: +SKIP
>>> wo.project(power[["ccode", "year", "cinc"]], horizon=2050)  # doctest: +SKIP
Projection of cinc: ... states from 2022 to 2050, ...

The public API is listed in ``__all__``.  Names are imported on first use
(PEP 562), so that ``import worldorder`` and the command line start fast.
"""

from __future__ import annotations

from worldorder._exports import exports

#: The package version, public for the interfaces (``__version__`` is the same string).
VERSION = "0.1.0"
__version__ = VERSION

_PUBLIC = {
    "worldorder.countries": ["Country", "UnknownCountryError", "country", "iso3_codes", "state_names"],
    "worldorder.successions": [
        "SuccessionError",
        "break_years",
        "comparable_growth",
        "iso3_crosswalk",
        "level_breaks",
        "source_units",
        "succession_events",
    ],
    "worldorder.data.fetch": ["DataFileError", "candidate_paths", "file_sha256", "resolve"],
    "worldorder.data.registry": ["UnknownDatasetError", "cite", "get_dataset", "registry", "sources"],
    "worldorder.frames": [
        "ADDERS",
        "FrameError",
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
    "worldorder.store": ["SCHEMA_VERSION", "Store", "StoreError", "default_db_path", "load", "open_store"],
    "worldorder.democracy": ["DEMOCRACY_DATASET", "DEMOCRACY_MEASURES", "NO_SCORE", "REGIME_THRESHOLDS", "add_democracy", "add_regime", "regime_rule", "regime_shares"],
    "worldorder.vintages": ["Vintage", "vintage", "vintage_table", "vintage_text"],
    "worldorder.power": [
        "CATALOG",
        "DEFAULT_RULES",
        "MEASURES",
        "Measure",
        "PowerError",
        "ReferenceSet",
        "ReferenceSetError",
        "add_region",
        "change_points",
        "cinc",
        "composite",
        "concentration",
        "coverage",
        "create_power_years",
        "describe_among",
        "eras",
        "gdp",
        "get_measure",
        "load_weights",
        "measure_caption",
        "measure_column",
        "measure_info",
        "milex",
        "net_power",
        "parse_weight_text",
        "polarity",
        "polarity_intervals",
        "polarity_robustness",
        "pole_rule",
        "poles",
        "population",
        "recompute_over",
        "regional_leaders",
        "regional_polarity",
        "register",
        "resolve_reference",
        "shares",
        "transition_summary",
        "transitions",
    ],
    "worldorder.charts": [
        "CHART_SUFFIXES",
        "Chart",
        "ChartError",
        "Series",
        "Span",
        "agreement_chart",
        "agreement_support",
        "bar_chart",
        "caption",
        "label_spans",
        "save_chart",
        "source_text",
        "to_plotly",
    ],
    "worldorder.palette": [
        "LABEL_COLOURS",
        "MEASURE_COLOURS",
        "PALETTE",
        "as_javascript",
        "label_colour",
        "measure_colour",
        "series_colour",
    ],
    "worldorder.shapes": ["MAP_NOTES", "StateShapes", "country_polygons", "state_shapes", "world_topology_json"],
    "worldorder.errors": ["WorldOrderError"],
    "worldorder.years": ["Years", "YearsError"],
    "worldorder.seeds": ["DEFAULT_SEED", "SeedError", "check_seed", "rng"],
    "worldorder.sim.calibration": ["DEFAULT_WINDOW"],
    "worldorder.networks.layers": ["Layer", "NetworkError", "layer_from_edges", "to_networkx"],
    "worldorder.networks.gas": ["GAS_BASIS", "gas_vintage", "load_gas_flows"],
    "worldorder.sim.observed": ["ObservedCheck", "check_observed", "scenarios_against_observed"],
    "worldorder.networks.metrics": [
        "CENTRALITY_MEASURES",
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
    "worldorder.networks.blocs": ["blocs", "resolution_scan"],
    "worldorder.networks.consensus": ["Consensus", "consensus_blocs"],
    "worldorder.networks.signed": ["frustration", "signed_blocs"],
    "worldorder.networks.bloc_structure": ["bloc_polarity", "bloc_power"],
    "worldorder.networks.dependence": ["gas_dependence", "pair_dependence", "trade_dependence"],
    "worldorder.networks.portfolios": ["alliance_portfolios", "kappa", "portfolio_similarity", "s_score"],
    "worldorder.claims": [
        "ClaimsData",
        "ClaimsError",
        "Ledger",
        "check_ledger",
        "evidence_table",
        "ledger_regions",
        "load_ledger",
        "parse_ledger",
        "verdict_counts",
        "verdict_table",
    ],
    "worldorder.report": ["DEFAULT_MEASURES", "ReportError", "SECTIONS", "build_report"],
    "worldorder.sim": [
        "AlignmentSwitch",
        "Backtest",
        "BacktestError",
        "BorderClosure",
        "Convergence",
        "DiffusionError",
        "GrowthShock",
        "LinkRemoval",
        "Sanctions",
        "ScenarioError",
        "SimulationError",
        "TradeWar",
        "apply_shock",
        "backtest",
        "backtest_diffusion",
        "calibrate",
        "check_backend",
        "check_paths",
        "compare_forecasters",
        "diebold_mariano",
        "diffuse",
        "diffusion_calibration_chart",
        "diffusion_effects_chart",
        "diffusion_exposure",
        "diffusion_fan_chart",
        "diffusion_view",
        "fit_diffusion",
        "format_p_value",
        "gravity_counterfactual",
        "load_scenario",
        "project",
        "project_on_dask",
        "run_scenario",
        "simulate_diffusion",
        "track_record",
        "track_record_parts",
        "trade_matrix",
        "validate_scenario",
    ],
    "worldorder._progress": ["progress_steps"],
    "worldorder._exports": ["exports"],
    "worldorder.networks.draw": ["backbone", "bloc_layout", "draw_network", "layout", "plot_series", "save_network"],
    "worldorder.networks.blocmap": [
        "BlocMap",
        "bloc_colours",
        "bloc_map",
        "bloc_map_figure",
        "geo_assets_script",
        "save_bloc_map",
    ],
    "worldorder.sim.backtest_charts": ["backtest_charts"],
    "worldorder.sim.diffusion_ties": ["tie_sources"],
    "worldorder.networks.openness_display": ["OPENNESS_SOURCES", "openness_chart"],
    "worldorder.sim.backends": ["dask_client"],
    "worldorder.web": ["create_app", "prepare_store"],
    "worldorder.sim.trajectories": ["convergence"],
    "worldorder.located": ["MAX_DEPTH", "too_deep"],
    "worldorder.power.cow_regions": ["COW_REGIONS"],
    "worldorder.power.table": ["PowerTable"],
    "worldorder.networks.loading": ["LAYERS", "check_layer", "load_layer"],
}
__all__, __getattr__, __dir__ = exports(__name__, _PUBLIC, globals())
__all__ = ["VERSION", "__version__", *__all__]
