"""A composite never mixes component sets silently: missing where a component has no data, or renormalised and flagged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import worldorder as wo

TABLE = pd.DataFrame(
    {
        "ccode": [1, 2, 3] * 2,
        "year": [2000] * 3 + [2001] * 3,
        "a": [1.0, 1.0, 2.0, 1.0, 1.0, 2.0],
        "b": [3.0, 1.0, 0.0, np.nan, np.nan, np.nan],
    }
)


def test_a_year_without_a_component_is_missing_by_default():
    out = wo.composite(TABLE, {"a": 0.5, "b": 0.5})
    assert out.loc[:2, "composite"].tolist() == [0.5, 0.25, 0.25]  # (1/4 + 3/4) / 2 ...
    assert out.loc[3:, "composite"].isna().all()
    assert not out["composite_partial"].any()
    assert "missing in 2001 (no data for b)" in out.attrs["measures"]["composite"]["notes"]


def test_renormalised_years_are_flagged_in_the_table_and_caption():
    out = wo.composite(TABLE, {"weights": {"a": 0.5, "b": 0.5}, "coverage": "renormalise"})
    assert out.loc[3:, "composite"].tolist() == [0.25, 0.25, 0.5]  # a's shares alone
    assert out["composite_partial"].tolist() == [False, False, False, True, True, True]
    notes = out.attrs["measures"]["composite"]["notes"]
    assert "renormalised without b in 2001" in notes and "composite_partial" in notes


def test_a_state_missing_one_component_is_flagged():
    table = TABLE.assign(b=[3.0, np.nan, 0.0, 1.0, 1.0, 2.0])
    out = wo.composite(table, {"a": 1, "b": 1})
    assert out["composite_partial"].tolist() == [False, True, False, False, False, False]
    with pytest.raises(wo.PowerError, match="coverage must be"):
        wo.composite(TABLE, {"weights": {"a": 1}, "coverage": "sometimes"})


def test_real_composite_stops_where_a_component_stops(store):
    frame = wo.create_power_years(["gdp_wb", "milex"], years="2015-2023", db=store)
    out = wo.composite(frame, {"gdp_wb": 0.5, "milex": 0.5})
    last_milex = int(frame.loc[frame["milex"].notna(), "year"].max())
    last_gdp = int(frame.loc[frame["gdp_wb"].notna(), "year"].max())
    last = min(last_milex, last_gdp)
    assert out.loc[out["year"] > last, "composite"].isna().all()
    assert out.loc[out["year"] <= last, "composite"].notna().any()
    shares = out[out["year"] == last].groupby("year")["composite"].sum()
    assert shares.iloc[0] == pytest.approx(1.0, abs=0.05)
