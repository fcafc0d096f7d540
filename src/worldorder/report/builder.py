"""The report's builder: the data the sections share, their captions and charts, and the sources they name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.report.html import esc


class Builder:
    """Holds the data shared by the sections and turns each section into HTML."""

    def __init__(self, measures, first, last, among, rule, rules, db, seed):
        self.measures = measures
        self.first, self.last = first, last
        self.among, self.rule = among, rule
        self.rules = rules
        self.db = db
        self.seed = seed
        self.sources: list[str] = []
        self.charts = 0
        self.verdicts: pd.DataFrame | None = None
        self.frame: pd.DataFrame | None = None
        self.power = None  # the PowerTable the sections and the claims share
        self.data = None
        self.facts: dict[str, object] = {}  # what each section found, for the summary at the top

    # data
    def load(self, extra_measures) -> None:
        from worldorder import ClaimsData as Data
        from worldorder import PowerTable

        self.power = PowerTable(db=self.db)
        self.frame = self.power.table([*self.measures, *extra_measures])
        self.data = Data(db=self.db, power=self.power)
        self._source("cow_system_2024", "cow_majors_2024")

    def column(self, key: str) -> str:
        return self.power.column(key)

    def info(self, key: str) -> dict:
        """Label, unit and sources of a measure (:meth:`worldorder.PowerTable.info`)."""
        return self.power.info(key)

    def history(self) -> pd.DataFrame:
        """The power table restricted to the chosen years (its measure records kept)."""
        import copy

        if self.first is None and self.last is None:
            return self.frame
        years = self.frame["year"]
        keep = np.ones(len(self.frame), dtype=bool)
        if self.first is not None:
            keep &= (years >= self.first).to_numpy()
        if self.last is not None:
            keep &= (years <= self.last).to_numpy()
        out = self.frame[keep]
        out.attrs = copy.deepcopy(self.frame.attrs)
        return out

    def _source(self, *names) -> None:
        for name in names:
            if name and name not in self.sources:
                self.sources.append(name)

    def chart_html(self, chart) -> str:
        """A Chart from :mod:`worldorder.charts` as an inline Plotly div (plotly.js is in the page head), its caption below."""
        from dataclasses import replace

        from worldorder import to_plotly

        self.charts += 1
        figure = to_plotly(replace(chart, caption=""))
        bars = [s for s in chart.series if s.kind == "bar"]
        if chart.horizontal and bars:
            rows = len(bars[0].x)
            height = max(300, 150 + rows * max(30, 9 * len(bars)))
            figure.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0}, margin={"t": 100, "b": 60})
        else:
            height = 440
            figure.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0}, margin={"t": 60, "b": 100})
        figure.update_layout(height=height)
        div = figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{self.charts}",
                             config={"displaylogo": False, "responsive": True})
        caption = f'<figcaption class="caption">{esc(chart.caption)}</figcaption>' if chart.caption else ""
        return f'<figure class="chart">{div}{caption}</figure>'

    def figure_html(self, figure, caption: str = "") -> str:
        """A Plotly figure drawn as it is (a map), inline, its caption below."""
        self.charts += 1
        div = figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{self.charts}",
                             config={"displaylogo": False, "responsive": True})
        text = f'<figcaption class="caption">{esc(caption)}</figcaption>' if caption else ""
        return f'<figure class="chart">{div}{text}</figure>'

    def caption(self, key: str, among: str = "", rule: str = "", note: str = "") -> str:
        from worldorder import caption, measure_caption

        info = self.info(key)
        self._source(*info.get("sources", ()))
        measure = measure_caption({**info, "notes": ""})  # the report states notes in its text, not in captions
        return caption(measure=measure, rule=rule, sources=info.get("sources", ()), among=among, note=note)

    def _key_of(self, key_or_column: str) -> str:
        from worldorder import MEASURES

        for key, spec in MEASURES.items():
            if key_or_column in (key, spec.column):
                return key
        return key_or_column


def source_names(names) -> str:
    """The data sets ``names`` as a caption names them."""
    from worldorder import source_text

    return source_text(list(names))


def caption_text(note: str, keys, builder: Builder) -> str:
    """A caption naming each measure of ``keys`` with its label and sources (recorded as the report's sources)."""
    from worldorder import caption

    labels, sources = [], []
    for key in keys:
        info = builder.info(builder._key_of(key))
        labels.append(f"{key}: {info['label']}")
        sources.extend(info.get("sources", ()))
        builder._source(*info.get("sources", ()))
    return caption(measure="; ".join(labels), sources=list(dict.fromkeys(sources)), note=note)
