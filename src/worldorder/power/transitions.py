"""Power transitions: ratio series, parity, overtaking and growth differentials.

Power-transition theory (Organski 1958; Organski & Kugler 1980) holds that
the danger lies where a challenger reaches parity with the dominant state and
overtakes it.  :func:`transitions` gives, for a pair of states or a leader
against every challenger, the yearly ratio of their power, whether it is
inside a parity window, the years of overtaking, and growth differentials.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from worldorder.power._base import PowerError, default_column, measure_info, to_matrix, year_slice

DEFAULT_PARITY = (0.8, 1.2)


def _state_position(matrix, frame: pd.DataFrame, state, role: str) -> int:
    """Column of ``state`` (a COW code or a COW abbreviation found in the frame)."""
    if isinstance(state, (int, np.integer)) or (isinstance(state, str) and state.strip().isdigit()):
        code = int(state)
    else:
        text = str(state).strip().upper()
        if "stateabb" not in frame.columns:
            raise PowerError(f"{role} {state!r}: give a COW code, or add a 'stateabb' column to the table.")
        found = frame.loc[frame["stateabb"].astype(str).str.upper() == text, "ccode"].unique()
        if len(found) == 0:
            raise PowerError(
                f"{role} {state!r} is not a state abbreviation in the table. Use a COW code or abbreviation "
                "(worldorder.country('name') finds them)."
            )
        code = int(found[0])
    position = np.searchsorted(matrix.codes, code)
    if position >= len(matrix.codes) or matrix.codes[position] != code:
        raise PowerError(f"{role} {state!r} (code {code}) has no row in the table.")
    return int(position)


def _growth(values: np.ndarray, window: int) -> np.ndarray:
    """Compound yearly growth over ``window`` years, NaN without both ends."""
    out = np.full(values.shape, np.nan)
    if window < 1:
        raise PowerError("growth window must be at least 1 year.")
    if values.shape[0] > window:
        now, before = values[window:], values[:-window]
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where((before > 0) & (now >= 0), (now / before) ** (1.0 / window) - 1.0, np.nan)
        out[window:] = rate
    return out


def _last_known(values: np.ndarray) -> np.ndarray:
    """Each row's value, or the latest earlier non-missing value (per column), shifted by one year."""
    known = ~np.isnan(values)
    index = np.where(known, np.arange(values.shape[0])[:, None], -1)
    np.maximum.accumulate(index, axis=0, out=index)
    previous = np.full(values.shape, -1)
    previous[1:] = index[:-1]
    taken = np.take_along_axis(values, np.maximum(previous, 0), axis=0)
    return np.where(previous >= 0, taken, np.nan)


def transitions(
    frame: pd.DataFrame,
    leader,
    challengers: Sequence | None = None,
    column: str | None = None,
    parity: tuple[float, float] = DEFAULT_PARITY,
    growth_window: int = 1,
    first: int | None = None,
    last: int | None = None,
) -> pd.DataFrame:
    """Power ratio of challengers to a leader, year by year.

    Parameters
    ----------
    frame
        State-year table with ``ccode``, ``year``, ``stateabb`` and the power ``column``.
    leader
        The dominant state: COW code or abbreviation (``2``, ``"USA"``).
    challengers
        States to compare (codes or abbreviations); default every other state
        with a value in some year.  One challenger gives a pair.
    column
        Power column; default the last measure added.
    parity
        Parity window (low, high) for the ratio challenger / leader, default 0.8-1.2.
    growth_window
        Years over which compound growth rates are taken (1 = year on year).
    first, last
        Years to keep.

    Returns
    -------
    pandas.DataFrame
        One row per challenger-year with values for both: ``year, leader,
        challenger, leader_ccode, challenger_ccode, leader_value,
        challenger_value, ratio, parity, overtake, leader_growth,
        challenger_growth, growth_gap``.

    Notes
    -----
    :math:`ratio_t = x^{c}_t / x^{l}_t`; ``parity`` is
    :math:`low \\le ratio_t \\le high`; ``overtake`` is +1 in a year the
    challenger draws level or ahead (:math:`ratio_t \\ge 1`) after being behind
    in the latest earlier year with a ratio, -1 when it falls behind again, and
    0 otherwise.  Growth is :math:`g_t = (x_t / x_{t-w})^{1/w} - 1` and
    ``growth_gap`` = :math:`g^c_t - g^l_t`.

    References
    ----------
    Organski, A. F. K. 1958. World Politics. New York: Knopf.
    Organski, A. F. K. & Kugler, J. 1980. The War Ledger. Chicago: University
    of Chicago Press.
    """
    low, high = parity
    if not 0 < low <= 1 <= high:
        raise PowerError(f"parity {parity!r}: give (low, high) with 0 < low <= 1 <= high, e.g. (0.8, 1.2).")
    column = default_column(frame, column)
    frame = year_slice(frame, first, last)
    matrix = to_matrix(frame, column)
    values = np.where(matrix.member, matrix.values, np.nan)
    if (np.nan_to_num(values) < 0).any():
        raise PowerError("Power values must not be negative.")
    lead = _state_position(matrix, frame, leader, "leader")
    if challengers is None:
        positions = [p for p in range(len(matrix.codes)) if p != lead and not np.isnan(values[:, p]).all()]
    else:
        positions = [_state_position(matrix, frame, c, "challenger") for c in challengers]
        positions = [p for p in positions if p != lead]
    if not positions:
        raise PowerError("No challenger with values in the table.")
    lead_values = values[:, lead]
    chal = values[:, positions]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(lead_values[:, None] > 0, chal / lead_values[:, None], np.nan)
    previous = _last_known(ratio)
    ahead = ratio >= 1
    was_ahead = previous >= 1
    overtake = np.where(~np.isnan(ratio) & ~np.isnan(previous), ahead.astype(int) - was_ahead.astype(int), 0)
    lead_growth = _growth(lead_values[:, None], growth_window)[:, 0]
    chal_growth = _growth(chal, growth_window)
    keep = ~np.isnan(ratio)
    if not keep.any():
        raise PowerError(
            f"No year in which {leader!r} and a challenger both have a value of {column!r} "
            "(and the leader's is above zero)."
        )
    row, col = np.nonzero(keep)
    codes = matrix.codes[positions]
    labels = matrix.labels[positions]
    table = pd.DataFrame(
        {
            "year": matrix.years[row],
            "leader": matrix.labels[lead],
            "challenger": labels[col],
            "leader_ccode": int(matrix.codes[lead]),
            "challenger_ccode": codes[col],
            "leader_value": lead_values[row],
            "challenger_value": chal[row, col],
            "ratio": ratio[row, col],
            "parity": (ratio[row, col] >= low) & (ratio[row, col] <= high),
            "overtake": overtake[row, col].astype(np.int8),
            "leader_growth": lead_growth[row],
            "challenger_growth": chal_growth[row, col],
        }
    )
    table["growth_gap"] = table["challenger_growth"] - table["leader_growth"]
    table = table.sort_values(["challenger_ccode", "year"], kind="stable").reset_index(drop=True)
    info = measure_info(frame, column)
    table.attrs = {
        "measure": column,
        "measures": {column: info},
        "parity": (low, high),
        "growth_window": growth_window,
        "unit": "challenger_year",
    }
    return table


def transition_summary(table: pd.DataFrame, recent: int = 10) -> pd.DataFrame:
    """One row per challenger summarising a :func:`transitions` table.

    Returns
    -------
    pandas.DataFrame
        ``challenger, challenger_ccode, first_year, last_year, ratio_first,
        ratio_last, ratio_max, ratio_max_year, parity_years, parity_first,
        parity_last, overtakes`` (years the challenger drew level or ahead,
        ``;``-separated), ``falls_behind``, ``status`` in the last year
        (ahead, parity, behind), ``growth_gap_mean`` and ``growth_gap_recent``
        (mean over the last ``recent`` years with a value), sorted by
        ``ratio_last``, largest first.
    """
    if table.empty:
        return pd.DataFrame()
    low, high = table.attrs.get("parity", DEFAULT_PARITY)
    rows = []
    for (code, name), part in table.groupby(["challenger_ccode", "challenger"], sort=False):
        part = part.sort_values("year")
        ratio = part["ratio"].to_numpy()
        years = part["year"].to_numpy()
        best = int(np.nanargmax(ratio))
        parity_years = years[part["parity"].to_numpy()]
        last_ratio = ratio[-1]
        gaps = part["growth_gap"].dropna()
        rows.append(
            {
                "leader": part["leader"].iloc[0],
                "challenger": name,
                "challenger_ccode": int(code),
                "first_year": int(years[0]),
                "last_year": int(years[-1]),
                "ratio_first": float(ratio[0]),
                "ratio_last": float(last_ratio),
                "ratio_max": float(ratio[best]),
                "ratio_max_year": int(years[best]),
                "parity_years": int(len(parity_years)),
                "parity_first": int(parity_years[0]) if len(parity_years) else pd.NA,
                "parity_last": int(parity_years[-1]) if len(parity_years) else pd.NA,
                "overtakes": ";".join(str(y) for y in years[part["overtake"].to_numpy() == 1]) or None,
                "falls_behind": ";".join(str(y) for y in years[part["overtake"].to_numpy() == -1]) or None,
                "status": "ahead" if last_ratio > high else "parity" if last_ratio >= low else "behind",
                "growth_gap_mean": float(gaps.mean()) if len(gaps) else np.nan,
                "growth_gap_recent": float(gaps.iloc[-recent:].mean()) if len(gaps) else np.nan,
            }
        )
    out = pd.DataFrame(rows).sort_values("ratio_last", ascending=False, kind="stable").reset_index(drop=True)
    for column in ("parity_first", "parity_last"):
        out[column] = out[column].astype("Int64")
    out.attrs = dict(table.attrs)
    return out
