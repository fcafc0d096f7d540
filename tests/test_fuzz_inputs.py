"""Fuzzing of what users type or write in files: any text, bytes or nesting either parses or raises the module's own error.

Hypothesis feeds the YAML and TOML readers arbitrary text and bytes, and the
scenario, ledger, weights and regions readers arbitrary documents (random
text, and random nested mappings and lists written as YAML, some shaped like
the real files so that the validators' inner checks are reached).  The only
outcomes allowed are a result or the module's error class; any other
exception (a RecursionError, a KeyError, a TypeError...) fails the test.
Set ``WORLDORDER_FUZZ_EXAMPLES`` for a longer run than CI's 60 examples per test.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worldorder.claims.ledger import ClaimsError, parse_ledger
from worldorder.located import LocatedDocument, read_file, read_toml, read_yaml
from worldorder.power import PowerError
from worldorder.power import composite_spec, load_weights
from worldorder.power.regions import load_regions
from worldorder.sim.scenario import ScenarioError, load_scenario, validate_scenario

FUZZ = settings(max_examples=int(os.environ.get("WORLDORDER_FUZZ_EXAMPLES", 60)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
FOLDER = Path(tempfile.mkdtemp(prefix="worldorder-fuzz-"))

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(["USA", "CHN", "RUS", "gdp", "cinc", "1946-1989", "latest", "majors"]))
keys = st.one_of(st.text(max_size=8), st.sampled_from([
    "name", "base_year", "measure", "shocks", "type", "states", "change", "start", "end", "between", "fraction", "pair",
    "border_point", "tariff", "blocs", "projection", "horizon", "paths", "seed", "rule", "ledger", "claims", "id", "claim",
    "test", "quantity", "among", "years", "predicate", "verdict", "regions", "weights", "scale", "missing"]))
nested = st.recursive(scalars, lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
                      max_leaves=40)
kinds = st.sampled_from(["growth", "sanctions", "link_removal", "border_closure", "trade_war", "alignment_switch", "nope"])
shock = st.fixed_dictionaries({"type": kinds}, optional={k: nested for k in ("states", "change", "start", "end", "between",
                                                                                "fraction", "pair", "border_point", "tariff")})
scenario_like = st.fixed_dictionaries({"name": scalars, "base_year": scalars, "shocks": st.lists(shock, max_size=3)},
                                      optional={"measure": scalars, "blocs": nested, "projection": nested, "horizon": scalars})
claim = st.fixed_dictionaries({"id": scalars, "claim": scalars, "test": st.dictionaries(keys, nested, max_size=6)},
                              optional={"verdict": nested, "made_by": scalars})
ledger_like = st.fixed_dictionaries({"ledger": st.sampled_from([1, 2, "1"]), "claims": st.lists(claim, max_size=3)},
                                    optional={"regions": nested, "title": scalars})
deep = st.integers(1, 400).map(lambda depth: "a: " + "[" * depth + "]" * depth + "\n")


def _as_yaml(data) -> str:
    return json.dumps(data, allow_nan=True)  # JSON is YAML (NaN and Infinity come back as text)


def _file(text_or_bytes, suffix: str) -> Path:
    path = FOLDER / f"doc{suffix}"
    if isinstance(text_or_bytes, bytes):
        path.write_bytes(text_or_bytes)
    else:
        path.write_text(text_or_bytes, encoding="utf-8", errors="surrogatepass")
    return path


def _one_of(call, *allowed):
    try:
        return call()
    except allowed:
        return None


@FUZZ
@given(st.text())
def test_yaml_and_toml_readers_never_raise_on_any_text(text):
    for reader in (read_yaml, read_toml):
        document = reader(text, "doc")
        assert isinstance(document, LocatedDocument)
        assert document.data is not None or document.problems


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([".toml", ".yaml", ".yml"]))
def test_any_bytes_in_a_file_come_back_as_problems(data, suffix):
    document = read_file(_file(data, suffix))
    assert document.data is not None or document.problems


@settings(FUZZ, max_examples=15)
@given(deep)
def test_deep_nesting_is_refused_cheaply(text):
    document = read_yaml(text, "doc")
    assert (document.data is None) == (text.count("[") > 63)


@FUZZ
@given(st.one_of(st.text(), scenario_like.map(_as_yaml), nested.map(_as_yaml)))
def test_scenario_validator_returns_problems_or_raises_its_own_error(text):
    path = _file(text, ".yaml")
    problems = validate_scenario(path, resolve=False)
    assert all(str(problem) for problem in problems)
    _one_of(lambda: load_scenario(path, resolve=False), ScenarioError)


@FUZZ
@given(st.one_of(st.text(), ledger_like.map(_as_yaml), nested.map(_as_yaml)))
def test_ledger_validator_raises_only_its_own_error(text):
    _one_of(lambda: parse_ledger(text, "ledger.yaml"), ClaimsError)


@FUZZ
@given(st.one_of(nested, st.dictionaries(keys, nested, max_size=4).map(lambda table: {"weights": table, "name": "w"})))
def test_weights_raise_only_power_errors(data):
    _one_of(lambda: composite_spec(data) if isinstance(data, dict) else None, PowerError)
    _one_of(lambda: load_weights(_file(_as_yaml(data), ".yaml")), PowerError)


@FUZZ
@given(st.one_of(st.text(), st.binary(max_size=200)), st.sampled_from([".toml", ".yaml"]))
def test_weights_and_regions_files_of_any_content_raise_only_power_errors(content, suffix):
    path = _file(content, suffix)
    _one_of(lambda: load_weights(path), PowerError)
    _one_of(lambda: load_regions(path), PowerError)


@FUZZ
@given(nested)
def test_regions_files_of_any_shape_raise_only_power_errors(data):
    _one_of(lambda: load_regions(_file(_as_yaml({"regions": data}), ".yaml")), PowerError)


@pytest.mark.parametrize("text", ["\ufeffname = 'x'\n", "\ufeffname: x\n"])
def test_a_byte_order_mark_is_accepted_in_toml_and_yaml(text):
    reader = read_toml if "=" in text else read_yaml
    assert reader(text, "doc").data == {"name": "x"}
