"""State-year outcomes that may spread (democracy, alliance with a bloc, a user column) and their sources."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.errors import WorldOrderError

#: Democracy measures: spec name -> (column of ``add_democracy``, default rule, label, source).
DEMOCRACY_MEASURES = {
    "polyarchy": ("v2x_polyarchy", (">=", 0.5), "V-Dem electoral democracy (polyarchy) index, 0-1", "V-Dem v16 via isard cw_democracy"),
    "uds": ("aeuds", (">", 0.0), "extended Unified Democracy Score (0 = average cut-point)", "extended UDS (isard re-estimate) via isard cw_democracy"),
    "polity": ("polity2", (">=", 6.0), "Polity5 polity2, -10 to 10", "Polity5 p5v2018 via isard cw_democracy"),
}
_OPS = {">=": np.greater_equal, ">": np.greater, "<=": np.less_equal, "<": np.less}
_RULE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(?:(>=|<=|>|<)\s*(-?\d+(?:\.\d*)?|-?\.\d+))?\s*$")
OUTCOME_GRAMMAR = (
    "democracy[:polyarchy|uds|polity[>=T]] (e.g. democracy:polyarchy>=0.5, democracy:polity>=6), "
    "alliance:STATE[+STATE...] (an ATOP alliance with any of the named states, e.g. alliance:USA or alliance:RUS+CHN), "
    "or column:NAME[>=T] (a 0/1 or numeric column of a table you pass)"
)


class DiffusionError(WorldOrderError, ValueError):
    """A diffusion outcome, tie layer, fit or simulation cannot be built from what was given."""


@dataclass(frozen=True)
class Outcome:
    """A binary state-year outcome and the rule that defines it.

    Attributes
    ----------
    spec
        The text it was parsed from, normalized (``democracy:polyarchy>=0.5``).
    kind
        ``"democracy"``, ``"alliance"`` or ``"column"``.
    column
        The source column (``v2x_polyarchy``, the user's column); empty for alliances.
    op, threshold
        The rule: the outcome is 1 where ``column op threshold``.
    partners
        Alliance outcomes: the COW codes of the named states.
    label, source
        Words for captions: what the outcome means, and the data set behind it.
    """

    spec: str
    kind: str
    column: str = ""
    op: str = ">="
    threshold: float = 0.5
    partners: tuple[int, ...] = ()
    label: str = ""
    source: str = ""


def parse_outcome(spec) -> Outcome:
    """Read an outcome specification (see :data:`OUTCOME_GRAMMAR`).

    Raises
    ------
    DiffusionError
        When the text is not an outcome, names an unknown measure or an unknown state.
    """
    if isinstance(spec, Outcome):
        return spec
    text = str(spec).strip()
    kind, _, rest = text.partition(":")
    kind = kind.strip().lower()
    if kind == "democracy":
        match = _RULE.match(rest or "polyarchy")
        if not match or match.group(1).lower() not in DEMOCRACY_MEASURES:
            raise DiffusionError(f"Outcome {text!r}: choose a democracy measure from {', '.join(DEMOCRACY_MEASURES)}; {OUTCOME_GRAMMAR}.")
        name = match.group(1).lower()
        column, (op, threshold), label, source = DEMOCRACY_MEASURES[name]
        if match.group(2):
            op, threshold = match.group(2), float(match.group(3))
        return Outcome(f"democracy:{name}{op}{threshold:g}", "democracy", column, op, threshold, (), f"democracy: {label} {op} {threshold:g}", source)
    if kind == "alliance":
        names = [n.strip() for n in rest.split("+") if n.strip()]
        if not names:
            raise DiffusionError(f"Outcome {text!r} names no state; {OUTCOME_GRAMMAR}.")
        from worldorder.countries import UnknownCountryError, country

        codes = []
        for name in names:
            try:
                codes.append(int(country(name).ccode))
            except UnknownCountryError as error:
                raise DiffusionError(f"Outcome {text!r}: {error}") from error
        label = "+".join(names)
        return Outcome(f"alliance:{label}", "alliance", "", ">=", 1.0, tuple(codes), f"ATOP alliance with {label}", "ATOP v5.1 (peacesciencer)")
    if kind == "column":
        match = _RULE.match(rest)
        if not match:
            raise DiffusionError(f"Outcome {text!r}: name the column, as column:NAME or column:NAME>=T; {OUTCOME_GRAMMAR}.")
        op, threshold = (match.group(2), float(match.group(3))) if match.group(2) else (">=", 0.5)
        name = match.group(1)
        return Outcome(f"column:{name}{op}{threshold:g}", "column", name, op, threshold, (), f"{name} {op} {threshold:g}", "user data")
    raise DiffusionError(f"Unknown outcome {text!r}; {OUTCOME_GRAMMAR}.")


def year_span(years) -> tuple[int, int] | None:
    """``years`` (``1946-2010``, ``1990-``, ``latest``, a pair ...) as concrete ``(first, last)`` within the COW state system, or None for all."""
    from worldorder.frames import coverage
    from worldorder.years import Years

    span = Years.parse(years)
    if span.everything:
        return None
    return span.resolve(coverage("cow_system_2024"), what="the COW state system")


def apply_rule(values: np.ndarray, outcome: Outcome) -> np.ndarray:
    """1.0 where ``values op threshold``, 0.0 where not, NaN where the value is missing."""
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        out = _OPS[outcome.op](values, outcome.threshold).astype(np.float64)
    out[np.isnan(values)] = np.nan
    return out


def outcome_years(outcome, years=None, db=None, data: pd.DataFrame | None = None) -> pd.DataFrame:
    """The outcome for every COW state-year: ``ccode, year, y`` (1, 0 or NaN where unknown).

    Parameters
    ----------
    outcome
        An :class:`Outcome` or its text (``"democracy:polyarchy>=0.5"``).
    years
        Limit to these years (``"1946-2010"``); all the source's years when None.
    db
        Store path or :class:`~worldorder.store.Store`.
    data
        ``column:`` outcomes: a table with ``ccode, year`` and the column.

    Notes
    -----
    Democracy: :math:`y_{it} = 1[x_{it} \\ge c]` for the chosen index :math:`x`
    and threshold :math:`c`.  Alliance: :math:`y_{it} = 1` when state :math:`i`
    shares an ATOP alliance of any obligation with one of the named states in
    year :math:`t`; the named states themselves are left out (NaN), and years
    outside ATOP (after 2018) are NaN.

    References
    ----------
    Coppedge, M. et al. 2025. V-Dem Country-Year Dataset v16. Varieties of Democracy Project.
    Leeds, B. A. et al. 2002. Alliance Treaty Obligations and Provisions, 1815-1944.
    International Interactions 28: 237-260.
    """
    from worldorder.frames import create_state_years

    outcome = parse_outcome(outcome)
    span = year_span(years)
    frame = create_state_years(years=span, db=db)[["ccode", "year"]]
    if outcome.kind == "democracy":
        from worldorder import add_democracy

        values = add_democracy(frame, db=db)[outcome.column].to_numpy(np.float64, na_value=np.nan)
        y = apply_rule(values, outcome)
    elif outcome.kind == "column":
        y = apply_rule(_user_column(frame, data, outcome.column), outcome)
    else:
        y = _allied(frame, outcome.partners, span, db)
    out = frame.assign(y=y).reset_index(drop=True)
    out.attrs["outcome"] = outcome.spec
    return out


def _user_column(frame: pd.DataFrame, data: pd.DataFrame | None, column: str) -> np.ndarray:
    if data is None:
        raise DiffusionError(f"The outcome column:{column} needs a table: pass data= (or --data FILE with ccode, year and {column}).")
    missing = [c for c in ("ccode", "year", column) if c not in data.columns]
    if missing:
        raise DiffusionError(f"The outcome table lacks column(s) {missing}; it needs ccode, year and {column}.")
    table = data[["ccode", "year", column]].dropna(subset=["ccode", "year"])
    if table.duplicated(["ccode", "year"]).any():
        raise DiffusionError(f"The outcome table has repeated (ccode, year) rows; keep one value of {column} per state-year.")
    merged = frame.merge(table.astype({"ccode": np.int64, "year": np.int64}), on=["ccode", "year"], how="left")
    return pd.to_numeric(merged[column], errors="coerce").to_numpy(np.float64, na_value=np.nan)


def _allied(frame: pd.DataFrame, partners: tuple[int, ...], span, db) -> np.ndarray:
    from worldorder import load_layer

    layer = load_layer("atop", years=span, db=db)
    edges = layer.edges
    first, last = (min(layer.years), max(layer.years)) if layer.years else (0, -1)
    with_partner = np.isin(edges["ccode1"], partners) | np.isin(edges["ccode2"], partners)
    ends = edges.loc[with_partner, ["year", "ccode1", "ccode2"]]
    allies = pd.concat([ends[["year", "ccode1"]].set_axis(["year", "ccode"], axis=1), ends[["year", "ccode2"]].set_axis(["year", "ccode"], axis=1)])
    keys = set(zip(allies["year"].tolist(), allies["ccode"].tolist()))
    year = frame["year"].to_numpy(np.int64)
    code = frame["ccode"].to_numpy(np.int64)
    y = np.fromiter(((yr, c) in keys for yr, c in zip(year.tolist(), code.tolist())), dtype=np.float64, count=len(frame))
    y[(year < first) | (year > last) | np.isin(code, partners)] = np.nan
    return y
