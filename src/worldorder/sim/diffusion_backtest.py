"""Out-of-sample check of the diffusion model: fit up to a year, score later transitions against baselines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.seeds import DEFAULT_SEED
from worldorder.sim.diffusion_fit import TRANSITIONS, control_table, fit_transitions, predict_transitions, transition_panel
from worldorder.sim.diffusion_outcomes import DiffusionError, outcome_years, parse_outcome, year_span
from worldorder.sim.diffusion_ties import load_ties, parse_ties

#: Edges of the probability bins of the calibration table (transitions are rare).
CALIBRATION_EDGES = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)


@dataclass(eq=False)
class DiffusionBacktest:
    """Scores of one-year-ahead transition forecasts on years the models never saw.

    Attributes
    ----------
    scores : pandas.DataFrame
        ``model, transition, n, events, auc, brier, log_score, brier_skill``
        (skill against the no-diffusion model: :math:`1 - B/B_0`).
    calibration : pandas.DataFrame
        ``model, bin, n, mean_forecast, observed``.
    gain : pandas.DataFrame
        Per model: ``model, brier_diff, lo, hi`` -- its Brier score minus the
        no-diffusion model's over all test transitions, with a 95% interval
        from resampling states.
    predictions : pandas.DataFrame
        ``ccode, year, prev, y`` and one column of forecasts per model.
    verdict : str
        In words: whether ties add predictive power, and by which layer.
    caption : str
    """

    scores: pd.DataFrame
    calibration: pd.DataFrame
    gain: pd.DataFrame
    predictions: pd.DataFrame
    verdict: str
    caption: str
    train: tuple
    test: tuple


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve: the probability that an event outranks a non-event (ties count half).

    Notes
    -----
    :math:`\\mathrm{AUC} = (R_1 - n_1(n_1+1)/2) / (n_1 n_0)`, :math:`R_1` the sum
    of the events' ranks among all forecasts (Mann-Whitney U; Hanley & McNeil 1982).
    """
    from scipy.stats import rankdata

    y = np.asarray(y, bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(p)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _models(layers: Sequence[str], region: bool = True) -> dict[str, list[str]]:
    keys = [layer.replace(":", "") for layer in layers]
    models = {"no diffusion": [], **({"region only": ["region"]} if region else {}), "ties": keys}
    if len(keys) > 1:
        models.update({f"+{k}": [k] for k in keys})
    return models


def backtest_diffusion(
    outcome="democracy:polyarchy>=0.5",
    ties="contiguity,alliance,trade",
    years="1946-2010",
    until: int = 1989,
    controls: Sequence[str] | str = (),
    db=None,
    data: pd.DataFrame | None = None,
    resamples: int = 1000,
    seed: int = DEFAULT_SEED,
) -> DiffusionBacktest:
    """Fit on transitions to ``until``, forecast each later transition of ``years`` one year ahead, and score.

    Models share own history (previous state, log duration) and the controls:
    ``no diffusion`` has nothing else, ``region only`` adds exposure within the
    COW region, ``ties`` adds every layer asked for, and ``+LAYER`` each layer alone.
    Every model is scored on the same test state-years.

    Parameters
    ----------
    outcome, ties, controls, db, data
        As in :func:`~worldorder.sim.diffusion_fit.fit_diffusion`.
    years, until
        Transitions of ``years`` up to ``until`` are fitted; the later ones are scored.
    resamples
        States resampled (with replacement) for the interval of the Brier difference.
    seed
        Seed of the resampling.

    Notes
    -----
    A forecast for year :math:`t` uses only :math:`t-1` values (outcomes,
    ties, controls) and coefficients fitted on transitions up to the end of
    the training span: no look-ahead.  Brier score
    :math:`B = \\frac1n\\sum (p_i - o_i)^2`; log score
    :math:`-\\frac1n\\sum [o_i \\log p_i + (1-o_i)\\log(1-p_i)]`.

    References
    ----------
    Brier, G. W. 1950. Verification of forecasts expressed in terms of
    probability. Monthly Weather Review 78(1): 1-3.
    Gleditsch, K. S. & Ward, M. D. 2006. Diffusion and the international
    context of democratization. International Organization 60(4): 911-933.
    """

    outcome = parse_outcome(outcome)
    span = year_span(years)
    if span is None or not span[0] < int(until) < span[1]:
        raise DiffusionError(f"--until ({until}) must fall inside --years ({years}) with years left to score, e.g. --years 1946-2010 --until 1989.")
    controls = [c.strip() for c in controls.split(",") if c.strip()] if isinstance(controls, str) else list(controls)
    names = parse_ties(ties)
    whole = span
    layers = load_ties([*names, *([] if "region" in names else ["region"])], years=whole, db=db)
    history = outcome_years(outcome, years=(1816, whole[1]), db=db, data=data)
    panel = transition_panel(history, layers, control_table(controls, whole, db=db, data=data))
    panel = panel[(panel["year"] >= whole[0]) & (panel["year"] <= whole[1])]
    result = backtest_panel(panel, names, until, controls, resamples, seed)
    if result.predictions.empty:
        raise DiffusionError(f"No state-year after {until} has every layer's data; the layers end in {min(layer.last for layer in layers) + 1}.")
    scored, changed = result.predictions, int((result.predictions["y"] != result.predictions["prev"]).sum())
    result.caption = (
        f"Outcome: {outcome.label} ({outcome.source}). Fitted on transitions {result.train[0]}-{result.train[1]}, "
        f"scored one year ahead on {int(scored['year'].min())}-{int(scored['year'].max())} ({len(scored)} state-years, {changed} transitions). "
        + "; ".join(f"{layer.name}: {layer.description}, data to {layer.last}" for layer in layers)
    )
    return result


def backtest_panel(panel: pd.DataFrame, layers: Sequence[str], until: int, controls: Sequence[str] = (), resamples: int = 1000, seed: int = DEFAULT_SEED) -> DiffusionBacktest:
    """Score one-year-ahead forecasts on a panel already built (:func:`~worldorder.sim.diffusion_fit.transition_panel`).

    Models are fitted on the rows up to ``until`` and scored on the later rows
    that have every regressor of every model; a region-only model is included
    when the panel has ``exp_region``.  See :func:`backtest_diffusion`.
    """
    models = _models(layers, region="exp_region" in panel.columns)
    base = ["log_duration", *controls]
    needed = sorted({f"exp_{k}" for keys in models.values() for k in keys} | set(base))
    panel = panel[np.isfinite(panel[needed].to_numpy(np.float64, na_value=np.nan)).all(axis=1)].reset_index(drop=True)
    fit_rows = panel["year"] <= until
    scored = panel[panel["year"] > until].reset_index(drop=True)
    predictions = scored[["ccode", "year", "prev", "y"]].copy()
    if scored.empty:
        empty = pd.DataFrame()
        return DiffusionBacktest(empty, empty, empty, predictions, "", "", (int(panel["year"].min()), int(until)), (int(until) + 1, int(until) + 1))
    for name, keys in models.items():
        terms = ["const", *(f"exp_{k}" for k in keys), *base]
        params, _, _ = fit_transitions(panel[fit_rows], terms)
        predictions[name] = predict_transitions(scored, terms, params)
    changed = (predictions["y"] != predictions["prev"]).to_numpy()
    scores = _scores(predictions, list(models), changed)
    calibration = _calibration(predictions, list(models), changed)
    gain = _gain(predictions, list(models), changed, resamples, seed)
    span = (int(panel.loc[fit_rows, "year"].min()), int(until)), (int(until) + 1, int(scored["year"].max()))
    return DiffusionBacktest(scores, calibration, gain, predictions, _verdict(gain, scores, layers), "", *span)


def _scores(predictions: pd.DataFrame, models: list[str], changed: np.ndarray) -> pd.DataFrame:
    rows = []
    for transition, state in [*TRANSITIONS.items(), ("all", None)]:
        mask = np.ones(len(predictions), bool) if state is None else (predictions["prev"] == state).to_numpy()
        o = changed[mask].astype(float)
        brier0 = None
        for model in models:
            p = np.clip(predictions[model].to_numpy()[mask], 1e-12, 1 - 1e-12)
            brier = float(np.mean((p - o) ** 2)) if len(o) else np.nan
            brier0 = brier if model == "no diffusion" else brier0
            log_score = float(-np.mean(o * np.log(p) + (1 - o) * np.log1p(-p))) if len(o) else np.nan
            rows.append((model, transition, int(mask.sum()), int(o.sum()), auc(o, p), brier, log_score, 1 - brier / brier0 if brier0 else np.nan))
    return pd.DataFrame(rows, columns=["model", "transition", "n", "events", "auc", "brier", "log_score", "brier_skill"])


def _calibration(predictions: pd.DataFrame, models: list[str], changed: np.ndarray) -> pd.DataFrame:
    rows = []
    edges = np.asarray(CALIBRATION_EDGES)
    for model in models:
        p = predictions[model].to_numpy()
        which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
        for b in range(len(edges) - 1):
            inside = which == b
            if inside.any():
                rows.append((model, f"{edges[b]:g}-{edges[b + 1]:g}", int(inside.sum()), float(p[inside].mean()), float(changed[inside].mean())))
    return pd.DataFrame(rows, columns=["model", "bin", "n", "mean_forecast", "observed"])


def _gain(predictions: pd.DataFrame, models: list[str], changed: np.ndarray, resamples: int, seed: int) -> pd.DataFrame:
    codes, state = np.unique(predictions["ccode"].to_numpy(), return_inverse=True)
    counts = np.bincount(state, minlength=len(codes)).astype(float)
    base = (predictions["no diffusion"].to_numpy() - changed) ** 2
    draws = np.random.default_rng(seed).integers(0, len(codes), size=(int(resamples), len(codes)))
    weights = np.stack([np.bincount(d, minlength=len(codes)) for d in draws]).astype(float) if resamples else np.empty((0, len(codes)))
    rows = []
    for model in models:
        diff = np.bincount(state, weights=(predictions[model].to_numpy() - changed) ** 2 - base, minlength=len(codes))
        point = float(diff.sum() / counts.sum())
        boot = (weights @ diff) / (weights @ counts) if resamples else np.array([point])
        rows.append((model, point, float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))))
    return pd.DataFrame(rows, columns=["model", "brier_diff", "lo", "hi"])


def _verdict(gain: pd.DataFrame, scores: pd.DataFrame, layers: list[str]) -> str:
    table = gain.set_index("model")
    auc_all = scores[scores["transition"] == "all"].set_index("model")["auc"]

    def words(model: str) -> str:
        row = table.loc[model]
        better = "lower" if row["brier_diff"] < 0 else "higher"
        sure = "the interval excludes 0" if row["hi"] < 0 or row["lo"] > 0 else "the interval includes 0"
        return (f"{model}: Brier {better} than no diffusion by {abs(row['brier_diff']):.5f} (95% {row['lo']:.5f} to {row['hi']:.5f}, {sure}); "
                f"AUC {auc_all[model]:.3f} vs {auc_all['no diffusion']:.3f}")

    helps = [m for m in table.index if m not in ("no diffusion",) and table.loc[m, "hi"] < 0]
    head = ("Ties add predictive power out of sample" if "ties" in helps else "Ties do not add clear predictive power out of sample")
    which = [m.lstrip("+") for m in helps if m.startswith("+")]
    head += f" (layers that help alone: {', '.join(which)})." if which else " (no single layer clearly helps alone)."
    versus = ""
    if "region only" in table.index and "ties" in table.index:
        edge = table.loc["ties", "brier_diff"] - table.loc["region only", "brier_diff"]
        versus = (f" Against the region-only baseline, ties change the Brier score by {edge:+.5f} "
                  f"and the AUC from {auc_all['region only']:.3f} to {auc_all['ties']:.3f}.")
    return head + versus + " " + " | ".join(words(m) for m in table.index if m != "no diffusion")
