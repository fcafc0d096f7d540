"""The fast paths a composite request runs give the same answers: the composite against pandas, PELT against ruptures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import worldorder as wo
from worldorder.power.eras import _breaks

WEIGHTINGS = ({"gdp": 1, "milex": 1, "population": 1}, {"gdp": 7, "milex": 13, "population": 2}, {"milex": 5, "milper": 2, "irst": 0.2})


def pandas_composite(frame: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Each component's share of the year's total over the states that report it, averaged with the weights they report."""
    numerator = pd.Series(0.0, index=frame.index)
    denominator = pd.Series(0.0, index=frame.index)
    covered = pd.Series(True, index=frame.index)
    for column, weight in weights.items():
        total = frame.groupby("year")[column].transform("sum", min_count=1)
        share = frame[column] / total
        numerator += (weight * share).fillna(0.0)
        denominator += np.where(share.notna(), weight, 0.0)
        covered &= total.notna()  # a year in which no state reports the component: no composite
    return (numerator / denominator.replace(0.0, np.nan)).where(covered)


@pytest.fixture(scope="module")
def power(store):
    table = wo.PowerTable(db=store)
    return table, table.table(("gdp", "milex", "population", "milper", "irst"))


@pytest.mark.parametrize("weights", WEIGHTINGS)
def test_composite_is_the_weighted_mean_of_component_shares_on_the_real_table(power, weights):
    table, frame = power
    out = wo.composite(frame, weights)
    expected = pandas_composite(frame, {table.column(key): w for key, w in weights.items()})
    np.testing.assert_allclose(out["composite"].to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-15, equal_nan=True)
    assert out["composite"].notna().sum() > 10_000  # most state-years since 1816 have a value


def ruptures_breaks(signal: np.ndarray, penalty: float, min_size: int) -> list[int]:
    import ruptures as rpt

    return rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(signal).predict(pen=penalty)


def test_pelt_finds_the_change_points_ruptures_finds_on_random_series():
    rng = np.random.default_rng(15)
    for case in range(40):
        length, dimension, min_size = int(rng.integers(8, 220)), int(rng.integers(1, 4)), int(rng.integers(2, 8))
        signal = rng.normal(0, 1, (length, dimension))
        for cut in rng.choice(np.arange(1, length), size=int(rng.integers(1, 6)), replace=False):
            signal[cut:] += rng.normal(0, 1.5, dimension)
        if case % 4 == 0:
            signal = np.round(signal, 1)  # many equal segment costs: the first minimum must win, as in ruptures
        penalty = float(rng.choice([0.5, 2.0, 3.0 * np.log(length) * dimension]))
        assert _breaks(signal, None, penalty, "pelt", "l2", min_size) == ruptures_breaks(signal, penalty, min_size), case


def test_pelt_finds_ruptures_change_points_in_real_composite_concentration(power):
    _, frame = power
    for weights in WEIGHTINGS:
        yearly = wo.polarity(wo.composite(frame, weights), "composite", among="majors")
        signal = yearly.loc[yearly["con"].notna(), "con"].to_numpy(np.float64)[:, None]
        signal = (signal - signal.mean()) / signal.std()
        penalty = 3.0 * np.log(len(signal))
        assert _breaks(signal, None, None, "pelt", "l2", 5) == ruptures_breaks(signal, penalty, 5)
