"""State-year and dyad-year frames, and the ``add_*`` joins that keep their rows.

``create_state_years`` and ``create_dyad_years`` build the unit of analysis
from the state-system membership files; every ``add_*`` function left-joins one
source's columns and returns a new frame with exactly the same rows.  Outside a
source's years the added columns are missing (NA), never zero; inside them, a
dyadic event source (alliances, contiguity, disputes) marks the dyads it does
not list with 0, because those sources list every event.  The joins use dense
look-up arrays rather than hash merges, which is what makes a 1.9-million-row
dyad-year frame with capabilities and alliances take some 40 ms on two cores.

The frame's unit travels in ``frame.attrs["unit"]`` (``"state_year"`` or
``"dyad_year"``), as in peacesciencer (Miller 2022).

The package holds the look-up engine (``lookup``), the frames (``create``) and
the joins of state-level (``states``), dyad-level (``dyads``) and alliance
(``alliances``) sources, and the names ``worldorder frame --add`` takes (``adders``).
"""

from __future__ import annotations

from worldorder._exports import exports

_PUBLIC = {
    "worldorder.frames.adders": ["ADDERS"],
    "worldorder.frames.alliances": ["ALLIANCE_SOURCES", "COW_ALLIANCE_NOTICE", "CowAllianceNotice", "add_alliances", "cow_alliance_notice"],
    "worldorder.frames.base": ["DYAD_YEAR", "FIRST_YEAR", "STATE_YEAR", "FrameError", "coverage", "parse_years"],
    "worldorder.frames.create": ["SYSTEM_VERSIONS", "create_dyad_years", "create_state_years", "false_dyads"],
    "worldorder.frames.dyads": ["add_contiguity", "add_disputes", "add_distance", "add_igos", "add_trade"],
    "worldorder.frames.lookup": ["ABSENT_ROW", "NOT_COVERED_ROW", "DyadYearIndex", "StateValues", "ValueTable"],
    "worldorder.frames.states": [
        "MADDISON_VERSIONS",
        "MAJORS_VERSIONS",
        "NMC_COMPONENTS",
        "NMC_VERSIONS",
        "add_capabilities",
        "add_gdp",
        "add_ideal_points",
        "add_majors",
        "add_milex",
        "add_population",
        "add_trade_openness",
    ],
}
__all__, __getattr__, __dir__ = exports(__name__, _PUBLIC, globals())
