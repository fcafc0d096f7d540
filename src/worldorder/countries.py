"""Country resolution: names, ISO3 codes, COW codes and abbreviations, aware of the year.

The COW state list (v2024) gives codes, abbreviations and membership spells;
the countrycode code list (Arel-Bundock et al. 2018) gives ISO3 codes, English
names and matching patterns.  A few cases are set by hand because neither
source covers them: the two Germanies (255/260/265), Yugoslavia and Serbia
(345, split in 2006), the Koreas (730/731/732), the Vietnams (816/817), the
Yemens (678/679/680), and common historical names (USSR, Prussia, Burma ...).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from worldorder.errors import WorldOrderError

# Names that no source table carries, and names the code list gives to another code.
ALIASES: dict[str, tuple[int, ...]] = {
    "ussr": (365,),
    "soviet union": (365,),
    "russian federation": (365,),
    "russian empire": (365,),
    "prussia": (255,),
    "germany": (255, 260),
    "west germany": (260,),
    "federal republic of germany": (260,),
    "frg": (260,),
    "brd": (260,),
    "east germany": (265,),
    "ddr": (265,),
    "korea": (732, 730),
    "south korea": (732,),
    "republic of korea": (732,),
    "north korea": (731,),
    "dprk": (731,),
    "vietnam": (816,),
    "north vietnam": (816,),
    "south vietnam": (817,),
    "yemen": (679, 678),
    "north yemen": (678,),
    "south yemen": (680,),
    "yugoslavia": (345,),
    "serbia": (345,),
    "serbia and montenegro": (345,),
    "federal republic of yugoslavia": (345,),
    "britain": (200,),
    "great britain": (200,),
    "england": (200,),
    "uk": (200,),
    "united kingdom": (200,),
    "us": (2,),
    "usa": (2,),
    "united states": (2,),
    "america": (2,),
    "burma": (775,),
    "czechia": (316,),
    "ottoman empire": (640,),
    "persia": (630,),
    "siam": (800,),
    "papal states": (327,),
    "holy see": (327,),
    "vatican": (327,),
    "austria-hungary": (300,),
    "austria hungary": (300,),
    "zaire": (490,),
    "drc": (490,),
    "ivory coast": (437,),
    "taiwan": (713,),
    "republic of china": (713,),
    "china": (710,),
    "peoples republic of china": (710,),
    "prc": (710,),
}

# ISO3 codes whose COW state differs by period or is absent from the code list.
ISO3_OVERRIDES: dict[str, tuple[int, ...]] = {
    "DEU": (255, 260),
    "SRB": (345,),
    "YUG": (345,),
    "SCG": (345,),
    "SUN": (365,),
    "CSK": (315,),
    "DDR": (265,),
    "VNM": (816,),
    "YEM": (679, 678),
}

# Names in common use for a period that the COW state list does not give (it names 365 "Russia" and 255
# "Germany" throughout): COW code -> (first year, last year, name), calendar years in which the name held.
HISTORICAL_NAMES: dict[int, tuple[tuple[int, int, str], ...]] = {
    365: ((1922, 1991, "Soviet Union"),),
    255: ((1816, 1870, "Prussia"),),
}


class UnknownCountryError(WorldOrderError, LookupError):
    """A name, code or abbreviation that matches no state."""


@dataclass(frozen=True)
class Country:
    """A state of the COW system.

    ``spells`` are the (first year, last year) periods of system membership;
    ``name`` is the name in the year asked for (or the latest one); see :func:`state_names`.
    """

    ccode: int
    stateabb: str
    name: str
    iso3: str | None
    spells: tuple[tuple[int, int], ...]

    def member_in(self, year: int) -> bool:
        """Whether the state is a member of the COW system in ``year``."""
        return any(first <= year <= last for first, last in self.spells)


def normalize(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return " ".join(text.replace(" of the ", " of ").split())


class CountryResolver:
    """Resolve free text to COW states.

    Parameters
    ----------
    states
        COW state list (spells): ``ccode, stateabb, statenme, styear, endyear``.
    codelist
        countrycode code list with ``cown, iso3c, country_name_en`` and
        ``country_name_en_regex``.
    """

    def __init__(self, states, codelist):
        self._spells: dict[int, list[tuple[int, int, str]]] = {}
        self._abb: dict[int, str] = {}
        for row in states.sort_values(["ccode", "styear"]).itertuples(index=False):
            self._spells.setdefault(int(row.ccode), []).append((int(row.styear), int(row.endyear), str(row.statenme)))
            self._abb[int(row.ccode)] = str(row.stateabb)
        coded = codelist[codelist["cown"].notna()]
        self._iso3 = {
            int(c): str(i) for c, i in zip(coded["cown"], coded["iso3c"]) if isinstance(i, str) and i
        }
        self._iso3.update({255: "DEU", 260: "DEU", 345: "SRB"})
        self._keys: dict[str, tuple[int, ...]] = {}
        for ccode, spells in self._spells.items():
            self._add(str(ccode), ccode)
            self._add(normalize(self._abb[ccode]), ccode)
            for _, _, name in spells:
                self._add(normalize(name), ccode)
        for name, ccode in zip(coded["country_name_en"], coded["cown"]):
            if isinstance(name, str):
                self._add(normalize(name), int(ccode))
        for ccode, iso3 in self._iso3.items():
            self._add(normalize(iso3), ccode)
        for key, codes in ALIASES.items():
            self._keys[normalize(key)] = codes
        for iso3, codes in ISO3_OVERRIDES.items():
            self._keys[normalize(iso3)] = codes
        self._patterns = []
        for pattern, ccode in zip(coded["country_name_en_regex"], coded["cown"]):
            if isinstance(pattern, str):
                try:
                    self._patterns.append((re.compile(pattern, re.IGNORECASE), int(ccode)))
                except re.error:
                    continue

    def iso3_codes(self) -> dict[int, str]:
        """ISO3 code of each state's present-day territory (the code list's, with DEU and SRB set by hand)."""
        return dict(self._iso3)

    def _add(self, key: str, ccode: int) -> None:
        if ccode not in self._spells:
            return
        existing = self._keys.get(key, ())
        if ccode not in existing:
            self._keys[key] = (*existing, ccode)

    def get(self, ccode: int, year: int | None = None) -> Country:
        """The :class:`Country` with COW code ``ccode``."""
        spells = self._spells[ccode]
        name = spells[-1][2]
        if year is not None:
            name = next((n for first, last, n in spells if first <= year <= last), name)
            name = next((n for first, last, n in HISTORICAL_NAMES.get(ccode, ()) if first <= year <= last), name)
        return Country(
            ccode=ccode,
            stateabb=self._abb[ccode],
            name=name,
            iso3=self._iso3.get(ccode),
            spells=tuple((first, last) for first, last, _ in spells),
        )

    def names(self, year: int | None = None) -> dict[int, str]:
        """COW code -> the state's name in ``year`` (its latest name when ``year`` is None)."""
        return {ccode: self.get(ccode, year).name for ccode in self._spells}

    def candidates(self, query: str | int) -> tuple[int, ...]:
        """COW codes that ``query`` may name, best first (empty when none)."""
        key = normalize(str(query))
        if key in self._keys:
            return self._keys[key]
        matched = tuple(dict.fromkeys(ccode for pattern, ccode in self._patterns if pattern.search(str(query))))
        return tuple(c for c in matched if c in self._spells)

    def resolve(self, query: str | int, year: int | None = None) -> Country:
        """The state that ``query`` names (in ``year``, when given)."""
        codes = self.candidates(query)
        if not codes:
            raise UnknownCountryError(self._unknown_message(query))
        if year is None:
            return self.get(codes[0])
        for ccode in codes:
            country = self.get(ccode, year)
            if country.member_in(year):
                return country
        spans = "; ".join(
            f"{c} {self.get(c).name}: " + ", ".join(f"{a}-{b}" for a, b in self.get(c).spells) for c in codes
        )
        raise UnknownCountryError(
            f"{query!r} was not a member of the COW state system in {year} ({spans}). "
            "Ask for a year inside those spells, or leave the year out."
        )

    def _unknown_message(self, query) -> str:
        close = difflib.get_close_matches(normalize(str(query)), list(self._keys), n=5, cutoff=0.6)
        names = list(dict.fromkeys(f"{self.get(self._keys[k][0]).name} ({self._keys[k][0]})" for k in close))
        hint = f" Closest matches: {', '.join(names)}." if names else ""
        return f"No state matches {query!r}.{hint} Names, ISO3 codes, COW codes and COW abbreviations are accepted."


@cache
def _default_resolver(db_key: str | None) -> CountryResolver:
    from worldorder.store import load

    return CountryResolver(load("cow_states_2024", db=db_key), load("countrycode_codelist", db=db_key))


def resolver(db=None) -> CountryResolver:
    """The resolver built from the store (ingesting the state list and code list if needed).

    ``db`` is a store path or a :class:`~worldorder.store.Store` (default: the default store).
    """
    from worldorder.store import Store

    if isinstance(db, Store):
        db = db.path
    return _default_resolver(None if db is None else str(db))


def country(query: str | int, year: int | None = None, db=None) -> Country:
    """Resolve a name, ISO3 code, COW code or COW abbreviation to a state.

    Parameters
    ----------
    query
        ``"Russia"``, ``"RUS"``, ``365``, ``"USSR"``, ``"West Germany"`` ...
    year
        When given, the state that was a member of the system in that year
        (``country("Germany", year=1970)`` is the German Federal Republic, 260).

    Raises
    ------
    UnknownCountryError
        With the closest names when nothing matches.

    Examples
    --------
    >>> country("USSR", year=1960).ccode  # doctest: +SKIP
    365
    """
    return resolver(db).resolve(query, year)


def state_names(year: int | None = None, db=None) -> dict[int, str]:
    """COW code -> the name a reader expects for the state in ``year``.

    The COW state list's name for the spell that holds ``year`` (345 is Yugoslavia to 2005, Serbia
    from 2006; 260 is the German Federal Republic), then the names of :data:`HISTORICAL_NAMES` for
    their years (365 is the Soviet Union in 1922-1991, 255 Prussia in 1816-1870). Outside every
    spell, and when ``year`` is None, the state's latest name.

    Examples
    --------
    >>> state_names(1985)[365], state_names(2000)[365]  # doctest: +SKIP
    ('Soviet Union', 'Russia')
    """
    return resolver(db).names(year)


def iso3_codes(db=None) -> dict[int, str]:
    """COW code -> ISO3 code of the state's present-day territory (its shape on today's map).

    Not a data crosswalk: 255 and 260 both give ``DEU``.  To join an
    ISO-coded source use :func:`worldorder.successions.iso3_crosswalk`, which says in which years a
    unit feeds a state.
    """
    return resolver(db).iso3_codes()
