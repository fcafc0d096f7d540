"""Report section on trade openness: the world to 2023 (World Bank), COW trade to 2014, and the largest economies."""

from __future__ import annotations

import pandas as pd

from worldorder.report.builder import source_names
from worldorder.report.html import details, esc, table_html

#: The economies the section follows: the five largest by GDP in 2022 (Maddison 2023).
LARGEST = ("CHN", "USA", "IND", "JPN", "GMY")


def openness_section(builder) -> str:
    """World trade openness over the chosen years, and the largest economies' openness around 2020.

    Notes
    -----
    Openness is :math:`(X + M) / Y`: exports plus imports of goods and
    services over GDP.  The World Bank's world series (``openness_wb``) runs
    to 2023; the COW-based series (national trade over World Bank GDP of the
    states with both) ends in 2014 with COW trade.
    """
    from worldorder import OPENNESS_SOURCES, add_trade_openness, country, create_state_years, openness_chart

    table = builder.data.openness()  # shared with the claims section (worldorder.load_openness)
    if builder.first is not None:
        table = table[table["year"] >= builder.first]
    if builder.last is not None:
        table = table[table["year"] <= builder.last]
    table = table.dropna(subset=["openness", "openness_wb"], how="all")
    if table.empty:
        return '<p class="lead">No trade openness data in the chosen years.</p>'
    world_sources = list(OPENNESS_SOURCES["openness_wb"])
    builder._source(*world_sources, *OPENNESS_SOURCES["openness"])
    wb = table.dropna(subset=["openness_wb"])
    last = int(wb["year"].max()) if not wb.empty else int(table["year"].max())
    parts = [f'<p class="lead">Trade openness, exports plus imports over GDP. The World Bank\'s world series runs to {last}; '
             "the series built from COW national trade ends in 2014, when COW trade ends.</p>"]
    parts.append(builder.chart_html(openness_chart(table)))
    frame = add_trade_openness(create_state_years(years=f"{last - 5}-{last}", db=builder.db), db=builder.db)
    rows = []
    for abbreviation in LARGEST:
        code = country(abbreviation).ccode
        values = frame[(frame["ccode"] == code)].set_index("year")["wb_trade_gdp_pct"] / 100
        rows.append({"state": abbreviation, **{str(year): values.get(year) for year in range(last - 5, last + 1)}})
    shares = pd.DataFrame(rows)
    columns = {"state": ("state", None), **{str(y): (str(y), "pct") for y in range(last - 5, last + 1)}}
    parts.append(details(f"The five largest economies, {last - 5}-{last} (table)", table_html(shares, columns, caption=(
        "Trade openness of the five largest economies by GDP in 2022 (Maddison 2023). "
        f"Sources: {source_names(world_sources)}."))))
    world = wb.dropna(subset=["openness_wb"])
    if len(world):
        builder.facts["openness"] = (f"world trade was {world['openness_wb'].iloc[-1]:.0%} of GDP in {int(world['year'].iloc[-1])} "
                                     f"(World Bank), against {world['openness_wb'].iloc[0]:.0%} in {int(world['year'].iloc[0])}")
    return "\n".join(parts) + f'<p class="caption">{esc("A 0 in the World Bank file means missing and is left out.")}</p>'
