"""Scenario files: the schema, the checks of meaning, and the validated :class:`Scenario`.

A scenario file (TOML or YAML) names a base year, a power measure, optional
named blocs, and one or more shocks::

    name = "Nord Stream cut"
    base_year = 2021
    measure = "gdp"

    [blocs]
    west = ["USA", "GBR", "FRA", "DEU"]
    east = ["RUS", "CHN"]

    [[shocks]]
    type = "link_removal"
    border_point = "Nord Stream"

The file is checked against :data:`SCENARIO_SCHEMA` (JSON Schema) and then for
meaning (known blocs and states, years in order); every problem is reported
with its line.  Running it is :mod:`worldorder.sim.scenario`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from worldorder.located import LocatedDocument, Problem, read_file
from worldorder.sim.montecarlo import SimulationError
from worldorder.sim.shocks import (
    AlignmentSwitch,
    BorderClosure,
    GrowthShock,
    LinkRemoval,
    Sanctions,
    TradeWar,
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


_BORDER_POINTS: dict[str, tuple[str, ...]] = {}


def _border_points(db) -> tuple[str, ...]:
    """The IEA gas border points' names in the store ``db``, read once per store (they change only with the data set)."""
    key = str(getattr(db, "path", db))
    if key not in _BORDER_POINTS:
        from worldorder.networks.gas import load_gas_flows

        _BORDER_POINTS[key] = tuple(sorted(load_gas_flows(db=db)["borderpoint"].astype(str).unique()))
    return _BORDER_POINTS[key]


def _unknown_border_point(name: str, db) -> str | None:
    """Why no IEA gas border point matches ``name`` (as :func:`~worldorder.sim.shocks.apply_shock` matches it), or None."""
    import difflib

    names = _border_points(db)
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
