"""The joins ``worldorder frame --add NAME`` stands for, by name."""

from __future__ import annotations

from worldorder.frames.alliances import add_alliances
from worldorder.frames.dyads import add_contiguity, add_disputes, add_distance, add_igos, add_trade
from worldorder.frames.states import (
    add_capabilities,
    add_gdp,
    add_ideal_points,
    add_majors,
    add_milex,
    add_population,
    add_trade_openness,
)

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
