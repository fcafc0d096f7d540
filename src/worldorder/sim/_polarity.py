"""Bridges from :mod:`worldorder.power.polarity` to the simulation engine (private).

The engine counts poles on arrays of power levels, one row per path, without
building tables; here a :class:`~worldorder.power.polarity.PoleRule` becomes
the (kind, parameter) pair the engine understands, and CON and HHI are
converted into each other (both are functions of one another for N states):
:math:`\\mathrm{CON} = \\sqrt{(H - 1/N)/(1 - 1/N)}`.
"""

from __future__ import annotations

import numpy as np

#: Labels by pole count (0, 1, 2, 3 or more), as in worldorder.power.polarity.label_of.
LABELS = ("nonpolar", "unipolar", "bipolar", "multipolar")


def engine_rule(rule) -> tuple[str, float, str]:
    """``(kind, parameter, name)`` of a pole rule: kind ``"share"``, ``"relative"`` or ``"half"``."""
    from worldorder.power.polarity import HalfHolders, RelativeToLeader, ShareThreshold, pole_rule
    from worldorder.sim.inputs import SimulationError

    try:
        parsed = pole_rule(rule)
    except ValueError as error:
        raise SimulationError(str(error)) from error
    if isinstance(parsed, ShareThreshold):
        return "share", float(parsed.threshold), parsed.name
    if isinstance(parsed, RelativeToLeader):
        return "relative", float(parsed.ratio), parsed.name
    if isinstance(parsed, HalfHolders):
        return "half", float(parsed.half), parsed.name
    raise SimulationError(
        f"The pole rule {parsed.name!r} cannot run inside a simulation; use threshold:T, leader:R or wayman."
    )


def con_from_hhi(hhi, n: int):
    """CON from HHI for ``n`` states."""
    if n <= 1:
        return np.zeros_like(np.asarray(hhi, dtype=float))
    return np.sqrt(np.clip((np.asarray(hhi, dtype=float) - 1.0 / n) / (1.0 - 1.0 / n), 0.0, 1.0))


def hhi_from_con(con, n: int):
    """HHI from CON for ``n`` states (inverse of :func:`con_from_hhi`)."""
    con = np.asarray(con, dtype=float)
    return con**2 * (1.0 - 1.0 / n) + 1.0 / n
