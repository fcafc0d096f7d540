"""What was known at a forecast origin, and what became of its states: the data side of a backtest.

A forecast made in year ``o`` may use only values up to ``o`` (:func:`history`),
of the states in the system that year (:func:`system_at`).  Its outcome ``h``
years later is read on the origin's states (:func:`outcome_units`): a state
that split is scored against all its successors together, states that merged
are forecast together, using the succession events of
:mod:`worldorder.successions` -- the same table that keeps level breaks out of
the calibration.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from worldorder.sim.inputs import SimulationError


class BacktestError(SimulationError):
    """Settings a backtest cannot use: origins, horizons, measures or path counts."""


def parse_origins(text: str | list | tuple) -> list[int]:
    """Origins from ``"1960-2000/5"`` (first-last every 5 years), ``"1970,1980"`` or a list of years.

    Raises
    ------
    BacktestError
        On anything else, saying what the grammar is.
    """
    if isinstance(text, (list, tuple)):
        years = [int(y) for y in text]
    else:
        years = []
        for part in str(text).replace(" ", "").split(","):
            match = re.fullmatch(r"(\d{4})(?:-(\d{4})(?:/(\d+))?)?", part)
            if not match:
                raise BacktestError(
                    f"Cannot read origins {text!r}: give FIRST-LAST/STEP (1960-2000/5), FIRST-LAST or years separated by commas."
                )
            first, last, step = match.group(1), match.group(2), match.group(3)
            if last is None:
                years.append(int(first))
                continue
            if int(last) < int(first) or (step is not None and int(step) < 1):
                raise BacktestError(f"Origins {part!r}: the range is empty; give FIRST-LAST/STEP with FIRST <= LAST and STEP >= 1.")
            years.extend(range(int(first), int(last) + 1, int(step or 1)))
    if not years:
        raise BacktestError("Give at least one origin year.")
    return sorted(set(years))


def parse_horizons(text: str | list | tuple) -> list[int]:
    """Horizons in years from ``"5,10,20,30"`` or a list; each must be 1 or more."""
    try:
        values = [int(h) for h in (text if isinstance(text, (list, tuple)) else str(text).split(","))]
    except ValueError as error:
        raise BacktestError(f"Cannot read horizons {text!r}: give whole years separated by commas (5,10,20,30).") from error
    if not values or min(values) < 1:
        raise BacktestError(f"Horizons must be whole years of 1 or more, not {text!r}.")
    return sorted(set(values))


def history(table: pd.DataFrame, origin: int) -> pd.DataFrame:
    """The rows known at ``origin``: years up to and including it (nothing later can reach a calibration)."""
    return table[table["year"] <= origin].copy()


def _events():
    from worldorder.successions import COW_EVENTS

    return COW_EVENTS


def system_at(table: pd.DataFrame, value: str, year: int) -> pd.DataFrame:
    """States with a positive value in ``year``, each counted once.

    In the year of a unification both the old states and the new one may have
    rows (COW's Germanies of 1990); the states that ended that year are dropped
    when their successor has a value, so no territory counts twice.
    """
    rows = table[(table["year"] == year) & (table[value] > 0)]
    present = set(rows["ccode"].astype(int))
    ended = set()
    for event in _events():
        if event.year == year and present & set(event.after):
            ended |= set(event.before) - set(event.after)
    return rows[~rows["ccode"].isin(ended)]


def outcome_units(origin_codes, origin: int, year: int) -> tuple[np.ndarray, dict[int, int]]:
    """Group the origin's states into units that still exist in ``year``.

    Returns
    -------
    unit_of_origin : numpy.ndarray
        For each origin state (in the order given), the index of its unit.
    unit_of_code : dict
        For each state code that may hold part of a unit's territory in
        ``year``, the unit's index.

    Notes
    -----
    Every succession between the origin (exclusive) and ``year`` (inclusive)
    joins the codes before and after it.  Origin states joined this way form
    one unit (the Germanies before 1990); a unit's outcome is the sum of the
    values of all codes joined to it (the USSR's is Russia's plus the other
    successor states').
    """
    codes = [int(c) for c in origin_codes]
    parent = {c: c for c in codes}

    def find(c):
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for event in _events():
        if origin < event.year <= year:
            linked = list(event.before) + list(event.after)
            for other in linked[1:]:
                a, b = find(linked[0]), find(other)
                if a != b:
                    parent[b] = a
    roots = {}
    unit_of_origin = np.empty(len(codes), np.int64)
    for i, c in enumerate(codes):
        unit_of_origin[i] = roots.setdefault(find(c), len(roots))
    unit_of_code = {c: roots[find(c)] for c in list(parent) if find(c) in roots}
    return unit_of_origin, unit_of_code


def realised(table: pd.DataFrame, value: str, year: int, unit_of_code: dict[int, int], units: int) -> np.ndarray:
    """The value of each unit in ``year`` (NaN where none of its codes has one), each state counted once."""
    rows = system_at(table, value, year)
    out = np.zeros(units)
    seen = np.zeros(units, bool)
    for code, amount in zip(rows["ccode"].astype(int), rows[value].astype(float)):
        unit = unit_of_code.get(code)
        if unit is not None:
            out[unit] += amount
            seen[unit] = True
    return np.where(seen, out, np.nan)
