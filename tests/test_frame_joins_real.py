"""The joins of the timed pipeline (capabilities, ATOP) against pandas merges of the raw files, row by row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import worldorder as wo
from worldorder.frames.lookup import CHUNK

NMC = ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]
ATOP = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]


@pytest.fixture(scope="module")
def nmc_raw(mirror):
    raw = pd.read_csv(mirror / "cow" / "NMC-70-abridged_from_peacesciencer.csv")
    return raw.replace({column: {-9: np.nan} for column in NMC[:-1]})  # -9 is missing (MANIFEST)


@pytest.fixture(scope="module")
def atop_raw(mirror):
    import pyreadr

    return next(iter(pyreadr.read_r(mirror / "peacesciencer" / "atop_alliance.rda").values()))


def _expected(keys: pd.DataFrame, nmc: pd.DataFrame, atop: pd.DataFrame) -> pd.DataFrame:
    """Left merges of the frame's keys with NMC on each side and with the directed ATOP rows (0 where not listed)."""
    out = keys
    for side in "12":
        out = out.merge(nmc.rename(columns={c: c + side for c in ["ccode", *NMC]}), on=[f"ccode{side}", "year"], how="left")
    ties = atop[["ccode1", "ccode2", "year", *ATOP]].astype(float).assign(atop_alliance=1.0)
    ties[["ccode1", "ccode2", "year"]] = ties[["ccode1", "ccode2", "year"]].astype(np.int64)
    out = out.merge(ties, on=["ccode1", "ccode2", "year"], how="left")
    return out.fillna({column: 0.0 for column in [*ATOP, "atop_alliance"]})  # ATOP covers 1815-2018


@pytest.mark.slow
def test_directed_pipeline_matches_pandas_merges(store, nmc_raw, atop_raw):
    frame = wo.add_alliances(wo.add_capabilities(wo.create_dyad_years(years="1816-2016", db=store), db=store), db=store)
    columns = [*[c + s for s in "12" for c in NMC], *ATOP, "atop_alliance"]
    assert list(frame.columns) == ["ccode1", "ccode2", "year", *columns]
    assert len(frame) == 1_912_290 and frame.attrs["unit"] == "dyad_year"
    expected = _expected(frame[["ccode1", "ccode2", "year"]], nmc_raw, atop_raw)
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False, check_exact=True)
    assert (frame.dtypes.iloc[:3] == np.int64).all() and (frame.dtypes.iloc[3:] == np.float64).all()


def test_rows_in_any_order_and_any_length(store, nmc_raw, atop_raw):
    """Shuffled rows, years outside the sources and a frame longer than one gathering chunk give the merge's values."""
    keys = wo.create_dyad_years(years="1990-2016", db=store)[["ccode1", "ccode2", "year"]]
    keys = pd.concat([keys, keys.head(1000).assign(year=2030), keys.head(1000).assign(year=1700)], ignore_index=True)
    keys = keys.sample(frac=1, random_state=0).reset_index(drop=True)
    assert len(keys) > 2 * CHUNK
    frame = wo.add_alliances(wo.add_capabilities(keys, db=store), db=store)
    expected = _expected(keys, nmc_raw, atop_raw)
    outside = ~expected["year"].between(1815, 2018)
    expected.loc[outside, [*ATOP, "atop_alliance"]] = np.nan  # NA outside ATOP's years, never 0
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False, check_exact=True)


def test_new_columns_are_the_frame_own(store):
    """Each added column is a writable array of its own: writing to it changes neither the input nor a later frame."""
    dyads = wo.create_dyad_years(years=2000, db=store)
    frame = wo.add_capabilities(dyads, columns=["milex"], db=store)
    before = wo.add_capabilities(dyads, columns=["milex"], db=store)
    frame.loc[:, "milex1"] = -1.0
    frame.loc[:, "ccode2"] = 0
    again = wo.add_capabilities(wo.create_dyad_years(years=2000, db=store), columns=["milex"], db=store)
    pd.testing.assert_frame_equal(again, before)
    assert dyads["ccode2"].ne(0).all()
