"""The claims ledger: a YAML file of testable propositions, read with the line of every key.

A ledger lists claims.  Each claim has the proposition in words, who makes
it (free text), and a test: what is measured (``quantity``), by which
measures, over which reference set (``among``) and years, and a predicate
that must hold.  An optional ``verdict`` section sets the rule that turns the
results of the test's cases into "supported", "not supported" or "depends on
the measure".  A minimal ledger::

    ledger: 1
    title: Example
    regions:
      East Asia: [CHN, JPN, ROK, PRK, TAW, MON]
    claims:
      - id: china-leads-east-asia
        claim: China is the leading state of East Asia.
        made_by: a common description of the region
        test:
          quantity: ranking
          measure: [cinc, gdp, milex]
          among: region:East Asia
          years: latest
          predicate: {type: rank, states: [CHN], top: 1}

Every problem of a ledger is reported with its file and line
(:class:`ClaimsError` lists them all at once, not only the first).  States are
checked when the ledger is evaluated, since that needs the state list.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from worldorder.errors import WorldOrderError
from worldorder.located import LocatedDocument, Problem, read_file, read_yaml
from worldorder.years import Years

LEDGER_VERSION = 1

#: What a test can measure, the measures it accepts and its default ("every applicable") measures.
POWER_MEASURES_DEFAULT = ("cinc", "gdp", "gdp_wb", "milex", "milex_wb", "net_power")
GLOBALIZATION_MEASURES = {
    "openness": "world trade openness: imports + exports of states with World Bank GDP over their GDP (COW national trade, WDI GDP)",
    "density": "trade-network density: share of pairs of states with a recorded trade flow (COW dyadic trade)",
    "openness_wb": "trade openness, World Bank: exports + imports of goods and services over GDP (WDI NE.TRD.GNFS.ZS), "
    "of the world (among: all) or of one state (among: USA)",
}
GAS_MEASURES = {
    "bp": "bp Statistical Review 2021: pipeline trade by country of origin, 2020 (bcm)",
    "iea": "IEA Gas Trade Flows: physical flows by border point, monthly Oct 2008 to Sep 2022, summed by year (million m3)",
    "iea_2022_04": "IEA Gas Trade Flows, April 2022 file: physical flows by border point, Oct 2008 to Apr 2022 (million m3)",
}
#: Gas trade between regions (quantity gas_trade): the Energy Institute's inter-regional table.
GAS_TRADE_MEASURES = {
    "ei": "Energy Institute Statistical Review 2024: inter-regional gas trade, 2000-2023 (bcm)",
}
QUANTITIES = ("polarity", "ranking", "globalization", "gas_dependence", "gas_trade", "diffusion")
#: Diffusion tests: the outcome when the test names none, and the tie layer when it names no measure.
DIFFUSION_DEFAULT_OUTCOME = "democracy:polyarchy>=0.5"
DIFFUSION_DEFAULT_TIES = ("alliance",)

#: The verdicts.
SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
DEPENDS = "depends on the measure"
NOT_TESTABLE = "not testable with these data"
VERDICTS = (SUPPORTED, NOT_SUPPORTED, DEPENDS, NOT_TESTABLE)

#: Year-level columns of :func:`worldorder.power.polarity` a polarity test can use.
POLARITY_INDICES = (
    "polarity",
    "n_poles",
    "poles",
    "leader",
    "con",
    "hhi",
    "effective_poles",
    "effective_poles_entropy",
    "top1_share",
    "top2_share",
    "top_gap",
)
LABEL_INDICES = ("polarity", "poles", "leader")
RULE_INDICES = ("polarity", "n_poles", "poles")
POLARITY_LABELS = ("unipolar", "bipolar", "multipolar", "nonpolar")

OPS = ("==", "!=", ">", ">=", "<", "<=")
OP_WORDS = {"==": "equals", "!=": "differs from", ">": "is above", ">=": "is at least", "<": "is below", "<=": "is at most"}

#: Predicate types, the keys each needs and the keys each may have.
PREDICATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "threshold": (("op", "value"), ("at",)),
    "all-years": (("op", "value"), ()),
    "any-year": (("op", "value"), ()),
    "share-of-years": (("op", "value", "at_least"), ()),
    "compare": (("op", "left", "right"), ()),
    "trend": (("direction",), ("min_years",)),
    "rank": (("states",), ("top", "at")),
    "exceeds-next": (("state", "next"), ("at",)),
    "recovers": (("shocks",), ("within",)),
    "spreads": ((), ("since",)),
}
SERIES_PREDICATES = ("threshold", "all-years", "any-year", "share-of-years", "compare", "trend", "recovers")
RANKING_PREDICATES = ("rank", "exceeds-next")
AT_STATS = ("latest", "first", "mean", "min", "max")
AT_YEARS = ("latest", "all-years", "any-year")

_TOP_KEYS = ("ledger", "title", "description", "regions", "claims")
_CLAIM_KEYS = ("id", "claim", "made_by", "test", "verdict", "notes", "references")
_TEST_KEYS = ("quantity", "index", "measure", "among", "rule", "years", "predicate", "importer", "supplier", "borderpoint", "state", "outcome",
              "month", "region", "flow", "partner")
_VERDICT_KEYS = ("supported", "not_supported")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


# -- problems ------------------------------------------------------------------------------------
class ClaimsError(WorldOrderError, ValueError):
    """A ledger that cannot be read or evaluated; ``problems`` lists each problem with its line."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", None, "", problems)]
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        files = {p.file for p in self.problems if p.file}
        head = f"{len(self.problems)} problems" + (f" in {next(iter(files))}" if len(files) == 1 else "") + ":"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


# -- the ledger's objects -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Predicate:
    """What must hold of a case's series; ``options`` holds the type's keys."""

    type: str
    options: dict
    line: int | None = None

    def get(self, key, default=None):
        return self.options.get(key, default)

    def describe(self, index: str = "the value") -> str:
        """The predicate in words."""
        o = self.options
        cond = f"{index} {OP_WORDS.get(o.get('op'), o.get('op'))} {_value_text(o.get('value'))}"
        kind = self.type
        if kind == "threshold":
            at = o.get("at", "latest")
            where = {"latest": "in the latest year with data", "first": "in the first year with data", "mean": "on average over the years",
                     "min": "at its lowest over the years", "max": "at its highest over the years"}.get(at, f"in {at}")
            return f"{cond} {where}"
        if kind == "all-years":
            return f"{cond} in every year with data"
        if kind == "any-year":
            return f"{cond} in at least one year"
        if kind == "share-of-years":
            return f"{cond} in at least {o['at_least']:.0%} of the years with data"
        if kind == "compare":
            return f"{index} at {_at_text(o['left'])} {OP_WORDS[o['op']]} {index} at {_at_text(o['right'])}"
        if kind == "trend":
            return f"{index} {o['direction']} over the years (sign of the least-squares slope)"
        if kind == "rank":
            top = o.get("top", 1)
            states = " and ".join(o["states"])
            place = "first" if top == 1 else f"among the top {top}"
            return f"{states} {'rank' if len(o['states']) > 1 else 'ranks'} {place} of the reference set {_when(o.get('at', 'latest'))}"
        if kind == "exceeds-next":
            return f"{o['state']} has more than the next {o['next']} states of the reference set together {_when(o.get('at', 'latest'))}"
        if kind == "recovers":
            shocks = ", ".join(str(s) for s in o["shocks"])
            within = o.get("within", 5)
            return (f"after each shock ({shocks}) {index} is, {within} years after the shock year, at or above "
                    f"its level of the year before the shock")
        return kind


def _when(at: str) -> str:
    return {"latest": "in the latest year with data", "all-years": "in every year with data", "any-year": "in at least one year"}.get(at, at)


def _value_text(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _at_text(at) -> str:
    if isinstance(at, Years):
        return f"the mean of {at}"
    return {"latest": "the latest year", "first": "the first year"}.get(at, str(at))


@dataclass(frozen=True)
class Test:
    """How a claim is tested: the quantity, its measures, reference sets, rules, years and predicate."""

    quantity: str
    predicate: Predicate
    measures: tuple[str, ...]
    among: tuple[str, ...] = ("all",)
    rules: tuple[str | None, ...] = (None,)
    years: Years = field(default_factory=Years)
    index: str | None = None
    importer: str | None = None
    supplier: str | None = None
    borderpoint: str | None = None
    state: str | None = None
    outcome: str | None = None
    month: int | None = None  # gas_dependence (IEA): one calendar month of each year rather than the year's sum
    region: str | None = None  # gas_trade: the Energy Institute's region, flow and partner region
    flow: str | None = None
    partner: str | None = None


@dataclass(frozen=True)
class VerdictRule:
    """How the cases' results become a verdict.

    ``supported`` / ``not_supported``: ``"all"``, ``"any"``, ``"majority"``,
    ``"none"``, ``"minority"`` or a share (0-1) of the cases with data in which
    the predicate holds (at least that share for ``supported``, at most that
    share for ``not_supported``).  Between the two the verdict is "depends on
    the measure".
    """

    supported: str | float = "all"
    not_supported: str | float = "none"

    def describe(self, cases: str = "case") -> str:
        def part(value, at_least: bool) -> str:
            if value == "all":
                return f"in every {cases} with data"
            if value == "none":
                return f"in no {cases} with data"
            if value == "any":
                return f"in at least one {cases} with data"
            if value == "majority":
                return f"in more than half of the {cases}s with data"
            if value == "minority":
                return f"in fewer than half of the {cases}s with data"
            return f"in {'at least' if at_least else 'at most'} {float(value):.0%} of the {cases}s with data"

        return (
            f"supported if the predicate holds {part(self.supported, True)}; "
            f"not supported if it holds {part(self.not_supported, False)}; "
            "otherwise it depends on the measure"
        )

    def decide(self, holding: int, total: int) -> str:
        if total == 0:
            return NOT_TESTABLE
        share = holding / total
        if _meets(self.supported, holding, total, share, upper=False):
            return SUPPORTED
        if _meets(self.not_supported, holding, total, share, upper=True):
            return NOT_SUPPORTED
        return DEPENDS


def _meets(rule, holding: int, total: int, share: float, upper: bool) -> bool:
    if rule == "all":
        return holding == total
    if rule == "none":
        return holding == 0
    if rule == "any":
        return holding >= 1
    if rule == "majority":
        return holding * 2 > total
    if rule == "minority":
        return holding * 2 < total
    return share <= float(rule) + 1e-12 if upper else share >= float(rule) - 1e-12


@dataclass(frozen=True)
class Claim:
    """One proposition of a ledger and its test."""

    id: str
    claim: str
    made_by: str
    test: Test
    verdict: VerdictRule = field(default_factory=VerdictRule)
    notes: str = ""
    references: tuple[str, ...] = ()
    line: int | None = None


@dataclass
class Ledger:
    """A parsed ledger: its claims, its named regions and where each key was written.

    ``regions`` maps a region name to the states as written (abbreviations,
    names or COW codes); they are resolved to COW codes when the ledger is
    evaluated.
    """

    claims: list[Claim]
    title: str = ""
    description: str = ""
    regions: dict[str, list] = field(default_factory=dict)
    file: str = "<ledger>"
    lines: dict[tuple, int] = field(default_factory=dict, repr=False)
    version: int = LEDGER_VERSION

    def line(self, path: tuple) -> int | None:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def claim(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        close = difflib.get_close_matches(claim_id, [c.id for c in self.claims], n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ClaimsError(f"No claim {claim_id!r} in {self.file}.{hint}")


# -- parsing -------------------------------------------------------------------------------------------
def load_ledger(path: str | os.PathLike) -> Ledger:
    """Read and validate a claims ledger (YAML).

    Parameters
    ----------
    path
        A ``.yaml`` or ``.yml`` file.

    Returns
    -------
    Ledger

    Raises
    ------
    ClaimsError
        Listing every problem with its file and line.
    """
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise ClaimsError(f"{path}: a ledger is a YAML file ending in .yaml or .yml.")
    return _ledger(read_file(path, "ledger"))


def parse_ledger(text: str, file: str = "<ledger>") -> Ledger:
    """Validate the YAML ``text`` of a ledger (see :func:`load_ledger`)."""
    return _ledger(read_yaml(text, file))


def _ledger(doc: LocatedDocument) -> Ledger:
    data = doc.data
    if data is None and doc.problems:
        raise ClaimsError(doc.problems)
    if not isinstance(data, dict):
        doc.problem((), "a ledger is a mapping with a 'claims' list (and optionally ledger, title, regions)")
        raise ClaimsError(doc.problems)
    _unknown_keys(doc, data, (), _TOP_KEYS)
    version = data.get("ledger", LEDGER_VERSION)
    if version != LEDGER_VERSION:
        doc.problem(("ledger",), f"this worldorder reads ledger format {LEDGER_VERSION}, not {version!r}")
    title = _text(doc, data, ("title",), required=False)
    description = _text(doc, data, ("description",), required=False)
    regions = _regions(doc, data.get("regions"))
    claims_data = data.get("claims")
    claims: list[Claim] = []
    if claims_data is None:
        doc.problem(("claims",), "the ledger has no 'claims' list")
    elif not isinstance(claims_data, list) or not claims_data:
        doc.problem(("claims",), "'claims' must be a non-empty list of claims (each starting with '- id: ...')")
    else:
        seen: dict[str, int] = {}
        for i, item in enumerate(claims_data):
            claim_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(claim_id, str) and claim_id in seen:
                doc.problem(("claims", i, "id"), f"the id {claim_id!r} is used twice (first by claim {seen[claim_id] + 1})")
            elif isinstance(claim_id, str):
                seen[claim_id] = i
            claim = _claim(doc, item, ("claims", i), regions)
            if claim is not None:
                claims.append(claim)
    if doc.problems:
        raise ClaimsError(sorted(doc.problems, key=lambda p: (p.line or 0)))
    return Ledger(claims=claims, title=title, description=description, regions=regions, file=doc.file, lines=doc.lines, version=LEDGER_VERSION)


def _unknown_keys(doc: LocatedDocument, data: dict, path: tuple, allowed) -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"
            doc.problem(path + (key,), f"unknown key {key!r}{hint}")


def _text(doc, data: dict, path: tuple, required: bool = True) -> str:
    key = path[-1]
    value = data.get(key)
    if value is None:
        if required:
            doc.problem(path, f"'{key}' is required")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        doc.problem(path, f"'{key}' must be text")
        return ""
    return str(value).strip()


def _regions(doc: LocatedDocument, data) -> dict[str, list]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        doc.problem(("regions",), "'regions' must map each region name to a list of states")
        return {}
    out = {}
    for name, states in data.items():
        path = ("regions", name)
        if not isinstance(states, list) or not states:
            doc.problem(path, f"region {name!r} must be a non-empty list of states (abbreviations, names or COW codes)")
            continue
        bad = [s for s in states if not isinstance(s, (str, int)) or isinstance(s, bool)]
        if bad:
            doc.problem(path, f"region {name!r}: {bad[0]!r} is not a state name, abbreviation or COW code")
            continue
        out[str(name)] = list(states)
    return out


def _as_list(doc, value, path: tuple, what: str) -> list | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if not items:
        doc.problem(path, f"'{path[-1]}' is an empty list; give at least one {what}")
        return None
    return items


def _claim(doc: LocatedDocument, item, path: tuple, regions: dict) -> Claim | None:
    if not isinstance(item, dict):
        doc.problem(path, "each claim is a mapping with id, claim, made_by and test")
        return None
    _unknown_keys(doc, item, path, _CLAIM_KEYS)
    claim_id = _text(doc, item, path + ("id",))
    if claim_id and not _ID.match(claim_id):
        doc.problem(path + ("id",), f"the id {claim_id!r} must be one word of letters, digits, '-', '_' or '.'")
    text = _text(doc, item, path + ("claim",))
    made_by = _text(doc, item, path + ("made_by",), required=False) or "not stated"
    notes = _text(doc, item, path + ("notes",), required=False)
    references = item.get("references") or []
    if not isinstance(references, list):
        references = [references]
    references = tuple(str(r) for r in references)
    test = _test(doc, item.get("test"), path + ("test",), regions)
    verdict = _verdict(doc, item.get("verdict"), path + ("verdict",))
    if not claim_id or not text or test is None or verdict is None:
        return None
    return Claim(claim_id, text, made_by, test, verdict, notes, references, doc.line(path))


def _verdict(doc: LocatedDocument, data, path: tuple) -> VerdictRule | None:
    if data is None:
        return VerdictRule()
    if not isinstance(data, dict):
        doc.problem(path, "'verdict' must be a mapping with 'supported' and/or 'not_supported'")
        return None
    _unknown_keys(doc, data, path, _VERDICT_KEYS)
    values = {}
    for key, words in (("supported", ("all", "any", "majority")), ("not_supported", ("none", "minority"))):
        value = data.get(key, "all" if key == "supported" else "none")
        if isinstance(value, str) and value in words:
            values[key] = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
            values[key] = float(value)
        else:
            doc.problem(path + (key,), f"'{key}' must be {', '.join(words)} or a share between 0 and 1, not {value!r}")
            return None
    rule = VerdictRule(**values)
    if isinstance(rule.supported, float) and isinstance(rule.not_supported, float) and rule.not_supported >= rule.supported:
        doc.problem(path, "'not_supported' must be a smaller share than 'supported'")
        return None
    return rule


def parse_years(value) -> Years:
    """``1946-1989``, ``1991-`` (to the latest), ``-1989``, ``2021``, ``latest``, ``all``, ``2010-latest`` (see :class:`~worldorder.years.Years`)."""
    return Years.parse(value)


def _number(value):
    """A number, or a fraction written as text ('1/3')."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*/\s*\d+(\.\d+)?\s*", value):
        top, bottom = (float(v) for v in value.split("/"))
        return top / bottom
    raise ValueError


def _test(doc: LocatedDocument, data, path: tuple, regions: dict) -> Test | None:
    if not isinstance(data, dict):
        doc.problem(path, "'test' is required: a mapping with quantity, measure, among, years and predicate")
        return None
    before = len(doc.problems)
    _unknown_keys(doc, data, path, _TEST_KEYS)
    quantity = data.get("quantity")
    if quantity not in QUANTITIES:
        close = difflib.get_close_matches(str(quantity), QUANTITIES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        doc.problem(path + ("quantity",), f"'quantity' must be one of {', '.join(QUANTITIES)}, not {quantity!r}{hint}")
        return None
    # years
    try:
        years = parse_years(data.get("years"))
    except ValueError as error:
        doc.problem(path + ("years",), str(error))
        years = Years()
    # index
    index = None
    if quantity == "polarity":
        index = data.get("index", "polarity")
        if index not in POLARITY_INDICES:
            close = difflib.get_close_matches(str(index), POLARITY_INDICES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            doc.problem(path + ("index",), f"'index' must be one of {', '.join(POLARITY_INDICES)}{hint}")
            index = "polarity"
    elif "index" in data:
        doc.problem(path + ("index",), f"'index' applies to quantity polarity, not {quantity}")
    measures = _measures(doc, data, path, quantity)
    among = _among(doc, data, path, quantity, regions)
    rules = _rules(doc, data, path, quantity, index)
    for key, allowed in (("importer", "gas_dependence"), ("supplier", "gas_dependence"), ("borderpoint", "gas_dependence"), ("state", "ranking"),
                         ("outcome", "diffusion"), ("month", "gas_dependence"), ("region", "gas_trade"), ("flow", "gas_trade"), ("partner", "gas_trade")):
        if key in data and quantity != allowed:
            doc.problem(path + (key,), f"'{key}' applies to quantity {allowed}, not {quantity}")
    importer = supplier = borderpoint = state = None
    if quantity == "gas_dependence":
        importer = _state_key(doc, data, path, "importer", required=True)
        supplier = _state_key(doc, data, path, "supplier", required=False)
        borderpoint = data.get("borderpoint")
        if borderpoint is not None and not isinstance(borderpoint, str):
            doc.problem(path + ("borderpoint",), "'borderpoint' must be the name of a border point, such as Nord Stream")
            borderpoint = None
        if (supplier is None) == (borderpoint is None):
            doc.problem(path, "a gas_dependence test names either a 'supplier' (a state) or a 'borderpoint' (such as Nord Stream)")
        if borderpoint is not None and "bp" in measures:
            doc.problem(path + ("measure",), "bp's pipeline table has no border points; use measure iea with 'borderpoint'")
        if "measure" not in data and borderpoint is not None:
            measures = ("iea",)
    month = data.get("month")
    if month is not None:
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            doc.problem(path + ("month",), "'month' is a calendar month, 1 (January) to 12 (December)")
        elif "bp" in measures:
            doc.problem(path + ("measure",), "bp's table is annual; 'month' needs measure iea")
    region = flow = partner = None
    if quantity == "gas_trade":
        region, flow, partner = data.get("region"), data.get("flow", "Pipeline exports"), data.get("partner", "")
        for key, value in (("region", region), ("flow", flow), ("partner", partner)):
            if not isinstance(value, str) or (key == "region" and not value):
                doc.problem(path + (key,), f"'{key}' must be a name of the Energy Institute's table (region 'Russian Federation', "
                                           "flow 'Pipeline exports', partner 'Europe')")
    if quantity == "ranking":
        state = _state_key(doc, data, path, "state", required=False)
    outcome = _diffusion_outcome(doc, data, path, years) if quantity == "diffusion" else None
    predicate = _predicate(doc, data.get("predicate"), path + ("predicate",), quantity, index, state)
    if len(doc.problems) > before or predicate is None:
        return None
    return Test(quantity, predicate, measures, among, rules, years, index, importer, supplier, borderpoint, state, outcome,
                month, region, flow, partner)


def _diffusion_outcome(doc, data, path, years) -> str | None:
    """The outcome of a diffusion test (checked by its grammar); its years need a first and a last year."""
    from worldorder.sim.diffusion_outcomes import DiffusionError, parse_outcome

    if years.first is None or years.last is None:
        doc.problem(path + ("years",), "a diffusion test needs a first and a last year, such as 1990-2010 (the years the spread is claimed for)")
    try:
        return parse_outcome(data.get("outcome", DIFFUSION_DEFAULT_OUTCOME)).spec
    except DiffusionError as error:
        doc.problem(path + ("outcome",), str(error))
        return None


def _state_key(doc, data, path, key, required: bool):
    value = data.get(key)
    if value is None:
        if required:
            doc.problem(path + (key,), f"'{key}' is required (a state: abbreviation, name or COW code)")
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        doc.problem(path + (key,), f"'{key}' must be one state (abbreviation, name or COW code)")
        return None
    return str(value)


def _measures(doc, data, path, quantity) -> tuple[str, ...]:
    raw = _as_list(doc, data.get("measure"), path + ("measure",), "measure")
    if quantity in ("polarity", "ranking"):
        from worldorder.power import MEASURES

        allowed = [key for key in MEASURES if key != "composite"]
        default = POWER_MEASURES_DEFAULT
    elif quantity == "globalization":
        allowed, default = list(GLOBALIZATION_MEASURES), tuple(GLOBALIZATION_MEASURES)
    elif quantity == "diffusion":
        from worldorder.sim.diffusion_ties import TIE_LAYERS

        allowed, default = list(TIE_LAYERS), DIFFUSION_DEFAULT_TIES
    elif quantity == "gas_trade":
        allowed, default = list(GAS_TRADE_MEASURES), tuple(GAS_TRADE_MEASURES)
    else:
        allowed, default = list(GAS_MEASURES), ("bp", "iea")  # iea_2022_04, the older vintage, only when named
    if raw is None:
        return default
    out = []
    for i, value in enumerate(raw):
        where = path + ("measure",) + ((i,) if isinstance(data.get("measure"), list) else ())
        if value not in allowed:
            close = difflib.get_close_matches(str(value), allowed, n=2)
            hint = f"; did you mean {' or '.join(close)}?" if close else f"; measures for {quantity}: {', '.join(allowed)}"
            doc.problem(where, f"unknown measure {value!r}{hint}")
        elif value not in out:
            out.append(value)
    return tuple(out)


def _openness_among(doc, data, path, raw) -> tuple[str, ...]:
    """Globalization cases: ``all`` (the world) or one state each, for the World Bank's openness only."""
    measures = data.get("measure")
    if measures is None or set([measures] if isinstance(measures, str) else measures) != {"openness_wb"}:
        doc.problem(path + ("among",), "'among' applies to globalization only with measure: openness_wb "
                                       "(the World Bank's openness of the world or of one state)")
        return ("all",)
    out = []
    for i, value in enumerate(raw):
        text = str(value).strip()
        if text != "all" and not re.fullmatch(r"[A-Z]{2,3}|\d{1,3}", text):
            doc.problem(path + ("among", i), f"{text!r} is neither 'all' (the world) nor one state (a COW abbreviation such as USA)")
            continue
        if text not in out:
            out.append(text)
    return tuple(out) or ("all",)


def _among(doc, data, path, quantity, regions) -> tuple[str, ...]:
    raw = _as_list(doc, data.get("among"), path + ("among",), "reference set")
    if quantity == "globalization" and raw is not None:
        return _openness_among(doc, data, path, raw)
    if quantity in ("globalization", "gas_dependence", "gas_trade", "diffusion"):
        if raw is not None:
            doc.problem(path + ("among",), f"'among' does not apply to quantity {quantity}")
        return ("all",)
    if raw is None:
        return ("all",)
    from worldorder.power.cow_regions import COW_REGIONS
    from worldorder.power.reference import ReferenceSet, ReferenceSetError

    out = []
    for i, value in enumerate(raw):
        where = path + ("among",) + ((i,) if isinstance(data.get("among"), list) else ())
        text = str(value).strip()
        try:
            reference = ReferenceSet.parse(text)
        except ReferenceSetError as error:
            doc.problem(where, str(error))
            continue
        if reference.kind == "region" and reference.scheme is None and reference.name not in regions and reference.name not in COW_REGIONS:
            known = list(regions) + list(COW_REGIONS)
            close = difflib.get_close_matches(reference.name, known, n=2)
            hint = f"; did you mean {' or '.join(close)}?" if close else f"; regions: {', '.join(known)}"
            doc.problem(where, f"no region {reference.name!r} in the ledger's regions or the COW regions{hint} "
                               "(UN regions are written region:un:NAME)")
            continue
        if text not in out:
            out.append(text)
    return tuple(out) or ("all",)


def _rules(doc, data, path, quantity, index) -> tuple[str | None, ...]:
    raw = _as_list(doc, data.get("rule"), path + ("rule",), "pole rule")
    if quantity != "polarity" or index not in RULE_INDICES:
        if raw is not None:
            doc.problem(path + ("rule",), "'rule' applies only to the pole count and label (index polarity, n_poles or poles)")
        return (None,)
    from worldorder.power import PowerError, pole_rule
    from worldorder.power.polarity import DEFAULT_RULES

    if raw is None:
        return tuple(DEFAULT_RULES)
    out = []
    for i, value in enumerate(raw):
        where = path + ("rule",) + ((i,) if isinstance(data.get("rule"), list) else ())
        try:
            out.append(pole_rule(str(value)).name)
        except PowerError as error:
            doc.problem(where, str(error))
    return tuple(dict.fromkeys(out))


def _predicate(doc, data, path, quantity, index, state) -> Predicate | None:
    if not isinstance(data, dict):
        doc.problem(path, f"'predicate' is required: a mapping with 'type' ({', '.join(PREDICATES)})")
        return None
    kind = data.get("type")
    if kind not in PREDICATES:
        close = difflib.get_close_matches(str(kind), list(PREDICATES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        doc.problem(path + ("type",), f"predicate type must be one of {', '.join(PREDICATES)}, not {kind!r}{hint}")
        return None
    required, optional = PREDICATES[kind]
    _unknown_keys(doc, data, path, ("type", *required, *optional))
    for key in required:
        if key not in data:
            doc.problem(path, f"a {kind} predicate needs '{key}'")
    if any(key not in data for key in required):
        return None
    options = {k: v for k, v in data.items() if k != "type"}
    before = len(doc.problems)
    label_valued = quantity == "polarity" and index in LABEL_INDICES
    # which quantities take which predicates
    if kind in RANKING_PREDICATES and quantity != "ranking":
        doc.problem(path + ("type",), f"a {kind} predicate needs quantity ranking, not {quantity}")
    if (kind == "spreads") != (quantity == "diffusion"):
        doc.problem(path + ("type",), f"quantity diffusion is tested with the predicate spreads, and spreads only applies to it (not {kind} with {quantity})")
    if "since" in options and (not isinstance(options["since"], int) or isinstance(options["since"], bool) or not 1816 <= options["since"] < 2100):
        doc.problem(path + ("since",), "'since' must be a year (the first year the out-of-sample check fits on), such as 1946")
    if quantity == "ranking" and kind not in RANKING_PREDICATES and state is None:
        doc.problem(path + ("type",), f"with quantity ranking, a {kind} predicate needs 'state' in the test (whose share is tested)")
    if label_valued and kind in ("trend", "compare", "recovers"):
        doc.problem(path + ("type",), f"index {index} is a label; a {kind} predicate needs a numeric index such as con or effective_poles")
    if "op" in options:
        op = options["op"]
        op = {"is": "==", "is not": "!=", "=": "=="}.get(op, op)
        if op not in OPS:
            doc.problem(path + ("op",), f"op must be one of {', '.join(OPS)}, not {op!r}")
        elif label_valued and op not in ("==", "!="):
            doc.problem(path + ("op",), f"index {index} is a label: compare it with == or !=")
        options["op"] = op
    if "value" in options:
        value = options["value"]
        if label_valued:
            if not isinstance(value, str):
                doc.problem(path + ("value",), f"index {index} is a label: give a text value such as bipolar")
            elif index == "polarity" and value not in POLARITY_LABELS:
                doc.problem(path + ("value",), f"a polarity label is one of {', '.join(POLARITY_LABELS)}, not {value!r}")
        else:
            try:
                options["value"] = _number(value)
            except ValueError:
                doc.problem(path + ("value",), f"'value' must be a number (or a fraction such as 1/3), not {value!r}")
    if "at_least" in options:
        try:
            options["at_least"] = _number(options["at_least"])
            if not 0 < options["at_least"] <= 1:
                raise ValueError
        except ValueError:
            doc.problem(path + ("at_least",), "'at_least' must be a share of years between 0 and 1, such as 0.9")
    if kind == "threshold":
        at = options.get("at", "latest")
        if not (at in AT_STATS or (isinstance(at, int) and not isinstance(at, bool))):
            doc.problem(path + ("at",), f"'at' must be {', '.join(AT_STATS)} or a year, not {at!r}")
        if label_valued and at in ("mean", "min", "max"):
            doc.problem(path + ("at",), f"index {index} is a label: use at latest, first or a year")
    if kind in ("rank", "exceeds-next"):
        at = options.get("at", "latest")
        if at not in AT_YEARS:
            doc.problem(path + ("at",), f"'at' must be one of {', '.join(AT_YEARS)}, not {at!r}")
    if kind == "compare":
        for side in ("left", "right"):
            value = options[side]
            if isinstance(value, int) and not isinstance(value, bool):
                continue
            if value in ("latest", "first"):
                continue
            try:
                options[side] = parse_years(value)
                if options[side].latest or (options[side].first is None and options[side].last is None):
                    raise ValueError
            except ValueError:
                doc.problem(path + (side,), f"'{side}' must be a year, latest, first or a span of years such as 2008-2010 (its mean)")
    if kind == "trend" and options["direction"] not in ("rising", "falling"):
        doc.problem(path + ("direction",), f"'direction' must be rising or falling, not {options['direction']!r}")
    if kind == "trend" and "min_years" in options:
        if not isinstance(options["min_years"], int) or options["min_years"] < 3:
            doc.problem(path + ("min_years",), "'min_years' must be a whole number of at least 3")
    if kind == "rank":
        states = options["states"]
        states = states if isinstance(states, list) else [states]
        if not states or any(not isinstance(s, (str, int)) or isinstance(s, bool) for s in states):
            doc.problem(path + ("states",), "'states' must list states (abbreviations, names or COW codes)")
        options["states"] = [str(s) for s in states]
        top = options.get("top", 1)
        if not isinstance(top, int) or isinstance(top, bool) or top < 1:
            doc.problem(path + ("top",), "'top' must be a whole number of at least 1")
        elif top < len(options["states"]):
            doc.problem(path + ("top",), f"{len(options['states'])} states cannot all rank within the top {top}")
    if kind == "exceeds-next":
        if not isinstance(options["state"], (str, int)) or isinstance(options["state"], bool):
            doc.problem(path + ("state",), "'state' must be one state")
        options["state"] = str(options["state"])
        if not isinstance(options["next"], int) or isinstance(options["next"], bool) or options["next"] < 1:
            doc.problem(path + ("next",), "'next' must be a whole number of states, at least 1")
    if kind == "recovers":
        shocks = options["shocks"] if isinstance(options["shocks"], list) else [options["shocks"]]
        if not shocks or any(not isinstance(s, int) or isinstance(s, bool) for s in shocks):
            doc.problem(path + ("shocks",), "'shocks' must list the years of the shocks, such as [1991, 2008, 2020]")
        options["shocks"] = shocks
        within = options.get("within", 5)
        if not isinstance(within, int) or isinstance(within, bool) or within < 0:
            doc.problem(path + ("within",), "'within' must be a whole number of years")
    if len(doc.problems) > before:
        return None
    return Predicate(kind, options, doc.line(path))
