"""States named and listed as in the year shown: the report's bloc section, the CLI's blocs and its state lookup (real data)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

from worldorder.cli import app


def _spells_of(mirror, year: int) -> pd.DataFrame:
    """The COW spells (raw state list) that hold ``year``, one per state: the system of that year."""
    spells = pd.read_csv(mirror / "cow" / "statelist2024.csv")
    spells = spells[(spells["styear"] <= year) & (spells["endyear"] >= year)]
    return spells.sort_values("styear").drop_duplicates("ccode", keep="last").set_index("ccode")


def test_blocs_of_1985_list_the_members_of_1985_by_their_abbreviations(store, mirror):
    """ATOP lists Monaco, Liechtenstein, San Marino, Kiribati and Tuvalu in 1985, before COW admits them: they are left out."""
    atop = store.table("ps_atop_alliance")
    listed = set(atop.loc[atop["year"] == 1985, "ccode1"]) | set(atop.loc[atop["year"] == 1985, "ccode2"])
    members = _spells_of(mirror, 1985)
    assert {221, 223, 331, 946, 947} <= listed - set(members.index)  # the source does list them
    result = CliRunner().invoke(app, ["blocs", "--layer", "alliance", "--year", "1985", "--runs", "1", "--format", "csv"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert sorted(table["ccode"]) == sorted(members.index)  # every member once, no state outside the 1985 system
    assert not table["stateabb"].astype(str).str.fullmatch(r"\d+").any()
    assert dict(zip(table["ccode"], table["stateabb"])) == members["stateabb"].to_dict()


def test_the_cli_bloc_map_names_the_blocs_as_in_their_year(store, tmp_path):
    chart = tmp_path / "blocs.html"
    result = CliRunner().invoke(app, ["blocs", "--layer", "alliance", "--year", "1985", "--runs", "1", "--power", "cinc",
                                      "--chart", str(chart), "--out", str(tmp_path / "b.csv")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Soviet Union, China" in chart.read_text(encoding="utf-8")  # the legend: the bloc's largest members in 1985


def test_a_layer_of_system_states_has_no_tie_outside_the_system(store, mirror):
    from worldorder import load_layer

    layer = load_layer("alliance", years="1975-1999", db=store)
    spells = pd.read_csv(mirror / "cow" / "statelist2024.csv")
    for year in (1979, 1990, 1999):
        members = set(spells.loc[(spells["styear"] <= year) & (spells["endyear"] >= year), "ccode"])
        ties = layer.edges_of(year)
        assert len(ties) > 1000 and set(ties["ccode1"]) | set(ties["ccode2"]) <= members
        assert set(layer[year].vs["ccode"]) == members
    assert 946 not in set(layer[1998].vs["ccode"]) and 946 in set(layer[1999].vs["ccode"])  # Kiribati joins COW in 1999


@pytest.mark.parametrize("year, present, absent", [(1985, "Soviet Union", "Russia"), (2018, "Russia", "Soviet Union")])
def test_the_report_names_the_blocs_as_in_their_year(store, tmp_path, year, present, absent):
    from worldorder import build_report

    build_report(tmp_path / "r.html", sections=["blocs"], bloc_layer="atop", bloc_year=year, db=store, progress=False)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    start = html.index('<section id="blocs"')
    section = html[start:html.index("</section>", start)]  # the page's head carries the map's shapes, named as today
    assert present in section and absent not in section


def test_a_state_given_by_its_code_is_named_as_in_the_year(store):
    from worldorder.cli.networks import _state

    assert (_state("365", 1985, store).name, _state("365", 2000, store).name) == ("Soviet Union", "Russia")
    assert (_state("345", 1999, store).stateabb, _state("345", 2010, store).stateabb) == ("YUG", "SRB")
    assert _state("345", 1999, store).name == "Yugoslavia"
