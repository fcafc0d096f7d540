"""World trade openness as shown to readers: the World Bank series beside the COW series, with sources and last years."""

from __future__ import annotations

import pandas as pd

__all__ = ["OPENNESS_SOURCES", "openness_chart"]

#: Data sets behind each series of :func:`worldorder.load_openness`: the World Bank's world series and the COW-based one.
OPENNESS_SOURCES = {"openness_wb": ("wb_trade_share",), "openness": ("cow_trade_national_4", "wb_gdp")}
_NAMES = {"openness_wb": "world, World Bank (openness_wb)", "openness": "states with COW trade and World Bank GDP (openness)"}
_SHORT = {"openness_wb": "World Bank world series", "openness": "COW-based series"}


def openness_chart(table: pd.DataFrame):
    """A line chart of world trade openness from a :func:`worldorder.load_openness` table.

    One line per series that has values (the World Bank's, then the COW-based
    one); the caption names both series' last years and the sources with
    their versions and the years their data run to.

    Notes
    -----
    Openness is :math:`(X + M) / Y`: exports plus imports of goods and
    services over GDP.  ``openness_wb`` is the World Bank's world aggregate
    (WDI NE.TRD.GNFS.ZS / 100, to 2023); ``openness`` sums COW national
    trade over the World Bank GDP of the states that have both, so it ends
    with COW trade in 2014.

    References
    ----------
    World Bank. World Development Indicators, NE.TRD.GNFS.ZS.
    Barbieri, K. & Keshk, O. 2016. Correlates of War Project Trade Data Set Codebook, Version 4.0.

    Examples
    --------
    >>> from worldorder import load_openness
    >>> chart = openness_chart(load_openness())  # doctest: +SKIP
    >>> chart.series[0].x[-1]  # doctest: +SKIP
    2023
    """
    from worldorder.charts import Chart, Series, caption

    series, ends, sources = [], [], []
    for column, name in _NAMES.items():
        rows = table.dropna(subset=[column]) if column in table.columns else table.iloc[0:0]
        if rows.empty:
            continue
        series.append(Series(name, rows["year"].astype(int).tolist(), rows[column].astype(float).tolist()))
        ends.append(f"{_SHORT[column]} {int(rows['year'].min())}-{int(rows['year'].max())}")
        sources.extend(OPENNESS_SOURCES[column])
    text = caption(measure="exports plus imports of goods and services over GDP", note="; ".join(ends), sources=sources)
    return Chart(title="World trade openness", series=series, caption=text, xlabel="year", ylabel="share of GDP")
