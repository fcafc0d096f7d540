"""The command line: worldorder project, scenario validate, scenario run."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from worldorder.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "scenarios"
runner = CliRunner()


def test_scenario_validate_reports_lines(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nbase_year = 2014\n\n[[shocks]]\ntype = "border_closure"\nfraction = 2\n')
    result = runner.invoke(app, ["scenario", "validate", str(bad), "--no-resolve"])
    assert result.exit_code == 1
    assert f"Error: {bad}:6: shocks[0].fraction" in " ".join(result.output.split())


def test_scenario_validate_and_run_examples(mirror, tmp_path):
    ok = runner.invoke(app, ["scenario", "validate", str(EXAMPLES / "trade_war.yaml")])
    assert ok.exit_code == 0, ok.output
    assert "valid" in ok.output
    run = runner.invoke(app, ["scenario", "run", str(EXAMPLES / "sanctions_between_blocs.yaml"), "--out-dir", str(tmp_path), "--chart-format", "svg"])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "power.csv").exists() and (tmp_path / "polarity.csv").exists() and (tmp_path / "power_change.svg").exists()


def test_project_command(mirror, tmp_path):
    result = runner.invoke(
        app,
        ["project", "--measure", "gdp", "--horizon", "2025", "--paths", "2048", "--seed", "1", "--out-dir", str(tmp_path), "--chart-format", "svg"],
    )
    assert result.exit_code == 0, result.output
    assert "P(unipolar)" in result.output.replace("\n", "") or "unipo" in result.output
    for name in ("polarity.csv", "labels.csv", "states.csv", "transition.csv", "calibration.csv", "fan_con.svg", "fan_shares.svg"):
        assert (tmp_path / name).exists(), name


def test_table_files_have_their_own_option_and_format_keeps_one_meaning(mirror, tmp_path):
    """``--table-format`` names the files ``--out-dir`` writes; ``--format`` (printed output elsewhere) is not taken here."""
    import pandas as pd

    run = runner.invoke(app, ["scenario", "run", str(EXAMPLES / "sanctions_between_blocs.yaml"), "--out-dir", str(tmp_path), "--table-format", "parquet"])
    assert run.exit_code == 0, run.output
    csv = runner.invoke(app, ["scenario", "run", str(EXAMPLES / "sanctions_between_blocs.yaml"), "--out-dir", str(tmp_path / "csv")])
    assert csv.exit_code == 0, csv.output
    written, expected = pd.read_parquet(tmp_path / "polarity.parquet"), pd.read_csv(tmp_path / "csv" / "polarity.csv", dtype=str)
    assert written["index"].tolist() == expected["index"].tolist()
    poles = written.set_index("index").loc["poles", "baseline"]
    assert poles == expected.set_index("index").loc["poles", "baseline"] and ";" in poles
    assert pd.read_parquet(tmp_path / "power.parquet")["baseline"].dtype == float
    for command in (["project", "--format", "parquet"], ["scenario", "run", str(EXAMPLES / "trade_war.yaml"), "--format", "csv"]):
        refused = runner.invoke(app, command)
        assert refused.exit_code == 2 and "--format" in refused.output
