"""Report section on alliance blocs: consensus Leiden blocs, their share of power, a drawing and blocs over time."""

from __future__ import annotations

import base64
import io

from worldorder.report.builder import source_names
from worldorder.report.html import esc, table_html
from worldorder.report.options import ReportError


def blocs_section(builder, layer_name: str, year: int | None) -> str:
    from worldorder.charts import Chart, Series
    from worldorder.networks import bloc_power, consensus_blocs, draw_network, load_layer
    from worldorder.networks.blocs import bloc_polarity, blocs

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
    parts = [f'<p class="lead">Blocs of the {esc(layer_name.upper() if layer_name == "atop" else layer_name)} alliance layer in {year}, by {esc(ties)}: '
             f"communities found by the Leiden algorithm, agreed over {consensus.runs} seeded runs (stability {consensus.stability:.2f}, "
             f"share of runs equal to the consensus {consensus.agreement:.2f}). Each bloc's share of power is by "
             f"{esc(builder.info(power_key)['label'])}.</p>"]
    parts.append(table_html(shares, {"bloc": ("bloc", "int"), "size": ("states", "int"), "power_share": (f"share of {power_key}", "pct"),
                                     "members_short": ("members (strongest first)", None)},
                            caption=f"Consensus Leiden blocs of {ties}, seed {builder.seed}; states without such allies are left out."))
    try:
        import matplotlib.pyplot as plt

        figure = draw_network(graph, blocs=consensus.blocs, size=power[power["year"] == year][["ccode", builder.column(power_key)]],
                              seed=builder.seed, title=f"{layer_name} alliances, {year}: blocs coloured, states sized by {power_key}")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
        plt.close(figure)
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
        parts.append(f'<img class="network" alt="Network drawing of the {esc(layer_name)} layer in {year}" '
                     f'src="data:image/png;base64,{encoded}">')
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
    parts.append(builder.chart_html(chart))
    return "\n".join(parts)
