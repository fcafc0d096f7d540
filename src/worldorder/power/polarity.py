"""Polarity: how concentrated power is, who the poles are, and how sure the label is.

Every function takes a state-year table with a power column (any measure of
:mod:`worldorder.power.measures`, or a column of your own) and a reference set
(``among``), and returns a new year-level table.  The indices are computed for
all years at once on a dense ``year × state`` matrix (see
:mod:`worldorder.power._base`).

Missing values stay missing: a state of the reference set without a value is
counted in ``n_missing`` and left out of the shares; it is never a zero.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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
from worldorder.seeds import DEFAULT_SEED
from worldorder.seeds import rng as random_generator

INDEX_COLUMNS = (
    "hhi",
    "effective_poles",
    "effective_poles_entropy",
    "con",
    "top1_share",
    "top2_share",
    "top_gap",
)

LABELS = {0: "nonpolar", 1: "unipolar", 2: "bipolar"}


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


# -- pole rules ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PoleRule:
    """A rule that says which states of a year are poles.

    Subclasses implement :meth:`mask`, which receives the ``(Y, S)`` share
    matrix (NaN outside the reference set) and returns a boolean matrix of poles.
    """

    name: str
    description: str

    def mask(self, shares: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __str__(self) -> str:
        return f"{self.name}: {self.description}"


@dataclass(frozen=True)
class ShareThreshold(PoleRule):
    """A pole holds at least ``threshold`` of the reference set's power."""

    threshold: float = 0.10

    def mask(self, shares):
        with np.errstate(invalid="ignore"):
            return np.nan_to_num(shares, nan=-1.0) >= self.threshold


@dataclass(frozen=True)
class RelativeToLeader(PoleRule):
    """A pole holds at least ``ratio`` times the leader's power."""

    ratio: float = 0.5

    def mask(self, shares):
        filled = np.nan_to_num(shares, nan=-1.0)
        top = filled.max(axis=1, keepdims=True)
        return (filled >= self.ratio * top) & (top > 0)


@dataclass(frozen=True)
class HalfHolders(PoleRule):
    """Wayman's rule, extended: the fewest largest states that together hold ``half``.

    One state holding half alone: unipolar; the two largest holding half:
    bipolar (Wayman 1984); otherwise the fewest largest states that together
    reach half are the poles (multipolar).
    """

    half: float = 0.5

    def mask(self, shares):
        filled = np.nan_to_num(shares, nan=0.0)
        order = np.argsort(-filled, axis=1, kind="stable")
        ordered = np.take_along_axis(filled, order, axis=1)
        before = np.cumsum(ordered, axis=1) - ordered  # power of the larger states
        in_ranked = (before < self.half - 1e-12) & (ordered > 0)
        out = np.zeros(shares.shape, dtype=bool)
        np.put_along_axis(out, order, in_ranked, axis=1)
        return out


@dataclass(frozen=True)
class CustomRule(PoleRule):
    """A rule the user writes: ``function(shares, codes) -> boolean mask`` for one year.

    ``shares`` is the year's share vector (NaN for states outside the set or
    without a value) and ``codes`` the state codes; the function may also return
    the number of poles K, meaning the K largest states.
    """

    function: Callable | None = None
    codes: tuple = ()

    def mask(self, shares):
        codes = np.asarray(self.codes) if self.codes else np.arange(shares.shape[1])
        out = np.zeros(shares.shape, dtype=bool)
        for i, row in enumerate(shares):
            if np.isnan(row).all():
                continue
            result = self.function(row.copy(), codes)
            if np.isscalar(result) and not isinstance(result, (bool, np.bool_)):
                k = int(result)
                order = np.argsort(-np.nan_to_num(row, nan=-1.0), kind="stable")[:k]
                out[i, order] = True
            else:
                result = np.asarray(result, dtype=bool)
                if result.shape != row.shape:
                    raise PowerError(
                        f"The pole rule {self.name!r} returned {result.shape} values for {row.shape} states; "
                        "return a boolean array with one value per state, or the number of poles."
                    )
                out[i] = result
        return out & ~np.isnan(shares)


def pole_rule(rule: "str | PoleRule | Callable") -> PoleRule:
    """Turn a rule specification into a :class:`PoleRule`.

    Parameters
    ----------
    rule
        ``"threshold:0.1"`` (a pole holds at least 10% of the set's power),
        ``"leader:0.5"`` (at least half the leader's power), ``"wayman"`` (the
        fewest largest states holding half), a :class:`PoleRule`, or a callable
        ``f(shares, codes)`` returning a boolean mask or a number of poles.

    Examples
    --------
    >>> print(pole_rule("threshold:0.2"))
    threshold:0.2: a pole holds at least 20% of the reference set's power
    """
    if isinstance(rule, PoleRule):
        return rule
    if callable(rule):
        name = getattr(rule, "__name__", "custom")
        doc = (getattr(rule, "__doc__", None) or "").strip().splitlines()
        description = doc[0] if doc else f"the user-defined rule {name}"
        return CustomRule(name=name, description=description, function=rule)
    if not isinstance(rule, str):
        raise PowerError(f"A pole rule is a string, a PoleRule or a callable, not {type(rule).__name__}.")
    kind, _, argument = rule.strip().partition(":")
    kind = kind.lower()
    try:
        value = float(argument) if argument else None
    except ValueError:
        raise PowerError(f"Pole rule {rule!r}: {argument!r} is not a number.") from None
    if kind in ("threshold", "share"):
        value = 0.10 if value is None else value
        if not 0 < value <= 1:
            raise PowerError("threshold:T needs 0 < T <= 1 (a share, e.g. threshold:0.1).")
        return ShareThreshold(
            name=f"threshold:{value:g}",
            description=f"a pole holds at least {value:.0%} of the reference set's power",
            threshold=value,
        )
    if kind in ("leader", "relative"):
        value = 0.5 if value is None else value
        if not 0 < value <= 1:
            raise PowerError("leader:R needs 0 < R <= 1 (e.g. leader:0.5, half the leader's power).")
        return RelativeToLeader(
            name=f"leader:{value:g}",
            description=f"a pole holds at least {value:.0%} of the leader's power",
            ratio=value,
        )
    if kind in ("wayman", "half"):
        value = 0.5 if value is None else value
        return HalfHolders(
            name="wayman" if value == 0.5 else f"wayman:{value:g}",
            description=(
                f"the fewest largest states that together hold {value:.0%} of the reference set's power "
                "(Wayman 1984: two such states make the system bipolar; one, unipolar)"
            ),
            half=value,
        )
    raise PowerError(f"Unknown pole rule {rule!r}: write threshold:T (such as threshold:0.1), leader:R (such as leader:0.5) or wayman.")


DEFAULT_RULE = "leader:0.5"
DEFAULT_RULES = ("threshold:0.1", "leader:0.5", "wayman")


def label_of(count) -> np.ndarray:
    """Polarity labels for pole counts: 0 nonpolar, 1 unipolar, 2 bipolar, 3+ multipolar."""
    count = np.asarray(count)
    out = np.full(count.shape, None, dtype=object)
    finite = ~pd.isna(count)
    c = np.where(finite, count, -1).astype(np.int64)
    out[c == 0] = "nonpolar"
    out[c == 1] = "unipolar"
    out[c == 2] = "bipolar"
    out[c >= 3] = "multipolar"
    return out


def _pole_counts(rule: PoleRule, shares: np.ndarray, valid: np.ndarray, codes=None):
    if isinstance(rule, CustomRule) and codes is not None and not rule.codes:
        rule = CustomRule(rule.name, rule.description, function=rule.function, codes=tuple(int(c) for c in codes))
    poles = rule.mask(shares) & ~np.isnan(shares)
    count = poles.sum(axis=1).astype(np.float64)
    count[~valid] = np.nan
    return poles, count


# -- public functions ---------------------------------------------------------------------------
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


# -- robustness ---------------------------------------------------------------------------------
def polarity_robustness(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    among: Among = "all",
    rules: Iterable = DEFAULT_RULES,
) -> pd.DataFrame:
    """How the polarity label agrees across measures and pole rules, year by year.

    Parameters
    ----------
    frame
        State-year table with several power columns.
    columns
        Power columns; default every measure recorded in ``frame.attrs["measures"]``.
    among
        Reference set, applied to each measure.
    rules
        Pole rules (see :func:`pole_rule`).

    Returns
    -------
    pandas.DataFrame
        One row per year: a label column ``<measure>|<rule>`` for each
        combination, ``modal`` (the most frequent label), ``agreement`` (the
        share of available combinations giving the modal label) and ``labels``
        (the number of combinations with a label that year).  The rules in words
        are in ``table.attrs["rules"]``.

    Notes
    -----
    :math:`agreement_t = \\max_\\ell \\#\\{(m, r): label_{mrt} = \\ell\\} / \\#\\{(m, r): label_{mrt} \\text{ defined}\\}`.
    With one label per combination it is 1 when every measure and rule agree.
    """
    if columns is None:
        columns = list(frame.attrs.get("measures", {}))
        if not columns:
            raise PowerError("Name the power columns (columns=[...]) or build the table with create_power_years().")
    rules = [pole_rule(r) for r in rules]
    years = None
    labels = {}
    for column in columns:
        column, matrix, mask = _matrix_and_mask(frame, column, among)
        result = indices_from_matrix(matrix.values, mask)
        valid = ~np.isnan(result["hhi"])
        series_years = matrix.years
        for rule in rules:
            _, count = _pole_counts(rule, result["shares"], valid, matrix.codes)
            labels[f"{measure_info(frame, column)['key']}|{rule.name}"] = pd.Series(label_of(count), index=series_years)
        years = series_years if years is None else np.union1d(years, series_years)
    table = pd.DataFrame({key: series.reindex(years) for key, series in labels.items()})
    table.index.name = "year"
    values = table.to_numpy(dtype=object)
    modal, agreement, counted = _agreement(values)
    table["modal"] = modal
    table["agreement"] = agreement
    table["labels"] = counted
    table = table.reset_index()
    table = table[table["labels"] > 0].reset_index(drop=True)
    table.attrs = {"rules": {rule.name: rule.description for rule in rules}, "among": describe_among(among)}
    return table


def _agreement(values: np.ndarray):
    names = np.array(["unipolar", "bipolar", "multipolar", "nonpolar"], dtype=object)
    counts = np.stack([(values == name).sum(axis=1) for name in names], axis=1)
    counted = counts.sum(axis=1)
    best = np.argmax(counts, axis=1)
    modal = np.where(counted > 0, names[best], None)
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.where(counted > 0, counts.max(axis=1) / counted, np.nan)
    return modal, agreement, counted


# -- intervals ----------------------------------------------------------------------------------
def _log_sigma(frame: pd.DataFrame, column: str, sd_column: str | None, x: np.ndarray) -> np.ndarray:
    """Log-normal sigma of each cell from the measure's standard deviations: sqrt(ln(1 + (s/x)^2))."""
    if sd_column is None:
        sd_column = frame.attrs.get("measures", {}).get(column, {}).get("sd_column")
    if sd_column is None:
        raise PowerError(
            f"method='measured' needs standard deviations of {column!r}: use a measure that carries them "
            "(gdp_fariss, population_fariss) or name the column with sd_column=."
        )
    sd = to_matrix(frame, sd_column).values
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where((x > 0) & np.isfinite(sd) & (sd >= 0), sd / x, 0.0)
    return np.sqrt(np.log1p(ratio**2))


def polarity_intervals(
    frame: pd.DataFrame,
    column: str | None = None,
    among: Among = "all",
    method: str = "perturb",
    draws: int = 500,
    noise: float = 0.10,
    level: float = 0.90,
    rule=DEFAULT_RULE,
    seed: int = DEFAULT_SEED,
    sd_column: str | None = None,
) -> pd.DataFrame:
    """Intervals for the polarity indices by perturbing or resampling the inputs.

    Parameters
    ----------
    frame, column, among
        As in :func:`polarity`.
    method
        ``"perturb"``: multiply every value by an independent log-normal error
        :math:`\\exp(\\varepsilon)`, :math:`\\varepsilon \\sim N(0, noise^2)`
        (measurement error of about ``noise`` in relative terms);
        ``"bootstrap"``: resample the states of the set with replacement each
        year (Efron's nonparametric bootstrap over states);
        ``"measured"``: draw every value from a log-normal with the value as
        mean and the source's own standard deviation (``sd_column``), so the
        interval carries the measurement uncertainty the source reports
        (Fariss et al.'s ``gdp_fariss`` and ``population_fariss``).
    draws
        Number of replicates.
    noise
        Standard deviation of the log error for ``"perturb"``.
    level
        Coverage of the equal-tailed percentile interval.
    rule
        Pole rule for ``label_share`` (the share of perturbed replicates whose
        label equals the label of the data); NaN for the bootstrap, whose
        duplicated states make pole counts meaningless.
    seed
        Seed of the random generator (default :data:`worldorder.seeds.DEFAULT_SEED`); the same seed gives the same table.
    sd_column
        Standard deviations for ``"measured"``; default the ``sd_column`` the
        measure recorded in ``frame.attrs["measures"]``.

    Returns
    -------
    pandas.DataFrame
        ``year``, and for each index of ``INDEX_COLUMNS`` the point value and
        ``<index>_lo`` / ``<index>_hi``; then ``polarity`` and ``label_share``.

    Notes
    -----
    Percentile interval: :math:`[q_{(1-level)/2}, q_{(1+level)/2}]` of the
    replicates of each index in each year.  ``"measured"`` draws
    :math:`x^* = x \\exp(\\sigma z - \\sigma^2/2)`, :math:`z \\sim N(0, 1)`,
    with :math:`\\sigma^2 = \\ln(1 + s^2/x^2)`: a log-normal of mean :math:`x`
    and standard deviation :math:`s`, independent across state-years.

    References
    ----------
    Efron, B. & Tibshirani, R. J. 1993. An Introduction to the Bootstrap.
    New York: Chapman & Hall.
    """
    if method not in ("perturb", "bootstrap", "measured"):
        raise PowerError(f"method must be 'perturb', 'bootstrap' or 'measured', not {method!r}.")
    if draws < 2:
        raise PowerError("draws must be at least 2.")
    if not noise >= 0:  # also refuses NaN
        raise PowerError(f"noise is a log standard deviation: 0 or more (0.10 is 10%), not {noise}.")
    if not 0 < level < 1:
        raise PowerError("level must be between 0 and 1, e.g. 0.9.")
    column, matrix, mask = _matrix_and_mask(frame, column, among)
    base = polarity(frame, column, among, rule)
    keep = mask.any(axis=1)
    rule = pole_rule(rule)
    present, x = _prepare(matrix.values, mask)
    if method == "measured":
        sigma = _log_sigma(frame, column, sd_column, x)
    rng = random_generator(seed)
    names = list(INDEX_COLUMNS)
    replicates = {name: np.empty((draws, len(matrix.years))) for name in names}
    point_counts = _pole_counts(rule, indices_from_matrix(matrix.values, mask)["shares"], np.ones(len(keep), bool), matrix.codes)[1]
    same_label = np.zeros(len(matrix.years))
    chunk = max(1, int(4_000_000 // max(1, x.size)))
    if method == "bootstrap":
        order = np.argsort(~present, axis=1, kind="stable")  # present states first
        packed = np.take_along_axis(x, order, axis=1)
        n = present.sum(axis=1)
    for start in range(0, draws, chunk):
        stop = min(draws, start + chunk)
        d = stop - start
        if method == "perturb":
            factors = np.exp(rng.normal(0.0, noise, size=(d, *x.shape)))
            sample = x[None] * factors
            sample_mask = np.broadcast_to(present, sample.shape)
        elif method == "measured":
            sample = x[None] * np.exp(sigma[None] * rng.standard_normal((d, *x.shape)) - sigma[None] ** 2 / 2)
            sample_mask = np.broadcast_to(present, sample.shape)
        else:
            u = rng.random((d, *x.shape))
            picks = np.minimum((u * n[None, :, None]).astype(np.int64), np.maximum(n - 1, 0)[None, :, None])
            sample = np.take_along_axis(np.broadcast_to(packed, (d, *x.shape)), picks, axis=2)
            sample_mask = np.broadcast_to(np.arange(x.shape[1])[None, :] < n[:, None], sample.shape)
        for j in range(d):
            result = indices_from_matrix(sample[j], sample_mask[j])
            for name in names:
                replicates[name][start + j] = result[name]
            if method != "bootstrap":
                _, count = _pole_counts(rule, result["shares"], np.ones(len(keep), bool), matrix.codes)
                same_label += count == point_counts
    low, high = (1 - level) / 2, (1 + level) / 2
    out = base[["year"]].copy()
    for name in names:
        out[name] = base[name].to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # years without data: all-NaN columns
            quantiles = np.nanquantile(replicates[name], [low, high], axis=0)
        out[f"{name}_lo"] = quantiles[0][keep]
        out[f"{name}_hi"] = quantiles[1][keep]
    out["polarity"] = base["polarity"].to_numpy()
    out["label_share"] = (same_label / draws)[keep] if method != "bootstrap" else np.nan
    out["method"] = {"bootstrap": method, "measured": f"measured (sd from {sd_column or 'the measure'})"}.get(
        method, f"perturb (log-sd {noise:g})"
    )
    out["draws"] = draws
    out.attrs = dict(base.attrs)
    out.attrs.update({"method": method, "draws": draws, "level": level, "seed": seed})
    return out
