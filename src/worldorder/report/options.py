"""The report's options: sections, years, measures, pole rule and ledger, checked with messages that say what to do."""

from __future__ import annotations

from pathlib import Path

from worldorder import WorldOrderError

SECTIONS = ("summary", "polarity", "distribution", "regions", "blocs", "openness", "projection", "observed", "diffusion", "claims",
            "sources")
SECTION_TITLES = {
    "summary": "At a glance",
    "polarity": "Polarity over time",
    "distribution": "The distribution of power today",
    "regions": "Regional leaders",
    "blocs": "Alliance blocs",
    "openness": "Trade openness",
    "projection": "A baseline projection",
    "observed": "Scenarios against what happened",
    "diffusion": "Democracy spreading along ties",
    "claims": "Claims and verdicts",
    "sources": "Sources",
}
DEFAULT_MEASURES = ("cinc", "gdp", "gdp_wb", "milex", "milex_wb")


class ReportError(WorldOrderError, ValueError):
    """The report cannot be built as asked (unknown section or measure, bad years, unwritable file)."""



def default_ledger() -> Path:
    """The example ledger shipped with the package (``examples/claims.yaml`` in the repository)."""
    return Path(__file__).resolve().parents[1] / "claims" / "example_ledger.yaml"


def parse_sections(sections) -> tuple[str, ...]:
    names = [sections] if isinstance(sections, str) else list(sections)
    names = [n.strip() for name in names for n in str(name).split(",") if n.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise ReportError(f"Unknown section {', '.join(unknown)}; sections: {', '.join(SECTIONS)}.")
    if not names:
        raise ReportError(f"Choose at least one section: {', '.join(SECTIONS)}.")
    return tuple(n for n in SECTIONS if n in names)


def parse_year_span(years) -> tuple[int | None, int | None]:
    if years is None:
        return None, None
    from worldorder import Years, YearsError

    try:
        span = Years.parse(years)
    except YearsError as error:
        raise ReportError(str(error)) from None
    return span.first, span.last


def parse_measures(measures) -> tuple[str, ...]:
    from worldorder import MEASURES

    keys = [measures] if isinstance(measures, str) else list(measures)
    keys = [k.strip() for key in keys for k in str(key).split(",") if k.strip()]
    bad = [k for k in keys if k not in MEASURES or k == "composite"]
    if bad:
        known = ", ".join(k for k in MEASURES if k != "composite")
        raise ReportError(f"Unknown measure {', '.join(bad)}; measures: {known}.")
    if not keys:
        raise ReportError("Choose at least one measure.")
    return tuple(dict.fromkeys(keys))


def check_rule(rule: str) -> None:
    from worldorder import PowerError, pole_rule

    try:
        pole_rule(rule)
    except PowerError as error:
        raise ReportError(str(error)) from None


def ledger_text(ledger) -> str:
    """Where the ledger came from: its path, or the example shipped with the package."""
    path = getattr(ledger, "file", None)
    if path is None:
        return "none"
    if Path(path).resolve() == default_ledger():
        return "the example ledger shipped with worldorder (examples/claims.yaml)"
    return str(path)


def read_ledger(ledger):
    from worldorder import Ledger, load_ledger

    if isinstance(ledger, Ledger):
        return ledger
    return load_ledger(default_ledger() if ledger is None else ledger)
