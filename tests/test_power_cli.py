"""The power commands: tables on standard output or --out, charts with captions, clear errors."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from worldorder.cli import app


@pytest.fixture(scope="module")
def invoke(store):
    runner = CliRunner()

    def run(*args: str) -> pd.DataFrame | None:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        text = result.stdout
        return pd.read_csv(io.StringIO(text)) if text.strip() else None

    return run


def test_powers_ranks_a_year(invoke, tmp_path):
    table = invoke("powers", "--year", "1945", "--measure", "cinc", "--top", "3", "--chart", str(tmp_path / "p.svg"))
    assert table["stateabb"].tolist()[0] == "USA" and table["rank"].tolist() == [1, 2, 3]
    assert {"value", "share", "unit", "source"} <= set(table.columns)
    svg = (tmp_path / "p.svg").read_text()
    assert "Measure: CINC as published" in svg and "Sources:" in svg


def test_polarity_between_years_to_parquet_with_chart(invoke, tmp_path):
    out = tmp_path / "polarity.parquet"
    invoke("polarity", "--measure", "cinc", "--among", "majors", "--years", "1946-1950",
           "--out", str(out), "--chart", str(tmp_path / "polarity.html"))
    table = pd.read_parquet(out)
    assert table["year"].tolist() == [1946, 1947, 1948, 1949, 1950]
    assert table["rule"].str.startswith("leader:0.5").all()
    html = (tmp_path / "polarity.html").read_text()
    assert "Rule: leader:0.5" in html


def test_polarity_top_k_intervals_and_robust(invoke):
    table = invoke("polarity", "--measure", "cinc", "--among", "top:3", "--years", "2000-2002",
                   "--intervals", "50", "--seed", "3")
    assert (table["n"] == 3).all() and {"con_lo", "con_hi", "label_share"} <= set(table.columns)
    robust = invoke("polarity", "--robust", "--measure", "cinc,milex,population", "--among", "majors", "--years", "1990-1991")
    assert len(robust) == 2 and "agreement" in robust and "cinc|wayman" in robust


def test_eras_transitions_regions(invoke, tmp_path):
    table = invoke("eras", "--measure", "cinc", "--among", "majors", "--chart", str(tmp_path / "eras.png"))
    assert table["start"].iloc[0] == 1816 and (tmp_path / "eras.png").stat().st_size > 10_000
    table = invoke("transitions", "--leader", "United States", "--measure", "cinc", "--challenger", "China")
    assert table["challenger"].tolist() == ["CHN"] and "1995" in str(table["overtakes"].iloc[0])
    table = invoke("regions", "--year", "2010", "--measure", "cinc", "--chart", str(tmp_path / "regions.png"))
    assert dict(zip(table["region"], table["leader"]))["Americas"] == "USA"


def test_composite_from_a_weights_file_and_un_region(invoke, tmp_path):
    weights = tmp_path / "hard.toml"
    weights.write_text('name = "hard"\n[weights]\nmilex = 2\npopulation = 1\n')
    table = invoke("powers", "--year", "2000", "--measure", "composite", "--weights", str(weights), "--top", "2")
    assert table["measure"].tolist() == ["composite", "composite"] and table["stateabb"].iloc[0] == "USA"
    africa = invoke("polarity", "--measure", "cinc", "--among", "region:un:Africa", "--years", "2000-2000")
    assert africa["among"].iloc[0] == "the UN region Africa" and africa["n"].iloc[0] > 40


def test_user_errors_are_one_line_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "from worldorder.cli import main; main()", "polarity", "--measure", "gpd",
         "--db", str(tmp_path / "unused.duckdb")],
        capture_output=True, text=True, env=os.environ.copy(), timeout=300,
    )
    assert result.returncode == 1
    assert "Did you mean gdp" in result.stderr and "Traceback" not in result.stderr
