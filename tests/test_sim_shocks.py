"""Shocks applied to tables: direct effects, inputs left unchanged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.sim.montecarlo import SimulationError
from worldorder.sim.shocks import (
    AlignmentSwitch,
    BorderClosure,
    GrowthShock,
    LinkRemoval,
    Sanctions,
    TradeWar,
    apply_shock,
    freeness_change,
)

TRADE = pd.DataFrame({"ccode1": [2, 2, 200, 365], "ccode2": [200, 365, 365, 710], "year": 2014,
                      "flow1": [10.0, 4.0, 8.0, 20.0], "flow2": [12.0, 2.0, 6.0, 30.0]})


def test_growth_shock_on_a_power_table():
    power = pd.DataFrame({"ccode": [2, 2, 2, 710], "year": [2020, 2021, 2022, 2021], "gdp": [1.0, 1.0, 1.0, 1.0]})
    before = power.copy()
    out = apply_shock(power, GrowthShock([2], -0.1, 2021, 2021))
    pd.testing.assert_frame_equal(power, before)
    assert out["gdp"].tolist() == pytest.approx([1.0, np.exp(-0.1), np.exp(-0.1), 1.0])
    drift = GrowthShock([710], 0.02, 2022).drift_change([2, 710], [2021, 2022, 2023])
    assert drift.tolist() == [[0, 0], [0, 0.02], [0, 0.02]]


def test_trade_shocks():
    before = TRADE.copy()
    cut = apply_shock(TRADE, Sanctions([2, 200], [365], 0.75))
    pd.testing.assert_frame_equal(TRADE, before)
    assert cut["flow1"].tolist() == [10.0, 1.0, 2.0, 20.0]
    pair = apply_shock(TRADE, LinkRemoval(pair=(710, 365)))
    assert pair["flow2"].tolist() == [12.0, 2.0, 6.0, 0.0]
    closed = apply_shock(TRADE, BorderClosure(0.5))
    assert closed["flow1"].tolist() == [5.0, 2.0, 4.0, 10.0]
    war = apply_shock(TRADE, TradeWar([2], [710, 365], 0.25), sigma=5.0)
    assert war["flow1"].iloc[1] == pytest.approx(4.0 * 1.25 ** -4)
    assert war["flow1"].iloc[3] == 20.0


def test_gas_border_point():
    gas = pd.DataFrame({"borderpoint": ["Nord Stream", "Velke Kapusany"], "exit": ["Russia", "Ukraine"], "entry": ["Germany", "Slovak Republic"], "month": ["2014-01", "2014-01"], "flow_mm3": [3000.0, 4000.0]})
    out = apply_shock(gas, LinkRemoval(border_point="nord stream"))
    assert out["flow_mm3"].tolist() == [0.0, 4000.0]
    with pytest.raises(SimulationError, match="Closest"):
        apply_shock(gas, LinkRemoval(border_point="Nord Strem"))


def test_alignment_switch():
    blocs = pd.DataFrame({"ccode": [2, 200, 640, 365, 710], "bloc": ["west", "west", "west", "east", "east"]})
    out = apply_shock(blocs, AlignmentSwitch(640, "west", "east"))
    assert out.set_index("ccode").loc[640, "bloc"] == "east"
    with pytest.raises(SimulationError, match="not 'east'"):
        apply_shock(blocs, AlignmentSwitch(2, "east", "west"))
    edges = pd.DataFrame({"ccode1": [2, 2, 200], "ccode2": [200, 640, 640], "year": 2014, "weight": 1.0})
    rewired = apply_shock(edges, AlignmentSwitch(640, "west", "east"), blocs=blocs)
    pairs = set(map(tuple, rewired[["ccode1", "ccode2"]].to_numpy().tolist()))
    assert pairs == {(2, 200), (365, 640), (640, 710)}


def test_freeness_change():
    phi = freeness_change([Sanctions([2], [365], 0.5), BorderClosure(0.2), TradeWar([2], [710], 0.1)], [2, 365, 710], sigma=3.0)
    assert np.diag(phi).tolist() == [1.0, 1.0, 1.0]
    assert phi[0, 1] == pytest.approx(0.4) and phi[1, 0] == pytest.approx(0.4)
    assert phi[0, 2] == pytest.approx(0.8 * 1.1 ** -2)
    assert phi[1, 2] == pytest.approx(0.8)
