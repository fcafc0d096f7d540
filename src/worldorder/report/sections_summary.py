"""The report's first section: one screen of findings, each line linking to the section that shows it."""

from __future__ import annotations

from worldorder.report.html import esc, label_badge
from worldorder.report.options import SECTION_TITLES


def summary_section(builder, chosen) -> str:
    """One line per section, from what the sections recorded in ``builder.facts``."""
    facts = builder.facts
    lines = []
    for name in chosen:
        if name == "summary":
            continue
        text = _LINES[name](facts[name]) if name in facts and name in _LINES else \
            f"<b>{esc(SECTION_TITLES[name])}</b>: {esc(facts.get(name, 'its charts and tables are in the section'))}."
        if text:
            lines.append(f'<li data-section="{name}">{text} <a class="more-link" href="#{name}">{esc(SECTION_TITLES[name])} &rarr;</a></li>')
    return ('<p class="lead">What the data say, in brief. Each line links to its section, where the charts, tables and '
            "sources behind it are.</p>" f'<ul class="findings">{"".join(lines)}</ul>')


def _polarity(fact: dict) -> str:
    today = ", ".join(f"{label_badge(t['polarity'])} by {esc(t['measure'])} ({t['year']}: {esc(t['poles'])})" for t in fact["today"])
    text = f"<b>Polarity today</b> among {esc(fact['among'])} (rule {esc(fact['rule'])}): {today}."
    agreement = fact["agreement"]
    if agreement:
        text += (f" In {agreement['year']}, {round(agreement['share'] * agreement['combinations'])} of {agreement['combinations']} "
                 f"measure-rule combinations ({agreement['measures']} measures with data, {fact['rules']} rules) agree on "
                 f"{label_badge(agreement['modal'])}.")
    return text


def _distribution(rows: list) -> str:
    if not rows:
        return ""
    first = rows[0]
    shares = "; ".join(f"{esc(r['measure'])} {esc(r['leader'])} {r['top1']:.0%}, {esc(r['second'])} {r['top2']:.0%}" for r in rows)
    return (f"<b>Leader and challenger</b>, shares of the system's total in {first['year']}: {shares}.")


def _regions(fact: dict) -> str:
    leaders = ", ".join(f"{esc(region)} {esc(leader)}" for region, leader, _ in fact["leaders"])
    years = sorted({year for _, _, year in fact["leaders"]})
    when = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return f"<b>Regional leaders</b> by {esc(fact['measure'])} ({when}): {leaders}."


def _blocs(fact: dict) -> str:
    named = "; ".join(f"{esc(label)} ({members} states{f', {share:.0%} of power' if share == share else ''})"
                      for label, members, share in fact["blocs"][:3])
    return (f"<b>Alliance blocs</b> in {fact['year']} ({esc(fact['ties'])}): {fact['count']} blocs of two or more states; "
            f"the largest: {named}.")


def _projection(fact: dict) -> str:
    labels = ", ".join(f"{label_badge(n)} {p:.0%}" for n, p in fact["labels"].items())
    return (f"<b>Baseline forecast</b> for {fact['horizon']} (from {fact['base_year']}, by {esc(fact['measure'])}, no shocks): "
            f"{labels}; {esc(fact['challenger'])} ahead of {esc(fact['leader'])} in some year with probability "
            f"{fact['overtaken']:.0%}. {esc(fact['record'][0])} The held-out origins' record is in the section.")


def _observed(lines: list) -> str:
    told = " ".join(f"{esc(name)}: {esc(headline)}" for name, headline in lines)
    return f"<b>Scenarios against what happened</b>: {told}"


def _diffusion(fact: dict) -> str:
    text = f"<b>Democracy spreading along ties</b>: {esc(fact['verdict'])}"
    if "median" in fact:
        text += (f" Simulated forward, the share of democracies goes from {fact['start']:.0%} in {fact['first']} to "
                 f"{fact['median']:.0%} in {fact['year']} (90% of paths {fact['low']:.0%}-{fact['high']:.0%}).")
    return text


def _claims(fact: dict) -> str:
    counted = ", ".join(f"{n} {esc(verdict)}" for verdict, n in fact["verdicts"].items() if n)  # worldorder.verdict_counts: in order
    return f"<b>Claims</b>: the {fact['count']} claims of the ledger {esc(fact['ledger'])} come out {counted}."


def _sources(fact: dict) -> str:
    return f"<b>Sources</b>: {fact['count']} registered data sets, each with its version, licence and citation."


_LINES = {"polarity": _polarity, "distribution": _distribution, "regions": _regions, "blocs": _blocs,
          "projection": _projection, "observed": _observed, "diffusion": _diffusion, "claims": _claims, "sources": _sources}
