"""Short summaries of result objects: a few lines for the terminal (``repr``) and a small table for notebooks (``_repr_html_``)."""

from __future__ import annotations

import html

import numpy as np


def summary(result) -> tuple[str, list[tuple[str, str]]]:
    """The title and the ``(label, value)`` lines that summarise a :class:`~worldorder.sim.Projection`,
    :class:`~worldorder.sim.calibration.GrowthModel` or :class:`~worldorder.claims.ClaimResult`."""
    kind = type(result).__name__
    if kind == "Projection":
        return _projection(result)
    if kind == "GrowthModel":
        return _growth_model(result)
    if kind == "ClaimResult":
        return _claim(result)
    raise TypeError(f"No summary for {kind}.")


def text(result) -> str:
    """``Title`` and one indented line per item: what ``repr`` shows instead of the arrays inside."""
    title, lines = summary(result)
    width = max((len(label) for label, _ in lines), default=0)
    return "\n".join([title, *(f"  {label.ljust(width)}  {value}" for label, value in lines)])


def html_table(result) -> str:
    """The summary as a small HTML table (Jupyter shows it for the object)."""
    title, lines = summary(result)
    rows = "".join(f"<tr><th style='text-align:left'>{html.escape(label)}</th><td style='text-align:left'>{html.escape(value)}</td></tr>"
                   for label, value in lines)
    return f"<table><caption style='text-align:left'><b>{html.escape(title)}</b></caption>{rows}</table>"


def _projection(result) -> tuple[str, list[tuple[str, str]]]:
    settings, model = result.settings, result.model
    last = result.labels.iloc[-1]
    con = result.polarity[(result.polarity["index"] == "con") & (result.polarity["year"] == last["year"])]
    median = "q50" if "q50" in con.columns else "mean"
    transition = result.transition.iloc[-1]
    title = (f"Projection of {model.value}: {model.n_states} states from {model.base_year} to {int(last['year'])}, "
             f"{int(settings.get('paths', 0)):,} paths, seed {settings.get('seed')}")
    lines = [
        (f"labels in {int(last['year'])}", ", ".join(f"{n} {last[n]:.0%}" for n in ("unipolar", "bipolar", "multipolar", "nonpolar") if n in last)),
        ("median CON", f"{float(con[median].iloc[0]):.3f}" if len(con) else "–"),
        ("transition", f"{int(transition['challenger'])} ahead of {int(transition['leader'])} in some year: {transition['p_overtaken']:.0%} (COW codes)"),
        ("growth calibrated", f"{model.window[0]}-{model.window[1]}, correlation {model.correlation}"),
        ("rule", str(settings.get("rule", ""))),
        ("tables", ", ".join(result.tables())),
    ]
    return title, lines


def _growth_model(model) -> tuple[str, list[tuple[str, str]]]:
    share = model.base / model.base.sum()
    top = np.argsort(-share)[:3]
    title = f"GrowthModel of {model.value}: {model.n_states} states, base year {model.base_year}"
    lines = [
        ("calibrated on", f"{model.window[0]}-{model.window[1]}"),
        ("correlation", f"{model.correlation} ({', '.join(model.factors) or 'no factors'})"),
        ("mean growth", f"median {np.median(model.mu):.2%} a year, group mean {model.group_mean:.2%}"),
        ("volatility", f"median {np.median(model.sigma):.2%} a year, group {model.group_sd:.2%}"),
        ("largest states", "; ".join(f"{int(model.ccode[i])}: share {share[i]:.1%}, growth {model.mu[i]:.2%} ± {model.sigma[i]:.2%}" for i in top)),
        ("per state", "model.table()"),
    ]
    return title, lines


def _claim(result) -> tuple[str, list[tuple[str, str]]]:
    title = f"ClaimResult {result.claim.id}: {result.verdict}"
    lines = [
        ("claim", result.claim.claim),
        ("evidence", f"{result.summary}" + (f"; {result.breakdown}" if result.breakdown else "")),
        ("rule", result.rule),
        ("test", result.test),
        ("sources", ", ".join(result.sources)),
        ("cases", "result.evidence (a table), result.chart()"),
    ]
    return title, lines
