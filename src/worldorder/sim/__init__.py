"""Simulation: Monte Carlo futures, scenarios and shocks, trade gravity, diffusion.

Names are imported on first use so that ``import worldorder.sim`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module

_PUBLIC = {
    "worldorder.sim.montecarlo": ["GrowthModel", "Projection", "SimulationError", "calibrate", "project"],
    "worldorder.sim.distributed": ["project_on_dask"],
    "worldorder.sim.backtesting": ["Backtest", "backtest"],
    "worldorder.sim.origins": ["BacktestError"],
    "worldorder.sim.trajectories": ["Convergence", "convergence"],
    "worldorder.sim.records": ["track_record"],
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
_MODULE_OF = {name: module for module, names in _PUBLIC.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    if name in _MODULE_OF:
        value = getattr(import_module(_MODULE_OF[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'worldorder.sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
