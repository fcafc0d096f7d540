"""Report section on the future: a baseline Monte Carlo projection of the distribution of power."""

from __future__ import annotations

import pandas as pd

from worldorder.report.html import esc, table_html


def projection_section(builder, key: str, horizon: int, paths: int, seed: int) -> str:
    from worldorder.charts import Chart, Series
    from worldorder.sim import project

    column = builder.column(key)
    power = builder.frame[["ccode", "year", column]]
    result = project(power, horizon=horizon, paths=paths, seed=seed, rule=builder.rule, progress=False, value=column)
    settings = result.settings
    builder._source(*builder.info(key).get("sources", ()))
    names = dict(zip(builder.frame["ccode"], builder.frame["stateabb"]))
    q = [c for c in result.polarity.columns if c.startswith("q")]
    low, high = q[0], q[-1]
    median = "q50" if "q50" in q else q[len(q) // 2]
    note = (f"{paths:,} paths from {settings['base_year']} to {horizon}, seed {seed}; growth calibrated on "
            f"{settings['window'][0]}-{settings['window'][1]}, correlation {settings['correlation']}; band {low}-{high}")
    cap = builder.caption(key, rule=settings["rule"], note=note)
    parts = [f'<p class="lead">A baseline projection: each state\'s {esc(builder.info(key)["label"])} grows as it did in '
             f"{settings['window'][0]}-{settings['window'][1]} (means shrunk toward the group, correlated across regions), "
             "with no shocks. The bands show the spread of the simulated paths, not a forecast of events.</p>"]
    for index, title, ylabel in (("enp", "Effective number of poles", "1 / HHI"), ("con", "Concentration of power (CON)", "CON")):
        rows = result.polarity[result.polarity["index"] == index]
        chart = Chart(title=f"{title}: baseline projection ({key})",
                      series=[Series(f"{low}-{high}", rows["year"].tolist(), rows[low].tolist(), kind="band", y2=rows[high].tolist()),
                              Series("median", rows["year"].tolist(), rows[median].tolist())],
                      caption=cap, xlabel="year", ylabel=ylabel)
        parts.append(builder.chart_html(chart))
    labels = result.labels
    chart = Chart(title=f"Probability of each polarity label ({settings['rule']})",
                  series=[Series(n, labels["year"].tolist(), labels[n].tolist()) for n in ("unipolar", "bipolar", "multipolar", "nonpolar") if labels[n].any()],
                  caption=cap, xlabel="year", ylabel="probability", ylim=(0, 1.02))
    parts.append(builder.chart_html(chart))
    if result.states is not None:
        states = result.states
        base = states[states["year"] == states["year"].min()].nlargest(5, "mean")["ccode"].tolist()
        series = []
        for code in base:
            rows = states[states["ccode"] == code]
            series.append(Series(names.get(int(code), str(code)), rows["year"].tolist(), rows[median].tolist()))
        chart = Chart(title="Median projected shares of the five largest states", series=series, caption=cap, xlabel="year", ylabel="share")
        parts.append(builder.chart_html(chart))
    transition = result.transition
    leader, challenger = int(transition["leader"].iloc[0]), int(transition["challenger"].iloc[0])
    shown = transition[transition["year"].isin(sorted({int(transition["year"].min()), *range(2030, horizon + 1, 10), horizon}))]
    enp = result.polarity[result.polarity["index"] == "enp"].set_index("year")
    rows = []
    for record in shown.itertuples(index=False):
        rows.append({"year": record.year, "enp": enp.loc[record.year, median], "unipolar": labels.set_index("year").loc[record.year, "unipolar"],
                     "bipolar": labels.set_index("year").loc[record.year, "bipolar"],
                     "multipolar": labels.set_index("year").loc[record.year, "multipolar"], "overtaken": record.p_overtaken})
    parts.append(table_html(pd.DataFrame(rows), {"year": ("year", "int"), "enp": ("median effective poles", ".2f"),
                                                 "unipolar": ("P(unipolar)", "pct"), "bipolar": ("P(bipolar)", "pct"),
                                                 "multipolar": ("P(multipolar)", "pct"),
                                                 "overtaken": (f"P({names.get(challenger, challenger)} ahead of {names.get(leader, leader)} in some year so far)", "pct")},
                            caption=note))
    return "\n".join(parts)
