"""Request parameters of the web app: what a request may ask, how it is checked, and its 4xx errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from worldorder import CATALOG, COW_REGIONS, DEFAULT_SEED, WorldOrderError

#: Power measures offered in the app: the catalog's (:data:`worldorder.CATALOG`) marked ``web``, the composite apart.
WEB_MEASURES = tuple(key for key, entry in CATALOG.items() if entry.web and key != "composite")
#: Components a composite of the web app may weigh: measure keys that :func:`worldorder.power.composite`
#: accepts (each is already a column of the app's power frame; ``cinc_recomputed`` over all states is CINC).
COMPOSITE_COMPONENTS = tuple(m for m in WEB_MEASURES if m != "cinc_recomputed")
#: At most this many components with a positive weight in one composite.
MAX_COMPOSITE_COMPONENTS = 6
#: The composite the pages start from.
DEFAULT_WEIGHTS = "gdp:0.5,milex:0.3,population:0.2"
#: Measures whose label agreement the overview shows by default (as ``worldorder polarity --robust``).
AGREEMENT_MEASURES = ("cinc", "gdp", "milex", "population")
#: Measures of the Regions page's leaders table; it opens on the last year all of them have.
REGION_MEASURES = ("cinc", "gdp", "milex")
#: Region schemes of the regions page.
REGION_SCHEMES = ("cow", "cow6", "un", "un_subregion")
#: Layers whose blocs the networks page draws (disputes are negative ties only).
BLOC_LAYERS = ("alliance", "atop", "trade", "unga", "contiguity", "gas", "gas_bp")
#: Layers of the dependence explorer.
DEPENDENCE_LAYERS = ("gas", "gas_bp", "trade")

#: Data sets the app reads besides its measures' and layers': the state system, names and map codes, and the
#: inputs of the simulations and scenarios.
OTHER_DATASETS = (
    "cow_system_2024", "cow_states_2024", "cow_majors_2024", "countrycode_codelist", "maddison_2020",
    "cow_alliance_4_1", "cow_mid_dyadic_4_02", "ei_gas_interregional_trade_2023",
)


def required_datasets() -> tuple[str, ...]:
    """Data sets the pages read, from the definitions of what they show.

    The sources of each measure in :data:`WEB_MEASURES` (the measure catalog),
    the tables of each layer of the networks page (:data:`worldorder.LAYERS`),
    the democracy scores and tie layers of the Diffusion view, the series of
    trade openness (:data:`worldorder.OPENNESS_SOURCES`) and
    :data:`OTHER_DATASETS`; each named once, in that order.
    """
    from worldorder import CATALOG, DEMOCRACY_DATASET, LAYERS, OPENNESS_SOURCES, tie_sources

    measures = [name for key in WEB_MEASURES for name in CATALOG[key].sources]
    layers = [name for layer in (*BLOC_LAYERS, *DEPENDENCE_LAYERS) for name in LAYERS[layer][0]]
    openness = [name for names in OPENNESS_SOURCES.values() for name in names]
    return tuple(dict.fromkeys([*measures, *layers, DEMOCRACY_DATASET, *tie_sources(), *openness, *OTHER_DATASETS]))


#: Data sets the pages read; ``worldorder serve`` ingests them before opening the store read-only.
REQUIRED_DATASETS = required_datasets()

#: Bounds on the work one request may ask for.
MAX_PATHS = 20_000
MAX_HORIZON = 2100
MAX_SCENARIO_CHARS = 20_000
MAX_DRAWN_TIES = 1_500



class BadRequest(WorldOrderError, ValueError):
    """A request the data cannot answer (a year outside the coverage, an unknown state ...): HTTP 422."""


class Busy(RuntimeError):
    """Another simulation is running and did not finish in time: HTTP 503."""


class ClientGone(Busy):
    """The client closed the connection while its run waited or ran: the run stops (nobody reads the answer)."""


class NotFound(LookupError):
    """An unknown result or data set: HTTP 404."""


class ScenarioProblems(BadRequest):
    """A scenario that does not validate; ``problems`` lists each with its line."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        lines = "; ".join(f"line {p['line']}: {p['path'] + ': ' if p['path'] else ''}{p['message']}" if p["line"] else p["message"] for p in problems)
        super().__init__(f"The scenario has {len(problems)} problem{'s' if len(problems) != 1 else ''}: {lines}")





POLE_RULES = ("leader:0.5", "threshold:0.1", "wayman")

Measure = Literal[WEB_MEASURES]  # type: ignore[valid-type]
#: Measures of the timeline and the map: the web measures and a composite of the user's weights.
PowerMeasure = Literal[WEB_MEASURES + ("composite",)]  # type: ignore[valid-type]
BlocLayer = Literal[BLOC_LAYERS]  # type: ignore[valid-type]
DependenceLayer = Literal[DEPENDENCE_LAYERS]  # type: ignore[valid-type]
Scheme = Literal[REGION_SCHEMES]  # type: ignore[valid-type]
Format = Literal["json", "csv", "parquet"]

POWER_MEASURE_HELP = "Power measure (composite: your weights)."
FORMAT_HELP = "json (the default), or the table as csv or parquet."
TABLE_HELP = "With format=csv or parquet: which table to download."
AMONG_HELP = "Reference set: all, majors, top:K, region:NAME."
RULE_HELP = "Pole rule: leader:R, threshold:T or wayman."
SCHEME_HELP = "Regions: cow (COW regions), cow6 (Oceania apart), un or un_subregion."
LAYER_HELP = "Network layer."
WEIGHTS_HELP = (
    f"Only with measure=composite: component:weight pairs, comma-separated, at most {MAX_COMPOSITE_COMPONENTS} "
    f"(components: {', '.join(COMPOSITE_COMPONENTS)}), e.g. {DEFAULT_WEIGHTS}. Weights are non-negative, at least "
    "one positive; worldorder.power.composite normalises them to sum to 1."
)


class ProjectionRequest(BaseModel):
    """A Monte Carlo projection of one power measure."""

    model_config = ConfigDict(extra="forbid")
    measure: Measure = Field("gdp", description="Power measure whose growth is calibrated and simulated.")
    horizon: int = Field(2050, ge=1817, le=MAX_HORIZON, strict=True, description="Last projected year.")
    paths: int = Field(5000, ge=100, le=MAX_PATHS, strict=True, description=f"Simulated paths (at most {MAX_PATHS:,} here).")
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1, strict=True, description="Seed: the same seed gives the same numbers (a whole number; true/false are refused).")
    rule: str = Field("leader:0.5", max_length=24, description=RULE_HELP)
    correlation: Literal["region", "factor", "none"] = Field("region", description="Correlation of growth across states.")
    drift: Literal["regression", "own"] = Field("regression", description="Mean growth ahead: the growth regression fitted on the decades before the base year (the backtested default) or each state's own shrunk mean.")
    leader: Optional[str] = Field(None, max_length=60, description="Leader (default: the largest state in the base year).")
    challenger: Optional[str] = Field(None, max_length=60, description="Challenger (default: the second largest).")


class ScenarioRequest(BaseModel):
    """A scenario file's text (TOML or YAML), as `worldorder scenario run` reads it."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, max_length=MAX_SCENARIO_CHARS)
    format: Literal["toml", "yaml"] = Field("toml")
    paths: int = Field(2000, ge=100, le=MAX_PATHS, strict=True, description="Monte Carlo paths of the scenario's projection, if it has one.")


@dataclass(frozen=True)
class Composite:
    """A user-weighted composite (:func:`worldorder.power.composite`) as a measure of the app.

    ``weights`` keeps the components in the order given, zero weights dropped
    (the library drops them too); it is hashable, so memo and response keys
    include it.  The library normalises the weights to sum to 1.
    """

    weights: tuple[tuple[str, float], ...]

    def __str__(self) -> str:
        return f"composite ({self.text})"

    @property
    def text(self) -> str:
        """``gdp:0.5,milex:0.3``: the weights as the ``weights`` query parameter writes them."""
        return ",".join(f"{k}:{w:g}" for k, w in self.weights)

    def normalised(self) -> tuple[tuple[str, float], ...]:
        total = sum(w for _, w in self.weights)
        return tuple((k, w / total) for k, w in self.weights)


def parse_weights(text: str) -> Composite:
    """Check ``weights=component:weight,...`` with the library's one weights parser (:func:`worldorder.parse_weight_text`)."""
    from worldorder import PowerError, parse_weight_text

    try:
        weights = parse_weight_text(text, components=COMPOSITE_COMPONENTS, limit=MAX_COMPOSITE_COMPONENTS)
    except PowerError as error:
        raise BadRequest(f"{error} For example weights={DEFAULT_WEIGHTS}.") from None
    return Composite(tuple((key, weight) for key, weight in weights.items() if weight > 0))


def measure_text(measure) -> str:
    """A measure key, or a composite with its weights, for messages."""
    return str(measure)




def check_yaml(text: str) -> None:
    """Refuse YAML nested too deeply (before PyYAML scans it), and anchors and aliases: a small text could make the validator walk a huge tree."""
    import yaml

    from worldorder import MAX_DEPTH, too_deep

    deep = too_deep(text)
    if deep is not None:
        raise ScenarioProblems([{"line": deep, "path": "", "message": f"nested deeper than {MAX_DEPTH} levels"}])
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                line = token.start_mark.line + 1
                raise ScenarioProblems([{"line": line, "path": "", "message": "YAML anchors and aliases (& and *) are not accepted here; write the values out."}])
    except yaml.YAMLError:
        return  # the scenario reader reports the syntax error with its line


def parse_among(text: str) -> str:
    """Check a reference set (:class:`worldorder.ReferenceSet`): ``all``, ``majors``, ``top:K`` (2-50) or ``region:NAME`` (a COW region)."""
    from worldorder import ReferenceSet, ReferenceSetError

    try:
        reference = ReferenceSet.parse(text)
    except ReferenceSetError as error:
        raise BadRequest(f"among: {error}") from None
    if reference.kind in ("all", "majors") or (reference.kind == "top" and 2 <= reference.size <= 50):
        return reference.key
    if reference.kind == "region" and reference.scheme in (None, "cow6") and reference.name in COW_REGIONS:
        return f"region:{reference.name}"
    raise BadRequest(
        f"among={text!r} is not a reference set of this app: use all, majors, top:K (K from 2 to 50) or region:NAME "
        f"with NAME one of {', '.join(COW_REGIONS)}."
    )


def parse_rule(text: str) -> str:
    """Check a pole rule: ``leader:R``, ``threshold:T`` (0 < R, T <= 1) or ``wayman``."""
    from worldorder import PowerError, pole_rule

    text = text.strip()
    if not re.fullmatch(r"(leader|threshold):(0?\.\d{1,4}|1(\.0{1,4})?)|wayman", text):
        raise BadRequest(f"rule={text!r} is not a pole rule: use leader:R, threshold:T (0 < R, T <= 1) or wayman.")
    try:
        return pole_rule(text).name
    except PowerError as error:
        raise BadRequest(str(error)) from None


def split_list(text: str, what: str, allowed=None, limit: int = 8) -> tuple[str, ...]:
    """A comma-separated list of at most ``limit`` distinct values, each in ``allowed`` when given."""
    items = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    if not items:
        raise BadRequest(f"{what}: give at least one value.")
    if len(items) > limit:
        raise BadRequest(f"{what}: at most {limit} values.")
    if allowed is not None:
        wrong = [i for i in items if i not in allowed]
        if wrong:
            raise BadRequest(f"{what}: unknown {', '.join(wrong)}; choose from {', '.join(allowed)}.")
    return items


def power_measure(measure: str, weights: str | None):
    """The measure key, or a :class:`Composite` of the checked ``weights`` when ``measure=composite``."""
    if measure == "composite":
        if weights is None or not weights.strip():
            raise BadRequest(f"measure=composite needs weights, e.g. weights={DEFAULT_WEIGHTS}.")
        return parse_weights(weights)
    if weights is not None and weights.strip():
        raise BadRequest(f"weights apply only to measure=composite (measure is {measure}).")
    return measure


def measure_key(measure) -> str:
    """The measure's key for file names: "composite" for the user's weights."""
    return "composite" if isinstance(measure, Composite) else measure


def composite_note(measure) -> str:
    """What the caption says of a composite: the weights given and as the library normalises them."""
    if not isinstance(measure, Composite):
        return ""
    given = ", ".join(f"{k} {w:g}" for k, w in measure.weights)
    used = ", ".join(f"{k} {w:.3g}" for k, w in measure.normalised())
    return (f"composite of your weights ({given}), normalised to sum to 1 as worldorder.power.composite does "
            f"({used}); each component is a state's share of the year's total over all states, averaged over "
            "the components the state has (missing: available)")


def join_notes(*notes: str) -> str:
    """The non-empty notes joined by semicolons."""
    return "; ".join(n for n in notes if n)
