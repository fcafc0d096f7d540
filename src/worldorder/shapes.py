"""Country shapes for maps of states: Natural Earth admin-0 at 1:110m, offline, and which shape draws which state.

The shapes are Natural Earth's 1:110m countries (public domain), shipped with
this package as a TopoJSON topology named ``world_110m`` (``web/data/``, built
by ``tools/build_world_topology.py``) — the name Plotly.js asks for when it
draws a world map.  The web app serves that topology itself (Plotly's
``topojsonURL`` points at the app), so its map needs no network; the report
and the CLI's bloc maps hand it to Plotly.js or decode it for matplotlib (:func:`country_polygons`).

Shapes are today's borders.  A state of the past is drawn with the shape (or
shapes) of today's country that holds its core, and :data:`HISTORICAL_SHAPES`
lists those stand-ins with a note that the map page shows; states with no
shape of their own (the GDR, South Vietnam, the German and Italian states
before unification ...) are listed in :data:`NO_SHAPE` and are missing from
the map, not merged into a neighbour.

References
----------
Natural Earth. 1:110m Cultural Vectors, Admin 0 – Countries.
https://www.naturalearthdata.com/ (public domain).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

#: The topology shipped with the package.
TOPOLOGY_FILE = Path(__file__).resolve().parent / "web" / "data" / "world_110m.json"

_POST_SOVIET = ("UKR", "BLR", "MDA", "EST", "LVA", "LTU", "GEO", "ARM", "AZE", "KAZ", "UZB", "TKM", "KGZ", "TJK")


@dataclass(frozen=True)
class StandIn:
    """Extra shapes of today's countries drawn for a state of the past (when no other state holds them)."""

    ccode: int
    shapes: tuple[str, ...]
    first: int
    last: int
    note: str


#: Historical states drawn with today's borders, by COW code.  The state's own
#: ISO3 shape (from the crosswalk) is drawn as well; these are the extra ones.
#: A shape is given to a stand-in only in a year when no state of the system
#: holds it directly (Estonia in 1925 is Estonia, not the USSR).
HISTORICAL_SHAPES: tuple[StandIn, ...] = (
    StandIn(365, _POST_SOVIET, 1816, 1991,
            "Russia before 1992 (the Russian Empire, then the USSR) is drawn with today's borders of Russia and the "
            "14 other post-Soviet states where they were not independent; its real extent differed."),
    StandIn(300, ("AUT", "HUN", "CZE", "SVK", "SVN", "HRV"), 1816, 1918,
            "Austria-Hungary (to 1918) is drawn with today's Austria, Hungary, Czechia, Slovakia, Slovenia and Croatia."),
    StandIn(315, ("CZE", "SVK"), 1918, 1992, "Czechoslovakia is drawn with today's Czechia and Slovakia."),
    StandIn(345, ("HRV", "SVN", "BIH", "MKD", "MNE", "XKX"), 1918, 1991,
            "Yugoslavia (1918-1991) is drawn with the borders of its successor states."),
    StandIn(345, ("MNE", "XKX"), 1992, 2006, "Serbia and Montenegro (1992-2006) is drawn with Serbia, Montenegro and Kosovo."),
    StandIn(345, ("XKX",), 2007, 2007, "Serbia in 2007 is drawn with Kosovo."),
    StandIn(678, ("YEM",), 1926, 1990, "North Yemen (Yemen Arab Republic) is drawn with the whole of today's Yemen."),
    StandIn(730, ("KOR", "PRK"), 1887, 1905, "Korea (1887-1905) is drawn with today's two Koreas."),
)

#: Shapes of states that the ISO3 crosswalk does not name (Kosovo has no ISO code).
EXTRA_ISO3 = {347: "XKX"}

#: States of the COW system with no shape on today's map.
NO_SHAPE = {
    265: "German Democratic Republic (Germany's shape shows the Federal Republic)",
    680: "South Yemen (Yemen's shape shows North Yemen)",
    817: "Republic of Vietnam (Vietnam's shape shows North Vietnam)",
    240: "Hanover", 245: "Bavaria", 267: "Baden", 269: "Saxony", 271: "Württemberg", 273: "Hesse-Kassel",
    275: "Hesse-Darmstadt", 280: "Mecklenburg-Schwerin", 327: "Papal States", 329: "Two Sicilies", 332: "Modena",
    335: "Parma", 337: "Tuscany", 511: "Zanzibar",
}

#: General notes shown under the map.
MAP_NOTES = (
    "Borders are today's (Natural Earth 1:110m, admin-0); colonial empires are drawn as their home country.",
    "Prussia (to 1870) is drawn as today's Germany, the Ottoman Empire as today's Turkey, Sardinia-Piedmont as Italy.",
    "Small island and city states are too small for a 1:110m map and are listed instead.",
)

#: Note for a state without a shape that is not a historical state (a microstate).
TOO_SMALL = "too small for a 1:110m map"


@lru_cache(maxsize=1)
def world_topology_json() -> bytes:
    """The TopoJSON topology ``world_110m`` as JSON bytes.

    Objects ``countries`` (with ``id`` = ISO3 and ``properties.name``) and
    ``land`` hold the shapes; the other layers Plotly may draw are empty.
    """
    return TOPOLOGY_FILE.read_bytes()


@lru_cache(maxsize=1)
def shape_names() -> dict[str, str]:
    """ISO3 code -> Natural Earth name of every shape."""
    geometries = json.loads(world_topology_json())["objects"]["countries"]["geometries"]
    return {g["id"]: g["properties"]["name"] for g in geometries}


def shapes_of_year(direct: dict[int, str], ccodes_in_year, year: int) -> tuple[dict[str, int], dict[int, str]]:
    """Which state each shape shows in ``year``, and the notes of the stand-ins used.

    Parameters
    ----------
    direct
        COW code -> ISO3 of the state's own shape (from the crosswalk).
    ccodes_in_year
        Codes of the states with a value in ``year``.
    year
        The year drawn.

    Returns
    -------
    (dict, dict)
        ISO3 -> COW code of every shape drawn, and COW code -> note for the
        states drawn with stand-in shapes.
    """
    available = set(shape_names())
    present = {int(c) for c in ccodes_in_year}
    shape_state: dict[str, int] = {}
    for code in sorted(present):
        iso3 = direct.get(code)
        if iso3 in available and iso3 not in shape_state:
            shape_state[iso3] = code
    notes: dict[int, str] = {}
    for stand_in in HISTORICAL_SHAPES:
        if stand_in.ccode not in present or not stand_in.first <= year <= stand_in.last:
            continue
        used = [iso3 for iso3 in stand_in.shapes if iso3 in available and iso3 not in shape_state]
        for iso3 in used:
            shape_state[iso3] = stand_in.ccode
        if used:
            notes[stand_in.ccode] = stand_in.note
    return shape_state, notes


@dataclass
class StateShapes:
    """Which shapes draw which states in a year.

    Attributes
    ----------
    shapes
        ``iso3, ccode, stand_in``: every shape drawn and its state
        (``stand_in``: a shape of today's country standing for a state of the past).
    notes
        COW code -> note of each state drawn with stand-in shapes.
    missing
        ``ccode, note``: states with no shape (microstates, the GDR ...).
    """

    shapes: pd.DataFrame
    notes: dict[int, str] = field(default_factory=dict)
    missing: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["ccode", "note"]))


def state_shapes(ccodes, year: int, db=None) -> StateShapes:
    """The shapes that draw the states ``ccodes`` in ``year`` (today's borders, stand-ins for states of the past).

    Each state is drawn with the shape of its present-day territory
    (:func:`worldorder.countries.iso3_codes`); a state of the past also takes
    the shapes of :data:`HISTORICAL_SHAPES` that no state of the year holds.
    """
    from worldorder.countries import iso3_codes

    direct = {**iso3_codes(db=db), **EXTRA_ISO3}
    codes = [int(c) for c in dict.fromkeys(int(c) for c in ccodes)]
    shape_state, notes = shapes_of_year(direct, codes, year)
    shapes = pd.DataFrame({"iso3": list(shape_state), "ccode": list(shape_state.values())})
    shapes["stand_in"] = [direct.get(c) != iso3 for iso3, c in zip(shapes["iso3"], shapes["ccode"])]
    drawn = set(shapes["ccode"])
    missing = pd.DataFrame([{"ccode": c, "note": NO_SHAPE.get(c, TOO_SMALL)} for c in codes if c not in drawn], columns=["ccode", "note"])
    return StateShapes(shapes, notes, missing)


@lru_cache(maxsize=1)
def country_polygons() -> dict[str, list[list[np.ndarray]]]:
    """ISO3 -> polygons of each country, each a list of rings (outer first) of longitude-latitude points.

    Notes
    -----
    Decodes the topology: a ring is the concatenation of its arcs, an arc
    index :math:`i < 0` meaning arc :math:`\\lnot i` reversed, and the first
    point of every arc after the first dropped (it repeats the last point of
    the arc before).  The shipped topology is not quantized, so arcs hold
    plain coordinates.

    References
    ----------
    Bostock, M. TopoJSON format specification 1.0. https://github.com/topojson/topojson-specification
    """
    topology = json.loads(world_topology_json())
    arcs = [np.asarray(arc, dtype=np.float64) for arc in topology["arcs"]]

    def ring(indices) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
        return np.concatenate([parts[0], *(p[1:] for p in parts[1:])])

    out = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        out[geometry["id"]] = [[ring(r) for r in polygon] for polygon in polygons]
    return out
