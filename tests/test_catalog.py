"""The measure catalog: one definition per measure; a measure added there reaches every interface."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from worldorder.power import CATALOG, Measure, PowerError, coverage, get_measure, measure_caption, register
from worldorder.power._base import MeasureInfo, require_columns, with_measure

KEY = "steel_per_person"


def steel_per_person(frame: pd.DataFrame) -> pd.DataFrame:
    """Iron and steel (thousand tons) per thousand people, a measure only this test defines."""
    require_columns(frame, ["irst", "tpop"], "Run add_capabilities() first.")
    irst = frame["irst"].to_numpy(np.float64, na_value=np.nan)
    tpop = frame["tpop"].to_numpy(np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(tpop > 0, irst / tpop, np.nan)
    info = MeasureInfo(KEY, "steel_pp", "iron and steel per person (test)", "tons per person", ("cow_nmc_7",))
    return with_measure(frame, "steel_pp", values, info)


@pytest.fixture
def added():
    entry = register(Measure(KEY, "steel_pp", "iron and steel per person (test)", "tons per person", ("cow_nmc_7",),
                             steel_per_person, needs=("capabilities",)))
    yield entry
    CATALOG.pop(KEY, None)


def test_every_entry_is_complete():
    for key, entry in CATALOG.items():
        assert entry.key == key and entry.column and entry.label and entry.unit, key
        assert callable(entry.compute), key
        assert key == "composite" or entry.sources, key
    assert get_measure("milex").column == "milex_usd"
    with pytest.raises(PowerError, match="Did you mean gdp"):
        get_measure("gpd")


def test_captions_and_coverage_come_from_one_place():
    assert measure_caption({"label": "GDP", "unit": "US$", "notes": "n"}) == "GDP; unit: US$; n"
    frame = pd.DataFrame({"ccode": [2, 200, 2, 200], "year": [1990, 1990, 1991, 1991], "gdp": [1.0, np.nan, np.nan, np.nan]})
    table = coverage(frame, "gdp")
    assert table["with_value"].tolist() == [1, 0] and table["share"].tolist() == [0.5, 0.0]
    assert table.attrs == {"first": 1990, "last": 1990}


def test_catalog_units_match_what_the_measures_record(store):
    from worldorder.power import create_power_years

    keys = [k for k in CATALOG if k != "composite"]
    frame = create_power_years(keys, years="2000-2001", db=store)
    for key in keys:
        recorded = frame.attrs["measures"][CATALOG[key].column]
        assert recorded["unit"] == CATALOG[key].unit, key
        assert set(recorded["sources"]) <= set(CATALOG[key].sources) | {"maddison_2020"}, key


def test_a_measure_added_in_the_catalog_reaches_cli_report_and_ledger(added, store, mirror):
    from worldorder.claims import parse_ledger
    from worldorder.cli import app
    from worldorder.report.options import parse_measures

    # CLI: the new key is a --measure like any other, with its label and unit from the catalog entry
    result = CliRunner().invoke(app, ["powers", "--measure", KEY, "--year", "2000", "--top", "3"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert table["measure"].tolist() == [KEY] * 3 and set(table["unit"]) == {"tons per person"}
    # the values against the raw NMC v7 file (-9 is missing)
    nmc = pd.read_csv(mirror / "cow" / "NMC-70-abridged_from_peacesciencer.csv")
    year = nmc[(nmc["year"] == 2000) & (nmc["irst"] >= 0) & (nmc["tpop"] > 0)]
    expected = (year["irst"] / year["tpop"]).sort_values(ascending=False).head(3)
    assert table["value"].to_numpy() == pytest.approx(expected.to_numpy())
    # report and ledger accept it
    assert parse_measures(f"cinc,{KEY}") == ("cinc", KEY)
    ledger = parse_ledger(f"""
ledger: 1
claims:
  - id: steel
    claim: steel per person
    made_by: a test
    test: {{quantity: ranking, measure: [{KEY}], years: 2000, predicate: {{type: rank, states: [USA], top: 50}}}}
""")
    assert ledger.claims[0].test.measures == (KEY,)


def test_a_measure_added_in_the_catalog_reaches_the_web_app():
    """The app's measures come from the catalog: one registered before the app is built is offered and validated."""
    import subprocess
    import sys
    import textwrap

    pytest.importorskip("fastapi")
    code = textwrap.dedent(f"""
        import typing
        from worldorder.power import Measure, register
        from tests.test_catalog import steel_per_person
        register(Measure({KEY!r}, "steel_pp", "iron and steel per person (test)", "tons per person", ("cow_nmc_7",),
                         steel_per_person, needs=("capabilities",)))
        from worldorder.web import params
        print({KEY!r} in params.WEB_MEASURES, {KEY!r} in typing.get_args(params.Measure))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert result.stdout.split() == ["True", "True"], result.stderr
