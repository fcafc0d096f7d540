"""``worldorder network | blocs | dependence | similarity | openness``: networks of the international system.

Tables go to ``--out`` (.csv, .parquet, .dta; CSV to standard output without
it), graphs to ``--out`` ending in .graphml or .gexf, pictures to ``--chart``
(.png, .svg, .pdf, .html).  Heavy libraries are imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from worldorder.cli.common import DbOption, FormatOption, SeedOption, errors, open_cli_store, output_check, span_of, write_table

networks_app = typer.Typer(help="Networks: centrality, blocs, dependence, similarity, openness.", no_args_is_help=True)

GRAPH_SUFFIXES = (".graphml", ".gexf")
LAYER_HELP = "Layer: alliance (ATOP; also atop), cow_alliance (COW, by explicit choice), trade, unga, contiguity, disputes, gas (IEA), gas_bp."
LayerOption = typer.Option("trade", "--layer", "-l", help=LAYER_HELP)
OutOption = typer.Option(None, "--out", "-o", help="Table (.csv, .parquet, .dta) or graph (.graphml, .gexf); CSV to standard output if omitted.",
                         callback=output_check((".csv", ".parquet", ".dta", ".graphml", ".gexf")))
ChartOption = typer.Option(None, "--chart", help="Picture: .png, .svg, .pdf or .html.", callback=output_check((".png", ".svg", ".pdf", ".html")))


def _year_or_span(years: Optional[str]):
    """``(year, None)`` when ``--years`` names one year, else ``(None, the span)``."""
    span = span_of(years)
    if span.first is not None and span.first == span.last and not span.latest:
        return span.first, None
    return None, (None if span.everything else span)


def _layer(name: str, year: Optional[int], db, years: Optional[str] = None, **options):
    from worldorder import check_layer, load_layer

    check_layer(name)  # before opening the store: a typo needs no data
    store = open_cli_store(db)
    span = years if years is not None else (year if year is not None else None)
    layer = load_layer(name, years=span, db=store, **options)
    if year is not None and year not in layer:
        from worldorder import LAYERS, NetworkError

        raise NetworkError(f"The {name} layer has no data for {year}. It holds {LAYERS[name][1]}.")
    return layer, store


ALLIANCE_LAYERS = ("alliance", "atop", "cow_alliance")


def _layer_options(name: str, flow: Optional[str], types: Optional[str], weighting: Optional[str]) -> dict:
    """The layer's own options; one given for a layer it does not apply to is refused, not ignored."""
    options = {}
    for option, value, layers in (("--flow", flow, ("trade",)), ("--types", types, ALLIANCE_LAYERS),
                                  ("--weighting", weighting, (*ALLIANCE_LAYERS, "disputes"))):
        if value is not None and name not in layers:
            which = f"the {layers[0]} layer" if len(layers) == 1 else f"the {', '.join(layers[:-1])} and {layers[-1]} layers"
            raise typer.BadParameter(f"applies to {which} only, not to {name}; leave it out", param_hint=option)
    if flow is not None:
        options["flow"] = flow
    if types is not None:
        options["types"] = [t.strip() for t in types.split(",") if t.strip()]
    if weighting is not None:
        options["weighting"] = weighting
    return options


def _sources(name: str) -> list[str]:
    from worldorder import LAYERS

    return list(LAYERS[name][0])


def _write_graph(graph, out: Path, vertex_values: dict[str, dict[int, float]] | None = None) -> None:
    """Write one year's graph as GraphML (igraph) or GEXF (networkx), with extra vertex attributes."""
    graph = graph.copy()
    for column, values in (vertex_values or {}).items():
        graph.vs[column] = [values.get(c, float("nan")) for c in graph.vs["ccode"]]
    for key in list(graph.attributes()):
        if graph[key] is None or isinstance(graph[key], bool):
            graph[key] = str(graph[key])
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".graphml":
        graph.write_graphml(str(out))
    else:
        import networkx as nx

        from worldorder import to_networkx

        nx.write_gexf(to_networkx(graph), str(out))
    errors.print(f"Wrote {graph.vcount():,} states and {graph.ecount():,} ties to {out}")


def _output(table, out: Optional[Path], graph=None, vertex_values=None, fmt: Optional[str] = None) -> None:
    if out is not None and out.suffix.lower() in GRAPH_SUFFIXES:
        if graph is None:
            raise typer.BadParameter("a graph file needs one year: add --year", param_hint="--out")
        _write_graph(graph, out, vertex_values)
        return
    write_table(table, out, fmt)


def _save_chart(chart, path: Path) -> None:
    from worldorder import save_chart

    errors.print(f"Wrote {save_chart(chart, path)}")


def _caption(measure: str, sources: list[str], note: str = "") -> str:
    from worldorder import caption

    return caption(measure=measure, sources=sources, note=note)


# -- network -------------------------------------------------------------------------------------
@networks_app.command("network")
def network(
    layer: str = LayerOption,
    years: Optional[str] = typer.Option(None, "--years", "--year", "-y", help="A year (2014) or years (1990-2014, 1990-, -1914, latest); default all."),
    measure: str = typer.Option("eigenvector", "--metric", help="Network metric: eigenvector, betweenness, strength, degree (centralities) or density."),
    flow: Optional[str] = typer.Option(None, "--flow", help="Trade: total (undirected) or directed (exporter → importer)."),
    types: Optional[str] = typer.Option(None, "--types", help="Alliances: keep these types, e.g. defense or defense,entente."),
    weighting: Optional[str] = typer.Option(None, "--weighting", help="Alliances: binary or ordinal; disputes: binary or hostility."),
    top: Optional[int] = typer.Option(None, "--top", "-k", min=1, help="Keep the top K states per year."),
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    chart: Optional[Path] = ChartOption,
    seed: int = SeedOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Centrality of each state in a layer (or the layer's density over time).

    Example: worldorder network --layer trade --year 2014 --metric eigenvector
    """
    from worldorder import CENTRALITY_MEASURES, centrality, density

    options = _layer_options(layer, flow, types, weighting)
    year, years = _year_or_span(years)
    loaded, store = _layer(layer, year, db, years=years, **options)
    selected = {year: loaded[year]} if year is not None else loaded
    if measure == "density":
        table = density(selected) if year is None else density({year: loaded[year]})
        _output(table, out, fmt=fmt, graph=loaded[year] if year is not None else None)
        if chart is not None:
            from worldorder import plot_series

            _save_chart(
                plot_series(table, "density", title=f"Density of the {layer} layer", ylabel="share of possible ties",
                            caption=_caption("density = ties / possible ties among the states the source reports", _sources(layer))),
                chart,
            )
        return
    if measure not in CENTRALITY_MEASURES:
        raise typer.BadParameter(f"choose from {', '.join(CENTRALITY_MEASURES)} or density", param_hint="--metric")
    if loaded.signed and measure in ("eigenvector", "betweenness"):
        errors.print("[yellow]Note:[/] negative ties enter eigenvector and betweenness centrality by their size |w|.")
    table = centrality(selected, measure=measure)
    if top is not None:
        table = table.groupby("year", group_keys=False).head(top) if "year" in table.columns else table.head(top)
    graph = loaded[year] if year is not None else None
    _output(table.reset_index(drop=True), out, fmt=fmt, graph=graph, vertex_values={measure: dict(zip(table["ccode"], table[measure]))})
    if chart is not None:
        if graph is None:
            raise typer.BadParameter("a network drawing needs one year: add --year", param_hint="--chart")
        _draw(graph, layer, year, table, seed, chart, f"{measure} centrality")


def _draw(graph, layer: str, year: int, size, seed: int, chart: Path, what: str) -> None:
    from worldorder import blocs
    from worldorder import save_network

    bloc_table = None
    if not graph["signed"]:
        bloc_table = blocs(graph, seed=seed)
    text = _caption(
        f"{what}; colours are Leiden blocs (seed {seed}), sizes the measure; the strongest ties are drawn",
        _sources(layer),
    )
    errors.print(f"Wrote {save_network(graph, chart, blocs=bloc_table, size=size, seed=seed, title=f'{layer} layer, {year}', caption=text)}")


# -- blocs ---------------------------------------------------------------------------------------
@networks_app.command("blocs")
def blocs_command(
    layer: str = typer.Option("alliance", "--layer", "-l", help=LAYER_HELP),
    year: int = typer.Option(..., "--year", "-y", help="Year."),
    resolution: float = typer.Option(1.0, "--resolution", "-r", min=0.0, help="Resolution γ (above 1: more, smaller blocs)."),
    runs: int = typer.Option(20, "--runs", min=1, help="Leiden runs for the consensus and its stability (1: a single run)."),
    method: str = typer.Option("modularity", "--method", help="modularity or cpm."),
    signed: bool = typer.Option(False, "--signed", help="Signed blocs: this layer's ties (+) against disputes (−)."),
    scan: bool = typer.Option(False, "--scan", help="Scan resolutions 0.25-4 instead (number of blocs, modularity, stability)."),
    power: Optional[str] = typer.Option(None, "--power", help="Power shares of the blocs: an NMC column (cinc, milex, tpop ...) or a table file ccode,year,<value>."),
    flow: Optional[str] = typer.Option(None, "--flow", help="Trade: total or directed."),
    types: Optional[str] = typer.Option(None, "--types", help="Alliances: obligation types whose ties count, comma-separated (default defense; 'all' for every type)."),
    view: str = typer.Option("map", "--view", help="With --chart: map (states coloured by bloc on a world map) or network (blocs laid out apart)."),
    by: Optional[str] = typer.Option(None, "--by", help="regime: output each bloc's states (and --power) by regime, democracy (V-Dem polyarchy >= 0.5) or autocracy."),
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    chart: Optional[Path] = ChartOption,
    seed: int = SeedOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Blocs of a layer in a year (Leiden, seeded), with their stability and power.

    Example: worldorder blocs --layer alliance --year 1985
    """
    from worldorder import alliance_ties, bloc_polarity, bloc_power, blocs, consensus_blocs, resolution_scan, signed_blocs

    if by is not None:
        _check_by(by)
    if view not in ("map", "network"):
        raise typer.BadParameter(f"{view!r}: choose map or network", param_hint="--view")
    options = _layer_options(layer, flow, types, None)
    options.pop("types", None)  # blocs keep the types' ties of the whole layer (alliance_ties below)
    loaded, store = _layer(layer, year, db, **options)
    types = "defense" if types is None else types
    bloc_types = "all" if types.strip() == "all" else [t.strip() for t in types.split(",") if t.strip()]
    graph, ties = alliance_ties(loaded[year], bloc_types)
    errors.print(f"Ties: {ties}")
    if scan:
        table = resolution_scan(graph, runs=max(runs, 2), seed=seed, method=method)
        _output(table, out, fmt=fmt)
        if chart is not None:
            from worldorder import plot_series

            _save_chart(plot_series(table, ["blocs", "stability", "modularity"], x="resolution", title=f"Resolution scan, {layer} layer, {year}",
                                    caption=_caption("Leiden blocs of two or more states, mean NMI between runs, modularity", _sources(layer))), chart)
        return
    if signed:
        negative, _ = _layer("disputes", year, db)
        table = signed_blocs(graph, negative[year], resolution=resolution, seed=seed)
        errors.print(f"Signed blocs ({layer} +, disputes −): frustration {table.attrs['frustration']:.3f}")
    elif runs > 1:
        result = consensus_blocs(graph, runs=runs, resolution=resolution, seed=seed, method=method, types=bloc_types)
        table = result.blocs
        errors.print(
            f"Consensus of {runs} Leiden runs: stability (mean NMI) {result.stability:.3f}, "
            f"{result.agreement:.0%} of runs equal the consensus"
        )
    else:
        table = blocs(graph, resolution=resolution, seed=seed, method=method, types=bloc_types)
    polarity = bloc_polarity(table)
    row = polarity.iloc[0]
    errors.print(f"{layer} {year}: {row['blocs']} blocs of 2+ states (sizes {row['sizes']}), "
                 f"{row['singletons']} states alone, effective number {row['effective_blocs']:.2f}")
    if power is not None:
        shares = bloc_power(table, _power_table(power, year, store))
        for _, item in shares.head(8).iterrows():
            errors.print(f"  bloc {item['bloc']}: {item['power_share']:.1%} of power ({item['members'][:70]})")
    if by is not None:
        from worldorder import regime_shares

        weighed = table.merge(_power_table(power, year, store), on=["ccode", "year"], how="left") if power is not None else table
        grouped = regime_shares(weighed, value=power if power is not None and power in weighed.columns else None, within="bloc", db=store)
        errors.print(f"[dim]{grouped.attrs['regime']}[/]", highlight=False)
        _output(grouped, out, fmt=fmt)
    else:
        _output(table, out, fmt=fmt, graph=graph, vertex_values={"bloc": dict(zip(table["ccode"], table["bloc"]))})
    if chart is not None:
        from worldorder import bloc_map, save_bloc_map, save_network

        size = _power_table(power, year, store) if power is not None else None
        weighed = f"blocs ordered and named by {power}" if power is not None else "blocs ordered by members, named by their first members"
        sources = _sources(layer) + (["cow_mid_dyadic_4_02"] if signed else [])
        if view == "map":
            text = _caption(f"Leiden blocs of {ties} (seed {seed}, resolution {resolution}); {weighed}; today's borders (Natural Earth 1:110m)",
                            sources + ["countrycode_codelist"])
            from worldorder import state_names

            picture = bloc_map(table, year, size=size, names=state_names(year, db=store),  # the legend names states as in that year
                               title=f"Blocs of the {layer} layer, {year}: {ties}", caption=text, db=store)
            errors.print(f"Wrote {save_bloc_map(picture, chart)}")
        else:
            text = _caption(f"Leiden blocs of {ties} (seed {seed}, resolution {resolution}); sizes are {power or 'strength'}; "
                            "blocs laid out apart; only the largest states labelled", sources)
            errors.print(f"Wrote {save_network(graph, chart, blocs=table, size=size, seed=seed, title=f'Blocs of the {layer} layer, {year}', caption=text)}")


def _check_by(by: str) -> None:
    if by.strip().lower() != "regime":
        raise typer.BadParameter(f"{by!r}: the only grouping is regime", param_hint="--by")


def _power_table(power: str, year: int, store):
    import pandas as pd

    path = Path(power)
    if path.suffix.lower() in (".csv", ".parquet") and path.exists():
        table = pd.read_csv(path) if path.suffix.lower() == ".csv" else pd.read_parquet(path)
        return table[table["year"] == year] if "year" in table.columns else table
    from worldorder import add_capabilities, create_state_years

    frame = add_capabilities(create_state_years(years=year, db=store), db=store)
    if power not in frame.columns:
        raise typer.BadParameter(f"{power!r} is neither a table file nor an NMC column (cinc, milex, milper, irst, pec, tpop, upop)", param_hint="--power")
    return frame[["ccode", "year", power]]


# -- dependence ----------------------------------------------------------------------------------
@networks_app.command("dependence")
def dependence_command(
    country: str = typer.Option(..., "--country", "-c", help="The dependent state: name, ISO3, COW code or abbreviation."),
    layer: str = typer.Option("gas", "--layer", "-l", help="gas (IEA, monthly, to September 2022), gas_2022_04 (the April 2022 IEA file), gas_bp (2020) or trade."),
    on: Optional[str] = typer.Option(None, "--on", help="Trade: poles, comma-separated (default USA,CHN,RUS), or 'blocs' for the alliance blocs of each year; 'regime' (trade or gas): partners grouped as democracies (V-Dem polyarchy >= 0.5) or autocracies."),
    years: Optional[str] = typer.Option(None, "--years", "--year", "-y", help="A year (2022) or years (2010-2014, 2020-); default all."),
    by: str = typer.Option("month", "--by", help="Gas: month or year."),
    lng: bool = typer.Option(False, "--lng", help="Gas: count LNG terminals among the suppliers."),
    borderpoint: bool = typer.Option(False, "--borderpoint", help="Gas: one row per border point (e.g. Nord Stream)."),
    flow: str = typer.Option("total", "--flow", help="Trade: total, imports or exports."),
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    chart: Optional[Path] = ChartOption,
    seed: int = SeedOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Who a state depends on: gas suppliers' shares, or trade with poles or blocs.

    Example: worldorder dependence --country DEU --layer gas
    """
    from worldorder import gas_dependence, trade_dependence

    year, _ = _year_or_span(years)
    chosen = span_of(years)
    store = open_cli_store(db)
    state = _state(country, year, store)
    span = (1 if chosen.first is None else chosen.first, 9999 if chosen.last is None else chosen.last)
    if layer in ("gas", "gas_2022_04", "gas_bp"):
        from worldorder import load_gas_flows

        flows = load_gas_flows(db=store, source={"gas": "iea", "gas_2022_04": "iea_2022_04", "gas_bp": "bp"}[layer])
        period = "year" if layer == "gas_bp" else by
        table = gas_dependence(flows, country=state.ccode, by=period, include_lng=lng, by_borderpoint=borderpoint)
        if "month" in table.columns:
            years_of = table["month"].dt.year
        else:
            years_of = table["year"]
        table = table[(years_of >= span[0]) & (years_of <= span[1])].reset_index(drop=True)
        if table.empty:
            from worldorder import NetworkError

            raise NetworkError(f"No gas imports of {state.name} ({state.stateabb}) in the {layer} data for those dates.")
        label = "borderpoint" if borderpoint else "supplier"
        if _by_regime(on):  # suppliers grouped by regime; months with a reporting gap have no known total
            from worldorder import regime_shares

            kept = table[~table["gap"]] if "gap" in table.columns else table
            table = regime_shares(kept, value="flow", code="supplier_ccode", within=["ccode", "importer"], db=store)
            label = "regime"
        x = "month" if period == "month" else "year"
        sources = _sources(layer)
        measure = f"share of {state.stateabb}'s {'pipeline ' if not lng else ''}gas imports by {label}"
        if "basis" in table.attrs:  # IEA: physical flows, not origin; gaps, partial years and aggregates
            measure += f". {table.attrs['basis']} {table.attrs['vintage']}"
            errors.print(f"[dim]{table.attrs['basis']} {table.attrs['vintage']}.[/]", highlight=False)
    elif layer == "trade":
        from worldorder import Years, load

        trade = Years.parse(span).select(load("cow_trade_dyadic_4", db=store), what="COW dyadic trade")
        trade = trade[(trade["ccode1"] == state.ccode) | (trade["ccode2"] == state.ccode)]
        groups = _groups(on, trade, span, store, seed)
        table = trade_dependence(trade, groups, flow=flow, group_column="regime" if _by_regime(on) else "bloc")
        if _by_regime(on):
            from worldorder import regime_rule

            table.attrs["regime"] = regime_rule()
        table = table[table["ccode"] == state.ccode].reset_index(drop=True)
        if table.empty:
            from worldorder import NetworkError

            raise NetworkError(f"No trade of {state.name} ({state.stateabb}) in COW dyadic trade for those years (1870-2014).")
        label, x, sources = "group", "year", ["cow_trade_dyadic_4"]
        measure = f"share of {state.stateabb}'s {flow} trade with each group"
    else:
        raise typer.BadParameter("choose gas, gas_2022_04, gas_bp or trade", param_hint="--layer")
    if "regime" in table.attrs:
        errors.print(f"[dim]{table.attrs['regime']}[/]", highlight=False)
        sources = sources + ["isard_democracy"]
        measure += f"; {table.attrs['regime'].split(';')[0]}"
    write_table(table, out, fmt)
    if chart is not None:
        import pandas as pd

        from worldorder import plot_series

        wide = table.pivot_table(index=x, columns=label, values="share", aggfunc="sum").reset_index()
        wide.columns = [str(c) for c in wide.columns]
        if x == "month":  # charts take numbers: months as decimal years
            months = pd.to_datetime(wide[x])
            wide = wide.drop(columns=x).assign(year=months.dt.year + (months.dt.month - 1) / 12)
            x = "year"
        main = [c for c in wide.columns if c != x]
        main = sorted(main, key=lambda c: -wide[c].fillna(0).mean())[:8]
        _save_chart(plot_series(wide, main, x=x, title=f"Dependence of {state.name}", ylabel="share", caption=_caption(measure, sources)), chart)


def _state(query: str, year: Optional[int], store):
    """The state named by ``query``: a COW code is looked up in the state list (named as in ``year``), anything else resolved by name."""
    from worldorder import Country, country

    text = str(query).strip()
    if text.isdigit():
        from worldorder import load, state_names

        system = load("cow_system_2024", db=store)
        rows = system[system["ccode"] == int(text)].sort_values("year")
        if not rows.empty:
            name = state_names(year, db=store.path)[int(text)]  # 365 is the Soviet Union in 1985, Russia in 2000
            abb = rows.loc[rows["year"] == year, "stateabb"] if year is not None else rows["stateabb"]  # 345: YUG to 2005, SRB after
            abb = abb if not abb.empty else rows["stateabb"]
            return Country(ccode=int(text), stateabb=str(abb.iloc[-1]), name=name, iso3=None,
                           spells=((int(rows["year"].min()), int(rows["year"].max())),))
    return country(text, year=year, db=store.path)


def _by_regime(on: Optional[str]) -> bool:
    return on is not None and on.strip().lower() == "regime"


def _groups(on: Optional[str], trade, span, store, seed):
    if _by_regime(on):  # each partner's regime in each year; partners without a score form their own group
        from worldorder import NO_SCORE, add_regime, create_state_years

        if trade.empty:
            return {}
        regimes = add_regime(create_state_years(years=f"{trade['year'].min()}-{trade['year'].max()}", db=store), db=store)
        return regimes[["year", "ccode"]].assign(regime=regimes["regime"].astype(object).fillna(NO_SCORE))
    if on is None or on.strip().lower() != "blocs":
        names = [p.strip() for p in (on or "USA,CHN,RUS").split(",") if p.strip()]
        groups = {}
        for name in names:
            found = _state(name, None, store)
            groups[found.stateabb] = found.ccode
        return groups
    import pandas as pd

    from worldorder import blocs
    from worldorder import load_layer

    alliances = load_layer("alliance", years=f"{span[0]}-{span[1]}", db=store)
    years = sorted(set(trade["year"]) & set(alliances.years))
    if not years:
        from worldorder import NetworkError

        raise NetworkError("No year has both trade (1870-2014) and ATOP alliance data (1815-2018).")
    table = pd.concat([blocs(alliances[y], seed=seed) for y in years], ignore_index=True)
    table = table.sort_values(["year", "bloc"], kind="stable")
    label = ("bloc " + table["bloc"].astype(str) + " (" + table.groupby(["year", "bloc"])["stateabb"].transform("first") + ")").where(
        table["bloc_size"] >= 2, "no alliance"
    )
    return table.assign(bloc=label)


# -- similarity -------------------------------------------------------------------------------------
@networks_app.command("similarity")
def similarity_command(
    year: int = typer.Option(..., "--year", "-y", help="Year."),
    layer: str = typer.Option("alliance", "--layer", "-l", help="Alliance layer: alliance (ATOP, 1815-2018; also atop) or cow_alliance (COW, 1816-2012, by explicit choice)."),
    country: Optional[str] = typer.Option(None, "--country", "-c", help="Only the pairs of this state, most similar first."),
    measure: str = typer.Option("s", "--sort", help="Sort by s (Signorino-Ritter) or kappa (Cohen's, Häge 2011); both are listed."),
    metric: str = typer.Option("absolute", "--distance", help="Distance between tie values: absolute or squared."),
    unvalued: bool = typer.Option(False, "--unvalued", help="0/1 ties instead of valued portfolios (3 defence, 2 neutrality or non-aggression, 1 entente)."),
    top: Optional[int] = typer.Option(None, "--top", "-k", help="Only the first K pairs."),
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Foreign-policy similarity of alliance portfolios for pairs of states (S and kappa).

    Example: worldorder similarity --year 1985 --country USA --top 5
    """
    from worldorder import portfolio_similarity

    if layer not in ALLIANCE_LAYERS:
        raise typer.BadParameter("choose alliance (ATOP) or cow_alliance", param_hint="--layer")
    if measure not in ("s", "kappa"):
        raise typer.BadParameter("choose s or kappa", param_hint="--sort")
    if metric not in ("absolute", "squared"):
        raise typer.BadParameter("choose absolute or squared", param_hint="--metric")
    if top is not None and top < 1:
        raise typer.BadParameter("--top must be at least 1", param_hint="--top")
    graphs, store = _layer(layer, year, db)
    table = portfolio_similarity(graphs[year], metric=metric, valued=not unvalued)
    names = dict(zip(graphs[year].vs["ccode"], graphs[year].vs["stateabb"]))
    if country is not None:
        state = _state(country, year, store)
        if state.ccode not in names:
            from worldorder import NetworkError

            raise NetworkError(f"{state.name} ({state.stateabb}) is not a member of the state system in {year}.")
        mine = table[(table["ccode1"] == state.ccode) | (table["ccode2"] == state.ccode)]
        other = mine["ccode2"].where(mine["ccode1"] == state.ccode, mine["ccode1"])
        table = mine.assign(ccode1=state.ccode, ccode2=other.to_numpy())
    table = table.assign(stateabb1=table["ccode1"].map(names), stateabb2=table["ccode2"].map(names))
    table = table[["year", "ccode1", "stateabb1", "ccode2", "stateabb2", "s", "kappa"]]
    table = table.sort_values([measure, "ccode2"], ascending=[False, True], kind="stable").reset_index(drop=True)
    if top is not None:
        table = table.head(top)
    write_table(table, out, fmt)


# -- openness ---------------------------------------------------------------------------------------
@networks_app.command("openness")
def openness_command(
    years: str = typer.Option("1870-2023", "--years", help="Years: FIRST-LAST, FIRST-, -LAST or one year."),
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    chart: Optional[Path] = ChartOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Globalization over time: trade-network density and world trade openness ((imports + exports) / GDP).

    COW trade (density, openness) ends in 2014; openness_wb, the World Bank's world series, runs 1970-2023.

    Example: worldorder openness --years 1870-2023
    """
    from worldorder import load_openness

    span = span_of(years)
    store = open_cli_store(db)
    table = load_openness(years=years, db=store)
    first, last = int(table["year"].min()), int(table["year"].max())
    if table["openness"].isna().all():
        errors.print("[yellow]Note:[/] openness needs COW trade (to 2014) and current-dollar GDP (World Bank, from 1960); "
                     "openness_wb is the World Bank's world series (1970-2023).")
    write_table(table, out, fmt)
    if chart is not None:
        from worldorder import plot_series

        _save_chart(
            plot_series(table, ["density", "openness", "openness_wb"], title=f"Globalization, {first}-{last}", ylabel="share",
                        caption=_caption("density of the trade network (share of pairs of reporting states that trade); "
                                         "openness = (imports + exports) / GDP over states with both, from 1960; "
                                         "openness_wb = the World Bank's world trade openness",
                                         ["cow_trade_dyadic_4", "cow_trade_national_4", "wb_gdp", "wb_trade_share"])),
            chart,
        )
