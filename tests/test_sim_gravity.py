"""Structural gravity: no shock changes nothing, hand-solved cases, symmetry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

from worldorder.sim.gravity import gravity_counterfactual, trade_matrix
from worldorder.sim.montecarlo import SimulationError

X3 = np.array([[50.0, 10.0, 5.0], [8.0, 80.0, 12.0], [6.0, 9.0, 40.0]])


def test_no_shock_changes_nothing_exactly():
    for X in (X3, np.random.default_rng(0).uniform(1, 100, (25, 25))):
        result = gravity_counterfactual(X)
        assert np.array_equal(result.counterfactual, X)
        for column in ("output_hat", "expenditure_hat", "price_hat", "real_gdp_hat", "welfare_hat", "outward_mr_hat"):
            assert (result.states[column] == 1.0).all(), column
        ones = gravity_counterfactual(X, cost_change=np.ones_like(X), freeness_change=np.ones_like(X))
        assert np.array_equal(ones.counterfactual, X)


def test_symmetric_two_countries_closed_form():
    # equal sizes, balanced: by symmetry p_hat = 1 and P_hat^(1-s) = a + (1-a) phi
    a, sigma, t = 0.7, 5.0, 1.2
    X = np.array([[a, 1 - a], [1 - a, a]])
    change = np.array([[1.0, t], [t, 1.0]])
    result = gravity_counterfactual(X, cost_change=change, sigma=sigma)
    phi = t ** (1 - sigma)
    inward = a + (1 - a) * phi
    assert result.states["output_hat"].to_numpy() == pytest.approx([1.0, 1.0], abs=1e-12)
    assert result.states["real_gdp_hat"].to_numpy() == pytest.approx([inward ** (-1 / (1 - sigma))] * 2, rel=1e-12)
    assert result.counterfactual[0, 1] == pytest.approx((1 - a) * phi / inward, rel=1e-12)


def test_autarky_gains_from_trade_formula():
    # prohibitive costs: real GDP falls to pi_ii^(1/(sigma-1)) (Arkolakis, Costinot & Rodriguez-Clare)
    X = np.array([[60.0, 10.0, 5.0], [10.0, 70.0, 12.0], [5.0, 12.0, 30.0]])  # balanced: symmetric
    sigma = 4.0
    cut = np.where(np.eye(3, dtype=bool), 1.0, 0.0)
    result = gravity_counterfactual(X, freeness_change=cut, sigma=sigma)
    expected = (np.diag(X) / X.sum(axis=0)) ** (1 / (sigma - 1))
    assert result.states["real_gdp_hat"].to_numpy() == pytest.approx(expected, rel=1e-10)
    assert np.allclose(result.counterfactual * ~np.eye(3, dtype=bool), 0.0)


def test_two_countries_asymmetric_hand_solved():
    # A (large) and B (small), balanced trade; solve the one-equation model by hand with brentq
    a, b, c, sigma, phi = 90.0, 10.0, 30.0, 3.0, 0.5
    X = np.array([[a, b], [b, c]])
    YA, YB = a + b, b + c

    def clearing(r):  # p_A = r, p_B fixed by sum p*Y = YA + YB
        pB = (YA + YB) / (r * YA + YB)
        pA = r * pB
        PA = (a * pA ** (1 - sigma) + b * phi * pB ** (1 - sigma)) / YA
        PB = (b * phi * pA ** (1 - sigma) + c * pB ** (1 - sigma)) / YB
        sales_A = a * pA ** (1 - sigma) * pA / PA + b * phi * pA ** (1 - sigma) * pB / PB
        return sales_A - pA * YA

    r = brentq(clearing, 0.5, 2.0, xtol=1e-15)
    pB = (YA + YB) / (r * YA + YB)
    result = gravity_counterfactual(X, freeness_change=np.array([[1, phi], [phi, 1]]), sigma=sigma)
    assert result.states["output_hat"].to_numpy() == pytest.approx([r * pB, pB], rel=1e-9)
    # the small country loses more from the same cost increase
    real = result.states["real_gdp_hat"].to_numpy()
    assert real[1] < real[0] < 1.0


def test_symmetric_shock_gives_symmetric_answers():
    X = np.array([[40.0, 6.0, 6.0], [6.0, 40.0, 6.0], [6.0, 6.0, 40.0]])
    change = np.ones((3, 3))
    change[0, 1] = change[1, 0] = 1.3
    result = gravity_counterfactual(X, cost_change=change)
    s = result.states
    for column in ("output_hat", "real_gdp_hat", "welfare_hat", "price_hat"):
        assert s[column].iloc[0] == pytest.approx(s[column].iloc[1], rel=1e-12)
    assert s["real_gdp_hat"].iloc[2] > s["real_gdp_hat"].iloc[0]  # the outsider gains by diversion
    assert result.counterfactual[0, 2] > X[0, 2]


def test_real_gdp_equals_domestic_share_formula_for_any_shock():
    rng = np.random.default_rng(1)
    X = rng.uniform(1, 50, (6, 6)) + np.diag(rng.uniform(100, 300, 6))
    change = np.exp(rng.uniform(0, 0.3, (6, 6)))
    np.fill_diagonal(change, 1.0)
    sigma = 6.0
    result = gravity_counterfactual(X, cost_change=change, sigma=sigma)
    pi_hat = (np.diag(result.counterfactual) / result.counterfactual.sum(axis=0)) / (np.diag(X) / X.sum(axis=0))
    assert result.states["real_gdp_hat"].to_numpy() == pytest.approx(pi_hat ** (1 / (1 - sigma)), rel=1e-9)
    assert result.counterfactual.sum() == pytest.approx(X.sum() * 1.0, rel=1e-9)  # world output is the numeraire


def test_trade_matrix_from_cow_table():
    dyadic = pd.DataFrame({"ccode1": [2, 2, 20], "ccode2": [20, 200, 200], "year": 2000, "flow1": [30.0, 10.0, 4.0], "flow2": [25.0, np.nan, 3.0]})
    gdp = pd.DataFrame({"ccode": [2, 20, 200], "year": 2000, "gdp": [1000e6, 300e6, 400e6]})
    X, codes = trade_matrix(dyadic, 2000, gdp)
    assert codes.tolist() == [2, 20, 200]
    assert X[1, 0] == 30.0 and X[0, 1] == 25.0  # flow1: 2 imports 30 from 20
    assert X[0, 2] == 0.0 and X[2, 0] == 10.0  # a missing flow counts as no trade
    assert X[0, 0] == 1000.0 - 25.0


def test_errors():
    with pytest.raises(SimulationError, match="sigma"):
        gravity_counterfactual(X3, sigma=1.0)
    with pytest.raises(SimulationError, match="square"):
        gravity_counterfactual(np.ones((2, 3)))
