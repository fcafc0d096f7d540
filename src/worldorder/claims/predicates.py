"""Predicates: does a case's series satisfy what the claim says?

Each predicate takes a case's series -- a table with ``year`` and ``value``
(or, for a ranking, one row per state and year) already restricted to the
test's years -- and returns an :class:`Outcome`: whether it holds (``None``
when the series has no data to decide), the finding in words, and a number to
chart.  Nothing here reads data or computes a power index; the series come
from :mod:`worldorder.claims.quantities`.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from worldorder.claims.model import Predicate
from worldorder.years import Years

_OPS = {"==": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


@dataclass
class Outcome:
    """The result of a predicate on one case.

    Attributes
    ----------
    holds
        True, False, or None when the data cannot decide (no years with values).
    finding
        What the data show, in words.
    stat
        A number summarising the case for charts (share of years, value, ratio...).
    first, last, n
        First and last year with data used, and how many years.
    detail
        Extra values (per shock, per state) for tables.
    """

    holds: bool | None
    finding: str
    stat: float | None = None
    first: int | None = None
    last: int | None = None
    n: int = 0
    detail: dict = field(default_factory=dict)

    @property
    def years_text(self) -> str:
        if self.first is None:
            return "no data"
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


def spans(years) -> str:
    """Consecutive years as ranges: [1947, 1953, 1954, 1955] -> '1947, 1953-1955'."""
    years = sorted(int(y) for y in years)
    if not years:
        return ""
    parts, start, previous = [], years[0], years[0]
    for year in years[1:] + [None]:
        if year is not None and year == previous + 1:
            previous = year
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if year is not None:
            start = previous = year
    return ", ".join(parts)


def restrict(series: pd.DataFrame, years: Years) -> pd.DataFrame:
    """Rows of ``series`` in the span of ``years`` with a value; only the latest such year if ``years.latest``."""
    if series.empty:
        return series
    keep = np.ones(len(series), dtype=bool)
    if years.first is not None:
        keep &= series["year"].to_numpy() >= years.first
    if years.last is not None:
        keep &= series["year"].to_numpy() <= years.last
    out = series[keep & series["value"].notna().to_numpy()]
    if years.latest and not out.empty:
        out = out[out["year"] == out["year"].max()]
    return out


def fmt(value) -> str:
    """A value in words: labels as they are, shares and indices with 3 significant digits."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "no value"
    if isinstance(value, (str, np.str_)):
        return str(value)
    value = float(value)
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.2f}"


def _bounds(rows: pd.DataFrame) -> dict:
    years = rows["year"].to_numpy()
    return {"first": int(years.min()), "last": int(years.max()), "n": int(len(np.unique(years)))}


def _condition(values: pd.Series, op: str, value) -> np.ndarray:
    if isinstance(value, str):
        return np.array([_OPS[op](str(v), value) for v in values], dtype=bool)
    return _OPS[op](values.to_numpy(dtype=np.float64), float(value))


def _no_data(years: Years) -> Outcome:
    return Outcome(None, f"no data in {years}")


# -- series predicates --------------------------------------------------------------------------
def evaluate(predicate: Predicate, series: pd.DataFrame, years: Years, index: str = "value") -> Outcome:
    """Apply ``predicate`` to a case's ``series`` (``year, value``) over ``years``."""
    kind = predicate.type
    if kind == "rank":
        return rank(predicate, series, years)
    if kind == "exceeds-next":
        return exceeds_next(predicate, series, years)
    if kind == "recovers":
        return recovers(predicate, series, years)
    if kind == "compare":
        return compare(predicate, series, years)
    if kind == "spreads":
        return spreads(series, years)
    rows = restrict(series, years)
    if rows.empty:
        return _no_data(years)
    if kind == "threshold":
        return threshold(predicate, rows, index)
    if kind == "trend":
        return trend(predicate, rows, index)
    op, value = predicate.get("op"), predicate.get("value")
    ok = _condition(rows["value"], op, value)
    n, hits = len(rows), int(ok.sum())
    share = hits / n
    cond = f"{op} {fmt(value)}" if not isinstance(value, str) else (value if op == "==" else f"not {value}")
    misses = rows["year"].to_numpy()[~ok]
    matches = rows["year"].to_numpy()[ok]
    base = f"{cond} in {hits} of {n} years ({share:.0%})"
    if kind == "all-years":
        holds = hits == n
        finding = base + ("" if holds else f"; not in {spans(misses)}")
    elif kind == "any-year":
        holds = hits > 0
        finding = base + (f": {spans(matches)}" if holds and hits <= 12 else "")
    else:  # share-of-years
        need = predicate.get("at_least")
        holds = share >= need - 1e-12
        finding = base + f"; needs at least {need:.0%}" + (f"; not in {spans(misses)}" if 0 < len(misses) <= 12 else "")
    if isinstance(value, str) and not holds and kind != "any-year":
        others = rows["value"][~ok].astype(str).value_counts()
        finding += " (otherwise " + ", ".join(f"{label} {count}" for label, count in others.items()) + ")"
    return Outcome(holds, finding, stat=share, **_bounds(rows))


def threshold(predicate: Predicate, rows: pd.DataFrame, index: str = "value") -> Outcome:
    """The value at ``at`` (latest, first, mean, min, max or a year) compared with a number or label."""
    op, value, at = predicate.get("op"), predicate.get("value"), predicate.get("at", "latest")
    ordered = rows.sort_values("year")
    if at == "latest":
        point, where = ordered["value"].iloc[-1], f"in {int(ordered['year'].iloc[-1])}"
    elif at == "first":
        point, where = ordered["value"].iloc[0], f"in {int(ordered['year'].iloc[0])}"
    elif at in ("mean", "min", "max"):
        numbers = ordered["value"].astype(np.float64)
        point = float(getattr(numbers, at)())
        where = f"({at} of {spans(ordered['year'])})"
    else:
        match = ordered[ordered["year"] == int(at)]
        if match.empty:
            return Outcome(None, f"no value in {at}")
        point, where = match["value"].iloc[0], f"in {int(at)}"
        ordered = match
    holds = bool(_condition(pd.Series([point]), op, value)[0])
    stat = None if isinstance(point, str) else float(point)
    return Outcome(holds, f"{index} {fmt(point)} {where}; {'meets' if holds else 'does not meet'} {op} {fmt(value)}", stat=stat,
                   **_bounds(ordered if at not in ("mean", "min", "max") else rows))


def _at_value(series: pd.DataFrame, at, years: Years):
    """(value, text, years used) of ``series`` at a year, 'latest', 'first' or a span (its mean)."""
    rows = restrict(series, Years(years.first, years.last))
    if isinstance(at, Years):
        part = restrict(series, at)
        if part.empty:
            return None, f"no data in {at}", []
        return float(part["value"].mean()), f"{fmt(part['value'].mean())} (mean of {spans(part['year'])})", list(part["year"])
    if rows.empty:
        return None, "no data", []
    ordered = rows.sort_values("year")
    if at == "latest":
        row = ordered.iloc[-1]
    elif at == "first":
        row = ordered.iloc[0]
    else:
        match = series[(series["year"] == int(at)) & series["value"].notna()]
        if match.empty:
            return None, f"no value in {at}", []
        row = match.iloc[0]
    return float(row["value"]), f"{fmt(row['value'])} in {int(row['year'])}", [int(row["year"])]


def compare(predicate: Predicate, series: pd.DataFrame, years: Years) -> Outcome:
    """The series at ``left`` compared with the series at ``right``."""
    op = predicate.get("op")
    left, left_text, left_years = _at_value(series, predicate.get("left"), years)
    right, right_text, right_years = _at_value(series, predicate.get("right"), years)
    if left is None or right is None:
        return Outcome(None, f"cannot compare: {left_text} vs {right_text}")
    holds = bool(_OPS[op](left, right))
    used = left_years + right_years
    change = left - right
    return Outcome(holds, f"{left_text} vs {right_text} (change {change:+.3g})", stat=change,
                   first=min(used), last=max(used), n=len(set(used)))


def trend(predicate: Predicate, rows: pd.DataFrame, index: str = "value") -> Outcome:
    """Sign of the least-squares slope of the series over the years with data."""
    minimum = predicate.get("min_years", 3)
    if len(rows) < minimum:
        return Outcome(None, f"only {len(rows)} year(s) with data; a trend needs {minimum}", **_bounds(rows))
    ordered = rows.sort_values("year")
    x = ordered["year"].to_numpy(np.float64)
    y = ordered["value"].to_numpy(np.float64)
    slope = float(np.polyfit(x, y, 1)[0])
    rising = predicate.get("direction") == "rising"
    holds = slope > 0 if rising else slope < 0
    finding = (f"slope {slope:+.3g} per year over {int(x[0])}-{int(x[-1])} ({len(x)} years); "
               f"{fmt(y[0])} in {int(x[0])}, {fmt(y[-1])} in {int(x[-1])}")
    return Outcome(holds, finding, stat=slope, **_bounds(ordered))


def recovers(predicate: Predicate, series: pd.DataFrame, years: Years) -> Outcome:
    """After each shock S, is the series back at or above its level of year S-1 by year S + ``within``?

    The finding also gives the lowest value in between and the first year the
    series was back at the earlier level.  A shock whose window runs past the
    data (or whose year before has no value) cannot be decided.
    """
    within = predicate.get("within", 5)
    rows = restrict(series, Years(years.first, years.last))
    values = dict(zip(rows["year"].astype(int), rows["value"].astype(np.float64)))
    if not values:
        return _no_data(years)
    last_year = max(values)
    results, parts, used = {}, [], []
    for shock in predicate.get("shocks"):
        base_year, end_year = shock - 1, shock + within
        if base_year not in values:
            results[shock] = None
            reason = f"the data end in {last_year}" if base_year > last_year else f"no value in {base_year}"
            parts.append(f"{shock}: no data ({reason})")
            continue
        base = values[base_year]
        window = [y for y in range(shock, end_year + 1) if y in values]
        used += [base_year, *window]
        low_year = min(window, key=lambda y: values[y]) if window else None
        fell = low_year is not None and values[low_year] < base
        back = next((y for y in window if y >= (low_year or shock) and values[y] >= base), None) if fell else None
        path = (f"low {fmt(values[low_year])} in {low_year}" + (f", back by {back}" if back else ", not back") if fell
                else "no fall below it")
        if end_year not in values:
            results[shock] = None
            parts.append(f"{shock}: {base_year} level {fmt(base)}; {path}; the data end in {last_year}, before {end_year}")
            continue
        results[shock] = bool(values[end_year] >= base)
        parts.append(f"{shock}: {base_year} level {fmt(base)}, {end_year} level {fmt(values[end_year])} "
                     f"({'at or above' if results[shock] else 'below'}); {path}")
    decided = [v for v in results.values() if v is not None]
    holds = None if not decided else all(decided)
    stat = None if not decided else sum(decided) / len(decided)
    if not used:
        return Outcome(None, "; ".join(parts), detail={"shocks": results})
    return Outcome(holds, "; ".join(parts), stat=stat, first=min(used), last=max(used), n=len(set(used)), detail={"shocks": results})


# -- ranking predicates -------------------------------------------------------------------------------
def _years_of_ranking(table: pd.DataFrame, years: Years, at: str) -> list[int]:
    rows = restrict(table, Years(years.first, years.last))
    found = sorted(rows["year"].unique().tolist())
    if not found:
        return []
    if at == "latest" or years.latest:
        return [found[-1]]
    return found


def rank(predicate: Predicate, table: pd.DataFrame, years: Years) -> Outcome:
    """Do the named states rank within the top N of the reference set (latest year, every year or any year)?

    ``table`` has ``year, ccode, stateabb, value, share``; ``predicate.options["codes"]``
    holds the states' COW codes (resolved by the evaluator).
    """
    codes = predicate.get("codes")
    top = predicate.get("top", 1)
    at = predicate.get("at", "latest")
    chosen = _years_of_ranking(table, years, at)
    if not chosen:
        return _no_data(years)
    oks, texts, shares = [], [], {}
    for year in chosen:
        part = table[(table["year"] == year) & table["value"].notna()].sort_values("value", ascending=False, kind="stable")
        order = part["ccode"].tolist()
        places = {code: (order.index(code) + 1 if code in order else None) for code in codes}
        ok = all(p is not None and p <= top for p in places.values())
        oks.append(ok)
        if year == chosen[-1]:
            names = dict(zip(part["ccode"], part["stateabb"]))
            share_of = dict(zip(part["ccode"], part["share"]))
            named = [f"{names.get(c, c)} {_ordinal(p)} ({share_of[c]:.1%})" if p else f"{c} has no value" for c, p in places.items()]
            leaders = ", ".join(f"{names[c]} {share_of[c]:.1%}" for c in order[: max(top, 3)])
            texts.append(f"{year}: " + ", ".join(named) + f"; top of the set: {leaders}")
            shares = {names.get(c, str(c)): float(share_of.get(c, np.nan)) for c in dict.fromkeys([*codes, *order[:top]])}
    holds = all(oks) if at != "any-year" else any(oks)
    finding = texts[-1]
    if len(chosen) > 1:
        finding = f"within the top {top} in {sum(oks)} of {len(chosen)} years; latest " + finding
    return Outcome(holds, finding, stat=sum(oks) / len(oks), first=min(chosen), last=max(chosen), n=len(chosen), detail={"shares": shares})


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def exceeds_next(predicate: Predicate, table: pd.DataFrame, years: Years) -> Outcome:
    """Does a state have more than the next K states of the reference set together?

    The next K are the K largest other states with a value that year.
    """
    code = predicate.get("code")
    k = predicate.get("next")
    at = predicate.get("at", "latest")
    chosen = _years_of_ranking(table, years, at)
    if not chosen:
        return _no_data(years)
    rows = []
    for year in chosen:
        part = table[(table["year"] == year) & table["value"].notna()]
        mine = part.loc[part["ccode"] == code, "value"]
        if mine.empty:
            continue
        value = float(mine.iloc[0])
        others = np.sort(part.loc[part["ccode"] != code, "value"].to_numpy(np.float64))[::-1]
        if len(others) < k:
            continue
        ratio = value / others[:k].sum() if others[:k].sum() > 0 else np.inf
        beaten = int(np.searchsorted(np.cumsum(others), value, side="left"))  # largest K' with sum of next K' < value
        rows.append((year, value, float(others[:k].sum()), ratio, beaten))
    if not rows:
        return Outcome(None, f"the state has no value, or fewer than {k} others have one, in {years}")
    frame = pd.DataFrame(rows, columns=["year", "value", "next_sum", "ratio", "beaten"])
    ok = frame["ratio"] > 1
    holds = bool(ok.all()) if at != "any-year" else bool(ok.any())
    last = frame.iloc[-1]
    finding = (f"{int(last['year'])}: {last['ratio']:.2f} times the next {k} together "
               f"(more than the next {int(last['beaten'])} together)")
    if len(frame) > 1:
        weakest = frame.loc[frame["ratio"].idxmin()]
        finding = (f"more than the next {k} together in {int(ok.sum())} of {len(frame)} years; smallest ratio "
                   f"{weakest['ratio']:.2f} in {int(weakest['year'])}; more than the next {int(frame['beaten'].min())}-"
                   f"{int(frame['beaten'].max())} together; latest " + finding)
    return Outcome(holds, finding, stat=float(frame["ratio"].min()), first=int(frame["year"].min()), last=int(frame["year"].max()),
                   n=len(frame), detail={"ratios": frame})


def spreads(series: pd.DataFrame, years: Years) -> Outcome:
    """Spread along a layer of ties: a positive fitted effect on entering, and better forecasts out of sample.

    ``series`` is one row from :mod:`worldorder.claims.quantities` (diffusion): the entering
    coefficient of exposure with its 95% interval (``coef, lo, hi``) fitted on the claim's years,
    and the Brier score of one-year-ahead forecasts of those years, fitted before them, minus
    that of the no-diffusion model (``brier_diff, brier_lo, brier_hi``), with ``auc``/``auc0``.
    Holds when ``lo > 0`` and ``brier_hi < 0``; fails when either interval points the other way
    or includes 0.
    """
    if series.empty:
        return _no_data(years)
    row = series.iloc[0]
    fitted, predicts = bool(row["lo"] > 0), bool(row["brier_hi"] < 0)
    finding = (
        f"fitted {int(row['first'])}-{int(row['last'])}: effect of exposure on entering {row['coef']:.2f} "
        f"(95% {row['lo']:.2f} to {row['hi']:.2f}, {'above 0' if fitted else 'not above 0'}); "
        f"forecast {int(row['first'])}-{int(row['last'])} from a fit to {int(row['first']) - 1}: Brier {row['brier_diff']:+.5f} against no diffusion "
        f"(95% {row['brier_lo']:+.5f} to {row['brier_hi']:+.5f}, {'better' if predicts else 'not clearly better'}), AUC {row['auc']:.3f} vs {row['auc0']:.3f}"
    )
    return Outcome(fitted and predicts, finding, stat=float(row["coef"]), first=int(row["first"]), last=int(row["last"]),
                   n=int(row["last"]) - int(row["first"]) + 1, detail={k: float(row[k]) for k in series.columns if k != "year"})
