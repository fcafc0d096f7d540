"""Report sections on power: polarity over time, today's distribution and regional leaders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from worldorder.report.builder import caption_text
from worldorder.report.html import details, esc, table_html


def polarity_section(builder) -> str:
    from worldorder import Chart, Series, Span, agreement_chart, agreement_support, label_spans
    from worldorder import measure_colour
    from worldorder import describe_among, eras, polarity, polarity_robustness, pole_rule
    from worldorder import DEFAULT_RULES

    frame = builder.history()
    key = builder.measures[0]
    column = builder.column(key)
    the_rule = pole_rule(builder.rule)
    table = polarity(frame, column, among=builder.among, rule=the_rule)
    table = table[table["n"] > 0].reset_index(drop=True)
    among_text = describe_among(builder.among)
    parts = [f'<p class="lead">How concentrated power is among {esc(among_text)}, year by year, by '
             f'{esc(builder.info(key)["label"])}, and the polarity label under the rule "{esc(str(the_rule))}". '
             "The label counts poles: one is unipolar, two bipolar, three or more multipolar.</p>"]
    x = table["year"].tolist()
    chart = Chart(
        title=f"Concentration of power ({key}, {among_text})",
        series=[Series("CON", x, table["con"].tolist(), colour=measure_colour(key)),
                Series("top-1 share", x, table["top1_share"].tolist(), colour="#1D2733"),
                Series("top-1 minus top-2", x, table["top_gap"].tolist(), dash=True, colour="#8C8C8C")],
        caption=builder.caption(key, among=among_text, rule=str(the_rule), note="shading: polarity label of each year"),
        xlabel="year", ylabel="index (0-1)", spans=label_spans(x, table["polarity"].tolist()),
    )
    parts.append(builder.chart_html(chart))
    # robustness: the label by every measure and rule
    rules = list(builder.rules or DEFAULT_RULES)
    columns = [builder.column(k) for k in builder.measures]
    robust = polarity_robustness(frame, columns, among=builder.among, rules=rules)
    rules_text = "; ".join(f"{name}: {text}" for name, text in robust.attrs["rules"].items())
    parts.append("<h3>How sure the label is</h3>")
    parts.append('<p class="lead">The label depends on the measure and the pole rule. The line shows the share of '
                 "measure-rule combinations that give the most frequent label of each year (the shading); it is drawn only "
                 "where two or more measures have data, and the dashed step shows how many do.</p>")
    parts.append(builder.chart_html(agreement_chart(
        robust, f"Agreement of polarity labels across {len(columns)} measures and {len(rules)} rules",
        caption_text(f"share of measure-rule combinations giving the most frequent label; rules: {rules_text}", builder.measures, builder))))
    # eras
    era_table = eras(table, columns=("con",))
    step_x, step_y = [], []
    for row in era_table.itertuples(index=False):
        step_x += [row.start - 0.5, row.end + 0.5, float("nan")]
        step_y += [row.mean_con, row.mean_con, float("nan")]
    chart = Chart(
        title=f"Eras of power concentration ({key}, {among_text})",
        series=[Series("CON", x, table["con"].tolist(), colour=measure_colour(key)),
                Series("era mean of CON", step_x, step_y, dash=True, colour="#1D2733")],
        caption=builder.caption(key, among=among_text, note=f"eras: change points in CON by {era_table.attrs.get('method', 'pelt')} "
                                f"({era_table.attrs.get('model', 'l2')} cost)"),
        xlabel="year", ylabel="CON", spans=[Span(r.start - 0.5, r.end + 0.5, f"{r.start}-{r.end}") for r in era_table.itertuples(index=False)],
    )
    era_columns = {"era": ("era", "int"), "start": ("from", "int"), "end": ("to", "int"), "years": ("years", "int"),
                   "mean_con": ("mean CON", ".3f"), "mean_effective_poles": ("mean effective poles", ".2f"),
                   "mean_top1_share": ("mean top-1 share", "pct"), "polarity": ("most frequent label", None),
                   "polarity_share": ("share of years", "pct"), "leader": ("most frequent leader", None)}
    parts.append(details(f"Eras: {len(era_table)} periods of similar concentration (chart and table)",
                         builder.chart_html(chart) + table_html(era_table, {k: v for k, v in era_columns.items() if k in era_table.columns},
                                                                 caption="Eras found by change-point detection in CON (worldorder.power.eras).")))
    # CON by every measure
    lines, today = [], []
    for other in builder.measures:
        part = polarity(frame, builder.column(other), among=builder.among, rule=the_rule)
        part = part[part["n"] > 0]
        lines.append(Series(other, part["year"].tolist(), part["con"].tolist(), colour=measure_colour(other)))
        builder._source(*builder.info(other).get("sources", ()))
        dated = part[part["polarity"].notna()]
        if len(dated):
            last = dated.iloc[-1]
            today.append({"measure": other, "label": builder.info(other)["label"], "year": int(last["year"]),
                          "polarity": last["polarity"], "poles": str(last["poles"]).replace(";", ", ")})
    chart = Chart(title=f"Concentration of power by measure ({among_text})", series=lines,
                  caption=caption_text(f"CON of each measure among {among_text}", builder.measures, builder),
                  xlabel="year", ylabel="CON")
    parts.append(details("Concentration by each measure (chart)", builder.chart_html(chart)))
    support = agreement_support(robust)
    latest = support[support["agreement"].notna()].tail(1)
    builder.facts["polarity"] = {
        "today": today, "rule": str(the_rule), "among": among_text, "measures": len(columns), "rules": len(rules),
        "agreement": None if latest.empty else {
            "year": int(latest["year"].iloc[0]), "modal": latest["modal"].iloc[0], "share": float(latest["agreement"].iloc[0]),
            "measures": int(latest["measures"].iloc[0]),
            "combinations": int(robust.loc[latest.index[0], "labels"]),
        },
    }
    return "\n".join(parts)


def distribution_section(builder) -> str:
    from worldorder import Chart, Series
    from worldorder import measure_colour
    from worldorder import polarity, pole_rule, shares

    frame = builder.history()
    the_rule = pole_rule(builder.rule)
    summary, tops = [], {}
    for key in builder.measures:
        column = builder.column(key)
        with_values = frame[frame[column].notna()]
        if with_values.empty:
            continue
        year = int(with_values["year"].max())
        table = shares(frame[frame["year"] == year], column, among="all")
        table = table[table["share"].notna()].sort_values("share", ascending=False)
        tops[key] = (year, table)
        yearly = polarity(frame[frame["year"] == year], column, among="all", rule=the_rule)
        row = yearly.iloc[0]
        summary.append({"measure": key, "label": builder.info(key)["label"], "year": year, "n": int(row["n"]),
                        "leader": row["leader"], "top1": row["top1_share"], "second": row["second"],
                        "top2": row["top2_share"], "con": row["con"], "enp": row["effective_poles"],
                        "poles": row["poles"], "polarity": row["polarity"]})
        builder._source(*builder.info(key).get("sources", ()))
    if not tops:
        return '<p class="lead">No measure has values in the chosen years.</p>'
    first_key = next(iter(tops))
    order = list(tops[first_key][1]["stateabb"].head(8))
    for key, (_, table) in tops.items():
        for abb in table["stateabb"].head(3):
            if abb not in order:
                order.append(abb)
    series = []
    for key, (year, table) in tops.items():
        lookup = dict(zip(table["stateabb"], table["share"]))
        series.append(Series(f"{key} ({year})", order, [lookup.get(a, np.nan) for a in order], kind="bar", colour=measure_colour(key)))
    chart = Chart(title="Shares of the largest states by each measure, latest year with data", series=series,
                  caption=caption_text("share of all states with a value in the measure's latest year", list(tops), builder),
                  xlabel="state", ylabel="share of the system total", horizontal=True)
    parts = ['<p class="lead">Each measure\'s latest year with data: the shares of the largest states, how concentrated '
             f'power is, and the poles under the rule "{esc(str(the_rule))}" (all states as the reference set).</p>',
             table_html(pd.DataFrame(summary), {
                 "measure": ("measure", None), "year": ("year", "int"), "n": ("states", "int"), "leader": ("largest", None),
                 "top1": ("its share", "pct"), "second": ("second", None), "top2": ("its share", "pct"), "con": ("CON", ".3f"),
                 "enp": ("effective poles", ".2f"), "poles": ("poles", None), "polarity": ("label", None)},
                 caption="CON: Ray-Singer-Stuckey concentration (0 equal shares, 1 one holder); effective poles: 1/HHI."),
             details(f"Shares of the {len(order)} largest states by each measure (chart)", builder.chart_html(chart))]
    builder.facts["distribution"] = summary
    return "\n".join(parts)


def regions_section(builder, ledger) -> str:
    from worldorder import Chart, Series
    from worldorder import measure_colour
    from worldorder import regional_leaders

    frame = builder.history()
    columns = [builder.column(k) for k in builder.measures]
    tables = [("COW regions (Oceania apart)", regional_leaders(frame, columns, regions="cow6", year=None, db=builder.db))]
    if ledger is not None and ledger.regions:
        from worldorder import ledger_regions

        regions = ledger_regions(ledger, builder.data)
        tables.append((f"regions of the claims ledger ({Path(ledger.file).name})",
                       regional_leaders(frame, columns, regions=regions, year=None, db=builder.db)))
    parts = ['<p class="lead">The state with the largest share of each region\'s total, by each measure, in the measure\'s '
             'latest year with data; "since" is the first year of its current unbroken spell at the top of the region.</p>']
    for number, (title, table) in enumerate(tables):
        if table.empty:
            continue
        key = table["measure"].iloc[0]
        first = table[table["measure"] == key]
        chart = Chart(title=f"Leader's share of each region ({key})",
                      series=[Series(key, first["region"].tolist(), first["share"].tolist(), kind="bar", colour=measure_colour(key),
                                     text=[f"{a} since {s}" for a, s in zip(first["leader"], first["since"])])],
                      caption=caption_text(f"leader's share of the region's total; {title}", [builder._key_of(key)], builder),
                      xlabel="region", ylabel="share of the region", horizontal=True)
        cells = table.assign(cell=[f"{a} {s:.0%} (since {y}); 2nd {b or '-'} {t:.0%}" if isinstance(a, str) else ""
                                   for a, s, y, b, t in zip(table["leader"], table["share"], table["since"], table["second"],
                                                            table["second_share"].fillna(0))])
        wide = cells.pivot(index="region", columns="measure", values="cell").reindex(index=list(dict.fromkeys(table["region"])))
        years = table.groupby("measure")["year"].max()
        wide = wide[[m for m in dict.fromkeys(table["measure"])]].reset_index()
        body = table_html(wide, {"region": ("region", None), **{m: (f"{m} ({int(years[m])})", None) for m in wide.columns[1:]}},
                          caption="Leader, its share of the region, the first year of its current spell, and the second state.")
        heading = title[0].upper() + title[1:]
        if number == 0:
            parts += [f"<h3>{esc(heading)}</h3>", body, details(f"Leader's share of each region by {key} (chart)", builder.chart_html(chart))]
            builder.facts["regions"] = {"measure": key, "label": builder.info(builder._key_of(key))["label"],
                                        "leaders": [(r, a, int(y)) for r, a, y in zip(first["region"], first["leader"], first["year"]) if isinstance(a, str)]}
        else:
            parts.append(details(f"{heading}: leaders (table and chart)", body + builder.chart_html(chart)))
    builder._source("countrycode_codelist")
    return "\n".join(parts)
