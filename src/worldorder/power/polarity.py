"""Polarity under one name: concentration indices, pole rules, poles and labels, and how sure the label is.

Every function takes a state-year table with a power column (any measure of
:mod:`worldorder.power.measures`, or a column of your own) and a reference set
(``among``), and returns a new year-level table.  The code lives in
:mod:`~worldorder.power.indices` (shares, HHI, CON, effective number of poles),
:mod:`~worldorder.power.pole_rules` (pole rules and labels),
:mod:`~worldorder.power.labels` (``poles`` and ``polarity``) and
:mod:`~worldorder.power.uncertainty` (robustness and intervals); every name is
importable from here as before.
"""

from __future__ import annotations

from worldorder.power.indices import INDEX_COLUMNS, concentration, indices_from_matrix, shares
from worldorder.power.labels import polarity, poles
from worldorder.power.pole_rules import (
    DEFAULT_RULE,
    DEFAULT_RULES,
    CustomRule,
    HalfHolders,
    PoleRule,
    RelativeToLeader,
    ShareThreshold,
    label_of,
    pole_rule,
)
from worldorder.power.uncertainty import polarity_intervals, polarity_robustness

__all__ = [
    "DEFAULT_RULE",
    "DEFAULT_RULES",
    "INDEX_COLUMNS",
    "CustomRule",
    "HalfHolders",
    "PoleRule",
    "RelativeToLeader",
    "ShareThreshold",
    "concentration",
    "indices_from_matrix",
    "label_of",
    "polarity",
    "polarity_intervals",
    "polarity_robustness",
    "pole_rule",
    "poles",
    "shares",
]
