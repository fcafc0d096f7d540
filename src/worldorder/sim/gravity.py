"""Structural gravity: general-equilibrium effects of changes in trade costs.

An own implementation of the one-sector Armington endowment model of Anderson
& van Wincoop (2003), solved for counterfactuals in changes ("exact hat
algebra", Dekle, Eaton & Kortum 2007) as in Yotov, Piermartini, Monteiro &
Larch (2016, chapter 2).  The baseline is the observed flow matrix itself, so
no trade-cost parameters need estimating: a counterfactual needs only the
change in bilateral trade costs and the elasticity of substitution.

:func:`trade_matrix` builds the flow matrix, domestic sales included, from the
COW dyadic trade table and GDP; :func:`gravity_counterfactual` solves the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.sim.montecarlo import SimulationError


@dataclass
class GravityResult:
    """The solved counterfactual.  Hats are ratios counterfactual / baseline.

    Attributes
    ----------
    states : pandas.DataFrame
        ``ccode, output, expenditure, output_hat, expenditure_hat,
        price_hat, inward_mr_hat, outward_mr_hat, real_gdp_hat, welfare_hat,
        exports, exports_new, imports, imports_new, domestic_share,
        domestic_share_new``.
    baseline, counterfactual : numpy.ndarray
        Flow matrices (row exporter, column importer), domestic sales on the
        diagonal.
    ccode : numpy.ndarray
    sigma : float
    iterations : int
    """

    states: pd.DataFrame
    baseline: np.ndarray
    counterfactual: np.ndarray
    ccode: np.ndarray
    sigma: float
    iterations: int

    def flows(self) -> pd.DataFrame:
        """Bilateral flows ``exporter, importer, baseline, counterfactual, change`` (international only)."""
        n = len(self.ccode)
        i, j = np.nonzero(~np.eye(n, dtype=bool))
        base = self.baseline[i, j]
        new = self.counterfactual[i, j]
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.where(base > 0, new / base - 1.0, np.nan)
        return pd.DataFrame(
            {"exporter": self.ccode[i], "importer": self.ccode[j], "baseline": base, "counterfactual": new, "change": change}
        )


def trade_matrix(
    dyadic: pd.DataFrame,
    year: int,
    gdp: pd.DataFrame,
    gdp_column: str | None = None,
    gdp_unit: float = 1e6,
    min_domestic: float = 0.1,
) -> tuple[np.ndarray, np.ndarray]:
    """A square flow matrix (exporter x importer) with domestic sales on the diagonal.

    Parameters
    ----------
    dyadic : pandas.DataFrame
        COW dyadic trade ``ccode1, ccode2, year, flow1, flow2`` (``flow1`` is
        ccode1's imports from ccode2, millions of current US dollars); each
        pair once or in both orientations.
    year : int
    gdp : pandas.DataFrame
        ``ccode, year, <gdp>`` in current US dollars.
    gdp_column : str, optional
        The GDP column (found by itself when there is one numeric column).
    gdp_unit : float
        Dollars per trade unit (1e6: COW flows are in millions).
    min_domestic : float
        Domestic sales are GDP minus exports, but at least this share of GDP
        (entrepôts such as Singapore export more than their GDP).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The matrix and the COW codes of its rows and columns: the states with
        GDP and some trade that year.

    Notes
    -----
    Gravity needs a complete matrix: a pair with no reported flow counts as
    zero trade.  Domestic sales :math:`X_{ii} = \\max(\\mathrm{GDP}_i -
    \\sum_{j \\ne i} X_{ij}, m \\cdot \\mathrm{GDP}_i)` stand in for gross
    production for the home market, as in Yotov et al. (2016) when production
    data are missing.
    """
    from worldorder.sim.montecarlo import value_column

    need = {"ccode1", "ccode2", "year", "flow1", "flow2"}
    missing = need - set(dyadic.columns)
    if missing:
        raise SimulationError(f"The trade table lacks {', '.join(sorted(missing))}; it must be COW dyadic trade (cow_trade_dyadic_4).")
    column = value_column(gdp, gdp_column)
    rows = dyadic[dyadic["year"] == year]
    product = gdp[(gdp["year"] == year)].dropna(subset=[column])
    product = product[product[column] > 0].groupby("ccode")[column].sum() / gdp_unit
    if rows.empty:
        raise SimulationError(f"The trade table has no rows for {year}.")
    traders = np.union1d(rows["ccode1"].to_numpy(), rows["ccode2"].to_numpy())
    ccode = np.intersect1d(traders, product.index.to_numpy()).astype(np.int64)
    if len(ccode) < 2:
        raise SimulationError(f"Fewer than two states have both trade and GDP in {year}.")
    index = {c: k for k, c in enumerate(ccode)}
    X = np.zeros((len(ccode), len(ccode)))
    a = rows["ccode1"].map(index)
    b = rows["ccode2"].map(index)
    keep = a.notna() & b.notna()
    a, b = a[keep].astype(int).to_numpy(), b[keep].astype(int).to_numpy()
    f1 = pd.to_numeric(rows.loc[keep, "flow1"], errors="coerce").fillna(0.0).clip(lower=0).to_numpy()
    f2 = pd.to_numeric(rows.loc[keep, "flow2"], errors="coerce").fillna(0.0).clip(lower=0).to_numpy()
    X[b, a] = np.maximum(X[b, a], f1)  # flow1: ccode1 imports from ccode2 -> exporter ccode2
    X[a, b] = np.maximum(X[a, b], f2)
    np.fill_diagonal(X, 0.0)
    exports = X.sum(axis=1)
    y = product.reindex(ccode).to_numpy()
    np.fill_diagonal(X, np.maximum(y - exports, min_domestic * y))
    return X, ccode


def gravity_counterfactual(
    flows: np.ndarray | pd.DataFrame,
    cost_change: np.ndarray | None = None,
    freeness_change: np.ndarray | None = None,
    sigma: float = 7.0,
    ccode=None,
    tol: float = 1e-12,
    max_iter: int = 20_000,
    damping: float = 0.5,
) -> GravityResult:
    """Solve the general-equilibrium effects of a change in bilateral trade costs.

    Parameters
    ----------
    flows : array (n, n) or DataFrame
        Baseline flows :math:`X_{ij}` from exporter ``i`` (row) to importer
        ``j`` (column), domestic sales on the diagonal (:func:`trade_matrix`).
        A DataFrame's index gives the COW codes.
    cost_change : array (n, n), optional
        :math:`\\hat t_{ij}`, the ratio of new to old trade costs (1.25 for a
        25-point tariff-equivalent on top of a free baseline; ``inf`` for no
        trade at all).
    freeness_change : array (n, n), optional
        :math:`\\hat\\phi_{ij} = \\hat t_{ij}^{1-\\sigma}` directly: the change
        in flows at unchanged prices (0.2 for "cut by 80%").  Multiplies with
        ``cost_change`` when both are given.
    sigma : float
        Elasticity of substitution (> 1); 7 in Yotov et al.'s applications.
    tol, max_iter, damping
        Convergence of the fixed point on factory-gate prices (largest change
        in a price, iterations, weight on the previous iterate).

    Returns
    -------
    GravityResult

    Notes
    -----
    Baseline outputs and expenditures are :math:`Y_i = \\sum_j X_{ij}` and
    :math:`E_j = \\sum_i X_{ij}`; deficits :math:`D_j = E_j - Y_j` are held
    fixed in units of world output (the numeraire: :math:`\\sum_i \\hat p_i Y_i
    = \\sum_i Y_i`), so :math:`E'_j = E_j + (\\hat p_j - 1) Y_j`.  With
    endowments fixed, output changes with the factory-gate price
    :math:`\\hat p_i`, and

    .. math::

        \\hat P_j^{1-\\sigma} = \\sum_i \\pi_{ij} \\hat\\phi_{ij} \\hat p_i^{1-\\sigma},
        \\qquad
        \\hat p_i^{\\sigma} = \\frac{1}{Y_i} \\sum_j X_{ij} \\hat\\phi_{ij}
            \\frac{\\hat E_j}{\\hat P_j^{1-\\sigma}},

    with :math:`\\pi_{ij} = X_{ij}/E_j`.  Counterfactual flows are
    :math:`X'_{ij} = X_{ij} \\hat\\phi_{ij} \\hat p_i^{1-\\sigma} \\hat E_j /
    \\hat P_j^{1-\\sigma}`; the outward multilateral resistance changes by
    :math:`\\hat\\Pi_i = \\hat p_i^{\\sigma/(1-\\sigma)}`, real GDP by
    :math:`\\hat p_i / \\hat P_i` (which equals :math:`\\hat\\pi_{ii}^{1/(1-\\sigma)}`,
    Arkolakis, Costinot & Rodríguez-Clare 2012) and welfare (real expenditure)
    by :math:`\\hat E_i / \\hat P_i`.

    Every ratio is formed so that the identity shock gives exactly 1.0 and the
    baseline flows back unchanged, bit for bit ("no shock changes nothing").

    References
    ----------
    Anderson, J. E. & van Wincoop, E. 2003. Gravity with gravitas: a solution
    to the border puzzle. *American Economic Review* 93(1): 170-192.
    Dekle, R., Eaton, J. & Kortum, S. 2007. Unbalanced trade. *American
    Economic Review* 97(2): 351-355.
    Yotov, Y. V., Piermartini, R., Monteiro, J.-A. & Larch, M. 2016. *An
    Advanced Guide to Trade Policy Analysis: The Structural Gravity Model*.
    Geneva: WTO and UNCTAD, chapter 2.
    Arkolakis, C., Costinot, A. & Rodríguez-Clare, A. 2012. New trade models,
    same old gains? *American Economic Review* 102(1): 94-130.
    """
    if isinstance(flows, pd.DataFrame):
        ccode = flows.index.to_numpy() if ccode is None else ccode
        flows = flows.to_numpy(float)
    X = np.array(flows, dtype=np.float64)
    n = X.shape[0]
    if X.ndim != 2 or X.shape != (n, n):
        raise SimulationError(f"flows must be a square matrix, not of shape {X.shape}.")
    if not np.all(np.isfinite(X)) or (X < 0).any():
        raise SimulationError("flows must be finite and non-negative.")
    if sigma <= 1:
        raise SimulationError(f"sigma must be above 1, not {sigma}.")
    ccode = np.arange(n) if ccode is None else np.asarray(ccode)
    phi = np.ones((n, n))
    if cost_change is not None:
        t = np.asarray(cost_change, dtype=float)
        if t.shape != (n, n) or (t <= 0).any() or np.isnan(t).any():
            raise SimulationError("cost_change must be an (n, n) matrix of positive ratios.")
        with np.errstate(divide="ignore", over="ignore"):
            phi = phi * np.where(np.isinf(t), 0.0, t ** (1.0 - sigma))
    if freeness_change is not None:
        f = np.asarray(freeness_change, dtype=float)
        if f.shape != (n, n) or (f < 0).any() or not np.all(np.isfinite(f)):
            raise SimulationError("freeness_change must be an (n, n) matrix of finite non-negative factors.")
        phi = phi * f
    Y = X.sum(axis=1)
    E = X.sum(axis=0)
    if (Y <= 0).any() or (E <= 0).any():
        raise SimulationError("Every state needs positive output and expenditure (check the domestic sales).")
    world = Y.sum()
    p = np.ones(n)
    one_minus = 1.0 - sigma
    iterations = 0
    for iterations in range(1, max_iter + 1):
        e_hat = 1.0 + (p - 1.0) * (Y / E)
        inward = (X * phi * (p ** one_minus)[:, None]).sum(axis=0) / E  # P_hat^(1-sigma)
        if (inward <= 0).any():
            raise SimulationError("A state is left with no supplier at all; keep its domestic sales.")
        target = ((X * phi * (e_hat / inward)[None, :]).sum(axis=1) / Y) ** (1.0 / sigma)
        new = damping * p + (1.0 - damping) * target if iterations > 1 else target
        new *= world / (new * Y).sum()
        change = np.max(np.abs(new - p))
        p = new
        if change <= tol:
            break
    else:
        raise SimulationError(f"The gravity model did not converge in {max_iter} iterations (last change {change:.3g}).")
    e_hat = 1.0 + (p - 1.0) * (Y / E)
    inward = (X * phi * (p ** one_minus)[:, None]).sum(axis=0) / E
    new_flows = X * phi * (p ** one_minus)[:, None] * (e_hat / inward)[None, :]
    price = inward ** (1.0 / one_minus)
    domestic = np.diag(X) / E
    domestic_new = np.diag(new_flows) / new_flows.sum(axis=0)
    off = ~np.eye(n, dtype=bool)
    states = pd.DataFrame(
        {
            "ccode": ccode,
            "output": Y,
            "expenditure": E,
            "output_hat": p,
            "expenditure_hat": e_hat,
            "price_hat": price,
            "inward_mr_hat": price,
            "outward_mr_hat": p ** (sigma / one_minus),
            "real_gdp_hat": p / price,
            "welfare_hat": e_hat / price,
            "exports": (X * off).sum(axis=1),
            "exports_new": (new_flows * off).sum(axis=1),
            "imports": (X * off).sum(axis=0),
            "imports_new": (new_flows * off).sum(axis=0),
            "domestic_share": domestic,
            "domestic_share_new": domestic_new,
        }
    )
    return GravityResult(states, X, new_flows, ccode, float(sigma), iterations)
