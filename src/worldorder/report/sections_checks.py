"""Report sections that hold models to account: scenarios against what happened, and diffusion along ties."""

from __future__ import annotations


from worldorder.report.builder import source_names
from worldorder.report.html import details, esc, table_html


def observed_section(builder) -> str:
    """The example scenarios (Nord Stream cut, pandemic year) beside what happened (:func:`worldorder.scenarios_against_observed`)."""
    from worldorder import scenarios_against_observed

    checks = scenarios_against_observed(db=builder.db)
    if not checks:
        return '<p class="lead">The example scenarios (examples/scenarios) are not beside this installation, so none is checked.</p>'
    parts = ['<p class="lead">A scenario is a model of a shock. Where the shock really happened, its predictions can be set beside '
             "what the data recorded; the notes say what each scenario cannot capture.</p>"]
    lines = []
    for check in checks:
        builder._source(*check.sources)
        headline = check.headline
        lines.append((check.scenario, headline))
        parts.append(f"<h3>{esc(check.scenario)}</h3><p>{esc(headline)}</p>")
        body = "".join(f"<li>{esc(note)}</li>" for note in check.notes if note != headline)
        tables = "".join(table_html(table.round(3), {c: (c.replace("_", " "), None) for c in table.columns},
                                    caption=table.attrs.get("unit", "")) for table in check.tables.values())
        parts.append(details(f"{check.scenario}: predicted against observed (tables and notes)",
                             f"<ul>{body}</ul>{tables}<p class=\"caption\">Sources: {esc(source_names(check.sources))}.</p>"))
    builder.facts["observed"] = lines
    return "\n".join(parts)


def diffusion_section(builder) -> str:
    """Democracy's spread along ties: the fitted effects, their out-of-sample check and a simulated fan (:func:`worldorder.diffusion_view`)."""
    from worldorder import diffusion_effects_chart, diffusion_fan_chart, diffusion_view

    view = diffusion_view(paths=2000, seed=builder.seed, db=builder.db)
    verdict = view.verdict.split(" region only:")[0]
    parts = ['<p class="lead">Does a state become (or stop being) a democracy more often when its neighbours, allies and '
             "trade partners are democracies? A model of yearly transitions fitted on the exposure along each kind of tie, "
             f"checked on years it was not fitted on.</p><p><b>{esc(verdict)}</b></p>"]
    fan = view.simulation
    if fan is not None:
        parts.append(builder.chart_html(diffusion_fan_chart(fan, caption=view.caption)))
    more = builder.chart_html(diffusion_effects_chart(view.fit))
    coefficients = view.coefficients[view.coefficients["term"].str.startswith("exp_")]
    more += table_html(coefficients, {"transition": ("transition", None), "term": ("exposure along", None), "coef": ("coefficient", ".2f"),
                                      "lo": ("95% from", ".2f"), "hi": ("to", ".2f"), "p": ("p", ".3g"), "events": ("transitions", "int")},
                       caption="Logit coefficients of exposure on entering and on leaving democracy.")
    parts.append(details("Fitted effects of each kind of tie (chart and table)", more))
    if view.backtest is not None:
        parts.append(details("The out-of-sample check in full", f"<p>{esc(view.verdict)}</p>"))
    if view.fan is not None:
        states = view.fan[view.fan["weight"] == "states"]
        last = states.iloc[-1]
        builder.facts["diffusion"] = {"verdict": verdict, "year": int(last["year"]), "median": float(last["q50"]),
                                      "low": float(last["q05"]), "high": float(last["q95"]), "first": int(states["year"].iloc[0]),
                                      "start": float(states["q50"].iloc[0])}
    else:
        builder.facts["diffusion"] = {"verdict": verdict}
    return "\n".join(parts)
