"""State-year and dyad-year frames, and the ``add_*`` joins that keep their rows.

``create_state_years`` and ``create_dyad_years`` build the unit of analysis
from the state-system membership files; every ``add_*`` function left-joins one
source's columns and returns a new frame with exactly the same rows.  Outside a
source's years the added columns are missing (NA), never zero; inside them, a
dyadic event source (alliances, contiguity, disputes) marks the dyads it does
not list with 0, because those sources list every event.  The joins use dense
look-up arrays rather than hash merges, which is what makes a 1.9-million-row
dyad-year frame with capabilities and alliances take a fraction of a second.

The frame's unit travels in ``frame.attrs["unit"]`` (``"state_year"`` or
``"dyad_year"``), as in peacesciencer (Miller 2022).

The package holds the look-up engine (``lookup``), the frames (``create``) and
the joins of state-level (``states``), dyad-level (``dyads``) and alliance
(``alliances``) sources.
"""

from __future__ import annotations

from worldorder.frames.alliances import (
    ALLIANCE_SOURCES,
    COW_ALLIANCE_NOTICE,
    CowAllianceNotice,
    add_alliances,
    cow_alliance_notice,
)
from worldorder.frames.base import DYAD_YEAR, FIRST_YEAR, STATE_YEAR, FrameError, coverage, parse_years
from worldorder.frames.create import SYSTEM_VERSIONS, create_dyad_years, create_state_years, false_dyads
from worldorder.frames.dyads import add_contiguity, add_disputes, add_distance, add_igos, add_trade
from worldorder.frames.lookup import ABSENT_ROW, NOT_COVERED_ROW, DyadYearIndex, StateValues, ValueTable
from worldorder.frames.states import (
    MADDISON_VERSIONS,
    MAJORS_VERSIONS,
    NMC_COMPONENTS,
    NMC_VERSIONS,
    add_capabilities,
    add_gdp,
    add_ideal_points,
    add_majors,
    add_milex,
    add_population,
    add_trade_openness,
)

__all__ = [
    "ABSENT_ROW",
    "ADDERS",
    "ALLIANCE_SOURCES",
    "COW_ALLIANCE_NOTICE",
    "CowAllianceNotice",
    "DYAD_YEAR",
    "DyadYearIndex",
    "FIRST_YEAR",
    "FrameError",
    "MADDISON_VERSIONS",
    "MAJORS_VERSIONS",
    "NMC_COMPONENTS",
    "NMC_VERSIONS",
    "NOT_COVERED_ROW",
    "STATE_YEAR",
    "SYSTEM_VERSIONS",
    "StateValues",
    "ValueTable",
    "add_alliances",
    "add_capabilities",
    "add_contiguity",
    "add_disputes",
    "add_distance",
    "add_gdp",
    "add_ideal_points",
    "add_igos",
    "add_majors",
    "add_milex",
    "add_population",
    "add_trade",
    "add_trade_openness",
    "coverage",
    "cow_alliance_notice",
    "create_dyad_years",
    "create_state_years",
    "false_dyads",
    "parse_years",
]

#: ``worldorder frame --add NAME``: the join each name stands for.
ADDERS = {
    "nmc": add_capabilities,
    "capabilities": add_capabilities,
    "gdp": add_gdp,
    "population": add_population,
    "milex": add_milex,
    "majors": add_majors,
    "alliances": add_alliances,
    "alliance": add_alliances,  # the name of the alliance network layer
    "atop": lambda frame, db=None: add_alliances(frame, source="atop", db=db),
    "cow_alliances": lambda frame, db=None: add_alliances(frame, source="cow", db=db),
    "cow_alliance": lambda frame, db=None: add_alliances(frame, source="cow", db=db),
    "trade": add_trade,
    "contiguity": add_contiguity,
    "disputes": add_disputes,
    "ideal_points": add_ideal_points,
    "unga": add_ideal_points,  # the name of the UN-vote network layer
    "distance": add_distance,
    "igos": add_igos,
    "gdp_ppp": lambda frame, db=None: add_gdp(frame, source="ppp", db=db),
    "fariss": lambda frame, db=None: add_gdp(frame, source="fariss", db=db),
    "trade_openness": add_trade_openness,
    "democracy": lambda frame, db=None: _democracy().add_democracy(frame, db=db),
    "regime": lambda frame, db=None: _democracy().add_regime(frame, db=db),
}


def _democracy():
    """The democracy module, imported on first use (it builds on these frames)."""
    from worldorder import democracy

    return democracy
