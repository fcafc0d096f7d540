"""Reference sets: one grammar, its descriptions, its errors in plain words, and the masks it selects."""

import numpy as np
import pandas as pd
import pytest

from worldorder.power import PowerError, ReferenceSet, ReferenceSetError, resolve_reference, shares
from worldorder.power.reference import reference_mask


@pytest.mark.parametrize(
    ("text", "kind", "key", "words"),
    [
        ("all", "all", "all", "all states"),
        (None, "all", "all", "all states"),
        ("majors", "majors", "majors", "COW major powers"),
        ("top:5", "top", "top:5", "the top 5 states by the measure"),
        ("region:Europe", "region", "region:Europe", "the region Europe"),
        ("region:un:Africa", "region", "region:un:Africa", "the UN region Africa"),
        ("region:un_subregion:Western Asia", "region", "region:un_sub:Western Asia", "the UN subregion Western Asia"),
        ("region:cow6:Oceania", "region", "region:cow6:Oceania", "the COW region Oceania"),
        ("USA,CHN,RUS", "states", "USA,CHN,RUS", "the states USA, CHN, RUS"),
        ([2, 710], "states", "2,710", "the states 2, 710"),
    ],
)
def test_the_grammar(text, kind, key, words):
    reference = ReferenceSet.parse(text)
    assert reference.kind == kind and reference.key == key and reference.describe() == words
    assert ReferenceSet.parse(reference.key) == reference


@pytest.mark.parametrize("bad", ["top:0", "top:five", "majers", "region:", "region:cow:Oceania", 3.5])
def test_errors_say_what_is_accepted_in_plain_words(bad):
    with pytest.raises(ReferenceSetError) as caught:
        ReferenceSet.parse(bad)
    message = str(caught.value)
    assert isinstance(caught.value, PowerError)
    assert "mask" not in message and "callable" not in message and "boolean" not in message


def test_an_unknown_cow_region_lists_the_scheme_s_regions():
    with pytest.raises(ReferenceSetError, match="Did you mean Europe.*Americas, Europe, Africa, Middle East, Asia, Oceania"):
        ReferenceSet.parse("region:cow6:Erope")
    assert "majors" in str(pytest.raises(ReferenceSetError, ReferenceSet.parse, "majers").value)


def _frame():
    # two years, five states: USA (2), UK (200), FRN (220), CHN (710), AUL (900)
    codes = [2, 200, 220, 710, 900]
    return pd.DataFrame({
        "ccode": codes * 2,
        "year": [2000] * 5 + [2001] * 5,
        "power": [10.0, 3.0, 2.0, 5.0, 1.0, 10.0, 2.0, 3.0, 6.0, 1.0],
        "major": [1, 1, 1, 1, 0] * 2,
    })


def test_masks_select_the_states_of_each_set():
    frame = _frame()
    def chosen(among):
        mask = reference_mask(frame, among, column="power")
        return [sorted(np.array([2, 200, 220, 710, 900])[row].tolist()) for row in mask]
    assert chosen("all") == [[2, 200, 220, 710, 900]] * 2
    assert chosen("majors") == [[2, 200, 220, 710]] * 2
    assert chosen("top:2") == [[2, 710]] * 2
    assert chosen("region:Europe") == [[200, 220]] * 2
    assert chosen("region:cow:Asia") == [[710, 900]] * 2  # five COW regions: Oceania counts with Asia
    assert chosen("region:cow6:Asia") == [[710]] * 2
    assert chosen("2,900") == [[2, 900]] * 2
    europe = shares(frame, "power", among="region:Europe")
    assert europe.loc[(europe["year"] == 2000) & (europe["ccode"] == 200), "share"].item() == pytest.approx(3 / 5)


def test_a_un_region_needs_its_column_and_names_what_to_run():
    with pytest.raises(ReferenceSetError, match=r"add_region\(table, scheme='un'\)"):
        reference_mask(_frame(), "region:un:Africa", column="power")


def test_resolving_on_the_real_store_lists_a_scheme_s_regions(store):
    frame = _frame()
    resolved, reference = resolve_reference(frame, "region:un:Europe", db=store)
    assert reference.scheme == "un" and set(resolved.loc[resolved["region"] == "Europe", "ccode"]) == {200, 220}
    with pytest.raises(ReferenceSetError, match="UN regions are: .*Americas.*Europe"):
        resolve_reference(frame, "region:un:Eurasia", db=store)
    named, states = resolve_reference(frame, "USA,CHN", db=store)
    assert states.states == (2, 710)
    with pytest.raises(ReferenceSetError, match="Atlantis"):
        resolve_reference(frame, "USA,Atlantis", db=store)
