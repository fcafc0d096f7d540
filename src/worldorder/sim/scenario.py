"""Scenarios run side by side with the baseline: power, polarity, blocs, trade and gas dependence.

:func:`run_scenario` takes a validated :class:`Scenario` (or a file, read by
:mod:`worldorder.sim.scenario_parsing`) and computes the baseline and the
scenario: each state's power, the polarity indices, the blocs, and trade and
gas dependences.  The file's schema and checks live in the parsing module;
their public names are available here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from worldorder.sim.montecarlo import SimulationError
from worldorder.sim.scenario_parsing import (
    SCENARIO_SCHEMA,
    SHOCK_SCHEMAS,
    Scenario,
    ScenarioError,
    load_scenario,
    read_scenario_file,
    validate_scenario,
)
from worldorder.sim.shocks import (
    CANNOT_CAPTURE,
    TRADE_SHOCKS,
    AlignmentSwitch,
    GrowthShock,
    LinkRemoval,
    apply_shock,
    freeness_change,
)

__all__ = [
    "SCENARIO_SCHEMA",
    "SHOCK_SCHEMAS",
    "Scenario",
    "ScenarioData",
    "ScenarioError",
    "ScenarioResult",
    "load_scenario",
    "load_scenario_data",
    "read_scenario_file",
    "run_scenario",
    "validate_scenario",
]


# --------------------------------------------------------------------------------------
# running
# --------------------------------------------------------------------------------------
@dataclass
class ScenarioData:
    """The tables a scenario runs on (any may be None: the parts that need it are skipped).

    ``power``: ``ccode, year, <value>``; ``trade``: COW dyadic trade;
    ``gdp``: ``ccode, year, <gdp in current US$>`` for domestic sales;
    ``gas``: IEA flows with COW codes (:func:`worldorder.networks.load_gas_flows`);
    ``alliances``: edges ``ccode1, ccode2[, year, weight]``.
    """

    power: pd.DataFrame | None = None
    trade: pd.DataFrame | None = None
    gdp: pd.DataFrame | None = None
    gas: pd.DataFrame | None = None
    alliances: pd.DataFrame | None = None
    sources: tuple[str, ...] = ()


def load_scenario_data(scenario: Scenario, db=None) -> ScenarioData:
    """Read the tables a scenario needs from the store (ingesting them if needed)."""
    from worldorder.power.catalog import create_power_years, measure_column
    from worldorder.store import load

    year = scenario.base_year
    window = (year - 40, year) if scenario.projection else (year, year)
    power = create_power_years([scenario.measure], years=window, majors=False, db=db)
    column = measure_column(scenario.measure)
    power = power[["ccode", "year", column]]
    sources = [*(power.attrs.get("measures", {}).get(column, {}).get("sources", ()) or ())]
    trade = gdp = gas = alliances = None
    if any(isinstance(s, TRADE_SHOCKS) and not (isinstance(s, LinkRemoval) and s.border_point) for s in scenario.shocks):
        trade = load("cow_trade_dyadic_4", db=db)
        trade = trade[trade["year"] == year]
        if trade.empty:
            raise SimulationError(f"COW dyadic trade has no data for {year} (it covers 1870-2014); choose another base_year.")
        gdp_table = create_power_years(["gdp_wb"], years=(year, year), majors=False, db=db)
        gdp = gdp_table[["ccode", "year", "gdp_wb"]]
        sources += ["cow_trade_dyadic_4", "wb_gdp"]
    if any(isinstance(s, LinkRemoval) and s.border_point for s in scenario.shocks):
        from worldorder.networks.gas import load_gas_flows

        gas = load_gas_flows(db=db)
        gas = gas[gas["year"] == year]
        if gas.empty:
            raise SimulationError(f"The IEA gas flows have no data for {year} (they cover 2008-2022); choose another base_year.")
        sources.extend(gas.attrs.get("sources", ()))
    if any(isinstance(s, AlignmentSwitch) for s in scenario.shocks) or scenario.blocs == {}:
        from worldorder.networks.loading import load_layer

        try:
            layer = load_layer(scenario.alliances, years=year, db=db)
            alliances = layer.edges[layer.edges["year"] == year]
            sources.append(layer.source)
        except Exception:  # noqa: BLE001 - no alliance data that year: blocs are then only the file's
            alliances = None
    return ScenarioData(power=power, trade=trade, gdp=gdp, gas=gas, alliances=alliances, sources=tuple(dict.fromkeys(sources)))


@dataclass
class ScenarioResult:
    """Baseline and scenario side by side (every table has ``baseline`` and ``scenario`` columns)."""

    scenario: Scenario
    power: pd.DataFrame
    polarity: pd.DataFrame
    blocs: pd.DataFrame | None = None
    bloc_power: pd.DataFrame | None = None
    trade: pd.DataFrame | None = None
    trade_dependence: pd.DataFrame | None = None
    gas_dependence: pd.DataFrame | None = None
    projection: dict | None = None
    notes: list[str] = field(default_factory=list)
    sources: tuple[str, ...] = ()

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result tables by name (None-valued parts left out)."""
        names = ("power", "polarity", "blocs", "bloc_power", "trade", "trade_dependence", "gas_dependence")
        out = {name: getattr(self, name) for name in names if getattr(self, name) is not None}
        for which, projection in (self.projection or {}).items():
            out[f"projection_{which}_polarity"] = projection.polarity
            out[f"projection_{which}_labels"] = projection.labels
            if projection.states is not None:
                out[f"projection_{which}_states"] = projection.states
        return out


def _side_by_side(base: pd.DataFrame, new: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    merged = base[keys + [value]].merge(new[keys + [value]], on=keys, how="outer", suffixes=("_baseline", "_scenario"))
    merged = merged.rename(columns={f"{value}_baseline": "baseline", f"{value}_scenario": "scenario"})
    if pd.api.types.is_numeric_dtype(merged["baseline"]) and pd.api.types.is_numeric_dtype(merged["scenario"]):
        merged["change"] = merged["scenario"] - merged["baseline"]
    return merged.sort_values(keys, kind="stable").reset_index(drop=True)


def _matrix_to_dyadic(X: np.ndarray, ccode: np.ndarray, year: int) -> pd.DataFrame:
    i, j = np.triu_indices(len(ccode), k=1)
    return pd.DataFrame({"ccode1": ccode[i], "ccode2": ccode[j], "year": year, "flow1": X[j, i], "flow2": X[i, j]})


def _blocs_of(edges: pd.DataFrame | None, seed: int) -> pd.DataFrame | None:
    if edges is None or edges.empty:
        return None
    from worldorder.networks.blocs import blocs
    from worldorder.networks.layers import layer_from_edges

    table = edges.copy()
    year = int(table["year"].iloc[0]) if "year" in table.columns else 0
    layer = layer_from_edges(table, name="alliances")
    out = blocs(layer[year], seed=seed)
    return out[["ccode", "bloc"]].assign(bloc=lambda t: t["bloc"].astype(str))


def run_scenario(
    scenario: Scenario | str | Path,
    data: ScenarioData | None = None,
    db=None,
    paths: int | None = None,
    progress: bool = True,
) -> ScenarioResult:
    """Run a scenario and its baseline side by side.

    Parameters
    ----------
    scenario
        A :class:`Scenario` or the path of a scenario file.
    data
        The tables to run on; read from the store when None
        (:func:`load_scenario_data`).
    db
        Store path.
    paths
        Override the number of Monte Carlo paths of the file's projection.
    progress
        Show progress bars.

    Returns
    -------
    ScenarioResult

    Notes
    -----
    *Trade shocks* (sanctions, a trade pair removed, border closure, trade
    war) become changes in bilateral trade freeness
    (:func:`~worldorder.sim.shocks.freeness_change`) and are solved in
    general equilibrium on the base year's flow matrix
    (:func:`~worldorder.sim.gravity.gravity_counterfactual`): counterfactual
    flows give the trade dependences, and each state's power -- when the
    measure is economic (GDP, net power) -- is scaled by its change in real
    GDP :math:`\\hat p_i / \\hat P_i`.

    *A gas border point removed* takes its flows out of the base year's IEA
    flows; gas dependences are recomputed without rerouting.

    *Growth shocks* change states' mean growth; with a ``projection`` table
    the baseline and the scenario are projected with the same seed (common
    random numbers, so the difference is the shock's), otherwise power at the
    horizon is scaled by :math:`\\exp(\\delta k)` for :math:`k` shocked years.

    *An alignment switch* moves the state between the file's named blocs, and
    in the alliance network cuts its ties to the old bloc's members and ties
    it to the new bloc's; blocs are found again by Leiden with the same seed.

    Polarity indices come from :func:`worldorder.power.polarity.concentration`
    and the pole rule of the file.

    References
    ----------
    Yotov, Y. V., Piermartini, R., Monteiro, J.-A. & Larch, M. 2016. *An
    Advanced Guide to Trade Policy Analysis: The Structural Gravity Model*.
    Geneva: WTO and UNCTAD.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, db=db)
    if data is None:
        data = load_scenario_data(scenario, db=db)
    from worldorder.power.polarity import polarity
    from worldorder.sim.montecarlo import value_column

    notes: list[str] = []
    year = scenario.base_year
    if data.power is None:
        raise SimulationError("The scenario needs a power table (ScenarioData.power).")
    column = value_column(data.power)
    base_power = data.power[data.power["year"] == year][["ccode", "year", column]].dropna()
    if base_power.empty:
        raise SimulationError(f"The power measure {column!r} has no values in {year}.")
    factor = pd.Series(1.0, index=base_power["ccode"].to_numpy())

    # trade: general equilibrium
    trade_table = trade_dep = None
    trade_shocks = [s for s in scenario.shocks if isinstance(s, TRADE_SHOCKS) and not (isinstance(s, LinkRemoval) and s.border_point)]
    blocs_base = None
    if scenario.blocs:
        blocs_base = pd.DataFrame(
            [(c, name) for name, members in scenario.blocs.items() for c in members], columns=["ccode", "bloc"]
        ).drop_duplicates("ccode", keep="first")
    if trade_shocks:
        if data.trade is None or data.gdp is None:
            raise SimulationError("Trade shocks need the dyadic trade table and GDP in current US$ (ScenarioData.trade, .gdp).")
        from worldorder.sim.gravity import gravity_counterfactual, trade_matrix

        X, ccode = trade_matrix(data.trade, year, data.gdp)
        phi = freeness_change(trade_shocks, ccode, sigma=scenario.sigma)
        solved = gravity_counterfactual(X, freeness_change=phi, sigma=scenario.sigma, ccode=ccode)
        trade_table = solved.states
        economic = scenario.measure.startswith(("gdp", "net_power"))
        if economic:
            hat = pd.Series(solved.states["real_gdp_hat"].to_numpy(), index=ccode)
            factor = factor.mul(hat.reindex(factor.index).fillna(1.0))
        else:
            notes.append(f"The measure {scenario.measure!r} is not economic: trade shocks change trade and dependence, not power.")
        base_dyadic = _matrix_to_dyadic(solved.baseline, ccode, year)
        new_dyadic = _matrix_to_dyadic(solved.counterfactual, ccode, year)
        groups = blocs_base if blocs_base is not None else None
        if groups is not None:
            from worldorder.networks.dependence import trade_dependence

            trade_dep = _side_by_side(
                trade_dependence(base_dyadic, groups), trade_dependence(new_dyadic, groups), ["ccode", "group"], "share"
            )

    # gas
    gas_dep = None
    gas_shocks = [s for s in scenario.shocks if isinstance(s, LinkRemoval) and s.border_point]
    if gas_shocks:
        if data.gas is None:
            raise SimulationError("A border-point removal needs the IEA gas flows (ScenarioData.gas).")
        from worldorder.networks.dependence import gas_dependence

        gas_new = data.gas
        for shock in gas_shocks:
            gas_new = apply_shock(gas_new, shock)
        gas_dep = _side_by_side(
            gas_dependence(data.gas, by="year"), gas_dependence(gas_new, by="year"), ["ccode", "year", "supplier"], "share"
        )
        gas_dep = gas_dep[(gas_dep["baseline"].fillna(0) > 0) | (gas_dep["scenario"].fillna(0) > 0)]
        from worldorder.networks.gas import GAS_BASIS

        notes += [GAS_BASIS, CANNOT_CAPTURE]

    # growth shocks
    growth = [s for s in scenario.shocks if isinstance(s, GrowthShock)]
    projection = None
    if growth and scenario.projection is None:
        horizon = scenario.horizon
        years = np.arange(year + 1, horizon + 1)
        multiplier = np.ones(len(factor))
        for shock in growth:
            multiplier *= np.exp(shock.drift_change(factor.index.to_numpy(), years).sum(axis=0))
        factor = factor * multiplier
        notes.append(f"Growth shocks: power at {horizon} relative to the baseline, other growth equal in both.")
    if scenario.projection is not None:
        from worldorder.sim.montecarlo import calibrate, project

        settings = scenario.projection
        model = calibrate(data.power, value=column, base_year=year)
        common = dict(horizon=settings["horizon"], paths=paths or settings.get("paths", 10_000), seed=settings.get("seed", scenario.seed), rule=scenario.rule, progress=progress)
        projection = {"baseline": project(model, **common), "scenario": project(model, shocks=growth, **common)}

    new_power = base_power.copy()
    new_power[column] = base_power[column].to_numpy() * factor.reindex(base_power["ccode"]).to_numpy()
    power = _side_by_side(base_power, new_power, ["ccode", "year"], column)
    share_base = base_power[column] / base_power[column].sum()
    share_new = new_power[column] / new_power[column].sum()
    power["share_baseline"] = share_base.to_numpy()
    power["share_scenario"] = share_new.to_numpy()

    pol_base = polarity(base_power, column, rule=scenario.rule)
    pol_new = polarity(new_power, column, rule=scenario.rule)
    numeric = ("hhi", "effective_poles", "con", "top1_share", "top2_share", "top_gap", "n_poles")
    rows = [
        {"index": name, "baseline": pol_base[name].iloc[0], "scenario": pol_new[name].iloc[0]}
        for name in (*numeric, "leader_ccode", "second_ccode", "poles", "polarity")
        if name in pol_base.columns
    ]
    polarity_table = pd.DataFrame(rows)
    polarity_table["change"] = [
        float(r["scenario"]) - float(r["baseline"]) if r["index"] in numeric else np.nan for _, r in polarity_table.iterrows()
    ]
    polarity_table.attrs["rule"] = pol_base.attrs.get("rule", scenario.rule)

    # blocs
    bloc_table = bloc_power = None
    switches = [s for s in scenario.shocks if isinstance(s, AlignmentSwitch)]
    computed_base = _blocs_of(data.alliances, scenario.seed)
    if switches or blocs_base is not None or computed_base is not None:
        named_new = blocs_base.copy() if blocs_base is not None else None
        edges_new = data.alliances
        for shock in switches:
            if named_new is not None and shock.from_bloc in scenario.blocs:
                named_new = apply_shock(named_new, shock)
            if edges_new is not None and computed_base is not None:
                membership = _membership(computed_base, named_new, scenario)
                edges_new = apply_shock(edges_new, shock, blocs=membership)
        computed_new = _blocs_of(edges_new, scenario.seed) if switches else computed_base
        parts = []
        if blocs_base is not None:
            parts.append(_side_by_side(blocs_base.assign(kind="named"), named_new.assign(kind="named"), ["kind", "ccode"], "bloc"))
        if computed_base is not None:
            parts.append(_side_by_side(computed_base.assign(kind="alliance"), computed_new.assign(kind="alliance"), ["kind", "ccode"], "bloc"))
        if parts:
            bloc_table = pd.concat(parts, ignore_index=True)
            bloc_table["moved"] = bloc_table["baseline"].astype(str) != bloc_table["scenario"].astype(str)
        if blocs_base is not None:
            def totals(members, powers):
                joined = members.merge(powers, on="ccode", how="left")
                out = joined.groupby("bloc")[column].sum(min_count=1)
                return (out / powers[column].sum()).rename("share").reset_index()

            bloc_power = _side_by_side(totals(blocs_base, base_power), totals(named_new, new_power), ["bloc"], "share")

    return ScenarioResult(
        scenario=scenario,
        power=power,
        polarity=polarity_table,
        blocs=bloc_table,
        bloc_power=bloc_power,
        trade=trade_table,
        trade_dependence=trade_dep,
        gas_dependence=gas_dep,
        projection=projection,
        notes=notes,
        sources=data.sources,
    )


def _membership(computed: pd.DataFrame, named: pd.DataFrame | None, scenario: Scenario) -> pd.DataFrame:
    """Bloc membership used to rewire alliances: the file's named blocs, then the alliance blocs."""
    parts = [computed.assign(bloc=lambda t: "bloc of " + t["bloc"].astype(str))]
    if named is not None:
        parts.insert(0, named)
    table = pd.concat(parts, ignore_index=True)
    # "bloc of <ccode>" names from the file: the alliance bloc of that state
    labels = dict(zip(computed["ccode"], computed["bloc"].astype(str)))
    extra = []
    for name, code in scenario.switch_targets.items():
        if code in labels:
            members = computed.loc[computed["bloc"].astype(str) == labels[code], "ccode"]
            extra.append(pd.DataFrame({"ccode": members.to_numpy(), "bloc": name}))
    return pd.concat([table, *extra], ignore_index=True)
