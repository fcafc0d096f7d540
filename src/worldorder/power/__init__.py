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

from worldorder.power._base import MeasureInfo, PowerError, measure_info
from worldorder.power.eras import change_points, eras
from worldorder.power.catalog import (
    CATALOG,
    MEASURES,
    Measure,
    coverage,
    create_power_years,
    get_measure,
    measure,
    measure_caption,
    measure_column,
    recompute_over,
    register,
)
from worldorder.power.composite import composite
from worldorder.power.weights import CompositeSpec, composite_spec, load_weights, parse_weight_text
from worldorder.power.measures import (
    cinc,
    gdp,
    net_power,
    nmc_component,
    population,
)
from worldorder.power.polarity import (
    DEFAULT_RULES,
    CustomRule,
    HalfHolders,
    PoleRule,
    RelativeToLeader,
    ShareThreshold,
    concentration,
    pole_rule,
    polarity,
    polarity_intervals,
    polarity_robustness,
    poles,
    shares,
)
from worldorder.power.spending import GOLD_PARITY_USD_PER_GBP, gbp_usd_rates, milex
from worldorder.power.reference import ReferenceSet, ReferenceSetError, describe_among
from worldorder.power.regions import (
    add_region,
    cow_region,
    load_regions,
    regional_leaders,
    regional_polarity,
    resolve_reference,
    un_regions,
)
from worldorder.power.transitions import transition_summary, transitions

__all__ = [
    "CATALOG",
    "DEFAULT_RULES",
    "GOLD_PARITY_USD_PER_GBP",
    "MEASURES",
    "CompositeSpec",
    "CustomRule",
    "HalfHolders",
    "Measure",
    "MeasureInfo",
    "PoleRule",
    "PowerError",
    "ReferenceSet",
    "ReferenceSetError",
    "RelativeToLeader",
    "ShareThreshold",
    "add_region",
    "change_points",
    "cinc",
    "composite",
    "composite_spec",
    "coverage",
    "concentration",
    "cow_region",
    "describe_among",
    "create_power_years",
    "eras",
    "gbp_usd_rates",
    "gdp",
    "get_measure",
    "load_regions",
    "load_weights",
    "measure",
    "measure_caption",
    "measure_column",
    "measure_info",
    "milex",
    "net_power",
    "parse_weight_text",
    "nmc_component",
    "pole_rule",
    "polarity",
    "polarity_intervals",
    "polarity_robustness",
    "poles",
    "population",
    "recompute_over",
    "regional_leaders",
    "regional_polarity",
    "register",
    "resolve_reference",
    "shares",
    "transition_summary",
    "transitions",
    "un_regions",
]
