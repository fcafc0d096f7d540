"""Readable at a glance: one palette, agreement only where measures agree, bloc maps, short reprs, small chart folders."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder.charts import agreement_chart, agreement_support
from worldorder.palette import LABEL_COLOURS, MEASURE_COLOURS, PALETTE, label_colour, measure_colour


# -- one palette ------------------------------------------------------------------------------------
def test_labels_have_colours_no_measure_or_series_uses():
    labels = {LABEL_COLOURS[n].upper() for n in ("unipolar", "bipolar", "multipolar")}
    assert len(labels) == 3
    assert not labels & {c.upper() for c in MEASURE_COLOURS.values()}
    assert not labels & {c.upper() for c in PALETTE}
    assert label_colour("bipolar") == LABEL_COLOURS["bipolar"] and label_colour(None) != LABEL_COLOURS["bipolar"]


def test_a_measure_keeps_its_colour_by_key_or_column():
    assert measure_colour("milex") == measure_colour("milex_usd") == MEASURE_COLOURS["milex"]  # the column of milex
    assert measure_colour("gdp") != measure_colour("cinc")
    unknown = measure_colour("a_measure_added_later")
    assert unknown in PALETTE and unknown == measure_colour("a_measure_added_later")


# -- agreement -----------------------------------------------------------------------------------
def _robustness() -> pd.DataFrame:
    """polarity_robustness's shape by hand: two measures x two rules; in 2001 only measure a has data."""
    return pd.DataFrame({
        "year": [2000, 2001],
        "a|leader": ["bipolar", "unipolar"], "a|wayman": ["bipolar", "unipolar"],
        "b|leader": ["bipolar", None], "b|wayman": ["multipolar", None],
        "modal": ["bipolar", "unipolar"], "agreement": [0.75, 1.0], "labels": [4, 2],
    })


def test_agreement_is_left_out_where_fewer_than_two_measures_have_data():
    support = agreement_support(_robustness()).set_index("year")
    assert support.loc[2000, "measures"] == 2 and support.loc[2000, "agreement"] == 0.75
    assert support.loc[2001, "measures"] == 1 and math.isnan(support.loc[2001, "agreement"])  # one measure agrees with itself


def test_the_agreement_chart_shows_how_many_measures_each_year_rests_on():
    chart = agreement_chart(_robustness(), "Agreement", "Rules: leader, wayman.")
    line, step = chart.series
    assert line.y[0] == 0.75 and math.isnan(line.y[1])
    assert step.y == [1.0, 0.5] and "2 measures" in step.name
    assert [s.group for s in chart.spans] == ["bipolar", "unipolar"] and "fewer than two" in chart.caption


# -- blocs on a map and as a network ------------------------------------------------------------------
BLOCS = pd.DataFrame({
    "ccode": [2, 20, 200, 220, 365, 710, 731, 100],
    "stateabb": ["USA", "CAN", "UKG", "FRN", "RUS", "CHN", "PRK", "COL"],
    "bloc": [1, 1, 1, 1, 2, 2, 2, 3],
})
POWER = pd.DataFrame({"ccode": [2, 20, 200, 220, 365, 710, 731, 100], "cinc": [0.14, 0.01, 0.02, 0.015, 0.04, 0.23, 0.014, 0.003]})


def test_bloc_map_orders_blocs_by_power_and_names_them_by_their_largest_members(store):
    from worldorder import bloc_map

    picture = bloc_map(BLOCS, 2010, size=POWER, members=2, db=store)
    legend = picture.legend.set_index("bloc")
    # bloc 2 (CHN 0.23 + RUS 0.04 + PRK) outweighs bloc 1 (USA 0.14 + ...): it comes first and takes the first colour
    assert list(picture.legend["bloc"]) == [2, 1, -1]
    assert legend.loc[2, "label"] == "CHN, RUS and 1 more" and legend.loc[1, "label"] == "USA, UKG and 2 more"
    assert legend.loc[2, "colour"] == PALETTE[0] and legend.loc[-1, "label"] == "no bloc (1 states alone)"
    assert legend.loc[2, "power_share"] == pytest.approx((0.23 + 0.04 + 0.014) / POWER["cinc"].sum())
    shapes = picture.shapes.set_index("iso3")
    assert shapes.loc["USA", "colour"] == legend.loc[1, "colour"] and shapes.loc["CHN", "colour"] == legend.loc[2, "colour"]
    assert shapes.loc["COL", "bloc"] == 3  # alone: drawn, in the grey of states without a bloc


def test_bloc_maps_are_written_as_pictures_and_as_offline_html(store, tmp_path):
    from worldorder import bloc_map, save_bloc_map

    picture = bloc_map(BLOCS, 2010, size=POWER, db=store, title="Blocs", caption="A test.")
    png = save_bloc_map(picture, tmp_path / "blocs.png")
    assert png.stat().st_size > 20_000
    page = save_bloc_map(picture, tmp_path / "blocs.html").read_text(encoding="utf-8")
    assert "PlotlyGeoAssets" in page and '"world_110m"' not in page.split("PlotlyGeoAssets")[0]  # shapes before the plot
    with pytest.raises(Exception, match="must end in"):
        save_bloc_map(picture, tmp_path / "blocs.gif")


def test_the_network_view_sets_blocs_apart():
    import igraph as ig

    from worldorder import bloc_layout

    graph = ig.Graph.Full(12) + ig.Graph.Ring(8)  # a dense pact and a looser bloc
    graph.es["weight"] = 1.0
    bloc_of = np.array([1] * 12 + [2] * 8)
    xy = bloc_layout(graph, bloc_of, seed=3)
    first, second = xy[:12], xy[12:]
    gap = np.min(np.linalg.norm(first[:, None, :] - second[None, :, :], axis=2))
    assert gap > 0.3  # no state of one bloc among the other's
    assert np.allclose(bloc_layout(graph, bloc_of, seed=3), xy)  # seeded


# -- reprs -----------------------------------------------------------------------------------------
def _synthetic_power() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for ccode, level in ((2, 10.0), (710, 9.0), (365, 8.0), (200, 7.5), (220, 7.0), (740, 7.2)):
        value = np.exp(level)
        for year in range(1990, 2021):
            value *= np.exp(0.02 + 0.03 * rng.standard_normal())
            rows.append((ccode, year, value))
    return pd.DataFrame(rows, columns=["ccode", "year", "power"])


def test_results_print_as_short_summaries_not_dumps():
    from worldorder import project

    result = project(_synthetic_power(), horizon=2030, paths=200, seed=2, progress=False)
    for shown in (repr(result), repr(result.model)):
        assert len(shown.splitlines()) <= 10 and "array(" not in shown and len(shown) < 1200
    assert repr(result).startswith("Projection of power: 6 states from 2020 to 2030, 200 paths, seed 2")
    assert "labels in 2030" in repr(result) and "calibrated on" in repr(result.model)
    assert result._repr_html_().startswith("<table>") and "<th" in result.model._repr_html_()


def test_help_opens_with_a_guide_and_an_example():
    import worldorder

    doc = worldorder.__doc__
    assert doc.index("A short guide") < doc.index("Example") < doc.index("__all__")
    assert ">>> import worldorder as wo" in doc


# -- a folder of charts shares one plotly.js -------------------------------------------------------
@pytest.mark.slow
def test_project_out_dir_charts_share_one_plotly_script(store, tmp_path):
    from typer.testing import CliRunner

    from worldorder.cli import app

    folder = tmp_path / "projection"
    result = CliRunner().invoke(app, ["project", "--measure", "gdp", "--paths", "200", "--horizon", "2030",
                                      "--out-dir", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 4 and (folder / "plotly.min.js").stat().st_size > 1_000_000
    for page in pages:
        assert page.stat().st_size < 300_000, page
        assert 'src="plotly.min.js"' in page.read_text(encoding="utf-8")
    assert len(list(Path(folder).glob("plotly*.js"))) == 1


@pytest.mark.slow
def test_blocs_chart_is_a_map_by_default_and_a_network_on_request(store, tmp_path):
    from typer.testing import CliRunner

    from worldorder.cli import app

    runner = CliRunner()
    base = ["blocs", "--layer", "alliance", "--year", "1985", "--power", "cinc", "--runs", "3"]
    result = runner.invoke(app, [*base, "--chart", str(tmp_path / "blocs.html"), "-o", str(tmp_path / "blocs.csv")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "blocs.html").read_text(encoding="utf-8")
    assert "PlotlyGeoAssets" in page and "choropleth" in page and "named by their largest members" in page
    result = runner.invoke(app, [*base, "--chart", str(tmp_path / "blocs.png"), "--view", "network", "-o", str(tmp_path / "b.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "blocs.png").stat().st_size > 20_000
    assert runner.invoke(app, [*base, "--chart", str(tmp_path / "x.png"), "--view", "ring"]).exit_code == 2
