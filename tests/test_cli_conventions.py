"""CLI conventions (issue 14): the same options mean the same thing on every command."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from worldorder.cli import app

#: Commands that print one table: each takes --out/-o and --format table|csv|json.
TABLE_COMMANDS = ("powers", "polarity", "eras", "transitions", "regions", "network", "blocs", "dependence",
                  "similarity", "openness", "frame state-years", "frame dyad-years")
#: Commands over a span of years: each takes --years.
YEARS_COMMANDS = ("polarity", "eras", "transitions", "network", "dependence", "openness", "report",
                  "frame state-years", "frame dyad-years")
#: Commands about one year: --year, and --years as the same option.
YEAR_COMMANDS = ("powers", "regions")


def _commands() -> dict:
    root = typer.main.get_command(app)
    found = {}
    for name, command in root.commands.items():
        if hasattr(command, "commands"):  # a group
            for sub, inner in command.commands.items():
                found[f"{name} {sub}"] = inner
        else:
            found[name] = command
    return found


def _options(command) -> dict:
    return {flag: param for param in command.params if getattr(param, "param_type_name", "") == "option" for flag in param.opts}


def test_table_commands_take_out_and_format():
    commands = _commands()
    for name in TABLE_COMMANDS:
        options = _options(commands[name])
        assert options["--out"] is options["-o"], name
        assert "--format" in options, name


def test_year_options_are_one_grammar():
    commands = _commands()
    for name in YEARS_COMMANDS:
        assert "--years" in _options(commands[name]), name
        assert "--from" not in _options(commands[name]) and "--to" not in _options(commands[name]), name
    for name in YEAR_COMMANDS:
        options = _options(commands[name])
        assert options["--year"] is options["--years"], name


def test_each_short_flag_means_one_thing():
    meanings: dict[str, set[str]] = {}
    for command in _commands().values():
        for param in command.params:
            if getattr(param, "param_type_name", "") == "option":
                long = next((o for o in param.opts if o.startswith("--")), None)
                for short in (o for o in param.opts if not o.startswith("--")):
                    meanings.setdefault(short, set()).add(long)
    shared = {short: names for short, names in meanings.items() if len(names) > 1 and names != {"--year", "--years"}}
    assert not shared, shared


def test_version():
    from worldorder import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"worldorder {__version__}"


def test_formats_print_the_same_table(store):
    runner = CliRunner()
    args = ["powers", "--year", "2000", "--measure", "cinc", "--top", "3"]
    as_csv = pd.read_csv(io.StringIO(runner.invoke(app, args, catch_exceptions=False).stdout))  # piped: CSV
    as_json = pd.DataFrame(json.loads(runner.invoke(app, [*args, "--format", "json"], catch_exceptions=False).stdout))
    assert as_json["stateabb"].tolist() == as_csv["stateabb"].tolist() and len(as_csv) == 3
    assert as_json["share"].to_numpy() == pytest.approx(as_csv["share"].to_numpy())
    table = runner.invoke(app, [*args, "--format", "table"], catch_exceptions=False).stdout
    assert "USA" in table and "share" in table and "," not in table.splitlines()[0]
    bad = runner.invoke(app, [*args, "--format", "xml"])
    assert bad.exit_code != 0 and "table, csv or json" in bad.output


def test_a_terminal_table_rounds_numbers_and_names_units():
    from worldorder.cli.common import print_table
    from rich.console import Console

    frame = pd.DataFrame({"state": ["USA", "CHN"], "gdp": [21_381_000.123456, 0.123456789]})
    frame.attrs["measures"] = {"gdp": {"unit": "million US$"}}
    import worldorder.cli.common as common

    saved = common.console
    common.console = Console(file=io.StringIO(), width=120)
    try:
        print_table(frame)
        text = common.console.file.getvalue()
    finally:
        common.console = saved
    assert "21,381,000" in text and "0.1235" in text and "million US$" in text and "123456789" not in text


def test_data_set_names_are_the_layer_names(store):
    from worldorder import ADDERS, LAYERS

    joinable = [name for name in LAYERS if not name.startswith("gas")]
    assert all(name in ADDERS for name in joinable), [name for name in joinable if name not in ADDERS]
    runner = CliRunner()
    by_layer = runner.invoke(app, ["frame", "state-years", "--years", "1990", "--add", "unga"], catch_exceptions=False)
    by_table = runner.invoke(app, ["frame", "state-years", "--years", "1990", "--add", "ideal_points"], catch_exceptions=False)
    assert by_layer.exit_code == 0 and by_layer.stdout == by_table.stdout and "idealpoint" in by_layer.stdout.splitlines()[0]
