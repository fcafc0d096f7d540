"""Power and polarity on the real data of the mirror (skipped when WORLDORDER_DATA_DIR is unset)."""

from __future__ import annotations

import numpy as np
import pytest

from worldorder.power import (
    cinc,
    concentration,
    create_power_years,
    eras,
    polarity,
    polarity_robustness,
    regional_leaders,
    shares,
    transition_summary,
    transitions,
)
from worldorder.power.measures import NMC_COMPONENTS


@pytest.fixture(scope="session")
def nmc_power(store):
    """COW state-years 1816-2022 with CINC (published and recomputed), NMC military spending and population."""
    return create_power_years(["cinc", "cinc_recomputed", "milex", "population"], years="1816-2022", db=store)


@pytest.fixture(scope="session")
def gdp_power(store):
    """State-years with Maddison and World Bank measures (these need the ISO3 crosswalk)."""
    return create_power_years(["cinc", "gdp", "gdp_wb", "milex_wb", "population_wb", "net_power"], db=store)


def majors_in(frame, year):
    return set(frame.loc[(frame["year"] == year) & (frame["major"] == 1), "stateabb"])


def test_major_powers_of_a_year(nmc_power):
    assert majors_in(nmc_power, 1900) == {"USA", "UKG", "FRN", "GMY", "AUH", "ITA", "RUS", "JPN"}
    assert majors_in(nmc_power, 1950) == {"USA", "UKG", "FRN", "RUS", "CHN"}
    assert majors_in(nmc_power, 2022) == {"USA", "UKG", "FRN", "GMY", "RUS", "CHN", "JPN"}
    table = polarity(nmc_power, "cinc", among="majors").set_index("year")
    assert table.loc[1900, "n"] == 8 and table.loc[1950, "n"] == 5


def test_largest_cinc_in_the_whole_data_set(nmc_power):
    row = nmc_power.loc[nmc_power["cinc"].idxmax()]
    assert (row["stateabb"], row["year"]) == ("USA", 1945)
    assert row["cinc"] == pytest.approx(0.3839, abs=1e-4)


def test_cinc_leaders_in_2022(nmc_power):
    part = nmc_power[nmc_power["year"] == 2022].set_index("stateabb")["cinc"]
    assert part.idxmax() == "CHN"
    assert part["CHN"] == pytest.approx(0.2341, abs=1e-4) and part["USA"] == pytest.approx(0.1236, abs=1e-4)


def test_recomputed_cinc_equals_published(nmc_power):
    complete = nmc_power[list(NMC_COMPONENTS)].notna().all(axis=1)
    difference = (nmc_power["cinc_recomputed"] - nmc_power["cinc"]).abs()
    assert complete.sum() > 14_000
    assert difference[complete].max() < 1e-6  # the published file rounds CINC
    # COW averages the components a state has, so the same holds where some are missing
    assert difference[~complete].max() < 1e-6
    sums = nmc_power.groupby("year")["cinc"].sum()
    assert sums.min() == pytest.approx(1.0, abs=1e-3) and sums.max() < 1.08
    zero = cinc(nmc_power, missing="zero").groupby("year")["cinc_recomputed"].sum()
    assert (zero <= 1 + 1e-9).all()


def test_nmc_military_spending_in_dollars(nmc_power):
    ukg = nmc_power[(nmc_power["stateabb"] == "UKG") & nmc_power["year"].isin([1913, 1914])].set_index("year")
    assert ukg.loc[1913, "milex_usd"] == pytest.approx(ukg.loc[1913, "milex"] * 4.8665)
    assert ukg.loc[1914, "milex_usd"] == ukg.loc[1914, "milex"]


def test_indices_stay_in_range_every_year(nmc_power):
    for column in ("cinc", "milex_usd", "population"):
        for among in ("all", "majors"):
            table = concentration(nmc_power, column, among=among)
            assert table["con"].between(0, 1).all()
            assert (table["effective_poles"] <= table["n"] + 1e-9).all()
            assert (table["effective_poles"] <= table["effective_poles_entropy"] + 1e-9).all()
    totals = shares(nmc_power, "cinc").groupby("year")["share"].sum()
    np.testing.assert_allclose(totals, 1.0)


def test_cold_war_is_bipolar_among_the_majors_by_cinc(nmc_power):
    table = polarity(nmc_power, "cinc", among="majors", rule="leader:0.5").set_index("year")
    assert table.loc[1950, "poles"] == "USA;RUS" and table.loc[1950, "polarity"] == "bipolar"
    assert table.loc[1950, "rule"].startswith("leader:0.5: a pole holds at least 50% of the leader's power")


def test_robustness_and_eras_on_real_data(nmc_power):
    robust = polarity_robustness(nmc_power, ["cinc", "milex_usd", "population"], among="majors")
    assert robust["year"].min() == 1816 and robust["year"].max() == 2022
    assert robust["agreement"].between(1 / 3, 1).all()
    table = eras(polarity(nmc_power, "cinc", among="majors"), ["con"])
    assert table["start"].iloc[0] == 1816 and table["end"].iloc[-1] == 2022
    assert (table["start"].iloc[1:].to_numpy() == table["end"].iloc[:-1].to_numpy() + 1).all()


def test_regional_leaders_on_real_data(nmc_power):
    leaders = regional_leaders(nmc_power, "cinc", year=2022).set_index("region")
    assert leaders.loc["Americas", "leader"] == "USA" and leaders.loc["Asia", "leader"] == "CHN"
    assert leaders.loc["Americas", "since"] == 1816


def test_gdp_measures_and_transition(gdp_power):
    frame = gdp_power
    assert frame.loc[frame["gdp"].notna(), "year"].max() == 2022  # Maddison 2023, the default
    top = frame[frame["year"] == 2022].sort_values("gdp", ascending=False)["stateabb"].head(2).tolist()
    assert top == ["CHN", "USA"]
    wb = frame[frame["year"] == 2020].sort_values("gdp_wb", ascending=False)["stateabb"].head(2).tolist()
    assert wb == ["USA", "CHN"]
    assert frame.loc[frame["net_power"].notna() & (frame["year"] == 2022)].set_index("stateabb")["net_power"].idxmax() == "USA"
    summary = transition_summary(transitions(frame, "USA", ["CHN"], column="gdp")).iloc[0]
    assert summary["status"] == "ahead" and summary["overtakes"] == "2014" and summary["last_year"] == 2022
