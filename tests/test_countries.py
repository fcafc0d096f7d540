"""Country resolution across names, codes and years, with the COW edge cases."""

from __future__ import annotations

import pytest

import worldorder
from worldorder.countries import UnknownCountryError


@pytest.fixture(scope="module", autouse=True)
def _data(store):
    store.ensure(["cow_states_2024", "countrycode_codelist"])


@pytest.mark.parametrize(
    ("query", "year", "ccode"),
    [
        ("Russia", None, 365),
        ("USSR", 1960, 365),
        ("RUS", None, 365),
        ("United States", None, 2),
        ("USA", None, 2),
        (2, None, 2),
        ("200", None, 200),
        ("Germany", 1900, 255),
        ("Germany", 1970, 260),
        ("Germany", 2000, 255),
        ("West Germany", None, 260),
        ("East Germany", 1980, 265),
        ("GDR", None, 265),
        ("DEU", 1980, 260),
        ("Yugoslavia", 1990, 345),
        ("Serbia", 2010, 345),
        ("Korea", 1900, 730),
        ("Korea", 2000, 732),
        ("North Korea", None, 731),
        ("South Korea", None, 732),
        ("Vietnam", 1960, 816),
        ("South Vietnam", 1960, 817),
        ("RVN", None, 817),
        ("Yemen", 1980, 678),
        ("Yemen", 1995, 679),
        ("South Yemen", 1980, 680),
        ("Liechtenstein", None, 223),
        ("Monaco", None, 221),
        ("San Marino", None, 331),
        ("Côte d'Ivoire", None, 437),
        ("Burma", None, 775),
    ],
)
def test_resolves(query, year, ccode):
    assert worldorder.country(query, year=year).ccode == ccode


def test_name_follows_the_year():
    assert worldorder.country(345, year=1990).name == "Yugoslavia"
    assert worldorder.country(345, year=2010).name == "Serbia"


def test_unknown_name_lists_closest_matches():
    with pytest.raises(UnknownCountryError, match="Closest matches: .*Germany"):
        worldorder.country("Germny")


def test_year_outside_every_spell_is_explained():
    with pytest.raises(UnknownCountryError, match="not a member of the COW state system in 1950"):
        worldorder.country("East Germany", year=1950)


@pytest.mark.parametrize(
    ("ccode", "year", "name"),
    [
        (365, 1985, "Soviet Union"),
        (365, 2000, "Russia"),
        (365, 1900, "Russia"),
        (365, None, "Russia"),
        (260, 1985, "German Federal Republic"),
        (265, 1985, "German Democratic Republic"),
        (255, 1860, "Prussia"),
        (255, 1900, "Germany"),
        (255, 2000, "Germany"),
        (345, 1990, "Yugoslavia"),
        (345, 2010, "Serbia"),
    ],
)
def test_state_names_follow_the_year(ccode, year, name):
    assert worldorder.state_names(year)[ccode] == name
    if year is not None:
        assert worldorder.country(ccode, year=year).name == name


@pytest.mark.parametrize("year", [1860, 1985, 2010])
def test_state_names_are_the_cow_spell_names_elsewhere(mirror, year):
    """Every member's name in ``year`` is the COW name of its spell holding that year (raw file, pandas)."""
    import pandas as pd

    from worldorder.countries import HISTORICAL_NAMES

    spells = pd.read_csv(mirror / "cow" / "statelist2024.csv")
    spells = spells[(spells["styear"] <= year) & (spells["endyear"] >= year) & ~spells["ccode"].isin(HISTORICAL_NAMES)]
    expected = spells.sort_values("styear").drop_duplicates("ccode", keep="last").set_index("ccode")["statenme"]
    names = worldorder.state_names(year)
    assert len(expected) > 40
    assert {c: names[c] for c in expected.index} == expected.to_dict()
