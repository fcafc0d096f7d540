"""How sure a polarity label is: agreement across measures and pole rules, and intervals by perturbing or resampling the inputs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from worldorder.nanstats import column_quantiles
from worldorder.power._base import PowerError, measure_info, to_matrix
from worldorder.power.indices import INDEX_COLUMNS, _matrix_and_mask, _prepare, indices_from_matrix
from worldorder.power.labels import polarity
from worldorder.power.pole_rules import DEFAULT_RULE, DEFAULT_RULES, _pole_counts, label_of, pole_rule
from worldorder.power.reference import Among, describe_among
from worldorder.seeds import DEFAULT_SEED
from worldorder.seeds import rng as random_generator

__all__ = ["polarity_intervals", "polarity_robustness"]


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
        quantiles = column_quantiles(replicates[name], [low, high])  # NaN in years without data
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
