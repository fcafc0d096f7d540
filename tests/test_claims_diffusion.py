"""Diffusion claims: the ledger grammar, the spreads predicate on hand-built evidence, and the example claim on the real data."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from worldorder.claims import ClaimsError, Years, parse_ledger
from worldorder.claims import predicates as P

LEDGER = textwrap.dedent(
    """\
    ledger: 1
    title: Test
    claims:
      - id: spread
        claim: Democracy spread along alliance ties after 1989.
        made_by: a test
        test:
          quantity: diffusion
          outcome: {outcome}
          measure: [alliance, contiguity]
          years: {years}
          predicate: {predicate}
    """
)


def ledger(outcome="democracy:polity>=6", years="1990-2010", predicate="{type: spreads, since: 1950}"):
    return parse_ledger(LEDGER.format(outcome=outcome, years=years, predicate=predicate))


def test_a_diffusion_claim_parses():
    test = ledger().claims[0].test
    assert (test.quantity, test.outcome, test.measures, test.among) == ("diffusion", "democracy:polity>=6", ("alliance", "contiguity"), ("all",))
    assert test.predicate.get("since") == 1950


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"outcome": "democracy:freedom>3"}, "democracy measure"),
        ({"years": "1990-"}, "first and a last year"),
        ({"predicate": "{type: threshold, op: '>', value: 0}"}, "spreads"),
        ({"predicate": "{type: spreads, since: early}"}, "'since' must be a year"),
    ],
)
def test_bad_diffusion_claims_are_reported_with_their_line(kwargs, message):
    with pytest.raises(ClaimsError) as error:
        ledger(**kwargs)
    assert message in str(error.value)


def _row(**values):
    base = {"year": 2010, "first": 1990, "last": 2010, "value": 1.0, "coef": 1.0, "lo": 0.2, "hi": 1.8,
            "brier_diff": -0.001, "brier_lo": -0.002, "brier_hi": -0.0005, "auc": 0.72, "auc0": 0.65}
    base.update(values)
    return pd.DataFrame([base])


def test_spreads_needs_both_the_fitted_effect_and_the_forecasts():
    years = Years(1990, 2010)
    assert P.spreads(_row(), years).holds is True
    assert P.spreads(_row(lo=-0.1), years).holds is False  # effect not clearly positive
    assert P.spreads(_row(brier_hi=0.0001), years).holds is False  # forecasts not clearly better
    outcome = P.spreads(_row(), years)
    assert (outcome.first, outcome.last, outcome.stat) == (1990, 2010, 1.0)
    assert "Brier" in outcome.finding and "0.72" in outcome.finding
    assert P.spreads(_row().iloc[:0], years).holds is None


@pytest.mark.slow
def test_the_example_diffusion_claim_gets_a_verdict_from_the_fit_and_the_check(store):
    from pathlib import Path

    from worldorder import backtest_diffusion, fit_diffusion
    from worldorder.claims import check_ledger, load_ledger

    example = load_ledger(Path(__file__).resolve().parents[1] / "examples" / "claims.yaml")
    [result] = check_ledger(example, claims=["democracy-spread-along-alliances-after-1989"], progress=False)
    fit = fit_diffusion("democracy:polyarchy>=0.5", ties="alliance", years="1990-2010")
    effect = fit.coefficients.set_index(["transition", "term"]).loc[("enter", "exp_alliance")]
    gain = backtest_diffusion("democracy:polyarchy>=0.5", ties="alliance", years="1946-2010", until=1989).gain.set_index("model").loc["ties"]
    holds = bool(effect["lo"] > 0 and gain["hi"] < 0)
    assert result.cases[0].outcome.holds is holds
    assert result.verdict == ("supported" if holds else "not supported")
    assert "isard" in " ".join(result.sources) or any("democracy" in s for s in result.sources)
