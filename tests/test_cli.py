"""The command line as users run it: a real process, real exit codes, no tracebacks on user errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-c", "from worldorder.cli import main; main()", *args],
        capture_output=True, text=True, env=os.environ.copy(), timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def test_help_lists_the_command_groups():
    out = run("--help").stdout
    assert "data" in out and "frame" in out


def test_data_cite_prints_bibtex():
    assert run("data", "cite", "cow_nmc_7").stdout.startswith("@")


def test_data_list_names_every_set():
    out = run("data", "list").stdout
    assert "cow_nmc_7" in out and "maddison_2020" in out


def test_unknown_data_set_is_one_clear_error():
    result = run("data", "cite", "cow_nmc7", check=False)
    assert result.returncode == 1
    assert "Did you mean" in result.stderr and "Traceback" not in result.stderr


def test_ingest_status_and_frame_to_parquet(mirror, tmp_path):
    db = str(tmp_path / "cli.duckdb")
    run("data", "ingest", "cow_system_2024", "cow_nmc_7", "--db", db)
    again = run("data", "ingest", "cow_nmc_7", "--db", db).stdout
    assert "unchanged" in again
    status = run("data", "status", "--db", db).stdout
    assert "cow_nmc_7" in status and "yes" in status
    out = tmp_path / "states.parquet"
    run("frame", "state-years", "--years", "2000-2010", "--add", "nmc", "--out", str(out), "--db", db)
    frame = pd.read_parquet(out)
    assert {"ccode", "year", "cinc"} <= set(frame.columns)
    assert frame["year"].between(2000, 2010).all()


def test_dyad_years_to_stata(mirror, tmp_path):
    out = tmp_path / "dyads.dta"
    run("frame", "dyad-years", "--years", "1900", "--add", "alliances,contiguity", "--out", str(out), "--db", str(tmp_path / "d.duckdb"))
    frame = pd.read_stata(out)
    assert {"ccode1", "ccode2", "atop_defense", "conttype"} <= set(frame.columns)  # alliances: ATOP by default


def test_bad_option_value_is_reported(mirror, tmp_path):
    result = run("frame", "state-years", "--years", "2000", "--add", "nope", "--db", str(tmp_path / "e.duckdb"), check=False)
    assert result.returncode != 0 and "unknown table 'nope'" in result.stderr


def test_verify_refuses_a_corrupt_mirror(mirror, tmp_path):
    corrupt = tmp_path / "mirror" / "cow"
    corrupt.mkdir(parents=True)
    (corrupt / "majors2016.csv").write_text("not the file\n")
    env_before = os.environ["WORLDORDER_DATA_DIR"]
    os.environ["WORLDORDER_DATA_DIR"] = str(tmp_path / "mirror")
    try:
        result = run("data", "verify", "cow_majors_2016", check=False)
    finally:
        os.environ["WORLDORDER_DATA_DIR"] = env_before
    assert result.returncode == 1 and "expected sha256" in result.stderr
