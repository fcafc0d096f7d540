"""Charts: PNG/SVG with matplotlib and interactive HTML with Plotly, each with its caption."""

from __future__ import annotations

import pytest

from worldorder.charts import ChartError, Span, bar_chart, caption, line_chart, save_chart


@pytest.fixture(scope="module")
def charts():
    cap = caption(measure="CINC", rule="leader:0.5", sources="COW NMC v7.0", among="all states")
    line = line_chart([1900, 1901, 1902], {"CON": [0.2, float("nan"), 0.3]}, title="Concentration", caption=cap,
                      spans=[Span(1899.5, 1901.5, "bipolar")], hlines=[0.25])
    bars = bar_chart(["USA", "CHN"], [0.3, 0.2], title="Top", caption=cap, text=["30%", "20%"])
    return cap, line, bars


def test_caption_states_measure_rule_and_sources(charts):
    cap, _, _ = charts
    assert cap == "Measure: CINC. Reference set: all states. Rule: leader:0.5. Sources: COW NMC v7.0."


@pytest.mark.parametrize("suffix", [".png", ".svg", ".html"])
def test_every_format_is_written(charts, tmp_path, suffix):
    _, line, bars = charts
    for chart in (line, bars):
        path = save_chart(chart, tmp_path / f"{chart.title}{suffix}", plotlyjs="cdn")
        assert path.stat().st_size > 1000
    if suffix in (".svg", ".html"):
        text = (tmp_path / f"Concentration{suffix}").read_text()
        assert "COW NMC v7.0" in text


def test_unknown_format_and_empty_chart(charts, tmp_path):
    _, line, _ = charts
    with pytest.raises(ChartError, match="must end in"):
        save_chart(line, tmp_path / "chart.jpg")
    with pytest.raises(ChartError, match="Nothing to draw"):
        save_chart(line_chart([], {"x": []}, title="empty"), tmp_path / "e.png")


@pytest.mark.parametrize("suffix", [".png", ".svg", ".html"])
def test_bars_with_no_value_draw_without_warning(tmp_path, suffix):
    """A bar series whose values are all missing (a claim with no evidence yet) draws cleanly, saying so."""
    import warnings

    chart = bar_chart(["USA", "CHN"], [None, float("nan")], title="No values", text=["", ""])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = save_chart(chart, tmp_path / f"none{suffix}", plotlyjs="cdn")
    assert path.stat().st_size > 1000
    if suffix == ".svg":
        assert "no value for any bar" in path.read_text()
    partly = line_chart([1, 2], {"a": [float("nan"), float("nan")], "b": [0.5, 0.7]}, title="Partly missing")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        save_chart(partly, tmp_path / f"partly{suffix}", plotlyjs="cdn")
