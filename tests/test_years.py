"""The one grammar of years: parser, description, and the errors of empty or reversed spans."""

import pandas as pd
import pytest

from worldorder import WorldOrderError, Years, YearsError


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1990", Years(1990, 1990)),
        ("1946-2014", Years(1946, 2014)),
        ("1946-", Years(1946, None)),
        ("-2014", Years(None, 2014)),
        ("latest", Years(latest=True)),
        ("2010-latest", Years(2010, None)),
        ("to 2021", Years(None, 2021)),
        ("1816:2016", Years(1816, 2016)),
        ("all", Years()),
        (None, Years()),
        (1990, Years(1990, 1990)),
        ((1946, None), Years(1946, None)),
        (range(1900, 1911), Years(1900, 1910)),
        ([1950, 1960, 1955], Years(1950, 1960)),
    ],
)
def test_the_grammar(given, expected):
    assert Years.parse(given) == expected


@pytest.mark.parametrize("bad", ["1990s", "last year", "2014-1990", (2014, 1990), [], True, -1989])
def test_bad_spans_are_domain_errors(bad):
    with pytest.raises(YearsError) as caught:
        Years.parse(bad)
    assert isinstance(caught.value, WorldOrderError) and isinstance(caught.value, ValueError)


def test_a_reversed_span_names_both_years_and_the_coverage():
    with pytest.raises(YearsError, match=r"first year 2014 is after the last 1990 \(the data cover 1816-2016\)"):
        Years.parse("2014-1990", coverage=(1816, 2016))


def test_an_empty_span_states_the_coverage():
    table = pd.DataFrame({"year": [1816, 1900, 2016], "x": [1, 2, 3]})
    with pytest.raises(YearsError, match="covers 1816-2016"):
        Years.parse("2030-2040").select(table)
    assert Years.parse("1900-").select(table)["x"].tolist() == [2, 3]
    assert Years.parse("-1900").select(table)["x"].tolist() == [1, 2]
    assert Years.parse("latest").select(table)["x"].tolist() == [3]
    assert Years.parse("-1950").resolve((1816, 2016)) == (1816, 1950)
    assert Years(1800, 1950, latest=True).resolve((1816, 2016)) == (1950, 1950)


def test_descriptions():
    assert Years.parse("1946-1989").describe() == "1946-1989"
    assert str(Years.parse("1991-")) == "1991 to the latest year with data"
    assert str(Years.parse("-1989")) == "to 1989"
    assert str(Years.parse("latest")) == "the latest year with data"
    assert str(Years()) == "all years with data"
