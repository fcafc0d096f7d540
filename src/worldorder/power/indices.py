"""Concentration indices of power: shares, HHI, effective number of poles, CON and top shares, every year at once.

The indices are computed for all years at once on a dense ``year × state``
matrix (see :mod:`worldorder.power._base`).  Missing values stay missing: a
state of the reference set without a value is counted in ``n_missing`` and
left out of the shares; it is never a zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.power._base import (
    Matrix,
    PowerError,
    cell_values,
    default_column,
    measure_info,
    to_matrix,
)
from worldorder.power.reference import Among, describe_among, reference_mask

__all__ = ["INDEX_COLUMNS", "concentration", "indices_from_matrix", "shares"]

INDEX_COLUMNS = (
    "hhi",
    "effective_poles",
    "effective_poles_entropy",
    "con",
    "top1_share",
    "top2_share",
    "top_gap",
)

# -- the core: every index for every year at once ---------------------------------------------
def _prepare(values: np.ndarray, mask: np.ndarray):
    present = mask & ~np.isnan(values)
    x = np.where(present, values, 0.0)
    if (x < 0).any():
        raise PowerError("Power values must not be negative; shares of a total need non-negative values.")
    return present, x


def indices_from_matrix(values: np.ndarray, mask: np.ndarray) -> dict[str, np.ndarray]:
    """Every concentration index for every row (year) of a dense matrix.

    Parameters
    ----------
    values
        ``(Y, S)`` power values, NaN where missing.
    mask
        ``(Y, S)`` booleans: the state is in the reference set that year.

    Returns
    -------
    dict of numpy arrays of length Y
        ``n, n_missing, total, hhi, effective_poles, entropy,
        effective_poles_entropy, con, cv, top1_share, top2_share, top_gap``
        and the column positions ``leader_pos``/``second_pos`` (-1 when none),
        plus ``shares`` (the ``(Y, S)`` share matrix, NaN outside the set).
    """
    present, x = _prepare(values, mask)
    n = present.sum(axis=1)
    n_missing = (mask & ~present).sum(axis=1)
    total = x.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = x / total[:, None]
        valid = (n > 0) & (total > 0)
        hhi = np.einsum("ij,ij->i", s, s)
        logs = np.log(np.where(s > 0, s, 1.0))
        entropy = -np.einsum("ij,ij->i", s, logs)
        inv_n = 1.0 / n
        # HHI - 1/N = sum_i (s_i - 1/N)^2 (the shares sum to 1): no cancellation for near-equal shares
        deviation = np.where(present, s - inv_n[:, None], 0.0)
        spread = np.einsum("ij,ij->i", deviation, deviation)
        con = np.sqrt(np.clip(spread / (1.0 - inv_n), 0.0, 1.0))
        cv = np.sqrt(n * spread)
        effective = 1.0 / hhi
    con = np.where(valid & (n >= 2), con, np.nan)
    cv = np.where(valid, cv, np.nan)
    hhi = np.where(valid, hhi, np.nan)
    effective = np.where(valid, effective, np.nan)
    entropy = np.where(valid, entropy, np.nan)
    ranked = np.where(present, s, -1.0)
    rows = np.arange(len(n))
    first = np.argmax(ranked, axis=1)
    top1 = ranked[rows, first]
    ranked[rows, first] = -1.0
    second = np.argmax(ranked, axis=1)
    top2 = ranked[rows, second]
    has1 = valid & (n >= 1)
    has2 = valid & (n >= 2)
    top1 = np.where(has1, top1, np.nan)
    top2 = np.where(has2, top2, np.where(has1, 0.0, np.nan))
    shares = np.where(present, s, np.nan)
    return {
        "n": n,
        "n_missing": n_missing,
        "total": np.where(n > 0, total, np.nan),
        "hhi": hhi,
        "effective_poles": effective,
        "entropy": entropy,
        "effective_poles_entropy": np.exp(entropy),
        "con": con,
        "cv": cv,
        "top1_share": top1,
        "top2_share": top2,
        "top_gap": top1 - top2,
        "leader_pos": np.where(has1, first, -1),
        "second_pos": np.where(has2, second, -1),
        "shares": shares,
    }

def _matrix_and_mask(frame, column, among) -> tuple[str, Matrix, np.ndarray]:
    column = default_column(frame, column)
    matrix = to_matrix(frame, column)
    mask = reference_mask(frame, among, matrix=matrix, column=column)
    return column, matrix, mask


def shares(frame: pd.DataFrame, column: str | None = None, among: Among = "all", name: str = "share") -> pd.DataFrame:
    """Each state's share of the reference set's power, year by year.

    Parameters
    ----------
    frame
        State-year table with ``ccode``, ``year`` and the power ``column``.
    column
        Power column; default the last measure added (``frame.attrs["measure"]``).
    among
        Reference set: ``"all"``, ``"majors"``, ``"top:K"``, ``"region:R"``, a
        list of codes, a boolean mask or a callable (see ``reference_mask``).
    name
        Name of the new column.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with ``name``: NaN outside the set or without a value.

    Notes
    -----
    :math:`s_{it} = x_{it} / \\sum_{j \\in R_t} x_{jt}`, summing over the states
    :math:`j` of the reference set :math:`R_t` that have a value in year t.
    """
    column, matrix, mask = _matrix_and_mask(frame, column, among)
    result = indices_from_matrix(matrix.values, mask)
    out = frame.copy(deep=False)
    out[name] = cell_values(matrix, result["shares"], frame)
    out.attrs = dict(frame.attrs)
    return out


def concentration(frame: pd.DataFrame, column: str | None = None, among: Among = "all") -> pd.DataFrame:
    """Concentration indices of power, one row per year.

    Parameters
    ----------
    frame
        State-year table with ``ccode``, ``year`` and the power ``column``
        (``stateabb`` too, if the leaders should be named).
    column
        Power column; default the last measure added (``frame.attrs["measure"]``).
    among
        Reference set (see :func:`shares`).

    Returns
    -------
    pandas.DataFrame
        ``year, measure, among, n, n_missing, hhi, effective_poles,
        effective_poles_entropy, con, cv, top1_share, top2_share, top_gap,
        leader, leader_ccode, second, second_ccode``.

    Notes
    -----
    With shares :math:`s_i` of the N states of the set that have a value:

    - Herfindahl-Hirschman index :math:`HHI = \\sum_i s_i^2`;
    - effective number of poles :math:`1/HHI` (Laakso & Taagepera 1979) and
      :math:`\\exp(H)` with the Shannon entropy :math:`H = -\\sum_i s_i \\ln s_i`;
    - concentration :math:`CON = \\sqrt{(HHI - 1/N)/(1 - 1/N)}` (Ray, Singer &
      Stuckey), 0 for equal shares and 1 when one state holds everything;
    - coefficient of variation (population standard deviation over the mean)
      :math:`CV = \\sqrt{N \\cdot HHI - 1}`, so that :math:`HHI = (1 + CV^2)/N`
      and :math:`CON = CV/\\sqrt{N-1}`;
    - ``top_gap`` = top-1 share minus top-2 share.

    CON is NaN with fewer than two states.  ``n_missing`` counts states of the
    set without a value, which are left out rather than counted as zero.

    References
    ----------
    Singer, J. D., Bremer, S. & Stuckey, J. 1972. Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (ed.), Peace,
    War, and Numbers. Beverly Hills: Sage, 19-48.
    Ray, J. L. & Singer, J. D. 1973. Measuring the concentration of power in
    the international system. Sociological Methods & Research 1(4): 403-437.
    Laakso, M. & Taagepera, R. 1979. "Effective" number of parties.
    Comparative Political Studies 12(1): 3-27.
    """
    column, matrix, mask = _matrix_and_mask(frame, column, among)
    return _concentration_table(frame, column, among, matrix, mask)


def _concentration_columns(frame, column, among, matrix, result, keep) -> dict:
    info = measure_info(frame, column)
    years = matrix.years[keep]
    return {
        "year": years,
        "measure": np.full(len(years), info["key"], dtype=object),
        "among": np.full(len(years), describe_among(among), dtype=object),
        "n": result["n"][keep],
        "n_missing": result["n_missing"][keep],
        **{key: result[key][keep] for key in ("hhi", "effective_poles", "effective_poles_entropy", "con", "cv")},
        "top1_share": result["top1_share"][keep],
        "top2_share": result["top2_share"][keep],
        "top_gap": result["top_gap"][keep],
        "leader": _names(matrix.labels, result["leader_pos"][keep]),
        "leader_ccode": _codes(matrix.codes, result["leader_pos"][keep]),
        "second": _names(matrix.labels, result["second_pos"][keep]),
        "second_ccode": _codes(matrix.codes, result["second_pos"][keep]),
    }


def _table(columns: dict, frame, column, among) -> pd.DataFrame:
    table = pd.DataFrame(columns)
    table.attrs = {
        "measure": column,
        "measures": {column: measure_info(frame, column)},
        "among": describe_among(among),
        "unit": "year",
    }
    return table


def _concentration_table(frame, column, among, matrix, mask, result=None) -> pd.DataFrame:
    result = indices_from_matrix(matrix.values, mask) if result is None else result
    keep = mask.any(axis=1)
    return _table(_concentration_columns(frame, column, among, matrix, result, keep), frame, column, among)


def _names(labels: np.ndarray, positions: np.ndarray) -> np.ndarray:
    out = labels[np.maximum(positions, 0)].astype(object)
    out[positions < 0] = None
    return out


def _codes(codes: np.ndarray, positions: np.ndarray) -> pd.arrays.IntegerArray:
    values = codes[np.maximum(positions, 0)].astype(np.int64)
    return pd.arrays.IntegerArray(values, positions < 0)
