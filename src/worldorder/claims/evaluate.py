"""Evaluate a ledger: every claim on every applicable measure, with its verdict and evidence.

A claim's test expands into cases (measure x reference set x pole rule).  The
predicate is applied to each case's series; the verdict rule turns the cases
in which it holds into "supported", "not supported" or "depends on the
measure" (or "not testable with these data" when no case has data).  The
result of each claim carries its evidence: a table with one row per case, the
series behind it, and a chart.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from worldorder.claims import predicates
from worldorder.claims.ledger import load_ledger
from worldorder.claims.model import (
    INCOMPLETE,
    VERDICTS,
    Claim,
    Ledger,
)
from worldorder.claims.quantities import Case, Data, Resolved, Series, among_text, case_series, cases, resolve

__all__ = [
    "CaseResult",
    "ClaimResult",
    "check_claim",
    "check_ledger",
    "claim_chart",
    "evidence_table",
    "verdict_category",
    "verdict_counts",
    "verdict_table",
]


@dataclass
class CaseResult:
    """One case of a claim: what was measured and whether the predicate holds."""

    case: Case
    label: str
    outcome: predicates.Outcome
    series: Series
    incomplete: str | None = None  # the data's end, when the test's years run past it

    @property
    def holds_text(self) -> str:
        if self.incomplete:
            return f"{INCOMPLETE}: data end {self.incomplete}"
        return {True: "yes", False: "no", None: "no data"}[self.outcome.holds]

    @property
    def vintage(self) -> str:
        """``source to LAST`` for each data set behind the case's series."""
        from worldorder.vintages import vintages

        return "; ".join(f"{v.name} to {v.last}" for v in vintages(self.series.sources) if v.last)


@dataclass
class ClaimResult:
    """A claim's verdict, the rule that produced it, and the evidence.

    Attributes
    ----------
    claim
        The claim as the ledger states it.
    verdict
        ``"supported"``, ``"not supported"``, ``"depends on the measure"``,
        ``"not testable with these data"`` or, when every case's years run past
        the end of its data, ``"incomplete: data end YEAR"``.
    rule
        The verdict rule in words.
    test
        The test (quantity, years, predicate) in words.
    cases
        One :class:`CaseResult` per measure x reference set x rule.
    breakdown
        In how many cases the predicate holds, by measure, reference set and rule.
    notes
        Coverage notes: where the data end, what a source counts.
    sources
        Registry names of the data sets used.
    """

    claim: Claim
    verdict: str
    rule: str
    test: str
    cases: list[CaseResult]
    breakdown: str
    notes: list[str] = field(default_factory=list)
    sources: tuple[str, ...] = ()
    reference_sets: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        from worldorder.display import text

        return text(self)

    def _repr_html_(self) -> str:
        from worldorder.display import html_table

        return html_table(self)

    @property
    def holding(self) -> int:
        return sum(1 for c in self.cases if c.outcome.holds is True)

    @property
    def tested(self) -> int:
        return sum(1 for c in self.cases if c.outcome.holds is not None)

    @property
    def summary(self) -> str:
        """'holds in K of N cases with data' (and the cases without data)."""
        untested = len(self.cases) - self.tested
        text = f"holds in {self.holding} of {self.tested} case{'s' if self.tested != 1 else ''} with data"
        if untested:
            text += f"; {untested} case{'s' if untested != 1 else ''} without data"
        return text

    @property
    def evidence(self) -> pd.DataFrame:
        """One row per case: measure, reference set, rule, years with data, the finding and whether it holds."""
        rows = []
        for result in self.cases:
            rows.append(
                {
                    "claim": self.claim.id,
                    "case": result.label,
                    "measure": result.case.measure,
                    "among": result.case.among,
                    "rule": result.case.rule or "",
                    "years": result.outcome.years_text,
                    "n_years": result.outcome.n,
                    "finding": result.outcome.finding,
                    "holds": result.holds_text,
                    "stat": result.outcome.stat,
                    "data": result.vintage,
                }
            )
        table = pd.DataFrame(rows)
        table.attrs = {"claim": self.claim.id, "verdict": self.verdict, "rule": self.rule, "sources": list(self.sources)}
        return table

    def caption(self) -> str:
        from worldorder.charts import caption

        labels = list(dict.fromkeys(c.series.label for c in self.cases))
        measure = "; ".join(labels[:4]) + ("; ..." if len(labels) > 4 else "")
        note = f"Test: {self.test}. Verdict: {self.verdict} ({self.summary}); {self.rule}"
        if self.notes:
            note += ". " + ". ".join(self.notes)
        return caption(measure=measure, sources=self.sources, note=note)

    def chart(self):
        """A :class:`worldorder.charts.Chart` of the evidence (save it with :func:`worldorder.charts.save_chart`)."""
        return claim_chart(self)


# -- evaluation ------------------------------------------------------------------------------------
def check_ledger(
    ledger: Ledger | str | os.PathLike,
    db=None,
    data: Data | None = None,
    claims: Iterable[str] | None = None,
    progress: bool = False,
) -> list[ClaimResult]:
    """Evaluate every claim of a ledger on every applicable measure.

    Parameters
    ----------
    ledger
        A :class:`Ledger` or the path of a YAML ledger (:func:`load_ledger`).
    db
        Store path or :class:`~worldorder.store.Store`; default the usual store.
    data
        A :class:`~worldorder.claims.quantities.Data` to share loaded tables
        with other work (the report passes its own).
    claims
        Ids of the claims to evaluate; default all.
    progress
        Show a progress bar on standard error.

    Returns
    -------
    list of ClaimResult
        In the ledger's order.

    Raises
    ------
    ClaimsError
        When the ledger names a state, region or border point that does not
        exist (with its line).

    Notes
    -----
    Each claim's test expands into cases :math:`c \\in M \\times R \\times P`
    (measures, reference sets, pole rules).  With :math:`h` the number of
    cases with data in which the predicate holds and :math:`n` the number of
    cases with data, the default rule gives "supported" when :math:`h = n`,
    "not supported" when :math:`h = 0` and "depends on the measure" otherwise;
    a ledger can set other shares.  Cases without data are reported and left
    out of :math:`n`.  A case whose test names a last year after the end of
    its data (the earliest end among the data sets behind it; a monthly series
    ending before December ends the year before) is "incomplete: data end
    YEAR": it is not evaluated on the partial span and is left out of
    :math:`n`; when every case is incomplete, so is the verdict.
    """
    if not isinstance(ledger, Ledger):
        ledger = load_ledger(ledger)
    data = data if data is not None else Data(db=db)
    chosen = ledger.claims
    if claims is not None:
        wanted = list(claims)
        chosen = [ledger.claim(claim_id) for claim_id in wanted]
    resolved = resolve(ledger, data)
    power_keys = [m for c in chosen if c.test.quantity in ("polarity", "ranking") for m in c.test.measures]
    if power_keys:
        data.power(power_keys)
    from worldorder._progress import progress_steps

    results = []
    with progress_steps(len(chosen), "Checking claims", enabled=progress) as advance:
        for claim in chosen:
            results.append(check_claim(claim, data, resolved, ledger))
            advance(claim.id)
    return results


def check_claim(claim: Claim, data: Data, resolved: Resolved, ledger: Ledger | None = None) -> ClaimResult:
    """Evaluate one claim (see :func:`check_ledger`)."""
    test = claim.test
    predicate = test.predicate
    options = dict(predicate.options)
    if predicate.type == "rank":
        options["codes"] = [resolved.states[(claim.id, "states", j)] for j in range(len(options["states"]))]
    if predicate.type == "exceeds-next":
        options["code"] = resolved.states[(claim.id, "predicate.state")]
    bound = type(predicate)(predicate.type, options, predicate.line)
    index = test.index or ("share" if test.quantity in ("ranking", "gas_dependence") else "value")
    results = []
    for case in cases(test):
        series = case_series(test, case, data, resolved, claim.id, ledger)
        end = _incomplete(test, series)
        if end:
            outcome = predicates.Outcome(None, f"{INCOMPLETE}: data end {end}; the test's years run to {test.years.last}")
        else:
            outcome = predicates.evaluate(bound, series.table, test.years, index=index)
        results.append(CaseResult(case, case.label(test), outcome, series, end))
    holding = sum(1 for r in results if r.outcome.holds is True)
    tested = sum(1 for r in results if r.outcome.holds is not None)
    ends = sorted({r.incomplete for r in results if r.incomplete})
    verdict = f"{INCOMPLETE}: data end {', '.join(ends)}" if ends and not tested else claim.verdict.decide(holding, tested)
    dims = _dimensions(test)
    rule = claim.verdict.describe()
    if dims:
        rule += f" (a case is one {_case_word(dims)})"
    notes = list(dict.fromkeys(n for r in results if (n := r.series.note_for(r.outcome.first))))
    if claim.notes:
        notes.append(claim.notes)
    missing = [r.label for r in results if r.outcome.holds is None and not r.incomplete]
    if missing:
        notes.insert(0, f"no data to decide for {', '.join(missing)}")
    short = [f"{r.label} (data end {r.incomplete})" for r in results if r.incomplete]
    if short:
        notes.insert(0, f"incomplete, not counted: {', '.join(short)}")
    sources = tuple(dict.fromkeys(s for r in results for s in r.series.sources))
    index_text = test.index or ("the share" if test.quantity in ("ranking", "gas_dependence") else "the value")
    text = f"{_quantity_text(test)}; years {test.years}; predicate: {bound.describe(index_text)}"
    reference = {a: among_text(a, resolved) for a in test.among} if test.quantity in ("polarity", "ranking") else {}
    return ClaimResult(claim, verdict, rule, text, results, _breakdown(results, dims), notes, sources, reference)


def _incomplete(test, series: Series) -> str | None:
    """The end of the series' data when the test's explicit last year runs past it, else None."""
    from worldorder.vintages import data_end

    if test.years.last is None:
        return None
    end = data_end(series.sources)
    if end is None or test.years.last <= end.last_full_year:
        return None
    month = getattr(test, "month", None)  # a test of one calendar month needs the data only to that month
    if month is not None and end.last and len(end.last) >= 7 and (test.years.last, month) <= (int(end.last[:4]), int(end.last[5:7])):
        return None
    return end.last


def _dimensions(test) -> list[str]:
    dims = []
    if len(test.measures) > 1:
        dims.append("measure")
    if len(test.among) > 1:
        dims.append("among")
    if len([r for r in test.rules if r]) > 1:
        dims.append("rule")
    return dims


def _case_word(dims: list[str]) -> str:
    words = {"measure": "measure", "among": "reference set", "rule": "pole rule"}
    return " x ".join(words[d] for d in dims)


def _quantity_text(test) -> str:
    if test.quantity == "polarity":
        return f"polarity index {test.index} (worldorder.power.polarity)"
    if test.quantity == "ranking":
        if test.state:
            return f"share of {test.state} in the reference set (worldorder.power.shares)"
        return "states ranked by the measure within the reference set (worldorder.power.shares)"
    if test.quantity == "globalization":
        return "globalization series (worldorder.networks.load_openness)"
    if test.quantity == "diffusion":
        return f"diffusion of {test.outcome} along ties: effect on entering and out-of-sample check (worldorder.fit_diffusion, worldorder.backtest_diffusion)"
    if test.quantity == "gas_trade":
        return f"gas trade of {test.region}: {test.flow}" + (f" to {test.partner}" if test.partner else "") + " (Energy Institute, bcm)"
    what = f"border point {test.borderpoint}" if test.borderpoint else f"supplier {test.supplier}"
    month = f", {pd.Timestamp(2000, test.month, 1):%B} of each year" if test.month else ""
    return f"gas dependence of {test.importer} on {what}{month} (worldorder.networks.gas_dependence)"


def _breakdown(results: list[CaseResult], dims: list[str]) -> str:
    """'measure: cinc 2/6, gdp 0/6; among: majors 3/18 ...' -- holds / cases with data."""
    parts = []
    names = {"measure": "by measure", "among": "by reference set", "rule": "by rule"}
    for dim in dims:
        counts: dict[str, list[int]] = {}
        for r in results:
            key = getattr(r.case, dim) or ""
            key = key.replace("region:", "")
            tally = counts.setdefault(key, [0, 0])
            if r.outcome.holds is not None:
                tally[1] += 1
                tally[0] += bool(r.outcome.holds)
        parts.append(f"{names[dim]}: " + ", ".join(f"{k} {h}/{n}" for k, (h, n) in counts.items()))
    return "; ".join(parts)


def verdict_table(results: list[ClaimResult]) -> pd.DataFrame:
    """One row per claim: id, claim, made_by, verdict, cases holding / with data, rule, test."""
    return pd.DataFrame(
        [
            {
                "id": r.claim.id,
                "claim": r.claim.claim,
                "made_by": r.claim.made_by,
                "verdict": r.verdict,
                "holds": r.holding,
                "cases_with_data": r.tested,
                "cases": len(r.cases),
                "breakdown": r.breakdown,
                "rule": r.rule,
                "test": r.test,
            }
            for r in results
        ]
    )


def evidence_table(results: list[ClaimResult]) -> pd.DataFrame:
    """The evidence of every claim, stacked (one row per claim and case)."""
    tables = [r.evidence for r in results]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


# -- charts ---------------------------------------------------------------------------------------------
_MAX_LINES = 12


def claim_chart(result: ClaimResult):
    """The chart of a claim's evidence, chosen by its predicate.

    - every-year / any-year / share-of-years: the share of years meeting the
      condition, one bar per case;
    - rank: the named states' (and the leaders') shares of the reference set,
      by case;
    - exceeds-next: the ratio of the state's value to the next K together;
    - spreads: the fitted effect of exposure on entering, one bar per tie layer;
    - threshold, trend, compare, recovers: each case's series over the years.
    """
    from worldorder.charts import Chart, Series as ChartSeries, Span

    claim, test = result.claim, result.claim.test
    kind = test.predicate.type
    cap = result.caption()
    title = f"{claim.id}: {result.verdict}"
    labels = [c.label for c in result.cases]
    if kind in ("all-years", "any-year", "share-of-years"):
        values = [c.outcome.stat for c in result.cases]
        text = [f"{v:.0%} {'✓' if c.outcome.holds else '✗'}" if v is not None else "no data" for v, c in zip(values, result.cases)]
        return Chart(title=title, series=[ChartSeries("share of years meeting the condition", labels, values, kind="bar", text=text)],
                     caption=cap, xlabel="case", ylabel="share of years", horizontal=True)
    if kind == "rank":
        names = list(dict.fromkeys(n for c in result.cases for n in c.outcome.detail.get("shares", {})))
        series = [
            ChartSeries(name, labels, [c.outcome.detail.get("shares", {}).get(name, np.nan) for c in result.cases], kind="bar")
            for name in names[:8]
        ]
        return Chart(title=title, series=series, caption=cap, xlabel="case", ylabel="share of the reference set (latest year)", horizontal=True)
    if kind == "exceeds-next":
        series = []
        for c in result.cases[:_MAX_LINES]:
            ratios = c.outcome.detail.get("ratios")
            if ratios is not None and len(ratios):
                series.append(ChartSeries(c.label, ratios["year"].tolist(), ratios["ratio"].tolist(), markers=True))
        return Chart(title=title, series=series or [ChartSeries("no data", [], [])], caption=cap, xlabel="year",
                     ylabel=f"{test.predicate.get('state')} / next {test.predicate.get('next')} together", hlines=[1.0])
    if kind == "spreads":  # one fitted effect per tie layer
        text = [f"{c.outcome.detail['coef']:.2f} (95% {c.outcome.detail['lo']:.2f} to {c.outcome.detail['hi']:.2f}), "
                f"Brier {c.outcome.detail['brier_diff']:+.5f} {'✓' if c.outcome.holds else '✗'}" if c.outcome.detail else "no data"
                for c in result.cases]
        return Chart(title=title, series=[ChartSeries("effect of exposure on entering (logit)", labels, [c.outcome.stat for c in result.cases],
                                                      kind="bar", text=text)],
                     caption=cap, xlabel="tie layer", ylabel="logit coefficient", horizontal=True)
    start = None  # first year drawn: ten years before the tested span, for context
    if kind == "recovers":
        start = min(test.predicate.get("shocks")) - 11
    elif test.years.first is not None:
        start = test.years.first - 10
    series = []
    for c in result.cases[:_MAX_LINES]:
        table = c.series.table
        if table.empty or not pd.api.types.is_numeric_dtype(table["value"]):
            continue
        ordered = table.sort_values("year")
        if start is not None:
            ordered = ordered[ordered["year"] >= start]
        dashed = len(test.among) > 1 and c.case.among != test.among[0] or (c.case.rule is not None and c.case.rule != test.rules[0])
        series.append(ChartSeries(c.label, ordered["year"].tolist(), ordered["value"].tolist(), markers=len(ordered) < 30, dash=dashed))
    if series and max(len(s.x) for s in series) <= 2 and kind == "threshold":  # one year per case: bars read better
        values = [c.outcome.stat for c in result.cases]
        value = test.predicate.get("value")
        text = [f"{predicates.fmt(v)} {'✓' if c.outcome.holds else '✗'} ({c.outcome.years_text})" if v is not None else "no data"
                for v, c in zip(values, result.cases)]
        return Chart(title=title, series=[ChartSeries(f"{test.index or 'share'} (needed: {test.predicate.get('op')} {predicates.fmt(value)})",
                                                      labels, values, kind="bar", text=text)],
                     caption=cap, xlabel="case", ylabel=f"{test.index or 'share'}; dotted line: the threshold",
                     horizontal=True, hlines=[float(value)] if isinstance(value, (int, float)) else [])
    spans, hlines = [], []
    if kind == "recovers":
        within = test.predicate.get("within", 5)
        spans = [Span(s - 1, s + within, f"{s}") for s in test.predicate.get("shocks")]
    elif test.years.first is not None or test.years.last is not None:
        first = test.years.first if test.years.first is not None else min((min(s.x) for s in series if s.x), default=0)
        last = test.years.last if test.years.last is not None else max((max(s.x) for s in series if s.x), default=0)
        spans = [Span(first - 0.5, last + 0.5, "years tested")]
    if kind == "threshold" and isinstance(test.predicate.get("value"), float):
        hlines = [test.predicate.get("value")]
    if not series:  # labels or no data: one bar per case, 1 where the predicate holds
        values = [None if c.outcome.holds is None else float(c.outcome.holds) for c in result.cases]
        return Chart(title=title, series=[ChartSeries("predicate holds (1) or not (0)", labels, values, kind="bar",
                                                      text=[c.holds_text for c in result.cases])],
                     caption=cap, xlabel="case", ylabel="holds", horizontal=True)
    ylabel = test.index or {"ranking": "share", "gas_dependence": "share", "globalization": "share (openness) / share of pairs (density)"}.get(test.quantity, "value")
    return Chart(title=title, series=series, caption=cap, xlabel="year", ylabel=ylabel, spans=spans, hlines=hlines)


def verdict_category(verdict: str) -> str:
    """The kind of a verdict: one of :data:`~worldorder.claims.model.VERDICTS`, or ``"incomplete"`` for
    ``"incomplete: data end YEAR"`` (whatever the year)."""
    return INCOMPLETE if verdict.startswith(INCOMPLETE) else verdict


def verdict_counts(results: list[ClaimResult]) -> dict[str, int]:
    """How many claims got each kind of verdict (:func:`verdict_category`), in the order of
    :data:`~worldorder.claims.model.VERDICTS` and then ``"incomplete"``; every kind is present, zero or not."""
    out = {v: 0 for v in (*VERDICTS, INCOMPLETE)}
    for r in results:
        out[verdict_category(r.verdict)] += 1
    return out
