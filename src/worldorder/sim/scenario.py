"""Scenario files: what-if questions as data, validated, then run side by side with the baseline.

A scenario file (TOML or YAML) names a base year, a power measure, optional
named blocs, and one or more shocks::

    name = "Nord Stream cut"
    base_year = 2014
    measure = "gdp"

    [blocs]
    west = ["USA", "GBR", "FRA", "DEU"]
    east = ["RUS", "CHN"]

    [[shocks]]
    type = "link_removal"
    border_point = "Nord Stream"

The file is checked against :data:`SCENARIO_SCHEMA` (JSON Schema) and then for
meaning (known blocs and states, years in order); every problem is reported
with its line.  :func:`run_scenario` computes the baseline and the scenario:
each state's power, the polarity indices, the blocs, and trade and gas
dependences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from worldorder.located import LocatedDocument, Problem, read_file
from worldorder.sim.montecarlo import SimulationError
from worldorder.sim.shocks import (
    TRADE_SHOCKS,
    AlignmentSwitch,
    BorderClosure,
    GrowthShock,
    LinkRemoval,
    Sanctions,
    TradeWar,
    apply_shock,
    freeness_change,
)

_STATE = {"oneOf": [{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 1}]}
_STATES = {"type": "array", "items": _STATE, "minItems": 1}
_SIDE = {"oneOf": [{"type": "string", "minLength": 1}, _STATES]}
_FRACTION = {"type": "number", "minimum": 0, "maximum": 1}
_YEAR = {"type": "integer", "minimum": 1816, "maximum": 2200}

#: Schema of each shock, by its ``type``.
SHOCK_SCHEMAS: dict[str, dict] = {
    "growth": {
        "type": "object",
        "required": ["type", "states", "change", "start"],
        "properties": {
            "type": {"const": "growth"},
            "states": _STATES,
            "change": {"type": "number", "minimum": -1, "maximum": 1},
            "start": _YEAR,
            "end": _YEAR,
            "note": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "sanctions": {
        "type": "object",
        "required": ["type", "between"],
        "properties": {
            "type": {"const": "sanctions"},
            "between": {"type": "array", "items": _SIDE, "minItems": 2, "maxItems": 2},
            "fraction": _FRACTION,
            "note": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "link_removal": {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"const": "link_removal"},
            "border_point": {"type": "string", "minLength": 1},
            "pair": {"type": "array", "items": _STATE, "minItems": 2, "maxItems": 2},
            "fraction": _FRACTION,
            "note": {"type": "string"},
        },
        "oneOf": [{"required": ["border_point"]}, {"required": ["pair"]}],
        "additionalProperties": False,
    },
    "border_closure": {
        "type": "object",
        "required": ["type", "fraction"],
        "properties": {
            "type": {"const": "border_closure"},
            "fraction": _FRACTION,
            "states": _STATES,
            "note": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "trade_war": {
        "type": "object",
        "required": ["type", "between", "tariff"],
        "properties": {
            "type": {"const": "trade_war"},
            "between": {"type": "array", "items": _SIDE, "minItems": 2, "maxItems": 2},
            "tariff": {"type": "number", "minimum": 0, "maximum": 10},
            "note": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "alignment_switch": {
        "type": "object",
        "required": ["type", "state", "from", "to"],
        "properties": {
            "type": {"const": "alignment_switch"},
            "state": _STATE,
            "from": {"type": "string", "minLength": 1},
            "to": {"type": "string", "minLength": 1},
            "note": {"type": "string"},
        },
        "additionalProperties": False,
    },
}

#: JSON Schema of a scenario file (each shock is further checked against :data:`SHOCK_SCHEMAS`).
SCENARIO_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "worldorder scenario",
    "type": "object",
    "required": ["name", "base_year", "shocks"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "base_year": _YEAR,
        "measure": {"type": "string", "minLength": 1},
        "horizon": _YEAR,
        "sigma": {"type": "number", "exclusiveMinimum": 1, "maximum": 50},
        "rule": {"type": "string", "minLength": 1},
        "alliances": {"enum": ["atop", "alliance", "cow_alliance"]},
        "seed": {"type": "integer", "minimum": 0},
        "blocs": {"type": "object", "additionalProperties": _STATES, "minProperties": 1},
        "projection": {
            "type": "object",
            "properties": {
                "horizon": _YEAR,
                "paths": {"type": "integer", "minimum": 1, "maximum": 10_000_000},
                "seed": {"type": "integer", "minimum": 0},
            },
            "required": ["horizon"],
            "additionalProperties": False,
        },
        "shocks": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["type"],
                "properties": {"type": {"enum": sorted(SHOCK_SCHEMAS)}},
            },
        },
    },
    "additionalProperties": False,
}


# --------------------------------------------------------------------------------------
# errors with lines
# --------------------------------------------------------------------------------------
class ScenarioError(SimulationError):
    """A scenario file that cannot be read or run; ``problems`` lists each problem with its line."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the scenario:" if count > 1 else "Invalid scenario:"
        super().__init__(head + "\n" + "\n".join(f"  {p}" for p in self.problems))


def read_scenario_file(path: str | Path) -> LocatedDocument:
    """Parse a scenario file (``.toml``, ``.yaml`` or ``.yml``) keeping the line of each key."""
    document = read_file(path, "scenario file")
    if document.data is None or document.problems:
        raise ScenarioError(document.problems)
    return document


# --------------------------------------------------------------------------------------
# the scenario
# --------------------------------------------------------------------------------------
@dataclass
class Scenario:
    """A validated scenario, with states as COW codes."""

    name: str
    base_year: int
    shocks: list
    measure: str = "gdp"
    description: str = ""
    blocs: dict[str, tuple[int, ...]] = field(default_factory=dict)
    horizon: int | None = None
    sigma: float = 7.0
    rule: str = "leader:0.5"
    alliances: str = "atop"
    seed: int = 0
    projection: dict | None = None
    switch_targets: dict = field(default_factory=dict)
    source: str = ""


def _schema_problems(doc: LocatedDocument) -> list[Problem]:
    import jsonschema

    problems = []

    def collect(instance, schema, base):
        validator = jsonschema.Draft202012Validator(schema)
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
            path = base + tuple(error.absolute_path)
            message = error.message
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                allowed = error.schema.get("properties", {})
                for key in error.instance:
                    if key not in allowed:
                        problems.append(doc.problem(path + (key,), f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})"))
                continue
            if error.validator == "oneOf" and "border_point" in str(error.schema):
                message = "give either border_point or pair, not both or neither"
            problems.append(doc.problem(path, message))

    collect(doc.data, SCENARIO_SCHEMA, ())
    shocks = doc.data.get("shocks") if isinstance(doc.data, dict) else None
    if isinstance(shocks, list):
        for i, shock in enumerate(shocks):
            if isinstance(shock, dict) and shock.get("type") in SHOCK_SCHEMAS:
                collect(shock, SHOCK_SCHEMAS[shock["type"]], ("shocks", i))
    return problems


def _resolver(db):
    from worldorder.countries import UnknownCountryError, country

    def resolve(value, year):
        try:
            return int(country(value, year=year, db=db).ccode)
        except UnknownCountryError as error:
            raise ValueError(str(error)) from None

    return resolve


def _plain_codes(value, year):
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return int(value)
    raise ValueError(f"{value!r} is not a COW code (names need the country resolver: resolve=True)")


def _unknown_border_point(name: str, db) -> str | None:
    """Why no IEA gas border point matches ``name`` (as :func:`~worldorder.sim.shocks.apply_shock` matches it), or None."""
    import difflib

    from worldorder.networks.gas import load_gas_flows

    names = sorted(load_gas_flows(db=db)["borderpoint"].astype(str).unique())
    if any(name.lower() in known.lower() for known in names):
        return None
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
    return f"no gas border point matches {name!r}" + (f"; closest: {', '.join(close)}" if close else "; see the IEA border points")


def _build(doc: LocatedDocument, resolve_names: bool, db) -> tuple[Scenario | None, list[Problem]]:
    data = doc.data
    problems: list[Problem] = []
    base_year = int(data["base_year"])
    resolve = _resolver(db) if resolve_names else _plain_codes

    def codes(values, path) -> tuple[int, ...]:
        out = []
        for i, value in enumerate(values):
            try:
                out.append(resolve(value, base_year))
            except ValueError as error:
                problems.append(doc.problem(path + (i,), str(error)))
        return tuple(out)

    def one(value, path):
        try:
            return resolve(value, base_year)
        except ValueError as error:
            problems.append(doc.problem(path, str(error)))
            return None

    blocs = {str(name): codes(members, ("blocs", name)) for name, members in (data.get("blocs") or {}).items()}

    def side(value, path):
        if isinstance(value, str):
            if value in blocs:
                return blocs[value]
            code = one(value, path)
            if code is None:
                problems[-1] = doc.problem(path, f"{value!r} is neither a bloc of this file ({', '.join(blocs) or 'none'}) nor a state: {problems[-1].message}")
                return ()
            return (code,)
        return codes(value, path)

    shocks = []
    targets = {}
    horizon = data.get("horizon")
    projection = data.get("projection")
    for i, raw in enumerate(data["shocks"]):
        path = ("shocks", i)
        kind = raw["type"]
        try:
            if kind == "growth":
                end = raw.get("end")
                if end is not None and end < raw["start"]:
                    problems.append(doc.problem(path + ("end",), f"ends ({end}) before it starts ({raw['start']})"))
                    continue
                if raw["start"] <= base_year:
                    problems.append(doc.problem(path + ("start",), f"a growth shock starts after the base year {base_year}"))
                    continue
                shocks.append(GrowthShock(codes(raw["states"], path + ("states",)), raw["change"], raw["start"], end))
            elif kind == "sanctions":
                a, b = (side(v, path + ("between", k)) for k, v in enumerate(raw["between"]))
                shocks.append(Sanctions(a, b, raw.get("fraction", 1.0)))
            elif kind == "link_removal":
                if "pair" in raw:
                    pair = codes(raw["pair"], path + ("pair",))
                    if len(pair) == 2 and pair[0] == pair[1]:
                        problems.append(doc.problem(path + ("pair",), "the pair names the same state twice"))
                        continue
                    if len(pair) == 2:
                        shocks.append(LinkRemoval(pair=pair, fraction=raw.get("fraction", 1.0)))
                else:
                    unknown = _unknown_border_point(raw["border_point"], db) if resolve_names else None
                    if unknown:
                        problems.append(doc.problem(path + ("border_point",), unknown))
                        continue
                    shocks.append(LinkRemoval(border_point=raw["border_point"], fraction=raw.get("fraction", 1.0)))
            elif kind == "border_closure":
                states = codes(raw["states"], path + ("states",)) if "states" in raw else None
                shocks.append(BorderClosure(raw["fraction"], states))
            elif kind == "trade_war":
                a, b = (side(v, path + ("between", k)) for k, v in enumerate(raw["between"]))
                shocks.append(TradeWar(a, b, raw["tariff"]))
            elif kind == "alignment_switch":
                state = one(raw["state"], path + ("state",))
                ends = {}
                for key in ("from", "to"):
                    name = raw[key]
                    if name in blocs:
                        ends[key] = name
                    else:  # a state: its bloc in the alliance network
                        code = one(name, path + (key,))
                        if code is None:
                            problems[-1] = doc.problem(path + (key,), f"{name!r} is neither a bloc of this file nor a state")
                            continue
                        ends[key] = f"bloc of {code}"
                        targets[ends[key]] = code
                if state is not None and len(ends) == 2:
                    if raw["from"] in blocs and state not in blocs[raw["from"]]:
                        problems.append(doc.problem(path + ("state",), f"state {raw['state']!r} is not in bloc {raw['from']!r}"))
                        continue
                    shocks.append(AlignmentSwitch(state, ends["from"], ends["to"]))
        except SimulationError as error:
            problems.append(doc.problem(path, str(error)))
    if horizon is not None and horizon <= base_year:
        problems.append(doc.problem(("horizon",), f"the horizon must be after the base year {base_year}"))
    if projection is not None and projection["horizon"] <= base_year:
        problems.append(doc.problem(("projection", "horizon"), f"the horizon must be after the base year {base_year}"))
    if any(isinstance(s, GrowthShock) for s in shocks) and horizon is None and projection is None:
        problems.append(doc.problem(("shocks",), "growth shocks need a horizon (horizon = YEAR, or a [projection] table)"))
    if "rule" in data:
        from worldorder.sim._polarity import engine_rule

        try:
            engine_rule(data["rule"])
        except SimulationError as error:
            problems.append(doc.problem(("rule",), str(error)))
    if "measure" in data:
        from worldorder.power.catalog import MEASURES

        if data["measure"] not in MEASURES or data["measure"] == "composite":
            problems.append(doc.problem(("measure",), f"unknown measure {data['measure']!r}; one of {', '.join(k for k in MEASURES if k != 'composite')}"))
    if problems:
        return None, problems
    scenario = Scenario(
        name=data["name"],
        base_year=base_year,
        shocks=shocks,
        measure=data.get("measure", "gdp"),
        description=data.get("description", ""),
        blocs=blocs,
        horizon=horizon if horizon is not None else (projection or {}).get("horizon"),
        sigma=float(data.get("sigma", 7.0)),
        rule=data.get("rule", "leader:0.5"),
        alliances=data.get("alliances", "atop"),
        seed=int(data.get("seed", 0)),
        projection=projection,
        switch_targets=targets,
        source=doc.file,
    )
    return scenario, []


def validate_scenario(path: str | Path, resolve: bool = True, db=None) -> list[Problem]:
    """Check a scenario file; return its problems (empty when it is valid).

    Parameters
    ----------
    path
        A ``.toml``, ``.yaml`` or ``.yml`` file.
    resolve
        Also resolve country names (needs the state list in the store; with
        False only COW codes are accepted as states).
    db
        Store path for the country resolver.
    """
    try:
        doc = read_scenario_file(path)
    except ScenarioError as error:
        return error.problems
    problems = _schema_problems(doc)
    if problems:
        return problems
    return _build(doc, resolve, db)[1]


def load_scenario(path: str | Path, resolve: bool = True, db=None) -> Scenario:
    """Read and validate a scenario file; raise :class:`ScenarioError` listing every problem with its line."""
    doc = read_scenario_file(path)
    problems = _schema_problems(doc)
    if problems:
        raise ScenarioError(problems)
    scenario, problems = _build(doc, resolve, db)
    if problems:
        raise ScenarioError(problems)
    return scenario


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
        from worldorder.networks.layers import load_layer

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
