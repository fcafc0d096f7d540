"""Report sections on claims and sources: the ledger's verdicts with their evidence, and the data sets cited."""

from __future__ import annotations

from pathlib import Path

from worldorder.report.builder import source_names
from worldorder.report.html import details, esc, table_html, verdict_badge


def claims_section(builder, ledger) -> str:
    from worldorder import check_ledger, verdict_counts, verdict_table

    results = check_ledger(ledger, data=builder.data)
    builder.verdicts = verdict_table(results)
    for r in results:
        builder._source(*r.sources)
    parts = [f'<p class="lead">Each claim of the ledger {esc(Path(ledger.file).name)} is tested on every measure, reference set '
             'and pole rule it lists. The verdict follows the rule stated with it; the evidence shows in which cases the '
             "claim holds and in which it does not. The verdicts describe these data and measures, not the merits of any position.</p>"]
    parts.append("<p class=\"caption\">One line per claim: its verdict and how many cases hold. Open a claim for its test, its rule "
                 "and the cases behind the verdict.</p>")
    builder.facts["claims"] = {"ledger": Path(ledger.file).name, "count": len(results), "verdicts": verdict_counts(results)}
    for r in results:
        evidence = r.evidence
        facts = [("Claim", r.claim.claim), ("Kind of source", r.claim.made_by), ("Test", r.test), ("Rule", r.rule),
                 ("Result", r.summary + (f"; {r.breakdown}" if r.breakdown else ""))]
        facts += [(f"Reference set {k}", v) for k, v in r.reference_sets.items()]
        if r.notes:
            facts.append(("Notes", "; ".join(r.notes)))
        facts.append(("Sources", source_names(r.sources)))
        dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
        parts.append(
            f'<details class="claim" id="claim-{esc(r.claim.id)}"><summary>{verdict_badge(r.verdict)} {esc(r.claim.claim)} '
            f'<span class="caption">({r.holding} of {r.tested} cases hold; {esc(r.claim.id)})</span></summary>'
            f'<dl class="facts">{dl}</dl>'
            + table_html(evidence, {"case": ("case", "nowrap"), "years": ("years", "nowrap"), "finding": ("finding", None), "holds": ("holds", None)})
            + builder.chart_html(r.chart())
            + "</details>"
        )
    return "\n".join(parts)


def sources_section(builder) -> str:
    from worldorder import UnknownDatasetError, cite, get_dataset

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
    listed = "".join(f"<li><code>{esc(n)}</code> {esc(get_dataset(n).publisher)}, {esc(get_dataset(n).title)} {esc(get_dataset(n).version)}</li>"
                     for n in builder.sources if _known(n))
    table = ('<div class="table-wrap"><table class="data sources"><thead><tr><th>name</th><th>publisher</th><th>title</th>'
             f"<th>version</th><th>coverage</th><th>licence</th><th>address</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    builder.facts["sources"] = {"count": len(rows)}
    return ('<p class="lead">The data sets this report used, as registered by worldorder (version, coverage, licence), '
            "and their citations. `worldorder data cite NAME` prints a citation.</p>"
            f'<ul class="sources-list">{listed}</ul>'
            + details("Versions, coverage, licences and addresses (table)", table)
            + details("Citations (BibTeX)", "".join(bibs)))


def _known(name: str) -> bool:
    from worldorder import UnknownDatasetError, get_dataset

    try:
        get_dataset(name)
    except UnknownDatasetError:
        return False
    return True
