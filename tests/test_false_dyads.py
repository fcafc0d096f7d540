"""False dyads (members in the same year, never on the same day) are dropped, checked against the raw spell dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import worldorder as wo


def _spell_years(spells: pd.DataFrame) -> pd.DataFrame:
    """One row per spell and year it covers, with the spell clipped to that year (pandas, row by row)."""
    rows = []
    for spell in spells.itertuples(index=False):
        for year in range(spell.start.year, spell.end.year + 1):
            begin = max(spell.start, pd.Timestamp(year, 1, 1))
            end = min(spell.end, pd.Timestamp(year, 12, 31))
            rows.append((spell.code, year, begin, end))
    return pd.DataFrame(rows, columns=["code", "year", "begin", "end"])


def _true_counts(spells: pd.DataFrame, first: int, last: int) -> tuple[pd.Series, pd.Series]:
    """Directed dyads per year that meet on some day, and all pairs per year, by a self-merge."""
    years = _spell_years(spells)
    years = years[years.year.between(first, last)]
    pairs = years.merge(years, on="year", suffixes=("1", "2"))
    pairs = pairs[pairs.code1 != pairs.code2]
    pairs["meet"] = (pairs.begin1 <= pairs.end2) & (pairs.begin2 <= pairs.end1)
    dyads = pairs.groupby(["year", "code1", "code2"])["meet"].any()
    return dyads.groupby(level="year").sum(), dyads.groupby(level="year").size()


@pytest.fixture(scope="module")
def cow_spells(mirror):
    raw = pd.read_csv(mirror / "cow" / "statelist2024.csv")
    start = pd.to_datetime(dict(year=raw.styear, month=raw.stmonth, day=raw.stday))
    end = pd.to_datetime(dict(year=raw.endyear, month=raw.endmonth, day=raw.endday))
    return pd.DataFrame({"code": raw.ccode, "start": start, "end": end})


@pytest.mark.slow
def test_cow_dyad_counts_follow_the_spell_dates(store, cow_spells):
    expected, every = _true_counts(cow_spells, 1816, 2016)
    directed = wo.create_dyad_years(years="1816-2016", db=store)
    undirected = wo.create_dyad_years(directed=False, years="1816-2016", db=store)
    kept = wo.create_dyad_years(years="1816-2016", keep_false_dyads=True, db=store)
    assert directed.groupby("year").size().to_dict() == expected.astype(int).to_dict()
    assert (undirected.groupby("year").size() * 2).to_dict() == expected.astype(int).to_dict()
    assert kept.groupby("year").size().to_dict() == every.to_dict()
    dropped = (every - expected)[lambda s: s > 0].astype(int).to_dict()
    assert dropped == {1860: 6, 1918: 4, 1941: 4, 1945: 8, 1958: 2, 1964: 6, 1975: 14, 1990: 16}
    assert len(kept) - len(directed) == 60


def test_gw_dyad_counts_follow_the_spell_dates(store, mirror):
    import pyreadr

    raw = next(iter(pyreadr.read_r(mirror / "peacesciencer" / "gw_states.rda").values()))
    spells = pd.DataFrame({"code": raw.gwcode.astype(int), "start": pd.to_datetime(raw.startdate), "end": pd.to_datetime(raw.enddate)})
    spells = spells[spells.start.dt.year.isin(range(1816, 2018)) | spells.end.dt.year.isin(range(1816, 2018))]
    expected, _ = _true_counts(spells, 1990, 2017)
    frame = wo.create_dyad_years(years="1990-2017", system="gw", db=store)
    assert frame.groupby("year").size().to_dict() == expected.astype(int).to_dict()


def test_the_germanies_of_1990(store):
    frame = wo.create_dyad_years(years=1990, db=store)
    pairs = set(zip(frame.ccode1, frame.ccode2))
    assert (255, 260) not in pairs and (265, 255) not in pairs and (260, 265) in pairs
    kept = wo.create_dyad_years(years=1990, keep_false_dyads=True, db=store)
    assert (255, 260) in set(zip(kept.ccode1, kept.ccode2))
    false = wo.false_dyads(db=store)
    assert len(false) == 60 and not false.duplicated().any()
    assert set(false.columns) == {"ccode1", "ccode2", "year"}


def test_frames_are_their_own_copies(store):
    first = wo.create_dyad_years(years=1990, db=store)
    first.loc[0, "ccode1"] = -1
    second = wo.create_dyad_years(years=1990, db=store)
    assert second.loc[0, "ccode1"] != -1
    assert np.array_equal(second["year"].unique(), [1990])
