"""Report sections on claims and sources: the ledger's verdicts with their evidence, and the data sets cited."""

from __future__ import annotations

from pathlib import Path

from worldorder.report.builder import source_names
from worldorder.report.html import esc, table_html, verdict_badge


def claims_section(builder, ledger) -> str:
    from worldorder.claims import check_ledger, verdict_table

    results = check_ledger(ledger, data=builder.data)
    builder.verdicts = verdict_table(results)
    for r in results:
        builder._source(*r.sources)
    parts = [f'<p class="lead">Each claim of the ledger {esc(Path(ledger.file).name)} is tested on every measure, reference set '
             'and pole rule it lists. The verdict follows the rule stated with it; the evidence shows in which cases the '
             "claim holds and in which it does not. The verdicts describe these data and measures, not the merits of any position.</p>"]
    rows = "".join(
        f"<tr><td><a href=\"#claim-{esc(r.claim.id)}\">{esc(r.claim.id)}</a></td><td>{esc(r.claim.claim)}</td>"
        f"<td>{verdict_badge(r.verdict)}</td><td class=\"num\">{r.holding}/{r.tested}</td></tr>"
        for r in results
    )
    parts.append('<div class="table-wrap"><table class="data verdicts"><thead><tr><th>id</th><th>claim</th><th>verdict</th>'
                 f"<th>cases holding / with data</th></tr></thead><tbody>{rows}</tbody></table></div>")
    for r in results:
        evidence = r.evidence
        facts = [("Claim", r.claim.claim), ("Made by", r.claim.made_by), ("Test", r.test), ("Rule", r.rule),
                 ("Result", r.summary + (f"; {r.breakdown}" if r.breakdown else ""))]
        facts += [(f"Reference set {k}", v) for k, v in r.reference_sets.items()]
        if r.notes:
            facts.append(("Notes", "; ".join(r.notes)))
        facts.append(("Sources", source_names(r.sources)))
        dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
        parts.append(
            f'<details class="claim" id="claim-{esc(r.claim.id)}" open><summary>{esc(r.claim.id)} {verdict_badge(r.verdict)}</summary>'
            f'<dl class="facts">{dl}</dl>'
            + table_html(evidence, {"case": ("case", "nowrap"), "years": ("years", "nowrap"), "finding": ("finding", None), "holds": ("holds", None)})
            + builder.chart_html(r.chart())
            + "</details>"
        )
    return "\n".join(parts)


def sources_section(builder) -> str:
    from worldorder.data.registry import UnknownDatasetError, cite, get_dataset

    rows, bibs = [], []
    for name in builder.sources:
        try:
            d = get_dataset(name)
        except UnknownDatasetError:
            continue
        link = d.url or d.homepage
        anchor = f'<a href="{esc(link)}">{esc(link)}</a>' if link else ""
        rows.append(f"<tr><td><code>{esc(name)}</code></td><td>{esc(d.publisher)}</td><td>{esc(d.title)}</td><td>{esc(d.version)}</td>"
                    f"<td>{esc(d.coverage)}</td><td>{esc(d.licence)}</td><td>{anchor}</td></tr>")
        bibs.append(f"<h3 id=\"cite-{esc(name)}\">{esc(name)}</h3><pre class=\"bib\">{esc(cite(name))}</pre>")
    return ('<p class="lead">The data sets this report used, as registered by worldorder (version, coverage, licence), '
            "and their citations. `worldorder data cite NAME` prints a citation.</p>"
            '<div class="table-wrap"><table class="data sources"><thead><tr><th>name</th><th>publisher</th><th>title</th>'
            f"<th>version</th><th>coverage</th><th>licence</th><th>address</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            "<h3>Citations</h3>" + "".join(bibs))
