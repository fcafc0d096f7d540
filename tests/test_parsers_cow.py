"""COW parsers: known answers on tiny hand-made raw files, then the real files of the mirror.

The fixtures in ``tests/fixtures/raw/cow`` keep each real file's header, line
endings (CRLF, bare CR) and encoding (latin-1, Mac Roman); the two R files are
written by ``tests/fixtures/make_fixtures_cow.py``.  Real-data tests use the
``mirror`` fixture of conftest.py (skipped unless WORLDORDER_DATA_DIR is set).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder.data.parsers import cow
from worldorder.data.registry import registry

RAW = Path(__file__).parent / "fixtures" / "raw" / "cow"
COW = {name: d for name, d in registry().items() if d.source == "cow"}


def assert_ints(frame, *columns, nullable=False):
    for column in columns:
        expected = "Int64" if nullable else "int64"
        assert str(frame[column].dtype) == expected, (column, frame[column].dtype)


# -- known answers on fixtures ---------------------------------------------------------
def test_fixtures_keep_the_raw_quirks():
    assert b"\r\n" in (RAW / "NMC-60-abridged.csv").read_bytes()
    war = (RAW / "Inter-StateWarData_v4.0.csv").read_bytes()
    assert b"\r" in war and b"\n" not in war
    assert "ö".encode("latin-1") in (RAW / "MIDLOCA_2.1.csv").read_bytes()
    assert "ö".encode("mac_roman") in (RAW / "MIDLOCI_2.1.csv").read_bytes()


def test_nmc_csv():
    out = cow.parse_nmc(RAW / "NMC-60-abridged.csv")
    assert list(out.columns) == [
        "ccode", "stateabb", "year", "milex", "milex_currency", "milper", "irst", "pec", "tpop", "upop", "cinc",
    ]
    assert_ints(out, "ccode", "year")
    for column in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        assert out[column].dtype == np.float64
    assert out["milex"].tolist()[0] == 24400.0 and np.isnan(out["milex"].iloc[1])
    assert np.isnan(out.loc[0, "pec"]) and np.isnan(out.loc[1, "upop"])
    assert out.loc[3, "upop"] == 0.0  # a real zero stays zero
    assert out["milex_currency"].tolist() == ["GBP", "USD", "GBP", "USD"]
    assert out.loc[3, "cinc"] == pytest.approx(4.67e-06)
    assert out.loc[2, "cinc"] == pytest.approx(0.33349988)
    assert out["stateabb"].tolist() == ["USA", "USA", "UKG", "MNC"]


def test_nmc_rdata_matches_csv_layout():
    out = cow.parse_nmc_rdata(RAW / "cow_nmc_v7.rda")
    assert "stateabb" not in out.columns
    assert list(out.columns) == ["ccode", "year", "milex", "milex_currency", "milper", "irst", "pec", "tpop", "upop", "cinc"]
    assert_ints(out, "ccode", "year")
    assert out["ccode"].tolist() == [2, 2, 710] and out["year"].tolist() == [1913, 1914, 2022]
    assert out["milex"].isna().tolist() == [False, True, False]
    assert out["milex_currency"].tolist() == ["GBP", "USD", "USD"]
    assert out.index.equals(pd.RangeIndex(3))


def test_spells_state_list():
    out = cow.parse_spells(RAW / "statelist2024.csv")
    assert list(out.columns) == [
        "ccode", "stateabb", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday", "version",
        "start", "end",
    ]
    assert_ints(out, "ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday", "version")
    assert out["start"].dtype.kind == "M" and out["end"].dtype.kind == "M"
    assert out.loc[1, "end"] == pd.Timestamp("2006-06-03") == out.loc[2, "start"]
    assert out["stateabb"].tolist() == ["USA", "YUG", "SRB"]


def test_spells_majors_have_no_name():
    out = cow.parse_spells(RAW / "majors2016.csv")
    assert "statenme" not in out.columns
    assert out.loc[0, "end"] == pd.Timestamp("1940-06-22")
    assert out.loc[1, "start"] == pd.Timestamp("1945-08-15")
    assert out["version"].tolist() == [2016, 2016, 2016]


def test_system_both_layouts_give_the_same_columns():
    old = cow.parse_system(RAW / "system2016.csv")
    new = cow.parse_system(RAW / "system2024.csv")
    assert list(old.columns) == ["ccode", "stateabb", "year"]
    assert list(new.columns) == ["ccode", "stateabb", "year", "statenme"]
    assert_ints(old, "ccode", "year")
    assert_ints(new, "ccode", "year")
    assert old[["ccode", "year"]].values.tolist() == [[2, 1816], [2, 1817], [200, 1816]]  # sorted
    assert new["stateabb"].tolist() == ["USA", "YUG", "SRB"]


def test_alliance_member_years():
    out = cow.parse_alliance_member_years(RAW / "alliance_v4.1_by_member_yearly.csv")
    assert out.columns[0] == "version4id" and "ss_type" in out.columns and len(out.columns) == 24
    assert_ints(out, "all_end_day", "all_end_month", "all_end_year", "mem_end_day", "nonaggression", "entente", nullable=True)
    assert_ints(out, "version4id", "ccode", "mem_end_year", "right_censor", "defense", "year")
    assert out.loc[0, ["all_end_day", "all_end_month", "all_end_year"]].isna().all()
    assert out.loc[1, "all_end_year"] == 1822
    assert pd.isna(out.loc[1, "nonaggression"]) and pd.isna(out.loc[2, "entente"])
    assert out["ss_type"].tolist()[2] == "Type IIa: Non-Aggression Pact"
    assert out["version"].tolist() == [4.1, 4.1, 4.1]


def test_trade_national_blanks_are_missing():
    out = cow.parse_trade_national(RAW / "National_COW_4.0.csv")
    assert_ints(out, "ccode", "year", "version")
    assert out["imports"].dtype == np.float64
    assert np.isnan(out.loc[1, "imports"]) and out.loc[1, "exports"] == 103.5
    assert out.loc[0, "imports"] == pytest.approx(342.03, abs=1e-4)
    assert np.isnan(out.loc[0, "alt_imports"])
    assert np.isnan(out.loc[1, "source1"]) and out.loc[1, "source2"] == 2.2


def test_trade_dyadic_keeps_one_orientation():
    out = cow.parse_trade_dyadic_rds(RAW / "cow_trade_ddy.rds")
    assert list(out.columns) == ["ccode1", "ccode2", "year", "flow1", "flow2", "smoothflow1", "smoothflow2"]
    assert_ints(out, "ccode1", "ccode2", "year")
    assert out[["ccode1", "ccode2", "year"]].values.tolist() == [[2, 20, 1920], [2, 710, 2014], [20, 710, 1870]]
    assert out.loc[1, ["flow1", "flow2"]].tolist() == [472525.0, 183283.0]
    assert out.loc[0, ["flow1", "flow2"]].tolist() == [612.0, 735.0]
    assert np.isnan(out.loc[2, "flow1"]) and out.loc[2, "flow2"] == 0.0
    assert out["flow1"].dtype == np.float64


def test_contiguity_renamed():
    out = cow.parse_contiguity(RAW / "contdird.csv")
    assert list(out.columns) == ["ccode1", "ccode2", "stateabb1", "stateabb2", "year", "conttype", "version"]
    assert_ints(out, "ccode1", "ccode2", "year", "conttype")
    assert out.loc[1, ["ccode1", "ccode2", "stateabb1"]].tolist() == [20, 2, "CAN"]
    assert out["conttype"].tolist() == [1, 1, 4]


def test_mid_dyadic():
    out = cow.parse_mid_dyadic(RAW / "dyadic_mid_4.02.csv")
    assert len(out.columns) == 59 and "statea" not in out.columns
    assert list(out.columns[:6]) == ["disno", "dyindex", "ccode1", "namea", "ccode2", "nameb"]
    assert out["ccode1"].tolist() == [2, 200, 840] and out["ccode2"].tolist() == [200, 2, 816]
    assert_ints(out, "fatlev", "fatleva", "fatlevb", "ongo2014", nullable=True)
    assert_ints(out, "disno", "hihost", "year", "war")
    assert pd.isna(out.loc[2, "fatlev"]) and pd.isna(out.loc[1, "fatleva"]) and out.loc[0, "fatleva"] == 0
    assert out["dyindex"].dtype == np.float64
    assert out.loc[2, "sideab"] == 1969  # kept as published


def test_war_interstate_bare_cr():
    out = cow.parse_war_interstate(RAW / "Inter-StateWarData_v4.0.csv")
    assert len(out) == 3
    assert list(out.columns[:7]) == ["warnum", "warname", "wartype", "ccode", "statename", "side", "startmonth1"]
    assert out.columns[-1] == "version" and "batdeath" in out.columns
    assert_ints(out, "startmonth2", "startyear2", "transto", "batdeath", nullable=True)
    assert_ints(out, "warnum", "ccode", "startyear1", "outcome")
    assert out.loc[0, ["startyear2", "endyear2", "transto"]].isna().all()
    assert out.loc[1, "startyear2"] == 1942 and out.loc[1, "endyear2"] == 1945
    assert pd.isna(out.loc[2, "batdeath"]) and out.loc[0, "batdeath"] == 600
    assert out.loc[0, "transfrom"] == "503" and pd.isna(out.loc[1, "transfrom"])
    assert out.loc[2, "transfrom"] == "404, 410"
    assert out.loc[2, "warname"] == "Second Laotian, Phase 2"


def test_war_dyadic():
    out = cow.parse_war_dyadic(RAW / "directed_dyadic_war.csv")
    assert {"ccode1", "ccode2"} <= set(out.columns) and "statea" not in out.columns
    assert out["ccode1"].tolist() == [220, 230, 325]
    assert_ints(out, "outcomea", "batdtha", "changes_1", "changes_2", "batdths", nullable=True)
    assert out.loc[0, "batdths"] == 1000 and pd.isna(out.loc[2, "batdths"])
    assert out["changes_2"].isna().all() and out.loc[2, "changes_1"] == 7
    assert out.loc[2, "warendyr"] == 19118  # typo kept as published


def test_midloc_dispute_latin1():
    out = cow.parse_midloc_dispute(RAW / "MIDLOCA_2.1.csv")
    assert out.loc[1, "midloc2_location"] == "Hercegszöntã, Hungary"
    assert_ints(out, "midloc2_precision", "priogrid_cell", "midloc11_precision", nullable=True)
    assert pd.isna(out.loc[3, "midloc2_precision"]) and pd.isna(out.loc[3, "priogrid_cell"])
    assert out.loc[0, "priogrid_cell"] == 215363
    # -8 and -9 are genuine coordinates here, not codes
    assert out.loc[2, "midloc2_xlongitude"] == -8.0 and out.loc[2, "midloc11_longitude"] == -9.0
    # Stata "." and the words NA / None are null
    assert out.loc[1, ["midloc11_location", "midloc11_latitude"]].isna().all()
    assert pd.isna(out.loc[3, "midloc2_location"]) and pd.isna(out.loc[3, "midloc11_location"])
    assert out["midloc11_latitude"].dtype == np.float64
    assert out.loc[3, "midloc2_precision_comment"] == "No location"


def test_midloc_incident_mac_roman():
    out = cow.parse_midloc_incident(RAW / "MIDLOCI_2.1.csv")
    assert out.loc[1, "midloc2_measuringpoint"] == "Hercegszöntã"
    assert_ints(out, "year", "dispnum", "incidnum", "onset")
    assert pd.isna(out.loc[2, "midloc2_precision"]) and pd.isna(out.loc[2, "priogrid_cell"])
    assert pd.isna(out.loc[1, "midloc11_location"])  # "N/A"
    assert out.loc[0, "midloc11_latitude"] == 23.25


def test_missing_column_names_the_file(tmp_path):
    bad = tmp_path / "system.csv"
    bad.write_text("ccode,year\n2,1816\n")
    with pytest.raises(ValueError, match=r"system\.csv.*stateabb"):
        cow.parse_system(bad)


def test_every_cow_entry_documents_its_columns_on_fixtures():
    fixtures = {d.file for d in COW.values()} & {p.name for p in RAW.iterdir()}
    checked = 0
    for dataset in COW.values():
        if dataset.file in fixtures:
            out = dataset.parse_function()(RAW / dataset.file)
            assert set(out.columns) <= set(dataset.columns), (dataset.name, set(out.columns) - set(dataset.columns))
            checked += 1
    assert checked >= 12


# -- real data from the mirror --------------------------------------------------------
@pytest.fixture(scope="module")
def parsed(mirror):
    @cache
    def table(name: str) -> pd.DataFrame:
        dataset = COW[name]
        return dataset.parse_function()(mirror / dataset.relpath)

    return table


def test_registry_hashes_match_the_mirror(mirror):
    for dataset in COW.values():
        files = [(dataset.file, dataset.sha256)] + [(e.file, e.sha256) for e in dataset.extra_files]
        for file, digest in files:
            path = mirror / dataset.source / file
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, f"{dataset.name}: {file}"


def test_real_columns_match_registry(parsed):
    for name, dataset in COW.items():
        out = parsed(name)
        assert list(out.columns) == list(dataset.columns), name


def test_real_nmc_6(parsed):
    nmc = parsed("cow_nmc_6")
    assert len(nmc) == 15_951
    missing = nmc[["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]].isna().sum().to_dict()
    assert missing == {"milex": 2_217, "milper": 426, "irst": 26, "pec": 448, "tpop": 0, "upop": 68, "cinc": 0}
    assert (nmc[["milex", "milper", "irst", "pec", "tpop", "upop"]] < 0).sum().sum() == 0
    assert (nmc["milex_currency"] == "GBP").sum() == (nmc["year"] < 1914).sum()
    system = parsed("cow_system_2016")
    assert set(zip(nmc["ccode"], nmc["year"])) == set(zip(system["ccode"], system["year"]))


def test_real_nmc_7_and_v6(parsed, mirror):
    v7, v6 = parsed("cow_nmc_7"), parsed("cow_nmc_6")
    assert len(v7) == 17_121
    assert v7[["milex", "milper", "irst", "pec", "tpop", "upop"]].isna().sum().tolist() == [2_360, 456, 26, 448, 0, 68]
    both = v6.merge(v7, on=["ccode", "year"], suffixes=("_6", "_7"), validate="one_to_one")
    assert len(both) == 15_951
    for column in ("milex", "milper", "irst", "tpop", "upop"):
        pd.testing.assert_series_equal(both[f"{column}_6"], both[f"{column}_7"], check_names=False)
    latest = v7[v7["year"] == 2022].set_index("ccode")["cinc"]
    assert latest[2] == pytest.approx(0.1236, abs=1e-4) and latest[710] == pytest.approx(0.2341, abs=1e-4)
    derived = pd.read_csv(mirror / "cow" / COW["cow_nmc_7"].extra_files[0].file).replace(-9, np.nan)
    for column in ("ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        np.testing.assert_allclose(v7[column], derived[column], rtol=1e-12, err_msg=column)


def test_real_states_and_system(parsed):
    s16, s24 = parsed("cow_states_2016"), parsed("cow_states_2024")
    assert (len(s16), len(s24)) == (243, 244)
    assert s16["ccode"].nunique() == s24["ccode"].nunique() == 217
    serbia = s24[s24["stateabb"] == "SRB"].iloc[0]
    assert serbia["ccode"] == 345 and serbia["start"] == pd.Timestamp("2006-06-03")
    sys16, sys24 = parsed("cow_system_2016"), parsed("cow_system_2024")
    assert (len(sys16), len(sys24)) == (15_951, 17_511)
    assert sys24.loc[sys24["year"] == 2024, "ccode"].nunique() == 195
    old = sys24[sys24["year"] <= 2016][["ccode", "year"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(old, sys16[["ccode", "year"]])
    # the state-years are exactly the years covered by the spells (vectorised expansion)
    lengths = (s24["endyear"] - s24["styear"] + 1).to_numpy()
    years = np.repeat(s24["styear"].to_numpy(), lengths) + (
        np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    spells = set(zip(np.repeat(s24["ccode"].to_numpy(), lengths), years))
    assert spells == set(zip(sys24["ccode"], sys24["year"]))
    assert sys24.loc[(sys24["ccode"] == 345) & (sys24["year"] == 2006), "stateabb"].item() == "SRB"


def test_real_majors(parsed):
    for name, last in (("cow_majors_2016", "2016-12-31"), ("cow_majors_2024", "2024-12-31")):
        majors = parsed(name)
        assert len(majors) == 14 and majors["ccode"].nunique() == 9
        assert majors["end"].max() == pd.Timestamp(last)


def test_real_alliance(parsed):
    alliance = parsed("cow_alliance_4_1")
    assert len(alliance) == 21_315 and alliance["version4id"].nunique() == 414
    assert alliance["all_end_year"].isna().sum() == 11_907
    assert alliance["mem_end_day"].isna().sum() == 11_568
    assert alliance[["year"]].agg(["min", "max"])["year"].tolist() == [1816, 2012]


def test_real_trade_national(parsed):
    trade = parsed("cow_trade_national_4")
    assert len(trade) == 14_410
    assert trade["imports"].isna().sum() == 1_548 and trade["exports"].isna().sum() == 821


def test_real_trade_dyadic(parsed, mirror):
    trade = parsed("cow_trade_dyadic_4")
    assert len(trade) == 673_654
    assert (trade["ccode1"] < trade["ccode2"]).all()
    assert trade[["flow1", "flow2"]].isna().sum().tolist() == [22_937, 27_896]
    key = trade.set_index(["ccode1", "ccode2", "year"])
    assert key.loc[(2, 710, 2014), ["flow1", "flow2"]].tolist() == [472_525.0, 183_283.0]
    assert key.loc[(2, 200, 2014), "flow1"] == 54_049.0
    assert key.loc[(2, 20, 1920), ["flow1", "flow2"]].tolist() == [612.0, 735.0]
    assert key.index.is_unique
    derived = pd.read_csv(mirror / "cow" / COW["cow_trade_dyadic_4"].extra_files[0].file).replace(-9, np.nan)
    pd.testing.assert_frame_equal(trade, derived, check_dtype=False)


def test_real_contiguity_mid_and_wars(parsed):
    contiguity = parsed("cow_contiguity_3_2")
    assert len(contiguity) == 82_498 and set(contiguity["conttype"]) == {1, 2, 3, 4, 5}
    mid = parsed("cow_mid_dyadic_4_02")
    assert len(mid) == 10_358
    assert mid[["fatlev", "fatleva", "fatlevb"]].isna().sum().tolist() == [118, 663, 665]
    war = parsed("cow_war_interstate_4")
    assert len(war) == 337 and war["warnum"].nunique() == 95
    assert war["startyear2"].isna().sum() == 318 and war["batdeath"].isna().sum() == 1
    assert war["transfrom"].isna().sum() == 268
    dyadic = parsed("cow_war_dyadic_4")
    assert len(dyadic) == 1_364 and dyadic["changes_2"].isna().all()


def test_real_midloc(parsed):
    dispute, incident = parsed("cow_midloc_2_1_dispute"), parsed("cow_midloc_2_1_incident")
    assert (len(dispute), len(incident)) == (2_315, 3_306)
    assert dispute["midloc2_precision"].isna().sum() == 85 and dispute["priogrid_cell"].isna().sum() == 85
    assert incident["midloc2_precision"].isna().sum() == 175
    assert dispute["midloc2_location"].str.contains("Hercegszöntã").sum() >= 1
    assert incident["midloc2_location"].str.contains("Hercegszöntã").sum() >= 1
    text = pd.concat([incident[c] for c in incident.columns if incident[c].dtype == "str"]).dropna()
    assert not text.str.contains("[\x80-\x9f]").any()  # no C1 control characters left
