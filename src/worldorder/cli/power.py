"""``worldorder powers | polarity | eras | transitions | regions``: power and polarity.

Each command builds a state-year table with :func:`worldorder.power.create_power_years`,
computes its answer with the library, prints it as CSV (or writes ``--out``)
and, with ``--chart``, draws it (``.png``/``.svg`` with matplotlib, ``.html``
with Plotly) with a caption that states the measure, the rule and the sources.
Notes (reference set, rule, sources) go to standard error, so standard output
stays a clean table.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from worldorder.cli.common import DbOption, FormatOption, SeedOption, YearOption, YearsOption, errors, one_year, open_cli_store, output_check, span_of, write_table

power_app = typer.Typer(help="Power and polarity.", no_args_is_help=True)

MeasureOption = typer.Option("cinc", "--measure", "-m", help="Power measure: a key of the measure catalog (cinc, gdp, gdp_wb, milex, population, net_power, composite ...; an unknown key lists them all).")
AmongOption = typer.Option("all", "--among", help="Reference set: all, majors, top:K, region:NAME, region:SCHEME:NAME (schemes cow, cow6, un, un_sub) or states such as USA,CHN,RUS.")
RuleOption = typer.Option(["leader:0.5"], "--rule", help="Pole rule: leader:R, threshold:T or wayman (repeat with --robust).")
OutOption = typer.Option(None, "--out", "-o", help="Write the table to this file (.csv or .parquet); CSV to standard output if omitted.",
                         callback=output_check((".csv", ".parquet", ".dta")))
ChartOption = typer.Option(None, "--chart", help="Draw a chart to this file (.png, .svg or .html).", callback=output_check((".html", ".png", ".svg", ".pdf")))
WeightsOption = typer.Option(None, "--weights", help="TOML/YAML file of composite weights (for --measure composite).")


# -- helpers -------------------------------------------------------------------------------------
def _bad(message: str, option: str) -> Exception:
    """A user error about ``option``: one line on standard error, exit status 1 (see ``cli.main``)."""
    from worldorder import PowerError

    return PowerError(f"{option}: {message}")


def _split(values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def _check_outputs(out: Optional[Path], chart: Optional[Path]) -> None:
    from worldorder import CHART_SUFFIXES

    if out is not None and out.suffix.lower() not in (".csv", ".parquet", ".dta"):
        raise _bad(f"{out}: the table must end in .csv or .parquet", "--out")
    if chart is not None and chart.suffix.lower() not in CHART_SUFFIXES:
        raise _bad(f"{chart}: the chart must end in .png, .svg or .html", "--chart")


def _power_frame(measures: list[str], db, years=None, weights: Optional[Path] = None):
    """State-years with the measures, recomputed ones (cinc_recomputed, composite) over all states."""
    from worldorder import create_power_years
    from worldorder import measure_column

    if "composite" in measures and weights is None:
        raise _bad("--measure composite needs --weights FILE (TOML or YAML).", "--weights")
    for key in measures:  # unknown measures fail before the store is opened
        measure_column(key, str(weights) if weights else None)
    store = open_cli_store(db)
    return create_power_years(measures, years=years, weights=str(weights) if weights else None, db=store)


def _recompute(frame, measures: list[str], reference, weights: Optional[Path]):
    """Recompute the measures that depend on the reference set (all and top:K keep the global index)."""
    from worldorder import recompute_over

    return recompute_over(frame, measures, reference, weights=str(weights) if weights else None)


def _resolve_among(frame, among: str, db):
    """The table ready for the reference set ``--among`` (UN regions joined, states as codes), and the set."""
    from worldorder import ReferenceSet, ReferenceSetError, resolve_reference

    try:
        reference = ReferenceSet.parse(among)
        if reference.kind == "region" and reference.scheme not in ("cow", "cow6") or reference.kind == "states":
            return resolve_reference(frame, reference, db=open_cli_store(db))
        return frame, reference
    except ReferenceSetError as error:
        raise _bad(str(error), "--among") from None


def _info(frame, column):
    from worldorder import measure_info

    return measure_info(frame, column)


def _caption(info: dict, among: str = "", rule: str = "", note: str = "") -> str:
    from worldorder import caption
    from worldorder import measure_caption

    return caption(measure=measure_caption(info), rule=rule, sources=info.get("sources", ()), among=among, note=note)


def _finish(table, out: Optional[Path], chart_spec, chart: Optional[Path], notes: str, fmt: Optional[str] = None) -> None:
    write_table(table, out, fmt)
    if notes:
        errors.print(notes, highlight=False, soft_wrap=True)
    if chart is not None:
        from worldorder import save_chart

        path = save_chart(chart_spec(), chart)
        errors.print(f"Wrote chart {path}")


# -- powers --------------------------------------------------------------------------------------
@power_app.command("powers")
def powers(
    year: Optional[str] = YearOption,
    measure: str = MeasureOption,
    top: int = typer.Option(10, "--top", "-k", help="How many states to list."),
    among: str = AmongOption,
    weights: Optional[Path] = WeightsOption,
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    chart: Optional[Path] = ChartOption,
    db: Optional[Path] = DbOption,
) -> None:
    """The most powerful states of a year by a measure, with their shares."""
    import numpy as np

    from worldorder import measure_column
    from worldorder import shares
    from worldorder import describe_among

    _check_outputs(out, chart)
    year = one_year(year)
    if top < 1:
        raise _bad("--top must be at least 1.", "--top")
    frame = _power_frame([measure], db, weights=weights)
    column = measure_column(measure, str(weights) if weights else None)
    frame, among_key = _resolve_among(frame, among, db)
    frame = _recompute(frame, [measure], among_key, weights)
    with_values = frame[frame[column].notna()]
    if with_values.empty:
        raise _bad(f"{measure} has no values.", "--measure")
    if year is None:
        year = int(with_values["year"].max())
    elif year not in set(with_values["year"]):
        span = f"{int(with_values['year'].min())}-{int(with_values['year'].max())}"
        raise _bad(f"{measure} has no values in {year}; its years are {span}.", "--year")
    frame = shares(frame, column, among=among_key)
    part = frame[(frame["year"] == year) & frame[column].notna()]
    if among_key.kind != "all":
        part = part[part["share"].notna()]
    part = part.sort_values(column, ascending=False, kind="stable").head(top)
    info = _info(frame, column)
    table = part.assign(
        rank=np.arange(1, len(part) + 1),
        measure=info["key"],
        value=part[column].to_numpy(),
        unit=info["unit"],
        source="; ".join(info["sources"]),
    )[["rank", "ccode", "stateabb", "year", "measure", "value", "unit", "share", *(["major"] if "major" in part else []), "source"]]
    table = table.reset_index(drop=True)
    if "major" in table:
        table["major"] = table["major"].astype("Int64")
    among_text = describe_among(among_key)
    cap = _caption(info, among=among_text, note=f"share = share of {among_text} with a value in {year}")

    def spec():
        from worldorder import bar_chart

        return bar_chart(
            table["stateabb"].tolist(), table["share"].tolist(), title=f"Top {len(table)} states by {info['key']}, {year}",
            caption=cap, ylabel=f"share of {among_text}", name=info["key"],
            text=[f"{v:.1%}" for v in table["share"]],
        )

    _finish(table, out, spec, chart, cap, fmt)


# -- polarity ------------------------------------------------------------------------------------
@power_app.command("polarity")
def polarity_command(
    measure: str = MeasureOption,
    among: str = AmongOption,
    years: Optional[str] = YearsOption,
    rule: List[str] = RuleOption,
    robust: bool = typer.Option(False, "--robust", help="Label agreement across measures (--measure a,b,c; default cinc,gdp,milex,population) and rules (--rule, repeatable; default threshold:0.1, leader:0.5, wayman)."),
    intervals: int = typer.Option(0, "--intervals", min=0, help="Add percentile intervals from this many perturbed (or bootstrap) replicates."),
    method: str = typer.Option("perturb", "--method", help="Intervals: perturb (log-normal noise), bootstrap (resample states) or measured (the source's own SDs: gdp_fariss, population_fariss)."),
    noise: float = typer.Option(0.10, "--noise", min=0.0, help="Log-sd of the perturbation."),
    by: Optional[str] = typer.Option(None, "--by", help="regime: the share of power held by democracies (V-Dem polyarchy >= 0.5) and autocracies, year by year, instead of the indices."),
    seed: int = SeedOption,
    weights: Optional[Path] = WeightsOption,
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    chart: Optional[Path] = ChartOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Concentration indices, poles and the polarity label, year by year."""
    from worldorder import measure_column
    from worldorder import polarity, polarity_intervals, polarity_robustness
    from worldorder import describe_among
    from worldorder import DEFAULT_RULES, pole_rule

    _check_outputs(out, chart)
    if by is not None and by.strip().lower() != "regime":
        raise _bad(f"{by!r}: the only grouping is regime.", "--by")
    span = span_of(years)
    keys = _split(measure)
    if robust:
        if keys == ["cinc"] and measure == "cinc":
            keys = ["cinc", "gdp", "milex", "population"]
        rules = _split(rule) if rule != ["leader:0.5"] else list(DEFAULT_RULES)
        frame = _power_frame(keys, db, weights=weights)
        frame, among_key = _resolve_among(frame, among, db)
        frame = _recompute(span.select(frame), keys, among_key, weights)
        columns = [measure_column(k, str(weights) if weights else None) for k in keys]
        table = polarity_robustness(frame, columns, among=among_key, rules=rules)
        rules_text = "; ".join(f"{name}: {text}" for name, text in table.attrs["rules"].items())
        sources = [s for c in columns for s in _info(frame, c)["sources"]]
        from worldorder import caption

        cap = caption(
            measure=", ".join(_info(frame, c)["label"] for c in columns), rule=rules_text, sources=sources,
            among=describe_among(among_key),
            note="agreement = share of measure-rule combinations giving the most frequent label",
        )

        def spec():
            from worldorder import agreement_chart

            return agreement_chart(table, f"Agreement of polarity labels across {len(columns)} measures and {len(rules)} rules", cap)

        _finish(table, out, spec, chart, cap, fmt)
        return
    if len(keys) != 1:
        raise _bad("give one measure (several only with --robust).", "--measure")
    key = keys[0]
    frame = _power_frame([key], db, weights=weights)
    frame, among_key = _resolve_among(frame, among, db)
    frame = _recompute(span.select(frame), [key], among_key, weights)
    column = measure_column(key, str(weights) if weights else None)
    if by is not None:
        _regime_shares(frame, column, among_key, out, chart, fmt, db)
        return
    the_rule = pole_rule(_split(rule)[0] if rule else "leader:0.5")
    table = polarity(frame, column, among=among_key, rule=the_rule)
    if intervals:
        bands = polarity_intervals(frame, column, among=among_key, method=method, draws=intervals, noise=noise, rule=the_rule, seed=seed)
        extra = [c for c in bands.columns if c.endswith(("_lo", "_hi"))] + ["label_share"]
        table = table.merge(bands[["year", *extra]], on="year", how="left")
    table = table[table["n"] > 0].reset_index(drop=True)
    info = _info(frame, column)
    note = ""
    if intervals:
        note = f"intervals: 90% percentile, {intervals} {method} replicates" + (f" (log-sd {noise:g})" if method == "perturb" else "") + f", seed {seed}"
    cap = _caption(info, among=describe_among(among_key), rule=str(the_rule), note=note)

    def spec():
        from worldorder import Chart, Series, label_spans

        x = table["year"].tolist()
        series = [
            Series("CON", x, table["con"].tolist()),
            Series("HHI", x, table["hhi"].tolist()),
            Series("top-1 share", x, table["top1_share"].tolist()),
            Series("top-1 minus top-2", x, table["top_gap"].tolist()),
        ]
        if intervals:
            series.insert(0, Series("CON 90% interval", x, table["con_lo"].tolist(), kind="band", y2=table["con_hi"].tolist()))
        return Chart(
            title=f"Concentration of power by {info['key']} among {describe_among(among_key)}",
            series=series, caption=cap, xlabel="year", ylabel="index (0-1)",
            spans=label_spans(x, table["polarity"].tolist()),
        )

    _finish(table, out, spec, chart, cap, fmt)


def _regime_shares(frame, column: str, among_key, out, chart, fmt, db) -> None:
    """``polarity --by regime``: each year's share of the reference set's power by regime."""
    from worldorder import describe_among, regime_shares, shares

    table = regime_shares(shares(frame, column, among=among_key), value="share", db=open_cli_store(db))
    info = _info(frame, column)
    cap = _caption(info, among=describe_among(among_key), note=table.attrs["regime"])

    def spec():
        from worldorder import plot_series

        wide = table.pivot(index="year", columns="regime", values="share").reset_index()
        return plot_series(wide, [c for c in wide.columns if c != "year"], x="year", title=f"Share of {info['key']} by regime",
                           ylabel="share", caption=cap)

    _finish(table, out, spec, chart, cap, fmt)


# -- eras ----------------------------------------------------------------------------------------
@power_app.command("eras")
def eras_command(
    measure: str = MeasureOption,
    among: str = typer.Option("majors", "--among", help="Reference set: all, majors, top:K, region:NAME, region:SCHEME:NAME or states such as USA,CHN,RUS."),
    index: List[str] = typer.Option(["con"], "--index", help="Index series to segment (repeat for several): con, hhi, effective_poles, top1_share, top_gap ..."),
    n_eras: Optional[int] = typer.Option(None, "--n-eras", help="Fix the number of eras (otherwise the penalty decides)."),
    penalty: Optional[float] = typer.Option(None, "--penalty", help="PELT penalty per change point (default 3 ln(T) per index)."),
    min_size: int = typer.Option(5, "--min-size", help="Shortest era in years."),
    model: str = typer.Option("l2", "--model", help="ruptures cost: l2 (mean shifts), l1, rbf, normal."),
    years: Optional[str] = YearsOption,
    rule: str = typer.Option("leader:0.5", "--rule", help="Pole rule for the era's modal label."),
    weights: Optional[Path] = WeightsOption,
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    chart: Optional[Path] = ChartOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Eras of the distribution of power: change points in polarity indices."""
    from worldorder import eras, polarity
    from worldorder import measure_column
    from worldorder import describe_among
    from worldorder import pole_rule

    _check_outputs(out, chart)
    span = span_of(years)
    frame = _power_frame([measure], db, weights=weights)
    frame, among_key = _resolve_among(frame, among, db)
    frame = _recompute(span.select(frame), [measure], among_key, weights)
    column = measure_column(measure, str(weights) if weights else None)
    the_rule = pole_rule(rule)
    yearly = polarity(frame, column, among=among_key, rule=the_rule)
    indexes = _split(index)
    unknown = [i for i in indexes if i not in yearly.columns]
    if unknown:
        raise _bad(f"unknown index {', '.join(unknown)}; use con, hhi, effective_poles, top1_share, top_gap ...", "--index")
    table = eras(yearly, columns=indexes, n_eras=n_eras, penalty=penalty, min_size=min_size, model=model)
    info = _info(frame, column)
    segmentation = f"change points in {', '.join(indexes)} by {table.attrs['method']} ({model} cost"
    segmentation += f", penalty {table.attrs['penalty']:.3g})" if table.attrs.get("penalty") is not None else ")"
    cap = _caption(info, among=describe_among(among_key), rule=str(the_rule), note=segmentation)

    def spec():
        from worldorder import Chart, Series, Span

        x = yearly["year"].tolist()
        series = [Series(name, x, yearly[name].tolist()) for name in indexes]
        for name in indexes:
            step_x, step_y = [], []
            for row in table.itertuples(index=False):
                step_x += [row.start - 0.5, row.end + 0.5, float("nan")]
                mean = getattr(row, f"mean_{name}")
                step_y += [mean, mean, float("nan")]
            series.append(Series(f"era mean of {name}", step_x, step_y, dash=True))
        spans = [Span(r.start - 0.5, r.end + 0.5, f"{r.start}-{r.end}") for r in table.itertuples(index=False)]
        return Chart(title=f"Eras of power concentration ({info['key']}, {describe_among(among_key)})", series=series,
                     caption=cap, xlabel="year", ylabel="index", spans=spans)

    _finish(table, out, spec, chart, cap, fmt)


# -- transitions ---------------------------------------------------------------------------------
@power_app.command("transitions")
def transitions_command(
    leader: str = typer.Option("USA", "--leader", help="The dominant state (name, ISO3, COW code or abbreviation)."),
    measure: str = typer.Option("gdp", "--measure", "-m", help="Power measure (see `polarity --help`)."),
    challenger: Optional[List[str]] = typer.Option(None, "--challenger", help="Challenger(s); default every other state."),
    parity: str = typer.Option("0.8,1.2", "--parity", help="Parity window of the ratio challenger/leader, low,high."),
    top: int = typer.Option(10, "--top", "-k", help="Challengers to keep: the largest ratios in the last year (0 = all)."),
    detail: bool = typer.Option(False, "--detail", help="Output the yearly series instead of one summary row per challenger."),
    growth_window: int = typer.Option(1, "--growth-window", help="Years over which growth rates are compounded."),
    years: Optional[str] = YearsOption,
    weights: Optional[Path] = WeightsOption,
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    chart: Optional[Path] = ChartOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Power transitions: a leader against its challengers (ratio, parity, overtaking, growth)."""
    from worldorder import country
    from worldorder import measure_column
    from worldorder import transition_summary, transitions

    _check_outputs(out, chart)
    span = span_of(years)
    try:
        low, high = (float(v) for v in parity.split(","))
    except ValueError:
        raise _bad("write the parity window as low,high, e.g. 0.8,1.2", "--parity") from None
    store = open_cli_store(db)
    leader_code = country(leader, db=store.path).ccode
    challenger_codes = [country(c, db=store.path).ccode for c in _split(challenger)] or None
    frame = _power_frame([measure], db, weights=weights)
    column = measure_column(measure, str(weights) if weights else None)
    series = transitions(span.select(frame), leader_code, challenger_codes, column=column, parity=(low, high),
                         growth_window=growth_window)
    summary = transition_summary(series)
    if top and challenger_codes is None:
        summary = summary.head(top)
    kept = set(summary["challenger_ccode"])
    series = series[series["challenger_ccode"].isin(kept)].reset_index(drop=True)
    table = series if detail else summary
    info = _info(frame, column)
    leader_name = series["leader"].iloc[0] if len(series) else leader
    cap = _caption(info, rule=f"parity when {low:g} <= challenger/leader <= {high:g}",
                   note=f"ratio = challenger / {leader_name}; growth over {growth_window} year(s)")

    def spec():
        from worldorder import Chart, Series, Span

        lines = []
        for name in summary["challenger"].head(8):
            part = series[series["challenger"] == name]
            years = part["year"].to_numpy()
            ratio = part["ratio"].to_numpy(dtype=float)
            # break the line over missing years
            x, y = [], []
            for i, (yr, value) in enumerate(zip(years, ratio)):
                if i and yr != years[i - 1] + 1:
                    x.append(float("nan"))
                    y.append(float("nan"))
                x.append(float(yr))
                y.append(float(value))
            lines.append(Series(str(name), x, y, markers=True))
        return Chart(title=f"Power of challengers relative to {leader_name} ({info['key']})", series=lines, caption=cap,
                     xlabel="year", ylabel=f"ratio to {leader_name}", spans=[Span(low, high, "parity", axis="y")], hlines=[1.0])

    _finish(table, out, spec, chart, cap, fmt)


# -- regions -------------------------------------------------------------------------------------
@power_app.command("regions")
def regions_command(
    year: Optional[str] = YearOption,
    measure: List[str] = typer.Option(["cinc", "gdp", "milex"], "--measure", "-m", help="Measures (repeat or comma-separate)."),
    scheme: str = typer.Option("cow", "--scheme", help="Regions: cow, cow6, un, un_subregion, or a TOML/YAML file {region: [states]}."),
    polarity_series: bool = typer.Option(False, "--series", help="Output regional polarity year by year (first measure) instead of the leaders."),
    rule: str = typer.Option("leader:0.5", "--rule", help="Pole rule for --series."),
    weights: Optional[Path] = WeightsOption,
    out: Optional[Path] = OutOption,
    fmt: Optional[str] = FormatOption,
    chart: Optional[Path] = ChartOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Regional leaders by each measure, and since when (or regional polarity with --series)."""
    from worldorder import caption, source_text
    from worldorder import measure_column
    from worldorder import regional_leaders, regional_polarity

    _check_outputs(out, chart)
    year = one_year(year)
    keys = _split(measure)
    frame = _power_frame(keys, db, weights=weights)
    columns = [measure_column(k, str(weights) if weights else None) for k in keys]
    store = open_cli_store(db)
    scheme_text = scheme if scheme in ("cow", "cow6", "un", "un_subregion") else f"regions of {Path(scheme).name}"
    sources = [s for c in columns for s in _info(frame, c)["sources"]]
    if scheme in ("un", "un_subregion"):
        sources.append("countrycode_codelist")
    if polarity_series:
        table = regional_polarity(frame, columns[0], regions=scheme, rule=rule, db=store)
        if year is not None:
            table = table[table["year"] == year].reset_index(drop=True)
        table = table[table["n"] > 0].reset_index(drop=True)
        cap = _caption(_info(frame, columns[0]), among=f"each {scheme_text} region", rule=str(table.attrs.get("rule", rule)))

        def spec():
            from worldorder import Chart, Series, label_spans

            lines = [Series(name, part["year"].tolist(), part["con"].tolist()) for name, part in table.groupby("region", sort=False)]
            return Chart(title=f"Concentration of power within regions ({keys[0]})", series=lines, caption=cap,
                         xlabel="year", ylabel="CON", ylim=(0, 1.05))

        _finish(table, out, spec, chart, cap, fmt)
        return
    table = regional_leaders(frame, columns, regions=scheme, year=year, db=store)
    if table.empty:
        raise _bad(f"no measure has values in {year}.", "--year")
    labels = ", ".join(_info(frame, c)["label"] for c in columns)
    cap = caption(measure=labels, among=f"states of each region ({scheme_text})",
                  note="share = leader's share of the region's total; since = first year of its current spell as regional leader",
                  sources=source_text(sources))

    def spec():
        from worldorder import Chart, Series
        from worldorder import measure_colour

        regions = list(dict.fromkeys(table["region"]))
        bars = []
        for key in dict.fromkeys(table["measure"]):
            part = table[table["measure"] == key].set_index("region").reindex(regions)
            text = [f"{a} since {int(s)}" if isinstance(a, str) else "" for a, s in zip(part["leader"], part["since"].fillna(0))]
            bars.append(Series(key, regions, part["share"].tolist(), kind="bar", text=text, colour=measure_colour(key)))
        title = f"Regional leaders, {year}" if year else "Regional leaders (last year with values)"
        return Chart(title=title, series=bars, caption=cap, xlabel="region", ylabel="leader's share of the region", horizontal=True)

    _finish(table, out, spec, chart, cap, fmt)
