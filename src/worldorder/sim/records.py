"""The projection's track record in one sentence, from the shipped backtest (or one just run)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from worldorder.errors import whole_number_between
from worldorder.sim.backtesting import TOP_STATES, Backtest
from worldorder.sim.comparisons import format_p_value
from worldorder.sim.origins import BacktestError

#: The file :func:`save_track_record` writes (after the default ``backtest()``) and :func:`track_record` reads.
RECORD_FILE = "track_record.json"
#: Origins kept out of every choice of model or setting; their scores are reported beside the record.
HELD_OUT_ORIGINS = "2005-2015/5"
#: Origins before those that chose the model, also kept out of every choice: from the earliest the
#: data allow (CINC from 1816, Maddison GDP from 1820, plus the 10 growth years a calibration
#: needs, on the 5-year grid) to the last before 1960.
EARLIER_ORIGINS = "1830-1955/5"
#: The held-out parts of a record, in the order a sentence gives them.
HELD_OUT_PARTS = ("held_out_earlier", "held_out")
#: Calibrated: pooled coverage of the 80% and 50% intervals inside these bands (the goals of issue 11).
BANDS = {80: (0.75, 0.85), 50: (0.45, 0.55)}
_NAMES = {"gdp": "GDP", "cinc": "CINC"}
#: The naive baselines of every backtest, by their names in the score tables and in sentences.
BASELINES = {"no_change": "no change", "random_walk": "the random walk", "bootstrap": "the bootstrap"}


def record_of(result: Backtest, held_out: Backtest | None = None, earlier: Backtest | None = None) -> dict:
    """The pooled figures of a backtest as a small JSON-able dict (what is shipped).

    ``held_out``, a backtest of the same model from :data:`HELD_OUT_ORIGINS`,
    adds its pooled figures under ``"held_out"``; ``earlier``, one from
    :data:`EARLIER_ORIGINS`, under ``"held_out_earlier"``.
    """
    record = {"settings": _settings(result), "pooled": result.pooled_figures}
    for part, other in zip(HELD_OUT_PARTS, (earlier, held_out)):
        if other is not None:
            record[part] = {"settings": _settings(other), "pooled": other.pooled_figures}
    return record


def _settings(result: Backtest) -> dict:
    settings = result.settings
    keep = {k: settings[k] for k in ("origins", "horizons", "paths", "seed", "rule", "model")}
    keep["calibrate_defaults"] = calibrate_defaults()
    keep["measures"] = {m: {"sources": list(i.get("sources", [])), "last_year": i["last_year"], "label": i.get("label", m)}
                        for m, i in settings["measures"].items()}
    return keep


def calibrate_defaults() -> dict:
    """The defaults of :func:`~worldorder.sim.calibration.calibrate` (the model a record describes)."""
    import inspect

    from worldorder.sim.calibration import calibrate

    return {name: p.default for name, p in inspect.signature(calibrate).parameters.items()
            if p.default is not inspect.Parameter.empty and isinstance(p.default, (bool, int, float, str, type(None)))}


def save_track_record(result: Backtest, held_out: Backtest | None = None, earlier: Backtest | None = None,
                      path: str | Path | None = None) -> Path:
    """Write :func:`record_of` to ``path`` (default: the file shipped with the package).

    The shipped file comes from ``save_track_record(backtest(),
    backtest(origins=HELD_OUT_ORIGINS), backtest(origins=EARLIER_ORIGINS))``.
    """
    target = Path(path) if path is not None else Path(str(resources.files("worldorder.sim").joinpath(RECORD_FILE)))
    target.write_text(json.dumps(record_of(result, held_out, earlier), indent=1) + "\n", encoding="utf-8")
    return target


def load_track_record() -> dict:
    """The shipped record (see :func:`save_track_record`)."""
    return json.loads(resources.files("worldorder.sim").joinpath(RECORD_FILE).read_text(encoding="utf-8"))


def calibrated(row: dict) -> bool:
    """Whether a pooled row's 80% and 50% coverage lie inside :data:`BANDS`."""
    return all(low <= row[f"coverage{level}"] <= high for level, (low, high) in BANDS.items())


def track_record(measure: str, horizon: int | None = None, result: Backtest | None = None) -> str:
    """How the projection did in backtests at (about) ``horizon`` years: :func:`track_record_parts` joined.

    Examples
    --------
    >>> track_record("gdp", 20)  # doctest: +SKIP
    'Track record: in backtests from 1960-2000 ... covered 79% of outcomes ... Held out from every choice of model ...'
    """
    return " ".join(track_record_parts(measure, horizon, result))


def track_record_parts(measure: str, horizon: int | None = None, result: Backtest | None = None) -> list[str]:
    """How the projection did in backtests at (about) ``horizon`` years, one sentence per set of origins.

    The first states the origins that chose the model, then one for each
    held-out set (:data:`EARLIER_ORIGINS`, :data:`HELD_OUT_ORIGINS`) and a
    last one explaining the p-values; interfaces may show them as lines.

    Parameters
    ----------
    measure : str
        ``"gdp"`` or ``"cinc"`` (a measure without a backtest says so).
    horizon : int, optional
        Years ahead of the forecast; the longest tested horizon not above it
        is reported (the shortest when it is below all), default the longest.
    result : Backtest, optional
        A backtest just run; default the record shipped with the package.
    """
    if horizon is not None and not whole_number_between(horizon, 0, 10_000):
        raise BacktestError(f"horizon {horizon!r}: give the years ahead of the forecast as a whole number, such as 20.")
    record = record_of(result) if result is not None else load_track_record()
    rows = [r for r in record["pooled"] if r["measure"] == measure]
    if not rows:
        return [f"No backtest covers the measure {measure!r}; its forecasts have no track record yet."]
    tested = sorted(r["horizon"] for r in rows)
    wanted = tested[-1] if horizon is None else int(horizon)
    chosen = max([h for h in tested if h <= wanted], default=tested[0])
    row = next(r for r in rows if r["horizon"] == chosen)
    settings = record["settings"]
    info = settings["measures"].get(measure, {})
    origins = settings["origins"]
    sources = ", ".join(info.get("sources", [])) or "given data"
    verdict = "within" if calibrated(row) else "so it FAILS calibration (goal"
    band = f"{BANDS[80][0]:.0%}-{BANDS[80][1]:.0%} and {BANDS[50][0]:.0%}-{BANDS[50][1]:.0%}"
    note = f"{verdict} the goal {band}" if calibrated(row) else f"{verdict} {band})"
    longest = " (the longest tested)" if horizon is not None and int(horizon) > tested[-1] else ""
    span, too_recent = _span(row, origins, chosen)
    main = (
        f"Track record: in backtests from {span} ({_NAMES.get(measure, measure)}, {sources} to {info.get('last_year', '?')}; "
        f"{settings['paths']:,} paths{_options(settings)}{f'; {too_recent}' if too_recent else ''}), 80% intervals of state shares at {chosen} years"
        f"{longest} covered {row['coverage80']:.0%} of outcomes and 50% intervals {row['coverage50']:.0%}, {note}"
        f"{_largest_clause(row)}; {_versus_best_baseline(row)}; {_events(row)}."
    )
    tested_note = ["p: Diebold-Mariano test of the difference across origins."] if _tested(record) else []
    return [main, *_held_out_clauses(record, measure, wanted), *tested_note]


def _span(row: dict, origins: list[int], horizon: int) -> tuple[str, str]:
    """The origins scored at ``horizon`` ('1960-1990'), and which were too recent for it ('origins 1995-2000 too
    recent for 30 years'; empty when none): a horizon past the data is left out, not scored."""
    scored = row.get("origins") or origins
    later = [year for year in origins if year > scored[-1]]
    years = lambda span: f"{span[0]}-{span[-1]}" if len(span) > 1 else f"{span[0]}"  # noqa: E731
    return years(scored), (f"origin{'s' if len(later) > 1 else ''} {years(later)} too recent for {horizon} years" if later else "")


def _options(settings: dict) -> str:
    """'; model drift=own' for a backtest of options other than the default model, else nothing."""
    options = settings.get("model") or {}
    return "; model " + ", ".join(f"{key}={value}" for key, value in sorted(options.items())) if options else ""


def _tested(record: dict) -> bool:
    return any(key.startswith("p_") for row in record["pooled"] for key in row)


def _p(row: dict, key: str) -> str:
    """', p = 0.xx' from a pooled row's test, or nothing where it is missing."""
    return "" if row.get(key) is None else f", {format_p_value(row[key])}"


def _largest_clause(row: dict) -> str:
    """'; the 5 largest states alone: x% and y%[, outside the goal]' where the record has it."""
    key = f"top{TOP_STATES}_coverage"
    if f"{key}80" not in row:
        return ""
    largest = {level: row[f"{key}{level}"] for level in BANDS}
    outside = not all(low <= largest[level] <= high for level, (low, high) in BANDS.items())
    return (f"; the {TOP_STATES} largest states alone: {largest[80]:.0%} and {largest[50]:.0%}"
            f"{', outside the goal' if outside else ''}")


def _events(row: dict) -> str:
    """Brier scores of the polarity label and of 'challenger ahead of leader' beside no change's."""
    parts = []
    for event, name in (("label", "the polarity label"), ("ahead", "the challenger ahead")):
        model, still = row[f"brier_{event}"], row[f"brier_{event}_no_change"]
        parts.append(f"{name} {model:.2f} ({'better than' if model < still else 'no better than'} no change, {still:.2f}"
                     f"{_p(row, f'p_brier_{event}_no_change')})")
    return "Brier score of " + " and of ".join(parts)


def _versus_best_baseline(row: dict) -> str:
    """'CRPS x% below (above) the best naive baseline (name, p)' for a pooled row: 1 - CRPS / min over the baselines."""
    best = min(BASELINES, key=lambda b: row[f"crps_share_{b}"])
    versus = 1.0 - row["crps_share"] / row[f"crps_share_{best}"]
    size = f"{abs(versus):.1%}" if abs(versus) < 0.01 else f"{abs(versus):.0%}"
    return f"CRPS {size} {'below' if versus >= 0 else 'above'} the best naive baseline ({BASELINES[best]}{_p(row, f'p_crps_share_{best}')})"


def _held_out_clauses(record: dict, measure: str, wanted: int) -> list[str]:
    """How the same model did from each held-out set of origins, at the longest of their horizons not above ``wanted``."""
    clauses = []
    for part in HELD_OUT_PARTS:
        rows = [r for r in record.get(part, {}).get("pooled", []) if r["measure"] == measure]
        if not rows:
            continue
        chosen = max([r["horizon"] for r in rows if r["horizon"] <= wanted], default=min(r["horizon"] for r in rows))
        row = next(r for r in rows if r["horizon"] == chosen)
        span, too_recent = _span(row, record[part]["settings"]["origins"], chosen)
        lead = "Held out from every choice of model" if not clauses else "Also held out"
        clauses.append(
            f"{lead}, from {span}{f' ({too_recent})' if too_recent else ''}: 80% intervals at {chosen} years covered {row['coverage80']:.0%} and "
            f"50% intervals {row['coverage50']:.0%}{'' if calibrated(row) else ' (outside the goal)'}{_largest_clause(row)}; "
            f"{_versus_best_baseline(row)}; {_events(row)}."
        )
    return clauses
