"""Simulation: Monte Carlo futures, scenarios and shocks, trade gravity, diffusion.

Names are imported on first use so that ``import worldorder.sim`` stays cheap.
"""

from __future__ import annotations

from worldorder._exports import exports

_PUBLIC = {
    "worldorder.sim.montecarlo": ["GrowthModel", "Projection", "SimulationError", "calibrate", "project"],
    "worldorder.sim.distributed": ["project_on_dask"],
    "worldorder.sim.engine": ["MAX_PATHS", "check_paths"],
    "worldorder.sim.backends": ["check_backend"],
    "worldorder.sim.backtesting": ["Backtest", "backtest"],
    "worldorder.sim.comparisons": ["compare_forecasters", "diebold_mariano", "format_p_value"],
    "worldorder.sim.origins": ["BacktestError"],
    "worldorder.sim.trajectories": ["Convergence", "convergence"],
    "worldorder.sim.records": ["track_record", "track_record_parts"],
    "worldorder.sim.shocks": [
        "AlignmentSwitch",
        "BorderClosure",
        "GrowthShock",
        "LinkRemoval",
        "Sanctions",
        "TradeWar",
        "apply_shock",
        "freeness_change",
    ],
    "worldorder.sim.gravity": ["GravityResult", "gravity_counterfactual", "trade_matrix"],
    "worldorder.sim.scenario": [
        "SCENARIO_SCHEMA",
        "Scenario",
        "ScenarioData",
        "ScenarioError",
        "ScenarioResult",
        "load_scenario",
        "load_scenario_data",
        "run_scenario",
        "validate_scenario",
    ],
    "worldorder.sim.diffusion": ["Diffusion", "diffuse"],
    "worldorder.sim.diffusion_outcomes": ["DiffusionError", "Outcome", "parse_outcome"],
    "worldorder.sim.diffusion_fit": ["DiffusionFit", "fit_diffusion"],
    "worldorder.sim.diffusion_backtest": ["DiffusionBacktest", "backtest_diffusion"],
    "worldorder.sim.diffusion_sim": ["DiffusionSimulation", "simulate_diffusion"],
    "worldorder.sim.diffusion_display": [
        "DiffusionView",
        "diffusion_calibration_chart",
        "diffusion_effects_chart",
        "diffusion_exposure",
        "diffusion_fan_chart",
        "diffusion_view",
    ],
}
__all__, __getattr__, __dir__ = exports(__name__, _PUBLIC, globals())
