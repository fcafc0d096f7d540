"""The claims ledger's objects (claims, tests, predicates, verdict rules) and the words they use."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from worldorder.errors import WorldOrderError
from worldorder.located import Problem, nearest_line
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
#: The start of the verdict of a claim whose test runs past the end of its data ("incomplete: data end YEAR").
INCOMPLETE = "incomplete"

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
        """The line of ``path`` in the ledger file, or of its nearest ancestor that has one."""
        return nearest_line(self.lines, path)

    def claim(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        close = difflib.get_close_matches(claim_id, [c.id for c in self.claims], n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ClaimsError(f"No claim {claim_id!r} in {self.file}.{hint}")
