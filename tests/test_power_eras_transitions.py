"""Eras (change points) and power transitions on hand-built series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from worldorder.power import PowerError, change_points, eras, transition_summary, transitions


def stepped(levels: list[tuple[int, float]], start: int = 1900, noise: float = 0.01, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    values = np.concatenate([np.full(length, level) for length, level in levels])
    values = values + rng.normal(0, noise, len(values))
    return pd.DataFrame({"year": np.arange(start, start + len(values)), "con": values, "hhi": values / 2,
                         "polarity": ["bipolar"] * len(values), "leader": ["USA"] * len(values)})


def test_change_points_found_where_the_level_shifts():
    series = stepped([(30, 0.2), (25, 0.5), (20, 0.3)])
    assert change_points(series, ["con"]) == [1930, 1955]
    assert change_points(series, ["con"], n_eras=3) == [1930, 1955]
    assert change_points(series, ["con"], n_eras=3, method="binseg") == [1930, 1955]


def test_era_table_start_end_and_means():
    series = stepped([(30, 0.2), (25, 0.5)], noise=0.0)
    table = eras(series, ["con"], n_eras=2)
    assert table[["era", "start", "end", "years"]].values.tolist() == [[1, 1900, 1929, 30], [2, 1930, 1954, 25]]
    assert table["mean_con"].tolist() == pytest.approx([0.2, 0.5])
    assert table["mean_hhi"].tolist() == pytest.approx([0.1, 0.25])
    assert table["polarity"].tolist() == ["bipolar", "bipolar"] and table["polarity_share"].tolist() == [1.0, 1.0]


def test_pure_noise_rarely_splits_and_errors():
    # the default penalty 3 ln(T) gives about 1% false splits on white noise of 50 years
    splits = sum(len(eras(stepped([(50, 0.3)], noise=0.001, seed=seed))) > 1 for seed in range(20))
    assert splits <= 1
    flat = stepped([(50, 0.3)], noise=0.001, seed=1)
    with pytest.raises(PowerError, match="no column"):
        eras(flat, ["gini"])
    with pytest.raises(PowerError, match="do not fit"):
        eras(flat, n_eras=20, min_size=5)


def pair_table() -> pd.DataFrame:
    years = np.arange(2000, 2011)
    leader = np.full(len(years), 100.0)
    challenger = np.array([50, 60, 70, 80, 90, 100, 110, 95, 105, 130, 150], dtype=float)
    third = np.full(len(years), 10.0)
    rows = []
    for code, abb, values in ((2, "USA", leader), (710, "CHN", challenger), (200, "UKG", third)):
        rows += [(code, abb, y, v) for y, v in zip(years, values)]
    return pd.DataFrame(rows, columns=["ccode", "stateabb", "year", "power"])


def test_pair_ratio_parity_and_overtaking():
    table = transitions(pair_table(), "USA", ["CHN"], column="power")
    assert table["ratio"].tolist() == pytest.approx([0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 0.95, 1.05, 1.3, 1.5])
    assert table.loc[table["parity"], "year"].tolist() == list(range(2003, 2009))
    assert table.loc[table["overtake"] == 1, "year"].tolist() == [2005, 2008]
    assert table.loc[table["overtake"] == -1, "year"].tolist() == [2007]
    assert table["challenger_growth"].iloc[1] == pytest.approx(0.2)
    assert table["growth_gap"].iloc[1] == pytest.approx(0.2)  # the leader does not grow
    assert np.isnan(table["growth_gap"].iloc[0])


def test_leader_against_every_challenger_and_summary():
    table = transitions(pair_table(), 2, column="power", parity=(0.9, 1.1))
    assert set(table["challenger"]) == {"CHN", "UKG"}
    summary = transition_summary(table).set_index("challenger")
    assert summary.loc["CHN", "overtakes"] == "2005;2008" and summary.loc["CHN", "falls_behind"] == "2007"
    assert summary.loc["CHN", "status"] == "ahead" and summary.loc["UKG", "status"] == "behind"
    assert summary.loc["CHN", "parity_first"] == 2004 and summary.loc["UKG", "parity_years"] == 0
    assert summary.index[0] == "CHN"  # sorted by the last ratio


def test_overtaking_compares_with_the_last_known_year():
    frame = pair_table()
    frame.loc[(frame["stateabb"] == "CHN") & frame["year"].isin([2005, 2006]), "power"] = np.nan
    table = transitions(frame, "USA", ["CHN"], column="power")
    assert table.loc[table["overtake"] == 1, "year"].tolist() == [2008]
    assert 2007 not in table.loc[table["overtake"] != 0, "year"].tolist()


def test_transition_errors():
    with pytest.raises(PowerError, match="parity"):
        transitions(pair_table(), "USA", column="power", parity=(1.2, 0.8))
    with pytest.raises(PowerError, match="not a state abbreviation"):
        transitions(pair_table(), "XYZ", column="power")
