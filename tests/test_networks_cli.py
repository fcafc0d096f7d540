"""``worldorder network | blocs | dependence | openness`` on the real data (skipped without the mirror).

Most commands run in-process (Typer's runner) so that the store's tables are
read once; the error paths run as a real process to check exit codes and
one-line messages.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from worldorder.cli import app


@pytest.fixture(scope="session")
def cli(store):
    runner = CliRunner()

    def invoke(*args: str) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    return invoke


def test_network_eigenvector_of_trade_2014(cli):
    table = pd.read_csv(io.StringIO(cli("network", "--layer", "trade", "--year", "2014", "--metric", "eigenvector", "--top", "3")))
    assert table.columns.tolist() == ["year", "ccode", "stateabb", "eigenvector"]
    assert table["stateabb"].iloc[0] == "USA" and len(table) == 3


def test_network_writes_graphml_and_gexf(cli, tmp_path):
    import igraph as ig
    import networkx as nx

    cli("network", "--layer", "alliance", "--year", "1985", "--metric", "betweenness", "--out", str(tmp_path / "a.graphml"))
    graph = ig.Graph.Read_GraphML(str(tmp_path / "a.graphml"))
    assert "betweenness" in graph.vs.attributes() and "USA" in graph.vs["stateabb"]
    cli("network", "--layer", "alliance", "--year", "1985", "--metric", "degree", "--out", str(tmp_path / "a.gexf"))
    assert nx.read_gexf(str(tmp_path / "a.gexf")).number_of_nodes() == graph.vcount()


def test_network_density_over_years_with_a_chart(cli, tmp_path):
    table = pd.read_csv(io.StringIO(cli("network", "--layer", "trade", "--years", "2010-2014", "--metric", "density",
                                        "--chart", str(tmp_path / "d.svg"))))
    assert table["year"].tolist() == [2010, 2011, 2012, 2013, 2014] and table["density"].between(0, 1).all()
    assert (tmp_path / "d.svg").stat().st_size > 1000


def test_blocs_of_alliances_1985_with_drawing(cli, tmp_path):
    out = tmp_path / "blocs.csv"
    cli("blocs", "--layer", "alliance", "--year", "1985", "--runs", "5", "--out", str(out), "--chart", str(tmp_path / "blocs.png"))
    table = pd.read_csv(out)
    assert table[table["stateabb"].isin(["USA", "UKG", "FRN", "GFR", "TUR", "CAN"])]["bloc"].nunique() == 1
    assert "stability" in table.columns
    assert (tmp_path / "blocs.png").read_bytes()[:4] == b"\x89PNG"


def test_dependence_of_germany_on_gas_suppliers(cli):
    table = pd.read_csv(io.StringIO(cli("dependence", "--country", "DEU", "--layer", "gas", "--years", "2020-2020")))
    assert table.groupby("month")["share"].sum().to_numpy() == pytest.approx(1.0)
    assert "RUS" in set(table["supplier"]) and table["month"].nunique() == 12


def test_trade_dependence_on_poles(cli):
    table = pd.read_csv(io.StringIO(cli("dependence", "--country", "Canada", "--layer", "trade", "--year", "2000", "--on", "USA,CHN")))
    assert table["group"].tolist() == ["USA", "CHN", "other"] and table["share"].sum() == pytest.approx(1.0)


def test_similarity_of_alliance_portfolios_equals_the_library(cli, store):
    from worldorder.networks import load_layer
    from worldorder.networks.dependence import portfolio_similarity

    table = pd.read_csv(io.StringIO(cli("similarity", "--year", "1985", "--country", "GDR", "--top", "5")))
    assert table.columns.tolist() == ["year", "ccode1", "stateabb1", "ccode2", "stateabb2", "s", "kappa"]
    assert set(table["ccode1"]) == {265} and len(table) == 5
    assert set(table["stateabb2"]) <= {"POL", "HUN", "CZE", "ROM", "BUL", "RUS"}  # Warsaw Pact partners first
    assert table["s"].is_monotonic_decreasing
    usa = pd.read_csv(io.StringIO(cli("similarity", "--year", "1985", "--country", "USA"))).set_index("stateabb2")
    expected = portfolio_similarity(load_layer("alliance", years=1985, db=store)[1985]).set_index(["ccode1", "ccode2"])
    assert usa.loc["UKG", "s"] == pytest.approx(expected.loc[(2, 200), "s"])
    assert usa.loc["RUS", "kappa"] == pytest.approx(expected.loc[(2, 365), "kappa"])
    assert usa.loc["UKG", "s"] > usa.loc["RUS", "s"]
    by_kappa = pd.read_csv(io.StringIO(cli("similarity", "--year", "1985", "--sort", "kappa", "--top", "50")))
    assert by_kappa["kappa"].is_monotonic_decreasing and (by_kappa["ccode1"] < by_kappa["ccode2"]).all()


def test_openness_table_and_chart(cli, tmp_path):
    out = tmp_path / "open.parquet"
    cli("openness", "--years", "1990-1995", "--out", str(out), "--chart", str(tmp_path / "open.png"))
    table = pd.read_parquet(out)
    assert table["year"].tolist() == list(range(1990, 1996)) and table["openness"].between(0.1, 1).all()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from worldorder.cli import main; main()", *args],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=600)


def test_an_unknown_layer_is_one_line_and_exit_1():
    result = run("network", "--layer", "trad", "--year", "2014")  # refused before the store is opened
    assert result.returncode == 1 and "Did you mean trade" in result.stderr and "Traceback" not in result.stderr


def test_a_year_outside_the_layer_says_what_it_covers(store):
    from worldorder.networks.layers import NetworkError

    result = CliRunner().invoke(app, ["blocs", "--layer", "alliance", "--year", "1700"])
    assert isinstance(result.exception, NetworkError) and "no data for 1700" in str(result.exception)
    assert "1815-2018" in str(result.exception)
