"""The succession-and-splice table: one-to-one crosswalks, level breaks, and the Germany splice on real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import worldorder
from worldorder.successions import SuccessionError, source_units


@pytest.fixture(scope="module", autouse=True)
def _data(store):
    store.ensure(["cow_states_2024", "countrycode_codelist", "ps_gw_states"])


def _unit_years(table: pd.DataFrame) -> pd.DataFrame:
    """Every (state, unit, year) the table implies, years clipped to 1816-2030."""
    last = table["last_year"].clip(upper=2030)
    lengths = (last - table["first_year"] + 1).to_numpy()
    return pd.DataFrame(
        {
            "ccode": np.repeat(table["ccode"].to_numpy(), lengths),
            "iso3": np.repeat(table["iso3"].to_numpy(), lengths),
            "year": np.concatenate([np.arange(a, b + 1) for a, b in zip(table["first_year"], last)]),
        }
    )


@pytest.mark.parametrize("source", ["maddison", "worldbank"])
@pytest.mark.parametrize("system", ["cow", "gw"])
def test_crosswalk_is_one_to_one_in_every_year(source, system):
    years = _unit_years(source_units(source, system))
    assert not years.duplicated(["iso3", "year"]).any(), "a source unit-year feeds two states"
    assert not years.duplicated(["ccode", "year"]).any(), "a state-year takes two units"


def test_germany_splice_and_successions():
    cow = _unit_years(source_units("maddison", "cow"))
    deu = cow[cow.iso3 == "DEU"]
    assert set(deu.ccode) == {255}
    assert 1990 in set(deu.year) and not deu.year.between(1946, 1989).any()
    gw = _unit_years(source_units("maddison", "gw"))
    assert gw[(gw.iso3 == "DEU") & (gw.year == 1990)].ccode.tolist() == [260]
    assert gw[(gw.iso3 == "SRB") & (gw.year == 2006)].ccode.tolist() == [340]
    russia = cow[cow.ccode == 365].set_index("year").iso3
    assert russia[1991] == "SUN" and russia[1992] == "RUS"
    wb = _unit_years(source_units("worldbank", "cow"))
    assert wb[(wb.iso3 == "RUS") & (wb.year == 1990)].empty  # the RSFSR alone is not the USSR
    assert wb[(wb.ccode == 770) & (wb.year == 1965)].empty  # PAK is about half of 1965 Pakistan


def test_level_breaks_known_answers():
    assert worldorder.break_years(365) == (1992,)
    assert worldorder.break_years(345) == (1992, 2006, 2007)
    assert worldorder.break_years(2) == ()
    assert worldorder.break_years(260, system="gw") == (1990, 1991)
    ok = worldorder.comparable_growth([365, 365, 255, 2], [1991, 1992, 1990, 1992])
    assert ok.tolist() == [True, False, False, True]
    events = worldorder.succession_events()
    named = " ".join(events["event"])
    for word in ["Germanies", "USSR", "Yugoslavia", "Czechoslovakia", "Yemens", "Vietnam", "Sudan", "Eritrea", "Bangladesh"]:
        assert word in named


def test_bad_source_is_a_clear_error():
    with pytest.raises(SuccessionError, match="source must be"):
        source_units("imf")
    with pytest.raises(SuccessionError, match="system must be"):
        worldorder.level_breaks("polity")


def test_maddison_germany_on_real_data(mirror):
    """No Germany-year takes unified-Germany GDP twice; checked against the raw file."""
    raw = pd.read_csv(mirror / "maddison" / "mpd2020_full_data.csv")
    deu = raw[raw.countrycode == "DEU"].set_index("year")["gdppc"]
    frame = worldorder.add_gdp(worldorder.create_state_years(years="1985-1991"), source="maddison", version="2020")
    value = frame.set_index(["ccode", "year"])["maddison_gdppc"]
    assert value[(255, 1990)] == pytest.approx(deu[1990])
    assert np.isnan(value[(260, 1990)]) and np.isnan(value[(265, 1990)])
    assert np.isnan(value[(260, 1985)]) and np.isnan(value[(265, 1985)])
    # every (unit, year) of the raw file feeds at most one state-year of the frame
    fed = frame.dropna(subset=["maddison_gdppc"])
    per_year = fed.groupby("year")["maddison_pop"].sum()
    raw_codes = set(source_units("maddison").iso3)
    inside = raw[raw.countrycode.isin(raw_codes) & raw.year.between(1985, 1991)]
    assert (per_year <= inside.groupby("year")["pop"].sum() + 1e-6).all()
