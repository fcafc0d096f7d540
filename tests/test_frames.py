"""State-year and dyad-year frames: known answers on a tiny store, invariants on the real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import worldorder as wo
from worldorder.frames import FrameError, parse_years
from worldorder.store import open_store


# -- known answers on a hand-built store --------------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Three states 1816-1818 (Canada, 20, joins in 1817), with capabilities and one alliance."""
    store = open_store(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")
    system = pd.DataFrame(
        {
            "ccode": [2, 2, 2, 20, 20, 200, 200, 200],
            "stateabb": ["USA"] * 3 + ["CAN"] * 2 + ["UKG"] * 3,
            "year": [1816, 1817, 1818, 1817, 1818, 1816, 1817, 1818],
        }
    )
    nmc = system.drop(columns="stateabb").assign(
        milex=[10.0, 11, 12, 1, np.nan, 100, 110, 120],
        milper=1.0, irst=2.0, pec=3.0, tpop=4.0, upop=5.0,
        cinc=[0.1, 0.1, 0.1, 0.01, 0.01, 0.89, 0.89, 0.89],
    )
    alliance = pd.DataFrame(
        {
            "version4id": [1, 1],
            "ccode": [2, 200],
            "year": [1817, 1817],
            "defense": [1, 1],
            "neutrality": [0, 0],
            "nonaggression": [1, 1],
            "entente": [0, 0],
        }
    )
    store.put("cow_system_2024", system, sha256="fixture", origin="test")
    store.put("cow_nmc_7", nmc, sha256="fixture", origin="test")
    store.put("cow_alliance_4_1", alliance, sha256="fixture", origin="test")
    return store


def test_state_years_known(tiny):
    frame = wo.create_state_years(db=tiny)
    assert len(frame) == 8
    assert frame.attrs["unit"] == "state_year"
    assert list(wo.create_state_years(years=1816, db=tiny)["ccode"]) == [2, 200]


def test_dyad_years_known(tiny):
    directed = wo.create_dyad_years(db=tiny)
    assert len(directed) == 2 + 6 + 6
    undirected = wo.create_dyad_years(directed=False, db=tiny)
    assert len(undirected) == 1 + 3 + 3
    assert (undirected["ccode1"] < undirected["ccode2"]).all()


def test_capabilities_on_dyads(tiny):
    frame = wo.add_capabilities(wo.create_dyad_years(db=tiny), db=tiny)
    row = frame[(frame.ccode1 == 200) & (frame.ccode2 == 20) & (frame.year == 1818)].iloc[0]
    assert row["milex1"] == 120 and np.isnan(row["milex2"])
    assert row["cinc2"] == 0.01


def test_alliances_zero_inside_coverage_and_flags(tiny):
    frame = wo.add_alliances(wo.create_dyad_years(db=tiny), source="cow", db=tiny)
    pair = frame[(frame.ccode1 == 2) & (frame.ccode2 == 200)].set_index("year")
    assert list(pair["cow_defense"]) == [0, 1, 0]
    assert list(pair["cow_nonaggression"]) == [0, 1, 0]
    allies = wo.add_alliances(wo.create_state_years(db=tiny), source="cow", db=tiny).set_index(["ccode", "year"])["cow_allies"]
    assert allies[(2, 1817)] == 1 and allies[(20, 1817)] == 0


def test_input_frame_is_not_mutated(tiny):
    frame = wo.create_state_years(db=tiny)
    before = frame.copy()
    wo.add_capabilities(frame, db=tiny)
    pd.testing.assert_frame_equal(frame, before)


def test_explicit_fill_options(tiny):
    frame = wo.create_state_years(db=tiny)
    assert wo.add_capabilities(frame, db=tiny)["milex"].isna().sum() == 1
    assert wo.add_capabilities(frame, fill="ffill", db=tiny).set_index(["ccode", "year"]).loc[(20, 1818), "milex"] == 1
    assert wo.add_capabilities(frame, fill="zero", db=tiny).set_index(["ccode", "year"]).loc[(20, 1818), "milex"] == 0
    with pytest.raises(FrameError, match="fill must be"):
        wo.add_capabilities(frame, fill="mean", db=tiny)


def test_frame_without_keys_is_refused(tiny):
    with pytest.raises(FrameError, match="create_state_years"):
        wo.add_capabilities(pd.DataFrame({"x": [1]}), db=tiny)


@pytest.mark.parametrize("code", [1002, -2])
def test_codes_outside_the_cow_range_are_refused(tiny, code):
    """A code past 999 would read the next year's row of the dense state-year table: refused by name."""
    states = pd.DataFrame({"ccode": [2, code], "year": [1817, 1817]})
    with pytest.raises(FrameError, match=f"holds {code}"):
        wo.add_capabilities(states, db=tiny)
    dyads = pd.DataFrame({"ccode1": [2, 200], "ccode2": [200, code], "year": [1817, 1817]})
    with pytest.raises(FrameError, match=f"holds {code}"):
        wo.add_capabilities(dyads, db=tiny)
    with pytest.raises(FrameError, match=f"holds {code}"):
        wo.add_alliances(dyads, source="cow", db=tiny)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("1816-2016", (1816, 2016)), ("1990", (1990, 1990)), (1990, (1990, 1990)), ((1946, 1989), (1946, 1989)),
     (range(1900, 1911), (1900, 1910)), ([1950, 1960, 1955], (1950, 1960)), (None, None)],
)
def test_parse_years(given, expected):
    assert parse_years(given) == expected


# -- the real data --------------------------------------------------------------------
@pytest.fixture(scope="module")
def dyads(store):
    return wo.create_dyad_years(years="1816-2016", db=store)


def test_states_per_year_match_the_system_file(store, mirror):
    system = pd.read_csv(mirror / "cow" / "system2024.csv")
    frame = wo.create_state_years(db=store)
    pd.testing.assert_series_equal(
        frame.groupby("year").size(), system.groupby("year").size(), check_names=False
    )
    assert frame.groupby("year").size()[2024] == 195


def test_dyad_years_are_all_member_pairs(dyads, store):
    sizes = wo.create_state_years(years="1816-2016", db=store).groupby("year").size()
    assert len(dyads) == int((sizes * (sizes - 1)).sum()) - 60  # less the false dyads (test_false_dyads.py)
    assert 1_800_000 < len(dyads) < 2_000_000
    assert not (dyads["ccode1"] == dyads["ccode2"]).any()


def test_joins_keep_rows_and_leave_na_outside_coverage(dyads, store):
    frame = wo.add_trade(wo.add_alliances(wo.add_capabilities(dyads, db=store), db=store), db=store)
    assert len(frame) == len(dyads)
    before_trade = frame["year"] < 1870
    assert frame.loc[before_trade, "flow1"].isna().all()
    assert frame["atop_alliance"].notna().all()  # ATOP (the default) covers 1815-2018
    us_china = frame[(frame.ccode1 == 2) & (frame.ccode2 == 710) & (frame.year == 2014)].iloc[0]
    assert us_china["flow1"] == 472525 and us_china["flow2"] == 183283
    china_us = frame[(frame.ccode1 == 710) & (frame.ccode2 == 2) & (frame.year == 2014)].iloc[0]
    assert china_us["flow1"] == 183283


def test_nato_members_are_allied_in_1985(store):
    frame = wo.add_alliances(wo.create_dyad_years(years=1985, db=store), source="cow", db=store)
    us_uk = frame[(frame.ccode1 == 2) & (frame.ccode2 == 200)].iloc[0]
    assert us_uk["cow_defense"] == 1
    us_ussr = frame[(frame.ccode1 == 2) & (frame.ccode2 == 365)].iloc[0]
    assert us_ussr["cow_alliance"] == 0
    atop = wo.add_alliances(frame, source="atop", db=store)
    assert atop[(atop.ccode1 == 2) & (atop.ccode2 == 200)].iloc[0]["atop_defense"] == 1


def test_both_alliance_sources_pick_columns_by_prefix(store):
    dyads = wo.create_dyad_years(years=1985, db=store)
    both = wo.add_alliances(dyads, source="both", columns=["cow_defense", "atop_defense"], db=store)
    assert list(both.columns[-2:]) == ["atop_defense", "cow_defense"]
    us_uk = both[(both.ccode1 == 2) & (both.ccode2 == 200)].iloc[0]
    assert us_uk["cow_defense"] == 1 and us_uk["atop_defense"] == 1
    only_atop = wo.add_alliances(dyads, source="both", columns="atop_alliance", db=store)
    assert "atop_alliance" in only_atop and not any(c.startswith("cow_") for c in only_atop.columns)
    with pytest.raises(FrameError, match="unknown column"):
        wo.add_alliances(dyads, source="both", columns=["defense"], db=store)


def test_nmc_v7_matches_v6_where_the_manifest_says(store):
    frame = wo.create_state_years(years="1816-2016", db=store)
    v6 = wo.add_capabilities(frame, version=6, db=store)
    v7 = wo.add_capabilities(frame, version=7, db=store)
    for column in ("milex", "milper", "irst", "tpop", "upop"):
        pd.testing.assert_series_equal(v6[column], v7[column])
    assert not np.allclose(v6["pec"].fillna(-1), v7["pec"].fillna(-1))


@pytest.mark.parametrize(("version", "years"), [(6, "1816-2016"), (7, "1816-2022")])
def test_cinc_recomputed_from_components_matches_published(store, version, years):
    """CINC = mean of the six shares of the yearly totals, for every state with no component missing."""
    nmc = wo.add_capabilities(wo.create_state_years(years=years, db=store), version=version, db=store)
    components = ["milex", "milper", "irst", "pec", "tpop", "upop"]
    shares = nmc[components] / nmc.groupby("year")[components].transform("sum")
    complete = nmc[components].notna().all(axis=1)
    assert complete.sum() > 13_000
    assert np.allclose(shares.mean(axis=1)[complete], nmc.loc[complete, "cinc"], rtol=0, atol=1e-7)


def test_state_level_sources(store):
    frame = wo.create_state_years(years="2000-2014", db=store)
    frame = wo.add_majors(wo.add_gdp(wo.add_gdp(frame, db=store), source="worldbank", db=store), db=store)
    frame = wo.add_milex(wo.add_ideal_points(wo.add_trade(frame, db=store), db=store), db=store)
    frame = wo.add_contiguity(wo.add_disputes(wo.add_population(frame, db=store), db=store), db=store)
    usa = frame[(frame.ccode == 2) & (frame.year == 2010)].iloc[0]
    assert usa["major"] == 1 and usa["maddison_gdp"] > 1e13 and usa["wb_gdp"] > 1e13
    assert 3 < usa["wb_milex_gdp_pct"] < 6 and usa["wb_milex_usd"] > 5e11
    assert usa["land_neighbours"] == 2 and usa["imports"] > 1e6
    assert frame.loc[frame.ccode == 2, "idealpoint"].notna().all()
    germany = frame[(frame.ccode == 255) & (frame.year == 2010)].iloc[0]
    assert germany["maddison_gdp"] > 0 and germany["wb_population"] > 8e7


def test_distance_and_igos_are_symmetric(store):
    frame = wo.add_igos(wo.add_distance(wo.create_dyad_years(years=2000, db=store), db=store), db=store)
    usa_can = frame[(frame.ccode1 == 2) & (frame.ccode2 == 20)].iloc[0]
    can_usa = frame[(frame.ccode1 == 20) & (frame.ccode2 == 2)].iloc[0]
    assert usa_can["mindist"] == 0 and can_usa["mindist"] == 0
    assert usa_can["dyadigos"] == can_usa["dyadigos"] > 20
    states = wo.add_igos(wo.create_state_years(years=2000, db=store), db=store)
    assert states.set_index("ccode").loc[2, "sum_igo_full"] > 50


def test_state_values_select_and_rename_keep_columns_apart():
    from worldorder.frames import StateValues

    values = StateValues(np.array([2, 20]), np.array([1816, 1816]), {"a": np.array([1.0, 2.0]), "b": np.array([3.0, 4.0])})
    offsets = values.offsets(np.array([1816, 1816, 1817]))
    codes = np.array([2, 20, 2])
    assert values.select(["a"]).take(offsets, codes)[:, 0].tolist()[:2] == [1.0, 2.0]
    assert np.isnan(values.select(["a"]).take(offsets, codes)[2, 0])  # a year the table does not hold
    swapped = values.renamed(["b", "a"])
    assert swapped.select(["a"]).take(offsets, codes)[:2, 0].tolist() == [3.0, 4.0]
    assert values.select(["a"]) is values.select(["a"])  # kept, not copied again


def test_state_values_give_absent_inside_the_span_and_na_outside():
    from worldorder.frames import StateValues

    # a source listing state 2 in 1816 and 1830, covering 1816-1820 only; unlisted means 0
    values = StateValues(np.array([2, 2]), np.array([1816, 1830]), {"x": np.array([1.0, 5.0])}, absent=0.0, span=(1816, 1820))
    years = np.array([1800, 1816, 1818, 1820, 1821, 1830])
    taken = values.take(values.offsets(years), np.full(len(years), 2))[:, 0]
    np.testing.assert_array_equal(taken, [np.nan, 1.0, 0.0, 0.0, np.nan, np.nan])
