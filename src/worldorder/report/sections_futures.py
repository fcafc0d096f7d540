"""Report section on the future: a baseline Monte Carlo projection of the distribution of power, with its track record."""

from __future__ import annotations

import pandas as pd

from worldorder.report.html import details, esc, table_html


def projection_section(builder, key: str, horizon: int, paths: int, seed: int) -> str:
    from worldorder import Chart, Series
    from worldorder import LABEL_COLOURS, measure_colour, series_colour
    from worldorder import project

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
    record = _track_record(key, horizon - int(settings["base_year"]))
    parts = [f'<p class="lead">A baseline projection: each state\'s {esc(builder.info(key)["label"])} grows as it did in '
             f"{settings['window'][0]}-{settings['window'][1]} (means shrunk toward the group, correlated across regions), "
             "with no shocks. The bands show the spread of the simulated paths, not a forecast of events.</p>"]
    parts.append(f'<p class="lead"><b>{esc(record[0])}</b></p>')
    parts.extend(f'<p class="lead">{esc(sentence)}</p>' for sentence in record[1:])
    labels = result.labels
    chart = Chart(title=f"Probability of each polarity label ({settings['rule']})",
                  series=[Series(n, labels["year"].tolist(), labels[n].tolist(), colour=LABEL_COLOURS[n])
                          for n in ("unipolar", "bipolar", "multipolar", "nonpolar") if labels[n].any()],
                  caption=cap, xlabel="year", ylabel="probability", ylim=(0, 1.02))
    parts.append(builder.chart_html(chart))
    more = []
    for index, title, ylabel in (("enp", "Effective number of poles", "1 / HHI"), ("con", "Concentration of power (CON)", "CON")):
        rows = result.polarity[result.polarity["index"] == index]
        chart = Chart(title=f"{title}: baseline projection ({key})",
                      series=[Series(f"{low}-{high}", rows["year"].tolist(), rows[low].tolist(), kind="band", y2=rows[high].tolist()),
                              Series("median", rows["year"].tolist(), rows[median].tolist(), colour=measure_colour(key))],
                      caption=cap, xlabel="year", ylabel=ylabel)
        more.append(builder.chart_html(chart))
    if result.states is not None:
        states = result.states
        base = states[states["year"] == states["year"].min()].nlargest(5, "mean")["ccode"].tolist()
        series = []
        for i, code in enumerate(base):
            rows = states[states["ccode"] == code]
            series.append(Series(names.get(int(code), str(code)), rows["year"].tolist(), rows[median].tolist(), colour=series_colour(i)))
        chart = Chart(title="Median projected shares of the five largest states", series=series, caption=cap, xlabel="year", ylabel="share")
        more.append(builder.chart_html(chart))
    transition = result.transition
    leader, challenger = int(transition["leader"].iloc[0]), int(transition["challenger"].iloc[0])
    shown = transition[transition["year"].isin(sorted({int(transition["year"].min()), *range(2030, horizon + 1, 10), horizon}))]
    enp = result.polarity[result.polarity["index"] == "enp"].set_index("year")
    by_year = labels.set_index("year")
    rows = []
    for item in shown.itertuples(index=False):
        rows.append({"year": item.year, "enp": enp.loc[item.year, median], "unipolar": by_year.loc[item.year, "unipolar"],
                     "bipolar": by_year.loc[item.year, "bipolar"], "multipolar": by_year.loc[item.year, "multipolar"],
                     "overtaken": item.p_overtaken})
    overtaken = f"P({names.get(challenger, challenger)} ahead of {names.get(leader, leader)} in some year so far)"
    parts.append(table_html(pd.DataFrame(rows), {"year": ("year", "int"), "enp": ("median effective poles", ".2f"),
                                                 "unipolar": ("P(unipolar)", "pct"), "bipolar": ("P(bipolar)", "pct"),
                                                 "multipolar": ("P(multipolar)", "pct"), "overtaken": (overtaken, "pct")},
                            caption=note))
    parts.append(details("Poles, concentration and the largest states' shares (three charts)", "".join(more)))
    end = by_year.loc[horizon] if horizon in by_year.index else by_year.iloc[-1]
    builder.facts["projection"] = {
        "measure": builder.info(key)["label"], "base_year": int(settings["base_year"]), "horizon": int(end.name),
        "labels": {n: float(end[n]) for n in ("unipolar", "bipolar", "multipolar")}, "record": record,
        "leader": names.get(leader, leader), "challenger": names.get(challenger, challenger),
        "overtaken": float(transition["p_overtaken"].iloc[-1]),
    }
    return "\n".join(parts)


def _track_record(key: str, years_ahead: int) -> list[str]:
    """How the projection of ``key`` did in backtests, a sentence per set of origins (:func:`worldorder.track_record_parts`)."""
    from worldorder import track_record_parts

    return track_record_parts(key, years_ahead)
