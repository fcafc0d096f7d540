"""Power, bloc and dependence tables grouped by regime (regime_shares, --by regime / --on regime).

Expected values are computed here from the raw isard file cw_democracy.rda
(read with pyreadr) and pandas, or are known answers on hand-built tables.
"""

from __future__ import annotations

import pandas as pd
import pytest

import worldorder
from worldorder.frames import FrameError

pyreadr = pytest.importorskip("pyreadr")


def _raw_regimes(mirror) -> pd.DataFrame:
    """``ccode, year, regime`` straight from the raw file: democracy where polyarchy >= 0.5."""
    raw = next(iter(pyreadr.read_r(str(mirror / "isard" / "cw_democracy.rda")).values()))
    raw = raw[raw["v2x_polyarchy"].notna()].astype({"ccode": int, "year": int})
    return raw.assign(regime=(raw["v2x_polyarchy"] >= 0.5).map({True: "democracy", False: "autocracy"}))[["ccode", "year", "regime"]]


def test_known_answer_on_a_hand_built_power_table(mirror):
    # USA a democracy, Russia and China autocracies in 2015 (V-Dem polyarchy); code 0 is no state: no score
    table = pd.DataFrame({"ccode": [2, 365, 710, 0, 20], "year": 2015, "power": [10.0, 20.0, 30.0, 40.0, None]})
    out = worldorder.regime_shares(table, value="power").set_index("regime")
    assert out.loc["democracy", "share"] == pytest.approx(0.1)  # Canada's missing value is left out
    assert out.loc["autocracy", "share"] == pytest.approx(0.5) and out.loc["autocracy", "states"] == 2
    assert out.loc[worldorder.NO_SCORE, "share"] == pytest.approx(0.4)
    counted = worldorder.regime_shares(table).set_index("regime")  # no value: states are counted
    assert counted.loc["democracy", "states"] == 2 and counted.loc["democracy", "share"] == pytest.approx(0.4)
    assert "v2x_polyarchy >= 0.5" in out.attrs["regime"] and "data to 2025" in out.attrs["regime"]
    # a monthly gas table: importer 255's supply by the supplier's regime, within each importer and month
    gas = pd.DataFrame({"ccode": 255, "month": pd.to_datetime(["2022-01-01"] * 3 + ["2022-09-01"]),
                        "supplier_ccode": [365, 210, 0, 210], "flow": [60.0, 30.0, 10.0, 50.0]})
    by_month = worldorder.regime_shares(gas, value="flow", code="supplier_ccode", within="ccode")
    assert by_month.set_index(["month", "regime"])["share"].to_dict() == pytest.approx({
        (pd.Timestamp("2022-01-01"), "autocracy"): 0.6, (pd.Timestamp("2022-01-01"), "democracy"): 0.3,
        (pd.Timestamp("2022-01-01"), worldorder.NO_SCORE): 0.1, (pd.Timestamp("2022-09-01"), "democracy"): 1.0})
    polity = worldorder.regime_shares(table, value="power", measure="polity2").set_index("regime")
    assert polity.loc["democracy", "share"] == pytest.approx(0.1) and "polity2 to 2018" in polity.attrs["regime"]
    with pytest.raises(FrameError, match="needs the columns"):
        worldorder.regime_shares(table.drop(columns="year"))


def test_share_of_cinc_held_by_democracies_matches_the_raw_file(mirror):
    power = worldorder.shares(worldorder.create_power_years(["cinc"], years="1990-2016"), "cinc")
    got = worldorder.regime_shares(power, value="cinc").set_index(["year", "regime"])
    known = power[power["cinc"].notna()].merge(_raw_regimes(mirror), on=["ccode", "year"], how="left")
    for year in (1990, 2016):
        part = known[known["year"] == year]
        expected = part.loc[part["regime"] == "democracy", "cinc"].sum() / part["cinc"].sum()
        assert got.loc[(year, "democracy"), "share"] == pytest.approx(expected, rel=1e-9)
        assert got.loc[(year, "autocracy"), "states"] == (part["regime"] == "autocracy").sum()
    assert got.groupby("year")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_polarity_by_regime_on_the_command_line(mirror, tmp_path):
    from typer.testing import CliRunner

    from worldorder.cli import app

    out = tmp_path / "regime.csv"
    result = CliRunner().invoke(app, ["polarity", "--by", "regime", "--years", "2014", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out).set_index("regime")
    power = worldorder.create_power_years(["cinc"], years=2014)
    part = power[power["cinc"].notna()].merge(_raw_regimes(mirror), on=["ccode", "year"], how="left")
    expected = part.loc[part["regime"] == "democracy", "cinc"].sum() / part["cinc"].sum()
    assert table.loc["democracy", "share"] == pytest.approx(expected, rel=1e-9)
    bad = CliRunner().invoke(app, ["polarity", "--by", "religion"])
    assert isinstance(bad.exception, worldorder.WorldOrderError) and "only grouping is regime" in str(bad.exception)


def test_bloc_composition_and_trade_dependence_by_regime(mirror):
    layer = worldorder.load_layer("alliance", years=2010)
    table = worldorder.blocs(layer[2010], seed=1)
    got = worldorder.regime_shares(table, within="bloc").set_index(["bloc", "regime"])
    known = table.merge(_raw_regimes(mirror), on=["ccode", "year"], how="left")
    counts = known.groupby(["bloc", "regime"]).size()
    for key, count in counts.items():
        assert got.loc[key, "states"] == count, key
    # trade_dependence with a regime table: a partner without a score trades as "other", never as a group "nan"
    regimes = worldorder.add_regime(worldorder.create_state_years(years=2014))
    trade = worldorder.load("cow_trade_dyadic_4")
    trade = trade[(trade["year"] == 2014) & ((trade["ccode1"] == 369) | (trade["ccode2"] == 369))]
    dependence = worldorder.trade_dependence(trade, regimes, group_column="regime")
    ukraine = dependence[dependence["ccode"] == 369].set_index("group")
    assert set(ukraine.index) == {"autocracy", "democracy", "other"}
    raw = _raw_regimes(mirror)
    raw = raw[raw["year"] == 2014].set_index("ccode")["regime"]
    partner = trade["ccode1"].where(trade["ccode2"] == 369, trade["ccode2"])
    own = trade.assign(partner=partner, value=trade["flow1"].where(trade["flow1"] >= 0) + trade["flow2"].where(trade["flow2"] >= 0))
    own = own[own["value"].notna()]
    autocracies = own.loc[own["partner"].map(raw) == "autocracy", "value"].sum() / own["value"].sum()
    assert ukraine.loc["autocracy", "share"] == pytest.approx(autocracies, rel=1e-9)
