"""Polarity indices on hand-built tables: known answers, identities, invariances, rules."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worldorder.power import (
    PowerError,
    concentration,
    pole_rule,
    polarity,
    polarity_intervals,
    polarity_robustness,
    poles,
    shares,
)


def table(values_by_year: dict[int, list[float]], codes=None) -> pd.DataFrame:
    rows = []
    for year, values in values_by_year.items():
        for i, value in enumerate(values):
            code = codes[i] if codes is not None else 10 * (i + 1)
            rows.append((code, f"S{code}", year, value))
    return pd.DataFrame(rows, columns=["ccode", "stateabb", "year", "power"])


# -- known answers ------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [2, 3, 5, 17])
def test_equal_shares_give_con_zero_and_n_effective_poles(n):
    result = concentration(table({2000: [7.0] * n}), "power").iloc[0]
    assert result["con"] == pytest.approx(0.0, abs=1e-12)
    assert result["hhi"] == pytest.approx(1 / n)
    assert result["effective_poles"] == pytest.approx(n)
    assert result["effective_poles_entropy"] == pytest.approx(n)
    assert result["top_gap"] == pytest.approx(0.0)


@pytest.mark.parametrize("n", [2, 4, 10])
def test_one_holder_gives_con_one(n):
    result = concentration(table({2000: [5.0] + [0.0] * (n - 1)}), "power").iloc[0]
    assert result["con"] == pytest.approx(1.0)
    assert result["hhi"] == pytest.approx(1.0)
    assert result["effective_poles"] == pytest.approx(1.0)
    assert result["effective_poles_entropy"] == pytest.approx(1.0)
    assert result["top1_share"] == 1.0 and result["top2_share"] == 0.0


def test_hand_computed_example():
    # shares 0.5, 0.3, 0.2: HHI = .25 + .09 + .04 = .38; CON = sqrt((.38 - 1/3) / (2/3))
    result = concentration(table({1990: [50, 30, 20]}), "power").iloc[0]
    assert result["hhi"] == pytest.approx(0.38)
    assert result["con"] == pytest.approx(math.sqrt((0.38 - 1 / 3) / (2 / 3)))
    entropy = -(0.5 * math.log(0.5) + 0.3 * math.log(0.3) + 0.2 * math.log(0.2))
    assert result["effective_poles_entropy"] == pytest.approx(math.exp(entropy))
    assert (result["top1_share"], result["top2_share"], result["top_gap"]) == pytest.approx((0.5, 0.3, 0.2))
    assert (result["leader"], result["leader_ccode"], result["second"]) == ("S10", 10, "S20")


def test_missing_values_are_left_out_and_counted_never_zero():
    frame = table({2000: [50, 30, np.nan, 20]})
    result = concentration(frame, "power").iloc[0]
    assert result["n"] == 3 and result["n_missing"] == 1
    assert result["hhi"] == pytest.approx(0.38)
    out = shares(frame, "power")
    assert np.isnan(out["share"].iloc[2])
    assert out["share"].sum() == pytest.approx(1.0)


def test_single_state_has_no_con():
    result = concentration(table({2000: [3.0]}), "power").iloc[0]
    assert np.isnan(result["con"]) and result["hhi"] == 1.0


def test_negative_power_is_refused():
    with pytest.raises(PowerError, match="negative"):
        concentration(table({2000: [1.0, -1.0]}), "power")


def test_inputs_are_not_mutated():
    frame = table({2000: [5, 3, 2], 2001: [1, 1, 1]})
    before = frame.copy()
    shares(frame, "power")
    polarity(frame, "power")
    pd.testing.assert_frame_equal(frame, before)


def test_reference_sets():
    frame = table({2000: [50, 30, 20, 10]})
    frame["major"] = [1, 1, 0, 0]
    majors = concentration(frame, "power", among="majors").iloc[0]
    assert majors["n"] == 2 and majors["top1_share"] == pytest.approx(50 / 80)
    top3 = concentration(frame, "power", among="top:3").iloc[0]
    assert top3["n"] == 3 and top3["top1_share"] == pytest.approx(0.5)
    listed = concentration(frame, "power", among=[20, 40]).iloc[0]
    assert listed["n"] == 2 and listed["top1_share"] == pytest.approx(30 / 40)
    masked = concentration(frame, "power", among=frame["power"] < 40).iloc[0]
    assert masked["n"] == 3
    assert concentration(frame, "power", among=lambda f: f["ccode"] > 10).iloc[0]["n"] == 3
    with pytest.raises(PowerError, match="add_majors"):
        concentration(frame.drop(columns="major"), "power", among="majors")
    with pytest.raises(PowerError, match="not understood"):
        concentration(frame, "power", among="everyone")


def test_region_reference_set_uses_cow_code_ranges():
    frame = table({2000: [50, 30, 20]}, codes=[2, 200, 220])
    europe = concentration(frame, "power", among="region:Europe").iloc[0]
    assert europe["n"] == 2 and europe["leader_ccode"] == 200


def test_years_without_any_value_are_dropped():
    frame = table({2000: [1, 2], 2002: [3, 4]})
    assert concentration(frame, "power")["year"].tolist() == [2000, 2002]


# -- identities and invariances (hypothesis) -----------------------------------------------------
powers = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False), min_size=2, max_size=40).filter(
    lambda v: sum(v) > 1e-6
)


@settings(max_examples=150, deadline=None)
@given(powers)
def test_hhi_and_con_follow_from_the_coefficient_of_variation(values):
    values = np.array(values)
    n = len(values)
    cv = values.std(ddof=0) / values.mean()
    result = concentration(table({2000: list(values)}), "power").iloc[0]
    assert result["hhi"] == pytest.approx((1 + cv**2) / n, rel=1e-9, abs=1e-12)
    assert result["con"] == pytest.approx(cv / math.sqrt(n - 1), rel=1e-7, abs=1e-7)
    assert result["cv"] == pytest.approx(cv, rel=1e-7, abs=1e-7)
    assert 0.0 <= result["con"] <= 1.0
    assert 1.0 - 1e-9 <= result["effective_poles"] <= result["effective_poles_entropy"] + 1e-9 <= n + 1e-6


@settings(max_examples=100, deadline=None)
@given(powers, st.floats(min_value=1e-3, max_value=1e3), st.randoms(use_true_random=False))
def test_indices_do_not_depend_on_order_or_scale(values, scale, random):
    columns = ["hhi", "effective_poles", "effective_poles_entropy", "con", "top1_share", "top2_share", "top_gap"]
    base = concentration(table({2000: values}), "power").iloc[0][columns].to_numpy(float)
    order = list(range(len(values)))
    random.shuffle(order)
    shuffled = concentration(table({2000: [values[i] for i in order]}), "power").iloc[0][columns].to_numpy(float)
    scaled = concentration(table({2000: [v * scale for v in values]}), "power").iloc[0][columns].to_numpy(float)
    np.testing.assert_allclose(shuffled, base, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scaled, base, rtol=1e-8, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(powers, min_size=1, max_size=6))
def test_shares_sum_to_one_every_year(years):
    frame = table({1900 + i: v for i, v in enumerate(years)})
    totals = shares(frame, "power").groupby("year")["share"].sum()
    np.testing.assert_allclose(totals.to_numpy(), 1.0, rtol=1e-9)


# -- pole rules and labels ----------------------------------------------------------------------
def test_pole_rules_on_a_hand_example():
    frame = table({2000: [50, 30, 20], 2001: [40, 35, 25], 2002: [90, 5, 5]})
    leader = poles(frame, "power", rule="leader:0.5").set_index("year")
    assert leader["n_poles"].tolist() == [2, 3, 1]
    assert leader["polarity"].tolist() == ["bipolar", "multipolar", "unipolar"]
    assert leader.loc[2000, "poles"] == "S10;S20"
    threshold = poles(frame, "power", rule="threshold:0.3").set_index("year")
    assert threshold["n_poles"].tolist() == [2, 2, 1]
    assert poles(frame, "power", rule="threshold:0.95")["polarity"].tolist() == ["nonpolar"] * 3
    wayman = poles(frame, "power", rule="wayman").set_index("year")
    # 0.5 alone holds half -> unipolar; 0.40 + 0.35 >= half -> bipolar; 0.9 -> unipolar
    assert wayman["polarity"].tolist() == ["unipolar", "bipolar", "unipolar"]
    assert "Wayman" in wayman["rule"].iloc[0]


def test_wayman_rule_multipolar_takes_the_fewest_holding_half():
    frame = table({2000: [20, 20, 20, 20, 20]})
    row = poles(frame, "power", rule="wayman").iloc[0]
    assert row["n_poles"] == 3 and row["polarity"] == "multipolar"


def test_user_rule_callable_mask_or_count():
    def two_largest(shares, codes):
        """the two largest states are the poles"""
        return 2

    def above_quarter(shares, codes):
        return np.nan_to_num(shares) > 0.25

    frame = table({2000: [50, 30, 20]})
    row = poles(frame, "power", rule=two_largest).iloc[0]
    assert row["polarity"] == "bipolar" and "two largest" in row["rule"]
    assert poles(frame, "power", rule=above_quarter).iloc[0]["n_poles"] == 2


def test_rule_is_stated_in_the_output():
    assert str(pole_rule("threshold:0.2")) == "threshold:0.2: a pole holds at least 20% of the reference set's power"
    assert polarity(table({2000: [1, 1]}), "power", rule="leader:0.8")["rule"].iloc[0].startswith("leader:0.8")
    with pytest.raises(PowerError):
        pole_rule("largest")
    with pytest.raises(PowerError):
        pole_rule("threshold:abc")


# -- robustness and intervals -------------------------------------------------------------------
def test_robustness_agreement():
    frame = table({2000: [50, 30, 20], 2001: [90, 5, 5]})
    frame["other"] = frame["power"][::-1].to_numpy()  # other measure: reversed order within the table
    frame.loc[frame["year"] == 2001, "other"] = [95, 3, 2]
    result = polarity_robustness(frame, ["power", "other"], rules=["leader:0.5", "wayman"]).set_index("year")
    assert set(result.columns) >= {"power|leader:0.5", "other|wayman", "modal", "agreement"}
    assert result.loc[2001, "agreement"] == 1.0 and result.loc[2001, "modal"] == "unipolar"
    assert 0.5 <= result.loc[2000, "agreement"] < 1.0


def test_intervals_same_seed_same_table_and_cover_the_point():
    frame = table({2000: [50, 30, 20, 10], 2001: [40, 35, 25, 5]})
    first = polarity_intervals(frame, "power", draws=200, seed=7)
    again = polarity_intervals(frame, "power", draws=200, seed=7)
    other = polarity_intervals(frame, "power", draws=200, seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first["con_lo"].equals(other["con_lo"])
    assert (first["con_lo"] <= first["con"]).all() and (first["con"] <= first["con_hi"]).all()
    assert first["label_share"].between(0, 1).all()
    boot = polarity_intervals(frame, "power", method="bootstrap", draws=100, seed=1)
    assert (boot["hhi_lo"] <= boot["hhi_hi"]).all() and boot["label_share"].isna().all()
    with pytest.raises(PowerError):
        polarity_intervals(frame, "power", method="jackknife")
