"""Poles and polarity labels: the poles of each year under a rule, beside the concentration indices."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.power.indices import _concentration_columns, _matrix_and_mask, _table, indices_from_matrix
from worldorder.power.pole_rules import DEFAULT_RULE, _pole_counts, label_of, pole_rule
from worldorder.power.reference import Among

__all__ = ["polarity", "poles"]


def poles(frame: pd.DataFrame, column: str | None = None, among: Among = "all", rule=DEFAULT_RULE) -> pd.DataFrame:
    """The poles of each year under a pole rule, and the resulting polarity label.

    Parameters
    ----------
    frame
        State-year table with the power ``column``.
    column
        Power column; default the last measure added.
    among
        Reference set (see :func:`shares`).
    rule
        ``"threshold:T"``, ``"leader:R"``, ``"wayman"``, a :class:`PoleRule` or a
        callable (see :func:`pole_rule`).

    Returns
    -------
    pandas.DataFrame
        ``year, n_poles, poles`` (abbreviations, largest first, separated by
        ``;``), ``polarity`` (unipolar, bipolar, multipolar or nonpolar) and
        ``rule`` (the rule in words).

    Notes
    -----
    The label follows the number of poles K: 1 unipolar, 2 bipolar, 3 or more
    multipolar, and 0 (possible only under a share threshold) nonpolar.

    References
    ----------
    Wayman, F. W. 1984. Bipolarity and war: the role of capability
    concentration and alliance patterns among major powers, 1816-1965.
    Journal of Peace Research 21(1): 61-78.
    Mansfield, E. D. 1993. Concentration, polarity, and the distribution of
    power. International Studies Quarterly 37(1): 105-128.
    """
    table = polarity(frame, column, among, rule)
    return table[["year", "measure", "among", "n_poles", "poles", "polarity", "rule"]]


def polarity(frame: pd.DataFrame, column: str | None = None, among: Among = "all", rule=DEFAULT_RULE) -> pd.DataFrame:
    """Concentration indices, poles and the polarity label, one row per year.

    The columns of :func:`concentration` followed by those of :func:`poles`.
    See both for the formulas and the rules.
    """
    column, matrix, mask = _matrix_and_mask(frame, column, among)
    result = indices_from_matrix(matrix.values, mask)
    keep = mask.any(axis=1)
    columns = _concentration_columns(frame, column, among, matrix, result, keep)
    rule = pole_rule(rule)
    valid = ~np.isnan(result["hhi"])
    pole_mask, count = _pole_counts(rule, result["shares"], valid, matrix.codes)
    count = count[keep]
    columns["n_poles"] = pd.arrays.IntegerArray(np.nan_to_num(count).astype(np.int64), np.isnan(count))
    columns["poles"] = _pole_names(pole_mask, result["shares"], matrix.labels)[keep]
    columns["polarity"] = label_of(count)
    columns["rule"] = np.full(len(count), str(rule), dtype=object)
    table = _table(columns, frame, column, among)
    table.attrs["rule"] = str(rule)
    return table


def _pole_names(pole_mask, share_matrix, labels) -> np.ndarray:
    out = np.full(pole_mask.shape[0], None, dtype=object)
    rows, cols = np.nonzero(pole_mask)
    if len(rows) == 0:
        return out
    order = np.lexsort((-share_matrix[rows, cols], rows))  # by year, then largest share first
    rows, names = rows[order], labels[cols[order]]
    cuts = np.flatnonzero(np.diff(rows)) + 1
    for row, group in zip(rows[np.concatenate([[0], cuts])], np.split(names, cuts)):
        out[row] = ";".join(group)
    return out
