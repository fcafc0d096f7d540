"""The claims ledger without data: the file format, errors with their lines, predicates and verdict rules.

Predicates are checked on small hand-built series whose answers are known.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder.claims import (
    DEPENDS,
    NOT_SUPPORTED,
    NOT_TESTABLE,
    SUPPORTED,
    ClaimsError,
    Predicate,
    VerdictRule,
    Years,
    load_ledger,
    parse_ledger,
)
from worldorder.claims import predicates as P
from worldorder.claims.ledger import parse_years

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "claims.yaml"

VALID = textwrap.dedent(
    """\
    ledger: 1
    title: Test
    regions:
      East Asia: [CHN, JPN, ROK]
    claims:
      - id: china-leads
        claim: China is the leading state of East Asia.
        made_by: someone
        test:
          quantity: ranking
          measure: [cinc, gdp]
          among: region:East Asia
          years: latest
          predicate: {type: rank, states: [CHN], top: 1}
      - id: cold-war
        claim: The system was bipolar.
        test:
          quantity: polarity
          years: 1946-1989
          predicate: {type: share-of-years, op: "==", value: bipolar, at_least: 0.9}
    """
)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


# -- the format --------------------------------------------------------------------------------------
def test_a_valid_ledger_gets_its_defaults():
    ledger = parse_ledger(VALID, file="t.yaml")
    assert [c.id for c in ledger.claims] == ["china-leads", "cold-war"]
    first, second = ledger.claims
    assert first.test.measures == ("cinc", "gdp") and first.test.among == ("region:East Asia",)
    assert first.test.years == Years(latest=True) and first.test.rules == (None,)
    assert second.made_by == "not stated"
    # every applicable measure and the three default pole rules when none are named
    assert second.test.measures == ("cinc", "gdp", "gdp_wb", "milex", "milex_wb", "net_power")
    assert second.test.rules == ("threshold:0.1", "leader:0.5", "wayman")
    assert second.verdict == VerdictRule("all", "none")
    assert ledger.regions == {"East Asia": ["CHN", "JPN", "ROK"]}
    assert first.line == line_of(VALID, "- id: china-leads")


def test_the_example_ledger_parses_and_covers_the_six_propositions():
    ledger = load_ledger(EXAMPLE)
    ids = {c.id for c in ledger.claims}
    assert {"bipolar-1946-1989", "unipolar-since-1991", "power-spreading-since-2010", "leaders-europe", "leaders-eurasia",
            "leader-west-asia", "leaders-east-africa", "leader-east-asia", "interconnectivity-no-reversal",
            "germany-russian-pipeline-gas", "nord-stream-share-2021", "us-military-spending"} <= ids
    for claim in ledger.claims:
        assert claim.made_by and claim.made_by != "not stated"
    # neutral wording: the claims are stated, not judged
    loaded = ("obviously", "clearly", "undeniabl", "propaganda", "myth", "lie ", "false claim", "debunk", "regime")
    text = " ".join(c.claim.lower() + " " + c.made_by.lower() for c in ledger.claims)
    assert not [w for w in loaded if w in text]


def test_a_malformed_ledger_gets_every_error_with_its_line():
    text = textwrap.dedent(
        """\
        ledger: 1
        titel: typo
        regions:
          Europe: [GMY, FRN]
        claims:
          - id: a
            claim: First.
            test:
              quantity: polarty
              predicate: {type: trend, direction: rising}
          - id: b
            claim: Second.
            test:
              quantity: polarity
              measure: [cinc, gpd]
              among: region:Atlantis
              years: 1990-1980
              predicate:
                type: all-years
                op: ">"
                value: bipolar
          - id: b
            claim: Third.
            test:
              quantity: ranking
              predicate: {type: rank, states: [GMY, FRN], top: 1}
          - id: d
            test:
              quantity: globalization
              predicate: {type: recovers, shocks: [2008], within: -1}
          - id: e
            claim: Fifth.
            test:
              quantity: polarity
              predicate: {type: sometimes}
        """
    )
    with pytest.raises(ClaimsError) as caught:
        parse_ledger(text, file="bad.yaml")
    problems = caught.value.problems
    found = {(p.line, p.path.split(".")[-1] if p.path else "") for p in problems}
    expected_lines = {
        line_of(text, "titel:"),  # unknown key
        line_of(text, "quantity: polarty"),  # unknown quantity
        line_of(text, "measure: [cinc, gpd]"),  # unknown measure
        line_of(text, "among: region:Atlantis"),  # unknown region
        line_of(text, "years: 1990-1980"),  # first year after the last
        line_of(text, 'op: ">"'),  # a label compared with >
        line_of(text, "- id: b", 2),  # duplicate id
        line_of(text, "predicate: {type: rank"),  # two states cannot both be first
        line_of(text, "- id: d"),  # claim text missing
        line_of(text, "predicate: {type: recovers"),  # negative window
        line_of(text, "predicate: {type: sometimes}"),  # unknown predicate
    }
    assert expected_lines <= {line for line, _ in found}, (expected_lines, found)
    message = str(caught.value)
    assert message.startswith(f"{len(problems)} problems in bad.yaml")
    assert "did you mean 'title'?" in message and "did you mean gdp" in message
    assert "did you mean 'polarity'?" in message
    for problem in problems:
        assert problem.file == "bad.yaml" and problem.line is not None
        assert f"bad.yaml:{problem.line}:" in message


def test_yaml_syntax_errors_and_duplicate_keys_have_lines():
    broken = "claims:\n  - id: a\n    claim: [unclosed\n"
    with pytest.raises(ClaimsError) as caught:
        parse_ledger(broken, file="x.yaml")
    assert caught.value.problems[0].line is not None and "not valid YAML" in str(caught.value)
    twice = textwrap.dedent(
        """\
        claims:
          - id: a
            claim: One.
            claim: Two.
            test: {quantity: globalization, predicate: {type: trend, direction: rising}}
        """
    )
    with pytest.raises(ClaimsError) as caught:
        parse_ledger(twice, file="x.yaml")
    assert caught.value.problems[0].line == 4 and "appears twice" in str(caught.value)


def test_missing_file_and_wrong_suffix(tmp_path):
    with pytest.raises(ClaimsError, match="no such ledger"):
        load_ledger(tmp_path / "none.yaml")
    other = tmp_path / "ledger.toml"
    other.write_text("x = 1")
    with pytest.raises(ClaimsError, match="YAML"):
        load_ledger(other)


def test_claims_check_reports_lines_as_one_error_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims:\n  - id: a\n    claim: A.\n    test: {quantity: polarity, predicate: {type: trend, direction: up}}\n")
    result = subprocess.run([sys.executable, "-c", "from worldorder.cli import main; main()", "claims", "check", str(bad)],
                            capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert result.returncode == 1
    assert f"{bad}:4" in result.stderr and "rising or falling" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1946-1989", Years(1946, 1989)),
        ("1991-", Years(1991, None)),
        ("2010-latest", Years(2010, None)),
        ("to 2021", Years(None, 2021)),
        (2021, Years(2021, 2021)),
        ("latest", Years(latest=True)),
        (None, Years()),
    ],
)
def test_years(text, expected):
    assert parse_years(text) == expected


def test_a_negative_year_from_yaml_is_explained():
    with pytest.raises(ValueError, match="to 2021"):
        parse_years(-2021)


# -- predicates on hand-built series ------------------------------------------------------------------
def series(values: dict) -> pd.DataFrame:
    return pd.DataFrame({"year": list(values), "value": list(values.values())})


LABELS = series({1990: "bipolar", 1991: "bipolar", 1992: "unipolar", 1993: "bipolar", 1994: None})


def test_all_any_and_share_of_years_on_labels():
    cond = {"op": "==", "value": "bipolar"}
    every = P.evaluate(Predicate("all-years", cond), LABELS.dropna(), Years())
    assert every.holds is False and every.stat == 0.75 and "not in 1992" in every.finding and every.n == 4
    some = P.evaluate(Predicate("any-year", cond), LABELS.dropna(), Years(1992, 1992))
    assert some.holds is False and some.first == 1992
    share = P.evaluate(Predicate("share-of-years", {**cond, "at_least": 0.75}), LABELS.dropna(), Years())
    assert share.holds is True and share.years_text == "1990-1993"
    none = P.evaluate(Predicate("all-years", cond), LABELS.dropna(), Years(2000, 2010))
    assert none.holds is None and "no data" in none.finding


def test_threshold_compare_and_trend():
    values = series({2010: 5.0, 2011: 6.0, 2012: 4.0, 2013: 7.0})
    assert P.evaluate(Predicate("threshold", {"op": ">", "value": 6.5}), values, Years()).holds is True  # latest: 7
    mean = P.evaluate(Predicate("threshold", {"op": ">", "value": 5.6, "at": "mean"}), values, Years())
    assert mean.holds is False and mean.stat == pytest.approx(5.5)
    assert P.evaluate(Predicate("threshold", {"op": "<=", "value": 4.0, "at": 2012}), values, Years()).holds is True
    assert P.evaluate(Predicate("threshold", {"op": "<=", "value": 4.0, "at": 2030}), values, Years()).holds is None
    compare = P.evaluate(Predicate("compare", {"op": ">", "left": "latest", "right": Years(2010, 2011)}), values, Years())
    assert compare.holds is True and compare.stat == pytest.approx(7.0 - 5.5)
    rising = P.evaluate(Predicate("trend", {"direction": "rising"}), values, Years())
    slope = np.polyfit([2010, 2011, 2012, 2013], [5, 6, 4, 7], 1)[0]
    assert rising.holds is bool(slope > 0) and rising.stat == pytest.approx(slope)
    short = P.evaluate(Predicate("trend", {"direction": "rising"}), values, Years(2012, 2013))
    assert short.holds is None


def test_recovers_counts_five_years_after_each_shock_and_leaves_undecidable_shocks_out():
    values = series({y: v for y, v in zip(range(2000, 2015), [1, 1, 1, 1, 1, 1, 1, 2, 2, 1.5, 1.8, 2.1, 1.9, 1.95, 2.2])})
    predicate = Predicate("recovers", {"shocks": [2001, 2008, 2013], "within": 5})
    outcome = P.evaluate(predicate, values, Years())
    # 2001: 2006 (1) >= 2000 (1); 2008: 2013 (1.95) < 2007 (2); 2013: window ends 2018, past the data
    assert outcome.detail["shocks"] == {2001: True, 2008: False, 2013: None}
    assert outcome.holds is False and "the data end in 2014" in outcome.finding
    only_early = P.evaluate(Predicate("recovers", {"shocks": [2001, 2020], "within": 5}), values, Years())
    assert only_early.holds is True and "2020: no data" in only_early.finding


def test_rank_and_exceeds_next():
    table = pd.DataFrame(
        {
            "year": [2000] * 4 + [2001] * 4,
            "ccode": [1, 2, 3, 4] * 2,
            "stateabb": ["A", "B", "C", "D"] * 2,
            "value": [10.0, 4.0, 3.0, 2.0, 5.0, 6.0, 1.0, 1.0],
        }
    )
    table["share"] = table["value"] / table.groupby("year")["value"].transform("sum")
    top2 = P.evaluate(Predicate("rank", {"states": ["A", "B"], "codes": [1, 2], "top": 2}), table, Years())
    assert top2.holds is True and top2.first == 2001 and "A 2nd" in top2.finding  # latest year: B first, A second
    first = P.evaluate(Predicate("rank", {"states": ["A"], "codes": [1], "top": 1, "at": "all-years"}), table, Years())
    assert first.holds is False and first.stat == 0.5
    exceeds = P.evaluate(Predicate("exceeds-next", {"state": "A", "code": 1, "next": 3, "at": "all-years"}), table, Years())
    assert exceeds.holds is False  # 2000: 10 > 9; 2001: 5 < 8
    ratios = exceeds.detail["ratios"].set_index("year")["ratio"]
    assert ratios[2000] == pytest.approx(10 / 9) and ratios[2001] == pytest.approx(5 / 8)
    latest = P.evaluate(Predicate("exceeds-next", {"state": "A", "code": 1, "next": 2}), table, Years(2000, 2000))
    assert latest.holds is True and "more than the next 3 together" in latest.finding


@pytest.mark.parametrize(
    ("rule", "holding", "total", "verdict"),
    [
        (VerdictRule(), 3, 3, SUPPORTED),
        (VerdictRule(), 0, 3, NOT_SUPPORTED),
        (VerdictRule(), 1, 3, DEPENDS),
        (VerdictRule(), 0, 0, NOT_TESTABLE),
        (VerdictRule(0.75, 0.25), 3, 4, SUPPORTED),
        (VerdictRule(0.75, 0.25), 1, 4, NOT_SUPPORTED),
        (VerdictRule(0.75, 0.25), 2, 4, DEPENDS),
        (VerdictRule("majority", "minority"), 2, 4, DEPENDS),
        (VerdictRule("any", "none"), 1, 9, SUPPORTED),
    ],
)
def test_verdict_rules(rule, holding, total, verdict):
    assert rule.decide(holding, total) == verdict
    assert "supported if" in rule.describe() and "depends on the measure" in rule.describe()


def test_verdict_counts_count_incomplete_claims_as_their_own_kind():
    from types import SimpleNamespace

    from worldorder import verdict_counts
    from worldorder.report.sections_summary import _claims

    verdicts = ["supported", "incomplete: data end 2020", "not supported", "incomplete: data end 2022-09", "supported"]
    counts = verdict_counts([SimpleNamespace(verdict=v) for v in verdicts])
    assert counts == {"supported": 2, "not supported": 1, "depends on the measure": 0, "not testable with these data": 0, "incomplete": 2}
    assert list(counts)[-1] == "incomplete" and sum(counts.values()) == len(verdicts)
    line = _claims({"ledger": "claims.yaml", "count": len(verdicts), "verdicts": counts})  # the report's summary line
    assert line.endswith("come out 2 supported, 1 not supported, 2 incomplete.")
