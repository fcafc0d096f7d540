"""A transition model of diffusion fitted to history: logits of entering and leaving an outcome on exposure by layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from worldorder.sim.diffusion_outcomes import DiffusionError, Outcome, outcome_years, parse_outcome, year_span
from worldorder.sim.diffusion_ties import Ties, exposure, load_ties

#: The two transitions: name -> the previous state they start from.
TRANSITIONS = {"enter": 0.0, "leave": 1.0}
#: Built-in controls: name -> description (lagged one year, as exposure).
CONTROLS = {"gdppc": "log GDP per capita (Maddison Project 2020, 2011 int. $), to 2018"}
_Z95 = 1.959963984540054


@dataclass(eq=False)
class DiffusionFit:
    """A fitted transition model of diffusion.

    Attributes
    ----------
    outcome : Outcome
    ties : list of Ties
        The layers, in the order of the terms ``exp_<key>``.
    controls : list of str
    terms : list of str
        Regressors of both logits (``const`` first).
    params, cov : dict
        Per transition (``"enter"``, ``"leave"``): coefficients and their
        state-clustered covariance, as arrays in the order of ``terms``.
    coefficients : pandas.DataFrame
        ``transition, term, coef, se, lo, hi, p`` (95% intervals, clustered by state).
    contributions : pandas.DataFrame
        ``transition, layer, ame, attributable, observed, share``.
    thresholds : pandas.DataFrame
        Each state's adoption threshold (see :func:`adoption_thresholds`).
    panel : pandas.DataFrame
        The state-years fitted (``ccode, year, prev, y, exp_*, log_duration``, controls).
    years : tuple of int
    caption : str
        Sources, versions and last years.
    """

    outcome: Outcome
    ties: list
    controls: list
    terms: list
    params: dict
    cov: dict
    coefficients: pd.DataFrame
    contributions: pd.DataFrame
    thresholds: pd.DataFrame
    panel: pd.DataFrame
    years: tuple
    caption: str = ""
    extra: dict = field(default_factory=dict)

    def predict(self, panel: pd.DataFrame) -> np.ndarray:
        """Probability that each row changes state (enters when ``prev`` is 0, leaves when 1)."""
        return predict_transitions(panel, self.terms, self.params)


def transition_panel(outcome: pd.DataFrame, ties: Sequence[Ties], controls: pd.DataFrame | None = None) -> pd.DataFrame:
    """State-years with the previous state, exposure by layer, own history and lagged controls.

    Parameters
    ----------
    outcome
        ``ccode, year, y`` for every state-year (see :func:`outcome_years`).
    ties
        Tie layers (see :func:`~worldorder.sim.diffusion_ties.load_ties`).
    controls
        ``ccode, year`` and control columns, taken from the year before.

    Returns
    -------
    pandas.DataFrame
        ``ccode, year, prev, y, exp_<layer>..., log_duration`` and the controls,
        for rows where the state is observed in both years.

    Notes
    -----
    ``log_duration`` is :math:`\\log d_{i,t-1}`, with :math:`d` the number of
    consecutive years, up to :math:`t-1`, that the state has been in its
    current state (counted from its first year with a known outcome).
    """
    table = exposure(outcome, ties).sort_values(["ccode", "year"], kind="stable").reset_index(drop=True)
    code = table["ccode"].to_numpy(np.int64)
    year = table["year"].to_numpy(np.int64)
    y = table["y"].to_numpy(np.float64, na_value=np.nan)
    same = np.r_[False, (code[1:] == code[:-1]) & (year[1:] == year[:-1] + 1)]
    prev = np.where(same, np.r_[np.nan, y[:-1]], np.nan)
    duration = run_lengths(code, year, y)
    table["prev"] = prev
    table["log_duration"] = np.log(np.where(same, np.r_[np.nan, duration[:-1]], np.nan))
    if controls is not None and len(controls.columns) > 2:
        lagged = controls.assign(year=controls["year"] + 1)
        table = table.merge(lagged, on=["ccode", "year"], how="left")
    keep = table["prev"].notna() & table["y"].notna()
    return table[keep].reset_index(drop=True)


def run_lengths(code: np.ndarray, year: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Years each row's state has held its current value, counting the row (rows sorted by state, then year)."""
    same = np.r_[False, (code[1:] == code[:-1]) & (year[1:] == year[:-1] + 1)]
    prev = np.where(same, np.r_[np.nan, y[:-1]], np.nan)
    start = ~same | (prev != y) | np.isnan(y)  # a new run where the state, the years or the value break
    first_of_run = np.flatnonzero(start)
    return np.arange(len(y)) - first_of_run[np.cumsum(start) - 1] + 1


def fit_transitions(panel: pd.DataFrame, terms: Sequence[str], groups: str = "ccode") -> tuple[dict, dict, pd.DataFrame]:
    """Fit the entering and leaving logits by maximum likelihood, with covariances clustered by state.

    Returns ``(params, cov, coefficients)``; rows with a missing regressor are left out.

    Notes
    -----
    For a state out of the outcome in :math:`t-1` (enter) or in it (leave),

    .. math:: \\Pr(y_{it} \\ne y_{i,t-1}) = \\operatorname{logit}^{-1}\\big(\\alpha + \\textstyle\\sum_k \\beta_k E^k_{it} + \\gamma \\log d_{i,t-1} + \\delta' z_{i,t-1}\\big),

    with separate coefficients for the two transitions (Przeworski et al. 2000's
    dynamic probit, as a logit).  Standard errors are cluster-robust by state
    (the sandwich estimator of statsmodels, ``cov_type="cluster"``).

    References
    ----------
    Przeworski, A., Alvarez, M. E., Cheibub, J. A. & Limongi, F. 2000.
    *Democracy and Development*. Cambridge University Press.
    """
    import statsmodels.api as sm

    params, cov, rows = {}, {}, []
    for name, state in TRANSITIONS.items():
        part = panel[panel["prev"] == state].dropna(subset=list(t for t in terms if t != "const"))
        changed = (part["y"] != state).to_numpy(np.float64)
        if changed.sum() < 2 or (1 - changed).sum() < 2:
            raise DiffusionError(
                f"Too few transitions to fit ({int(changed.sum())} to {name} in {len(part)} state-years); widen --years or choose another outcome."
            )
        X = np.column_stack([np.ones(len(part)) if t == "const" else part[t].to_numpy(np.float64) for t in terms])
        model = sm.Logit(changed, X)
        try:
            result = model.fit(disp=0, method="newton", maxiter=100, cov_type="cluster", cov_kwds={"groups": part[groups].to_numpy()})
        except np.linalg.LinAlgError as error:
            raise DiffusionError(f"The {name} logit cannot be fitted ({error}); a regressor may be constant or collinear: drop a layer or control.") from error
        params[name], cov[name] = np.asarray(result.params), np.asarray(result.cov_params())
        se = np.sqrt(np.diag(cov[name]))
        for k, term in enumerate(terms):
            rows.append((name, term, params[name][k], se[k], params[name][k] - _Z95 * se[k], params[name][k] + _Z95 * se[k], float(result.pvalues[k]), len(part), int(changed.sum())))
    table = pd.DataFrame(rows, columns=["transition", "term", "coef", "se", "lo", "hi", "p", "n", "events"])
    return params, cov, table


def predict_transitions(panel: pd.DataFrame, terms: Sequence[str], params: dict) -> np.ndarray:
    """Fitted probability of a change of state for each row of ``panel``."""
    prev = panel["prev"].to_numpy(np.float64)
    X = np.column_stack([np.ones(len(panel)) if t == "const" else panel[t].to_numpy(np.float64) for t in terms])
    out = np.full(len(panel), np.nan)
    for name, state in TRANSITIONS.items():
        rows = prev == state
        out[rows] = 1.0 / (1.0 + np.exp(-(X[rows] @ params[name])))
    return out


def layer_contributions(panel: pd.DataFrame, terms: Sequence[str], params: dict, layers: Sequence[str]) -> pd.DataFrame:
    """Each layer's fitted contribution to entering and leaving.

    Notes
    -----
    For transition :math:`r` and layer :math:`k` over the rows :math:`R` at risk,
    ``ame`` is the average marginal effect :math:`\\frac1{|R|}\\sum_R \\beta_k p_i(1-p_i)`
    (change of probability per unit of exposure) and ``attributable`` the expected
    number of transitions due to the layer,
    :math:`\\sum_R [p_i - \\operatorname{logit}^{-1}(\\eta_i - \\beta_k E^k_i)]`;
    ``share`` is that number over the transitions observed.
    """
    rows = []
    for name, state in TRANSITIONS.items():
        part = panel[panel["prev"] == state].dropna(subset=[t for t in terms if t != "const"])
        X = np.column_stack([np.ones(len(part)) if t == "const" else part[t].to_numpy(np.float64) for t in terms])
        eta = X @ params[name]
        p = 1.0 / (1.0 + np.exp(-eta))
        observed = int((part["y"] != state).sum())
        for layer in layers:
            k = list(terms).index(f"exp_{layer}")
            beta = params[name][k]
            without = 1.0 / (1.0 + np.exp(-(eta - beta * X[:, k])))
            attributable = float((p - without).sum())
            rows.append((name, layer, float(np.mean(beta * p * (1 - p))), attributable, observed, attributable / observed if observed else np.nan))
    return pd.DataFrame(rows, columns=["transition", "layer", "ame", "attributable", "observed", "share"])


def adoption_thresholds(panel: pd.DataFrame, layers: Sequence[str], weights: np.ndarray | None = None) -> pd.DataFrame:
    """Each state's adoption threshold read from the data (the network-threshold reading).

    Returns
    -------
    pandas.DataFrame
        ``ccode, threshold, status, year, entries, years_out``: ``status`` is
        ``"observed"`` (the exposure when the state first entered),
        ``"above"`` (never entered: its threshold is above the highest exposure
        it saw, given as ``threshold``) or ``"never out"``.

    Notes
    -----
    Exposure is combined over layers as :math:`E_{it} = \\sum_k \\omega_k E^k_{it}`
    with :math:`\\omega_k \\propto \\max(\\beta_k^{enter}, 0)` (equal weights when no
    entering coefficient is positive).  In the threshold model state :math:`i`
    adopts once :math:`E_{it} \\ge \\theta_i` (Granovetter 1978); the exposure at
    its first adoption estimates :math:`\\theta_i` (Valente 1996), and a state that
    never adopts has :math:`\\theta_i` above the largest exposure it saw (censored).

    References
    ----------
    Granovetter, M. 1978. Threshold models of collective behavior. American
    Journal of Sociology 83(6): 1420-1443.
    Valente, T. W. 1996. Social network thresholds in the diffusion of
    innovations. Social Networks 18(1): 69-89.
    """
    columns = [f"exp_{layer}" for layer in layers]
    w = np.ones(len(columns)) if weights is None else np.clip(np.asarray(weights, float), 0, None)
    if w.sum() <= 0:
        w = np.ones(len(columns))
    w = w / w.sum()
    combined = np.nan_to_num(panel[columns].to_numpy(np.float64)) @ w
    table = panel[["ccode", "year", "prev", "y"]].assign(E=combined)
    out = table[table["prev"] == 0]
    entries = out[out["y"] == 1]
    first = entries.sort_values("year").drop_duplicates("ccode")
    stats = out.groupby("ccode").agg(years_out=("year", "size"), max_E=("E", "max"))
    result = stats.join(entries.groupby("ccode").size().rename("entries")).join(first.set_index("ccode")[["E", "year"]])
    result["entries"] = result["entries"].fillna(0).astype(int)
    result["status"] = np.where(result["entries"] > 0, "observed", "above")
    result["threshold"] = np.where(result["entries"] > 0, result["E"], result["max_E"])
    never_out = sorted(set(table["ccode"]) - set(result.index))
    result = result.reset_index()[["ccode", "threshold", "status", "year", "entries", "years_out"]]
    if never_out:
        extra = pd.DataFrame({"ccode": never_out, "threshold": np.nan, "status": "never out", "year": np.nan, "entries": 0, "years_out": 0})
        result = pd.concat([result, extra], ignore_index=True)
    return result.sort_values("ccode").reset_index(drop=True)


def control_table(controls: Sequence[str], years, db=None, data: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """``ccode, year`` and the named controls: built-ins (:data:`CONTROLS`) or columns of ``data``."""
    if not controls:
        return None
    from worldorder import add_gdp, create_state_years

    span = year_span(years)
    frame = create_state_years(years=None if span is None else (span[0] - 1, span[1]), db=db)[["ccode", "year"]]
    for name in controls:
        if name == "gdppc":
            gdppc = add_gdp(frame[["ccode", "year"]], db=db)["maddison_gdppc"].to_numpy(np.float64, na_value=np.nan)
            frame["gdppc"] = np.log(np.where(gdppc > 0, gdppc, np.nan))
        elif data is not None and name in data.columns:
            values = data[["ccode", "year", name]].astype({"ccode": np.int64, "year": np.int64})
            frame = frame.merge(values, on=["ccode", "year"], how="left")
        else:
            raise DiffusionError(f"Unknown control {name!r}: use {', '.join(CONTROLS)} or a column of the table you pass (--data).")
    return frame


def fit_diffusion(
    outcome="democracy:polyarchy>=0.5",
    ties="contiguity,alliance,trade",
    years="1946-2010",
    controls: Sequence[str] | str = (),
    db=None,
    data: pd.DataFrame | None = None,
) -> DiffusionFit:
    """Fit how an outcome spreads along ties: logits of entering and leaving on exposure by layer.

    Parameters
    ----------
    outcome
        Outcome text (``"democracy:polyarchy>=0.5"``, ``"alliance:USA"``, ``"column:NAME"``).
    ties
        Tie layers (``"contiguity,alliance,trade"``); see :data:`~worldorder.sim.diffusion_ties.TIE_LAYERS`.
    years
        Years of the transitions fitted (``"1946-2010"``).
    controls
        Control names: ``gdppc`` or columns of ``data``.
    db
        Store path or :class:`~worldorder.store.Store`.
    data
        A table with ``ccode, year`` and user columns (outcome or controls).

    Returns
    -------
    DiffusionFit

    Notes
    -----
    See :func:`transition_panel` (exposure and own history), :func:`fit_transitions`
    (the two logits), :func:`layer_contributions` and :func:`adoption_thresholds`.

    References
    ----------
    Gleditsch, K. S. & Ward, M. D. 2006. Diffusion and the international
    context of democratization. International Organization 60(4): 911-933.

    Examples
    --------
    >>> fit = fit_diffusion("democracy:polyarchy>=0.5", ties="contiguity,alliance,trade", years="1946-2010")  # doctest: +SKIP
    >>> fit.coefficients  # doctest: +SKIP
    """

    outcome = parse_outcome(outcome)
    controls = [c.strip() for c in controls.split(",") if c.strip()] if isinstance(controls, str) else list(controls)
    span = year_span(years)
    history = outcome_years(outcome, years=None if span is None else (1816, span[1]), db=db, data=data)
    layers = load_ties(ties, years=span, db=db)
    panel = transition_panel(history, layers, control_table(controls, years, db=db, data=data))
    if span is not None:
        panel = panel[(panel["year"] >= span[0]) & (panel["year"] <= span[1])].reset_index(drop=True)
    return fit_panel(panel, outcome, layers, controls, caption=_caption(outcome, layers, controls, panel))


def fit_panel(panel: pd.DataFrame, outcome, layers: Sequence[Ties], controls: Sequence[str] = (), caption: str = "") -> DiffusionFit:
    """Fit the transition model on a panel already built (:func:`transition_panel`)."""
    keys = [layer.key for layer in layers]
    terms = ["const", *(f"exp_{k}" for k in keys), "log_duration", *controls]
    finite = np.isfinite(panel[terms[1:]].to_numpy(np.float64, na_value=np.nan)).all(axis=1)
    used = panel[finite].reset_index(drop=True)
    if used.empty:
        raise DiffusionError("No state-year has every regressor; the layers' or controls' years may not overlap the years asked for.")
    params, cov, coefficients = fit_transitions(used, terms)
    contributions = layer_contributions(used, terms, params, keys)
    thresholds = adoption_thresholds(used, keys, params["enter"][1 : 1 + len(keys)])
    span = (int(used["year"].min()), int(used["year"].max()))
    return DiffusionFit(parse_outcome(outcome), list(layers), list(controls), terms, params, cov, coefficients, contributions, thresholds, used, span, caption)


def _caption(outcome: Outcome, layers: Sequence[Ties], controls: Sequence[str], panel: pd.DataFrame) -> str:
    years = f"{int(panel['year'].min())}-{int(panel['year'].max())}" if len(panel) else "no years"
    parts = [f"Outcome: {outcome.label} ({outcome.source})", f"transitions {years}"]
    parts += [f"{layer.name}: {layer.description}, data to {layer.last}" for layer in layers]
    parts += [CONTROLS.get(c, f"{c} (user data)") for c in controls]
    return "; ".join(parts) + ". Logits of entering and leaving, SEs clustered by state."
