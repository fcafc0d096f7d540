"""Dyadic rules against independent computations from the raw files: ATOP either-direction, contiguity symmetry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import worldorder as wo

ATOP = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]


@pytest.fixture(scope="module")
def atop_raw(mirror):
    import pyreadr

    return next(iter(pyreadr.read_r(mirror / "peacesciencer" / "atop_alliance.rda").values()))


@pytest.fixture(scope="module")
def undirected(store):
    return wo.create_dyad_years(directed=False, years="1816-2018", db=store)


@pytest.mark.slow
def test_atop_undirected_counts_follow_the_either_direction_rule(store, atop_raw, undirected):
    raw = atop_raw.assign(a=np.minimum(atop_raw.ccode1, atop_raw.ccode2), b=np.maximum(atop_raw.ccode1, atop_raw.ccode2))
    either = raw.groupby(["a", "b", "year"])[ATOP].max().reset_index()
    either["any"] = (either[ATOP] > 0).any(axis=1)
    pairs = undirected.rename(columns={"ccode1": "a", "ccode2": "b"})[["a", "b", "year"]]
    expected = pairs.merge(either, on=["a", "b", "year"], how="inner")
    frame = wo.add_alliances(undirected, db=store)
    for column, source in [("atop_defense", "atop_defense"), ("atop_neutral", "atop_neutral"), ("atop_alliance", "any")]:
        ours = frame[frame[column] == 1].groupby("year").size()
        theirs = expected[expected[source] > 0].groupby("year").size()
        pd.testing.assert_series_equal(ours, theirs, check_names=False, check_dtype=False)


@pytest.mark.slow
def test_the_rule_changes_what_the_field_says(store, undirected):
    """64 defence dyad-years gained (one-way obligations), 23 any-alliance dyad-years without an obligation lost."""
    new = wo.add_alliances(undirected, db=store)
    directed = wo.add_alliances(wo.create_dyad_years(years="1816-2018", db=store), db=store)
    lower_row = directed[directed.ccode1 < directed.ccode2].reset_index(drop=True)
    assert (new[["ccode1", "ccode2", "year"]].to_numpy() == lower_row[["ccode1", "ccode2", "year"]].to_numpy()).all()
    assert int((new["atop_defense"] > lower_row["atop_defense"]).sum()) == 64
    assert int((new["atop_alliance"] < lower_row["atop_alliance"]).sum()) == 23
    italy_belgium = new[(new.ccode1 == 211) & (new.ccode2 == 325) & (new.year == 1930)]
    assert italy_belgium["atop_defense"].item() == 1  # Locarno: Italy guarantees Belgium


def test_directed_atop_is_the_source_as_given(store, atop_raw):
    frame = wo.add_alliances(wo.create_dyad_years(years=1930, db=store), db=store)
    raw = atop_raw[atop_raw.year == 1930].set_index(["ccode1", "ccode2"])
    joined = frame.set_index(["ccode1", "ccode2"]).merge(raw[ATOP], left_index=True, right_index=True, suffixes=("", "_raw"))
    for column in ATOP:
        assert (joined[column] == joined[f"{column}_raw"]).all()


@pytest.mark.slow
def test_contiguity_is_symmetric_and_the_closest_type(store, mirror):
    raw = pd.read_csv(mirror / "cow" / "contdird.csv")
    doubled = raw[raw.duplicated(["state1no", "state2no", "year"], keep=False)]
    assert len(doubled) == 2 * 58  # 58 directed dyad-years (29 undirected) have two rows
    last = raw.drop_duplicates(["state1no", "state2no", "year"], keep="last")
    back = last.merge(last, left_on=["state1no", "state2no", "year"], right_on=["state2no", "state1no", "year"])
    assert int((back.conttype_x != back.conttype_y).sum()) == 34  # what "the last row wins" made asymmetric
    raw = raw.assign(a=np.minimum(raw.state1no, raw.state2no), b=np.maximum(raw.state1no, raw.state2no))
    closest = raw.groupby(["a", "b", "year"])["conttype"].min().rename("expected").reset_index()
    frame = wo.add_contiguity(wo.create_dyad_years(years="1816-2016", db=store), db=store)
    joined = frame.assign(a=np.minimum(frame.ccode1, frame.ccode2), b=np.maximum(frame.ccode1, frame.ccode2)).merge(
        closest, on=["a", "b", "year"], how="left"
    )
    assert (joined["conttype"] == joined["expected"].fillna(0)).all()
    mirrored = frame.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1", "conttype": "back"})
    both = frame.merge(mirrored, on=["ccode1", "ccode2", "year"])
    assert len(both) == len(frame) and (both["conttype"] == both["back"]).all()
    china_japan = frame[(frame.ccode1 == 710) & (frame.ccode2 == 740) & (frame.year == 1879)]["conttype"].item()
    assert china_japan == 4  # the file's rows say 4 and 5 that year: the closer type counts
