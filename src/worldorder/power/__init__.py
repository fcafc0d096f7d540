"""Power and polarity: who holds power, how concentrated it is, and how sure we are.

- :mod:`~worldorder.power.measures`: CINC (published and recomputed), GDP,
  military spending, population, net power, user-weighted composites;
  :func:`create_power_years` builds a state-year table with any of them.
- :mod:`~worldorder.power.polarity`: shares, HHI, effective number of poles,
  CON, top shares, pole rules, polarity labels, robustness and intervals
  (the code lives in ``indices``, ``pole_rules``, ``labels`` and ``uncertainty``).
- :mod:`~worldorder.power.eras`: change points and eras of the polarity series.
- :mod:`~worldorder.power.transitions`: power ratios, parity and overtaking.
- :mod:`~worldorder.power.regions`: COW, UN and user regions; regional polarity
  and leaders.

Every function takes a table first and returns a new one.
"""

from __future__ import annotations

from worldorder._exports import exports

#: Names bound at import: the submodules composite, eras, polarity and transitions share names with functions.
_PUBLIC = {
    "worldorder.power._base": ["MeasureInfo", "PowerError", "measure_info"],
    "worldorder.power.eras": ["change_points", "eras"],
    "worldorder.power.catalog": [
        "CATALOG",
        "MEASURES",
        "Measure",
        "coverage",
        "create_power_years",
        "get_measure",
        "measure",
        "measure_caption",
        "measure_column",
        "recompute_over",
        "register",
    ],
    "worldorder.power.composite": ["composite"],
    "worldorder.power.weights": ["CompositeSpec", "composite_spec", "load_weights", "parse_weight_text"],
    "worldorder.power.measures": ["cinc", "gdp", "net_power", "nmc_component", "population"],
    "worldorder.power.polarity": [
        "DEFAULT_RULES",
        "CustomRule",
        "HalfHolders",
        "PoleRule",
        "RelativeToLeader",
        "ShareThreshold",
        "concentration",
        "pole_rule",
        "polarity",
        "polarity_intervals",
        "polarity_robustness",
        "poles",
        "shares",
    ],
    "worldorder.power.spending": ["GOLD_PARITY_USD_PER_GBP", "gbp_usd_rates", "milex"],
    "worldorder.power.reference": ["ReferenceSet", "ReferenceSetError", "describe_among"],
    "worldorder.power.regions": [
        "add_region",
        "cow_region",
        "load_regions",
        "regional_leaders",
        "regional_polarity",
        "resolve_reference",
        "un_regions",
    ],
    "worldorder.power.table": ["PowerTable"],
    "worldorder.power.transitions": ["transition_summary", "transitions"],
}
__all__, __getattr__, __dir__ = exports(__name__, _PUBLIC, globals(), eager=True)
