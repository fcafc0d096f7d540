"""Scenario files: schema errors with their lines, and runs on small tables."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder.sim.scenario import ScenarioData, ScenarioError, load_scenario, run_scenario, validate_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "scenarios"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def lines_of(problems):
    return sorted((p.line, p.path) for p in problems)


def test_toml_errors_carry_their_lines(tmp_path):
    path = write(tmp_path, "bad.toml", """
        name = "bad"
        base_year = 2014

        [[shocks]]
        type = "sanctions"
        between = [[2, 20], [365]]
        fraction = 1.5

        [[shocks]]
        type = "earthquake"

        [[shocks]]
        type = "trade_war"
        between = [[2], [710]]
        tarif = 0.2
        """)
    problems = validate_scenario(path, resolve=False)
    found = lines_of(problems)
    assert (7, "shocks[0].fraction") in found
    assert (10, "shocks[1].type") in found
    assert any(line == 12 and p == "shocks[2]" for line, p in found)  # missing 'tariff', unknown 'tarif'
    assert all(str(p).startswith(f"{path}:") for p in problems)
    with pytest.raises(ScenarioError, match=r"bad.toml:7: shocks\[0\].fraction: 1.5 is greater than the maximum of 1"):
        load_scenario(path, resolve=False)


def test_yaml_errors_carry_their_lines(tmp_path):
    path = write(tmp_path, "bad.yaml", """
        name: bad
        base_year: 2014
        blocs:
          west: [2, 200]
        shocks:
          - type: sanctions
            between: [west, nowhere]
          - type: growth
            states: [2]
            change: -0.02
            start: 2020
            end: 2016
        """)
    problems = validate_scenario(path, resolve=False)
    found = lines_of(problems)
    assert (7, "shocks[0].between[1]") in found
    assert (12, "shocks[1].end") in found
    syntax = write(tmp_path, "syntax.yaml", "name: x\nshocks: [\n  - a\n")
    (problem,) = validate_scenario(syntax, resolve=False)
    assert problem.line is not None and "YAML" in problem.message
    broken = write(tmp_path, "syntax.toml", 'name = "x"\nbase_year = = 2014\n')
    (problem,) = validate_scenario(broken, resolve=False)
    assert problem.line == 2


def test_missing_and_unknown_top_level_keys(tmp_path):
    path = write(tmp_path, "s.toml", """
        name = "s"
        base_yaer = 2014
        [[shocks]]
        type = "border_closure"
        fraction = 0.2
        """)
    messages = [str(p) for p in validate_scenario(path, resolve=False)]
    assert any("'base_year' is a required property" in m for m in messages)
    assert any(":2: " in m and "base_yaer" in m for m in messages)


@pytest.fixture
def data():
    codes = np.array([2, 200, 365, 710, 740])
    gdp = np.array([17e12, 3e12, 2e12, 10e12, 5e12])
    power = pd.DataFrame({"ccode": codes, "year": 2014, "gdp": gdp})
    rows = []
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            rows.append((a, b, 2014, 5e4, 4e4))
    trade = pd.DataFrame(rows, columns=["ccode1", "ccode2", "year", "flow1", "flow2"])
    return ScenarioData(power=power, trade=trade, gdp=power.rename(columns={"gdp": "gdp_wb"}))


def test_run_sanctions_and_alignment(tmp_path, data):
    path = write(tmp_path, "s.yaml", """
        name: sanctions
        base_year: 2014
        blocs:
          west: [2, 200, 740]
          east: [365, 710]
        shocks:
          - type: sanctions
            between: [west, east]
            fraction: 0.9
          - type: alignment_switch
            state: 740
            from: west
            to: east
        """)
    result = run_scenario(load_scenario(path, resolve=False), data=data, progress=False)
    power = result.power.set_index("ccode")
    assert (power["scenario"] < power["baseline"]).all()  # everyone loses from cutting trade
    trade = result.trade.set_index("ccode")
    assert trade.loc[365, "exports_new"] < trade.loc[365, "exports"]
    blocs = result.blocs[result.blocs["kind"] == "named"].set_index("ccode")
    assert blocs.loc[740, "baseline"] == "west" and blocs.loc[740, "scenario"] == "east" and blocs.loc[740, "moved"]
    bloc_power = result.bloc_power.set_index("bloc")
    assert bloc_power.loc["east", "scenario"] > bloc_power.loc["east", "baseline"]
    dependence = result.trade_dependence
    west_on_east = dependence[(dependence["ccode"] == 2) & (dependence["group"] == "east")]
    assert (west_on_east["scenario"] < west_on_east["baseline"]).all()
    assert {"hhi", "con", "effective_poles", "polarity"} <= set(result.polarity["index"])


def test_a_null_shock_changes_nothing(tmp_path, data):
    path = write(tmp_path, "null.toml", """
        name = "nothing"
        base_year = 2014
        measure = "gdp"
        [[shocks]]
        type = "border_closure"
        fraction = 0.0
        """)
    result = run_scenario(load_scenario(path, resolve=False), data=data, progress=False)
    assert (result.power["baseline"] == result.power["scenario"]).all()
    numeric = result.polarity.dropna(subset=["change"])
    assert (numeric["change"] == 0).all()


def test_examples_are_valid_with_country_names(mirror):
    for path in sorted(EXAMPLES.glob("*.*")):
        assert validate_scenario(path) == [], path


def test_nord_stream_example_on_real_data(mirror):
    result = run_scenario(EXAMPLES / "nord_stream_cut.toml", progress=False)
    germany = result.gas_dependence[(result.gas_dependence["ccode"] == 255) & (result.gas_dependence["supplier"] == "RUS")]
    assert germany["baseline"].iloc[0] > 0.1 and germany["scenario"].iloc[0] == 0.0
