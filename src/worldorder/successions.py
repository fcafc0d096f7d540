"""Successions and splices: which source unit feeds which state code in which years, and where levels break."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from worldorder.errors import WorldOrderError

#: Last year of an open-ended span.
OPEN = 9999
#: Sources whose countries are ISO3-coded units, and the units each one holds beside the codes in use today.
SOURCES = ("maddison", "worldbank")
SYSTEMS = ("cow", "gw")


class SuccessionError(WorldOrderError, ValueError):
    """An unknown source, system or state code was asked of the succession table."""


class Splice(NamedTuple):
    """Source unit ``unit`` feeds state ``code`` from ``first`` to ``last`` (inclusive)."""

    unit: str
    code: int
    first: int
    last: int
    sources: tuple[str, ...]
    note: str


class Event(NamedTuple):
    """A succession: the codes before and after it, and the level breaks it causes.

    ``breaks`` holds (code, year) pairs: growth of ``code`` from ``year - 1`` to
    ``year`` compares two territories and must not be computed.
    """

    year: int
    name: str
    before: tuple[int, ...]
    after: tuple[int, ...]
    breaks: tuple[tuple[int, int], ...]


_BOTH = ("maddison", "worldbank")
_MADDISON = ("maddison",)

#: Units whose territory differs from a state's in some years (COW codes).  Both
#: sources give every country on its present-day borders (Maddison 2020 and the
#: World Bank alike), so a unit feeds a state only in years when the state holds
#: that territory, or at least 90% of its population; other years are missing.
_COW_SPLICES: tuple[Splice, ...] = (
    Splice("DEU", 255, 1816, 1945, _BOTH, "Germany to 1945; the source's series is on present-day borders"),
    Splice("DEU", 255, 1990, OPEN, _BOTH, "unified Germany from 1990; no source series for the Federal Republic "
           "(260) or the Democratic Republic (265) alone, so 1949-1989 feeds neither"),
    Splice("SUN", 365, 1816, 1991, _MADDISON, "the Russian Empire and the USSR (Maddison's former-USSR series)"),
    Splice("RUS", 365, 1992, OPEN, _BOTH, "the Russian Federation from 1992 (its earlier rows are the RSFSR only)"),
    Splice("YUG", 345, 1816, 1991, _MADDISON, "Yugoslavia to 1991 (Maddison's former-Yugoslavia series)"),
    Splice("SRB", 345, 1992, OPEN, _BOTH, "Serbia from 1992; in 1992-2005 COW 345 also held Montenegro "
           "(about 8% of its people)"),
    Splice("CSK", 315, 1816, 1992, _MADDISON, "Czechoslovakia (Maddison's former-Czechoslovakia series)"),
    Splice("VNM", 816, 1975, OPEN, _BOTH, "Vietnam once the Republic of Vietnam (817) fell in April 1975; "
           "the series covers both Vietnams, so 1954-1974 feeds neither"),
    Splice("YEM", 679, 1990, OPEN, _BOTH, "unified Yemen from May 1990; the series covers both Yemens, "
           "so 678 and 680 get none"),
    Splice("PAK", 770, 1972, OPEN, _BOTH, "Pakistan without Bangladesh (independent December 1971); "
           "before 1972 the series is about half of the state"),
    Splice("SDN", 625, 2012, OPEN, _BOTH, "Sudan without South Sudan (independent July 2011); before "
           "2011 the series is about four fifths of the state"),
    Splice("ETH", 530, 1816, OPEN, _BOTH, "Ethiopia on today's borders; before 1993 Eritrea (about 4% of "
           "the people) is missing from the series"),
)

#: Where the Gleditsch-Ward list codes a unit differently from COW (G-W keeps 260 for
#: unified Germany, 678 for unified Yemen, and codes Serbia 340 from June 2006).
_GW_SPLICES: dict[str, tuple[Splice, ...]] = {
    "DEU": (
        Splice("DEU", 255, 1816, 1945, _BOTH, "Germany (Prussia) to 1945"),
        Splice("DEU", 260, 1990, OPEN, _BOTH, "unified Germany, which G-W codes 260 from 1990"),
    ),
    "YEM": (Splice("YEM", 678, 1990, OPEN, _BOTH, "unified Yemen, which G-W codes 678 from 1990"),),
    "SRB": (
        Splice("SRB", 345, 1992, 2005, _BOTH, "Serbia and Montenegro, 1992-2005"),
        Splice("SRB", 340, 2006, OPEN, _BOTH, "Serbia, coded 340 by G-W from June 2006"),
    ),
}

#: Successions of the COW system with the level breaks they cause.
COW_EVENTS: tuple[Event, ...] = (
    Event(1972, "Bangladesh leaves Pakistan (December 1971)", (770,), (770, 771), ((770, 1972),)),
    Event(1975, "the Republic of Vietnam falls to Vietnam (April 1975)", (816, 817), (816,), ((816, 1975), (816, 1976))),
    Event(1990, "the Yemens unify (May 1990)", (678, 680), (679,), ()),
    Event(1990, "the Germanies unify (October 1990)", (260, 265), (255,), ((255, 1990),)),
    Event(1992, "the USSR dissolves (December 1991)", (365,),
          (365, 366, 367, 368, 369, 370, 371, 372, 373, 701, 702, 703, 704, 705), ((365, 1992),)),
    Event(1992, "Yugoslavia breaks up (1991-1992)", (345,), (343, 344, 345, 346, 349), ((345, 1992),)),
    Event(1993, "Czechoslovakia dissolves (January 1993)", (315,), (316, 317), ()),
    Event(1993, "Eritrea leaves Ethiopia (May 1993)", (530,), (530, 531), ((530, 1993), (530, 1994))),
    Event(2006, "Montenegro leaves Serbia and Montenegro (June 2006)", (345,), (341, 345), ((345, 2006), (345, 2007))),
    Event(2011, "South Sudan leaves Sudan (July 2011)", (625,), (625, 626), ((625, 2011), (625, 2012))),
)

#: The same successions in Gleditsch-Ward codes, where they differ.
_GW_EVENTS = {
    "the Yemens unify (May 1990)": Event(1990, "the Yemens unify (May 1990)", (678, 680), (678,), ((678, 1990), (678, 1991))),
    "the Germanies unify (October 1990)": Event(
        1990, "the Germanies unify (October 1990)", (260, 265), (260,), ((260, 1990), (260, 1991))
    ),
    "Montenegro leaves Serbia and Montenegro (June 2006)": Event(
        2006, "Montenegro leaves Serbia and Montenegro (June 2006)", (345,), (340, 341), ()
    ),
}
GW_EVENTS: tuple[Event, ...] = tuple(_GW_EVENTS.get(event.name, event) for event in COW_EVENTS)


def _check(source: str | None, system: str) -> None:
    if source is not None and source not in SOURCES:
        raise SuccessionError(f"source must be one of {', '.join(SOURCES)}, not {source!r}.")
    if system not in SYSTEMS:
        raise SuccessionError(f"system must be 'cow' or 'gw', not {system!r}.")


def splices(source: str, system: str = "cow") -> list[Splice]:
    """The hand-set rows of the splice table for ``source`` in ``system`` (see :func:`source_units`)."""
    _check(source, system)
    rows = [s for s in _COW_SPLICES if source in s.sources]
    if system == "gw":
        rows = [s for s in rows if s.unit not in _GW_SPLICES]
        rows += [s for unit in _GW_SPLICES for s in _GW_SPLICES[unit] if source in s.sources]
    return rows


def source_units(source: str = "worldbank", system: str = "cow", db=None) -> pd.DataFrame:
    """The splice table: which ISO3 unit of ``source`` feeds which state code in which years.

    Parameters
    ----------
    source
        ``"maddison"`` or ``"worldbank"``.
    system
        ``"cow"`` (codes ``ccode``) or ``"gw"`` (Gleditsch-Ward codes, same column name).
    db
        Store path or :class:`~worldorder.store.Store` (for the code list and the G-W states).

    Returns
    -------
    pandas.DataFrame
        ``ccode, iso3, first_year, last_year, note``, one row per span (last
        year 9999 when open).  No unit-year feeds two states and no state-year
        takes two units.

    Notes
    -----
    Every state whose territory matches one source unit takes that unit in all
    years (the countrycode list's ``cown`` to ``iso3c``; the state list decides
    which years exist).  The hand-set rows (:data:`_COW_SPLICES`) cover the
    units whose territory differs from a state's in some years.  Both sources
    give a country on its present-day borders, so a unit feeds a state only
    while the state holds that territory (or at least 90% of its people):
    unified-Germany ``DEU`` feeds neither Germany of 1949-1989, whole-country
    ``VNM`` and ``YEM`` feed neither half before unification, and ``PAK`` and
    ``SDN`` feed Pakistan and Sudan only after their secessions.

    References
    ----------
    Bolt, J. & van Zanden, J. L. 2020. Maddison style estimates of the evolution
    of the world economy. Maddison Project Working Paper WP-15.
    Arel-Bundock, V., Enevoldsen, N. & Yetman, C. 2018. countrycode: an R package
    to convert country names and country codes. Journal of Open Source Software 3(28): 848.
    """
    from worldorder.countries import resolver

    _check(source, system)
    special = splices(source, system)
    special_units = {s.unit for s in _COW_SPLICES} | set(_GW_SPLICES)
    special_codes = {s.code for s in _COW_SPLICES} | {s.code for rows in _GW_SPLICES.values() for s in rows}
    codes = resolver(db).iso3_codes()
    if system == "gw":
        codes = {code: iso3 for code, iso3 in codes.items() if code in _gw_codes(db)}
    general = [
        (code, iso3, 1816, OPEN, "same territory in every year")
        for code, iso3 in sorted(codes.items())
        if code not in special_codes and iso3 not in special_units
    ]
    rows = general + [(s.code, s.unit, s.first, s.last, s.note) for s in special]
    return pd.DataFrame(rows, columns=["ccode", "iso3", "first_year", "last_year", "note"])


def _gw_codes(db) -> set[int]:
    from worldorder.store import load

    return {int(code) for code in load("ps_gw_states", db=db)["gwcode"]}


def iso3_crosswalk(source: str = "worldbank", db=None):
    """COW code to ISO3 code for joining ISO-coded sources, by period.

    Returns a DataFrame ``ccode, iso3, first_year, last_year, note``: the
    splice table of :func:`source_units` for ``source``
    (``"maddison"`` or ``"worldbank"``) and the COW system.
    """
    return source_units(source, "cow", db=db)


def succession_events(system: str = "cow") -> pd.DataFrame:
    """The successions that change a state's territory: ``year, event, before, after, breaks``.

    ``before`` and ``after`` are the state codes on either side; ``breaks``
    the years whose growth from the year before is not comparable.
    """
    _check(None, system)
    events = COW_EVENTS if system == "cow" else GW_EVENTS
    return pd.DataFrame(
        [
            (e.year, e.name, ", ".join(map(str, e.before)), ", ".join(map(str, e.after)),
             ", ".join(f"{code} {year}" for code, year in e.breaks))
            for e in events
        ],
        columns=["year", "event", "before", "after", "breaks"],
    )


def level_breaks(system: str = "cow") -> pd.DataFrame:
    """Every level break: ``ccode, year, event``, sorted by code and year.

    Growth of ``ccode`` from ``year - 1`` to ``year`` compares two different
    territories (a succession, unification or secession), so a growth rate,
    trend or calibration must not span it.  A change during a year breaks
    both that year and the next (the year of the change mixes the two).
    """
    _check(None, system)
    events = COW_EVENTS if system == "cow" else GW_EVENTS
    rows = [(code, year, e.name) for e in events for code, year in e.breaks]
    return pd.DataFrame(rows, columns=["ccode", "year", "event"]).sort_values(["ccode", "year"], ignore_index=True)


def break_years(ccode: int, system: str = "cow") -> tuple[int, ...]:
    """Years whose growth from the year before is not comparable for state ``ccode`` (may be empty)."""
    table = level_breaks(system)
    return tuple(int(y) for y in table.loc[table["ccode"] == int(ccode), "year"])


def comparable_growth(ccode, year, system: str = "cow") -> np.ndarray:
    """Whether growth from ``year - 1`` to ``year`` is on one territory, element-wise.

    Parameters
    ----------
    ccode, year
        Arrays (or scalars) of state codes and years of the same length.
    system
        ``"cow"`` or ``"gw"``.

    Returns
    -------
    numpy.ndarray of bool
        False exactly where (ccode, year) is a level break (:func:`level_breaks`).

    Notes
    -----
    A growth rate :math:`g_{i,t} = x_{i,t} / x_{i,t-1} - 1` is usable for
    calibration only where this is True (and both values exist).
    """
    table = level_breaks(system)
    code = np.asarray(ccode, dtype=np.int64)
    years = np.asarray(year, dtype=np.int64)
    keys = table["ccode"].to_numpy(np.int64) * 10_000 + table["year"].to_numpy(np.int64)
    return ~np.isin(code * 10_000 + years, keys)
