"""Report section on alliance blocs: consensus Leiden blocs, their share of power, a drawing and blocs over time."""

from __future__ import annotations

import base64
import io

from worldorder.report.builder import source_names
from worldorder.report.html import details, esc, table_html
from worldorder.report.options import ReportError


def blocs_section(builder, layer_name: str, year: int | None) -> str:
    from worldorder import Chart, Series
    from worldorder import bloc_power, consensus_blocs, draw_network, load_layer
    from worldorder import bloc_map, bloc_map_figure, state_names
    from worldorder import bloc_polarity, blocs

    layer = load_layer(layer_name, db=builder.db)
    years = layer.years
    if builder.first is not None or builder.last is not None:
        years = [y for y in years if (builder.first is None or y >= builder.first) and (builder.last is None or y <= builder.last)]
    if not years:
        return f'<p class="lead">The {esc(layer_name)} layer has no years in the chosen span.</p>'
    year = year if year is not None else max(years)
    if year not in layer:
        raise ReportError(f"The {layer_name} layer has no year {year}; its years are {min(layer.years)}-{max(layer.years)}.")
    builder._source(layer.source)
    from worldorder import alliance_ties

    graph, ties = alliance_ties(layer[year])  # defence pacts: the default ties of alliance blocs
    consensus = consensus_blocs(graph, runs=20, seed=builder.seed)
    power_key = "cinc" if "cinc" in builder.measures else builder.measures[0]
    power = builder.frame[["ccode", "year", builder.column(power_key)]]
    builder._source(*builder.info(power_key).get("sources", ()))
    shares = bloc_power(consensus.blocs.assign(year=year), power[power["year"] == year], value=builder.column(power_key))
    shares = shares[shares["size"] >= 2].sort_values("size", ascending=False)
    shares["members_short"] = [" ".join(m.split()[:18]) + (" ..." if len(m.split()) > 18 else "") for m in shares["members"]]
    names = state_names(year, db=builder.db)  # the names of that year (the Soviet Union in 1985)
    size = power[power["year"] == year][["ccode", builder.column(power_key)]]
    layer_text = esc(layer_name.upper() if layer_name == "atop" else layer_name)
    caption = (f"Leiden blocs of {ties} in {year}, consensus of {consensus.runs} seeded runs (seed {builder.seed}); "
               f"blocs ordered and named by {builder.info(power_key)['label']}; today's borders (Natural Earth 1:110m), "
               f"states of the past drawn with their present-day territory. Sources: {source_names([layer.source, *builder.info(power_key).get('sources', ())])}.")
    picture = bloc_map(consensus.blocs, year, size=size, names=names, db=builder.db,  # the caption goes under the figure
                       title=f"Alliance blocs in {year}: {ties}")
    builder._source("countrycode_codelist")
    parts = [f'<p class="lead">Blocs of the {layer_text} alliance layer in {year}, by {esc(ties)}: communities found by the '
             f"Leiden algorithm, agreed over {consensus.runs} seeded runs (stability {consensus.stability:.2f}, share of runs equal "
             f"to the consensus {consensus.agreement:.2f}). Each bloc is named by its largest members and its share of power is by "
             f"{esc(builder.info(power_key)['label'])}.</p>",
             builder.figure_html(bloc_map_figure(picture), caption)]
    if picture.missing:
        parts.append(f'<p class="caption">Too small for the map: {esc(", ".join(picture.missing))}.</p>')
    parts.append(details(f"The {len(shares)} blocs and their members (table)", table_html(
        shares, {"bloc": ("bloc", "int"), "size": ("states", "int"), "power_share": (f"share of {power_key}", "pct"),
                 "members_short": ("members (strongest first)", None)},
        caption=f"Consensus Leiden blocs of {ties}, seed {builder.seed}; states without such allies are left out.")))
    try:
        import matplotlib.pyplot as plt

        figure = draw_network(graph, blocs=consensus.blocs, size=size, seed=builder.seed,
                              title=f"{layer_name} alliances, {year}: blocs apart and coloured as on the map, states sized by {power_key}",
                              caption=f"Ties: {ties}. Only the largest states are labelled.")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
        plt.close(figure)
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
        parts.append(details("The same blocs as a network (drawing)",
                             f'<img class="network" alt="Network drawing of the {esc(layer_name)} layer in {year}" '
                             f'src="data:image/png;base64,{encoded}"><p class="caption">Ties drawn: {esc(ties)}; each bloc is laid out on its '
                             "own and the blocs side by side; ties between blocs cross the gaps.</p>"))
    except Exception as error:  # noqa: BLE001 - a drawing failure should not lose the report
        parts.append(f'<p class="caption">The network drawing could not be made: {esc(error)}</p>')
    # blocs over time
    chosen = {y: layer[y] for y in years}
    history = bloc_polarity(blocs(chosen, seed=builder.seed))
    chart = Chart(title=f"Number of alliance blocs over time ({layer_name})",
                  series=[Series("effective number of blocs (by members)", history["year"].tolist(), history["effective_blocs"].tolist()),
                          Series("blocs of two or more states", history["year"].tolist(), history["blocs"].tolist())],
                  caption=f"Leiden blocs of {ties} in each year (seed {builder.seed}); effective number = 1 / sum of squared shares of states. "
                          f"Sources: {source_names([layer.source])}.",
                  xlabel="year", ylabel="blocs")
    parts.append(details("Blocs over time (chart)", builder.chart_html(chart)))
    legend = picture.legend[picture.legend["bloc"] != -1]
    builder.facts["blocs"] = {"year": year, "ties": ties, "layer": layer_name,
                              "blocs": [(row.label, row.members, row.power_share) for row in legend.head(4).itertuples(index=False)],
                              "count": len(legend)}
    return "\n".join(parts)
