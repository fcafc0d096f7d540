"""Claims: a ledger of testable propositions about world order, evaluated against the data.

Debates about world order make structural claims ("the world turned unipolar
after 1991", "globalization does not reverse").  A *ledger* (a YAML file)
states each claim in words, who makes it, and a test: what is measured, by
which measures, over which states and years, and the predicate that must
hold.  :func:`check_ledger` evaluates every claim on every applicable measure,
reference set and pole rule, and gives a verdict -- "supported", "not
supported" or "depends on the measure" -- with the rule that produced it and
the evidence (a table per claim and a chart).

- :mod:`~worldorder.claims.ledger`: the file format, read with the line of
  every key; :class:`ClaimsError` lists every problem with its line.
- :mod:`~worldorder.claims.quantities`: the series each case is tested on,
  from the power and networks layers' public functions.
- :mod:`~worldorder.claims.predicates`: threshold, all-years, any-year,
  share-of-years, compare, trend, rank, exceeds-next, recovers.
- :mod:`~worldorder.claims.evaluate`: verdicts, evidence tables and charts.

The verdicts take no side: a claim is a question, and the answer states the
measure, the rule and the sources.
"""

from __future__ import annotations

from worldorder._exports import exports

_PUBLIC = {
    "worldorder.claims.evaluate": [
        "CaseResult",
        "ClaimResult",
        "check_claim",
        "check_ledger",
        "claim_chart",
        "evidence_table",
        "verdict_category",
        "verdict_counts",
        "verdict_table",
    ],
    "worldorder.claims.ledger": ["load_ledger", "parse_ledger"],
    "worldorder.claims.model": [
        "DEPENDS",
        "INCOMPLETE",
        "LEDGER_VERSION",
        "NOT_SUPPORTED",
        "NOT_TESTABLE",
        "PREDICATES",
        "QUANTITIES",
        "SUPPORTED",
        "VERDICTS",
        "Claim",
        "ClaimsError",
        "Ledger",
        "Predicate",
        "Test",
        "VerdictRule",
    ],
    "worldorder.claims.quantities": ["Case", "ClaimsData", "Data", "ledger_regions"],
    "worldorder.located": ["Problem"],
    "worldorder.years": ["Years"],
}
__all__, __getattr__, __dir__ = exports(__name__, _PUBLIC, globals())
