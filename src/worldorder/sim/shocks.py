"""Shocks, and :func:`apply_shock` to apply one to a table.

Each shock is a small frozen dataclass naming states by COW code.  Applied to
a table, a shock returns a new table (the input is never changed) with the
shock's direct, mechanical effect:

============================  ===========================================  ===========================
shock                         table                                        effect
============================  ===========================================  ===========================
:class:`GrowthShock`          power ``ccode, year, <value>``               growth changed for some years
:class:`Sanctions`            dyadic trade ``ccode1, ccode2, year, ...``   trade between two sets cut
:class:`LinkRemoval`          gas ``borderpoint, exit, entry, ...``        a border point closed
                              or dyadic trade                              or a trade pair cut
:class:`BorderClosure`        dyadic trade                                 all cross-border trade scaled
:class:`TradeWar`             dyadic trade                                 costs raised between blocs
:class:`AlignmentSwitch`      blocs ``ccode, bloc`` or alliance dyads      a state changes sides
============================  ===========================================  ===========================

The general-equilibrium effects of trade shocks (trade diverted to third
countries, prices, real GDP) come from :mod:`worldorder.sim.gravity`, which
takes the same shocks through :func:`freeness_change`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.sim.montecarlo import SimulationError, value_column


def _codes(states: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted({int(s) for s in states}))


def _fraction(value: float, what: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise SimulationError(f"{what} must be between 0 and 1, not {value}.")
    return value


@dataclass(frozen=True)
class GrowthShock:
    """States' annual log growth changed by ``change`` from ``start`` to ``end`` (inclusive).

    ``change=-0.02`` lowers growth by about two percentage points a year.
    ``end=None`` lasts to the end of the projection.
    """

    states: tuple[int, ...]
    change: float
    start: int
    end: int | None = None
    kind = "growth"

    def __post_init__(self):
        object.__setattr__(self, "states", _codes(self.states))
        if self.end is not None and self.end < self.start:
            raise SimulationError(f"A growth shock ends ({self.end}) before it starts ({self.start}).")

    def active(self, years: np.ndarray) -> np.ndarray:
        years = np.asarray(years)
        return (years >= self.start) & (years <= (self.end if self.end is not None else np.iinfo(np.int64).max))

    def drift_change(self, ccodes: Sequence[int], years: Sequence[int]) -> np.ndarray:
        """Change in mean log growth, years x states (used by :func:`~worldorder.sim.project`)."""
        hit = np.isin(np.asarray(ccodes), self.states)
        return np.outer(self.active(np.asarray(years)), hit) * self.change


@dataclass(frozen=True)
class Sanctions:
    """Trade between the states of ``side_a`` and those of ``side_b`` cut by ``fraction`` (both ways)."""

    side_a: tuple[int, ...]
    side_b: tuple[int, ...]
    fraction: float = 1.0
    kind = "sanctions"

    def __post_init__(self):
        object.__setattr__(self, "side_a", _codes(self.side_a))
        object.__setattr__(self, "side_b", _codes(self.side_b))
        _fraction(self.fraction, "A sanctions fraction")


@dataclass(frozen=True)
class LinkRemoval:
    """A gas border point (matched by name, e.g. ``"Nord Stream"``) or a trade pair cut by ``fraction``."""

    border_point: str | None = None
    pair: tuple[int, int] | None = None
    fraction: float = 1.0
    kind = "link_removal"

    def __post_init__(self):
        if (self.border_point is None) == (self.pair is None):
            raise SimulationError("A link removal names either a border point or a pair of states, not both.")
        if self.pair is not None:
            object.__setattr__(self, "pair", tuple(int(s) for s in self.pair))
            if len(self.pair) != 2 or self.pair[0] == self.pair[1]:
                raise SimulationError("A link removal's pair is two different states.")
        _fraction(self.fraction, "A link-removal fraction")


#: What a scenario of removed links cannot capture (said beside its gas results and their check against 2022).
CANNOT_CAPTURE = (
    "A scenario removes a route and holds everything else as it was: it cannot capture gas rerouted through other "
    "border points, LNG replacing pipeline gas, or other routes falling at the same time."
)


@dataclass(frozen=True)
class BorderClosure:
    """All cross-border trade (of ``states``, or of everyone) scaled down by ``fraction`` -- a pandemic year."""

    fraction: float
    states: tuple[int, ...] | None = None
    kind = "border_closure"

    def __post_init__(self):
        if self.states is not None:
            object.__setattr__(self, "states", _codes(self.states))
        _fraction(self.fraction, "A border-closure fraction")


@dataclass(frozen=True)
class TradeWar:
    """Trade costs between ``side_a`` and ``side_b`` raised by ``tariff`` (0.25: a 25% tariff-equivalent)."""

    side_a: tuple[int, ...]
    side_b: tuple[int, ...]
    tariff: float
    kind = "trade_war"

    def __post_init__(self):
        object.__setattr__(self, "side_a", _codes(self.side_a))
        object.__setattr__(self, "side_b", _codes(self.side_b))
        if not self.tariff >= 0:
            raise SimulationError(f"A trade war's tariff must be 0 or more, not {self.tariff}.")


@dataclass(frozen=True)
class AlignmentSwitch:
    """``state`` leaves bloc ``from_bloc`` for bloc ``to_bloc``."""

    state: int
    from_bloc: str
    to_bloc: str
    kind = "alignment_switch"

    def __post_init__(self):
        object.__setattr__(self, "state", int(self.state))
        if self.from_bloc == self.to_bloc:
            raise SimulationError("An alignment switch needs two different blocs.")


TRADE_SHOCKS = (Sanctions, LinkRemoval, BorderClosure, TradeWar)


def _between(c1: pd.Series, c2: pd.Series, a: Sequence[int], b: Sequence[int]) -> pd.Series:
    in1a, in2a = c1.isin(a), c2.isin(a)
    in1b, in2b = c1.isin(b), c2.isin(b)
    return (in1a & in2b) | (in1b & in2a)


def _scale_trade(table: pd.DataFrame, mask: pd.Series, factor: float) -> pd.DataFrame:
    out = table.copy()
    for column in [c for c in out.columns if c.startswith(("flow", "smoothflow"))]:
        out.loc[mask, column] = out.loc[mask, column] * factor
    return out


def apply_shock(table: pd.DataFrame, shock, sigma: float = 7.0, blocs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Apply ``shock``'s direct effect to ``table`` and return a new table.

    Parameters
    ----------
    table : pandas.DataFrame
        A power table (``ccode, year, <value>``), COW dyadic trade
        (``ccode1, ccode2, year, flow1, flow2``), IEA gas flows
        (``borderpoint, exit, entry, month, flow_mm3``), a bloc table
        (``ccode, bloc``) or alliance dyads (``ccode1, ccode2, ...``).
    shock
        One of the shock classes of this module.
    sigma : float
        Elasticity of substitution, for the partial-equilibrium effect of a
        trade war on flows.
    blocs : pandas.DataFrame, optional
        ``ccode, bloc``: needed to switch a state's alliances (alliance dyads).

    Returns
    -------
    pandas.DataFrame

    Notes
    -----
    Direct effects, before any general-equilibrium adjustment:

    * growth: :math:`x'_{it} = x_{it} \\exp(\\delta \\cdot k_t)` with :math:`k_t`
      the shocked years up to :math:`t`;
    * sanctions, link removal, border closure: flows times :math:`1 - f`;
    * trade war: flows times :math:`(1 + \\tau)^{1-\\sigma}`, the partial
      effect of a tariff-equivalent :math:`\\tau` in structural gravity
      (Yotov et al. 2016, ch. 1);
    * alignment switch: the state's bloc set to the new one; for alliance
      dyads, its ties to the old bloc's members removed and ties to the new
      bloc's members added.

    References
    ----------
    Yotov, Y. V., Piermartini, R., Monteiro, J.-A. & Larch, M. 2016. *An
    Advanced Guide to Trade Policy Analysis: The Structural Gravity Model*.
    Geneva: WTO and UNCTAD.
    """
    columns = set(table.columns)
    if isinstance(shock, GrowthShock):
        value = value_column(table, None if "value" not in columns else "value")
        out = table.copy()
        years = out["year"].to_numpy()
        start, end = shock.start, shock.end if shock.end is not None else np.iinfo(np.int64).max
        exposure = np.clip(np.minimum(years, end) - start + 1, 0, None)
        hit = out["ccode"].isin(shock.states).to_numpy()
        out[value] = out[value] * np.where(hit, np.exp(shock.change * exposure), 1.0)
        return out
    if isinstance(shock, AlignmentSwitch):
        return _switch(table, shock, blocs)
    if isinstance(shock, LinkRemoval) and shock.border_point is not None:
        if not {"borderpoint", "flow_mm3"} <= columns:
            raise SimulationError("A border-point removal applies to the IEA gas table (borderpoint, exit, entry, month, flow_mm3).")
        out = table.copy()
        mask = out["borderpoint"].astype(str).str.contains(shock.border_point, case=False, regex=False)
        if not mask.any():
            names = sorted(out["borderpoint"].astype(str).unique())
            import difflib

            close = difflib.get_close_matches(shock.border_point, names, n=3, cutoff=0.4)
            raise SimulationError(f"No gas border point matches {shock.border_point!r}." + (f" Closest: {', '.join(close)}." if close else ""))
        out.loc[mask, "flow_mm3"] = out.loc[mask, "flow_mm3"] * (1.0 - shock.fraction)
        return out
    if not {"ccode1", "ccode2"} <= columns or not any(c.startswith("flow") for c in columns):
        raise SimulationError(
            f"A {shock.kind} shock applies to a dyadic trade table (ccode1, ccode2, year, flow1, flow2); "
            f"this table has {', '.join(map(str, table.columns))}."
        )
    c1, c2 = table["ccode1"], table["ccode2"]
    if isinstance(shock, Sanctions):
        return _scale_trade(table, _between(c1, c2, shock.side_a, shock.side_b), 1.0 - shock.fraction)
    if isinstance(shock, LinkRemoval):
        return _scale_trade(table, _between(c1, c2, shock.pair[:1], shock.pair[1:]), 1.0 - shock.fraction)
    if isinstance(shock, BorderClosure):
        mask = c1 != c2
        if shock.states is not None:
            mask &= c1.isin(shock.states) | c2.isin(shock.states)
        return _scale_trade(table, mask, 1.0 - shock.fraction)
    if isinstance(shock, TradeWar):
        return _scale_trade(table, _between(c1, c2, shock.side_a, shock.side_b), (1.0 + shock.tariff) ** (1.0 - sigma))
    raise SimulationError(f"Unknown shock {shock!r}.")


def _switch(table: pd.DataFrame, shock: AlignmentSwitch, blocs: pd.DataFrame | None) -> pd.DataFrame:
    if {"ccode", "bloc"} <= set(table.columns):
        current = table.loc[table["ccode"] == shock.state, "bloc"].astype(str)
        if current.empty:
            raise SimulationError(f"State {shock.state} is in no bloc of the table.")
        if not (current == str(shock.from_bloc)).all():
            raise SimulationError(f"State {shock.state} is in bloc {current.iloc[0]!r}, not {shock.from_bloc!r}.")
        out = table.copy()
        out.loc[out["ccode"] == shock.state, "bloc"] = shock.to_bloc
        return out
    if {"ccode1", "ccode2"} <= set(table.columns):
        if blocs is None:
            raise SimulationError("Switching alliances needs blocs= (a table ccode, bloc) to know each bloc's members.")
        members = blocs.groupby(blocs["bloc"].astype(str))["ccode"].apply(set)
        old = members.get(str(shock.from_bloc), set()) - {shock.state}
        new = members.get(str(shock.to_bloc), set()) - {shock.state}
        c1, c2 = table["ccode1"], table["ccode2"]
        touches = (c1 == shock.state) | (c2 == shock.state)
        partner = np.where(c1 == shock.state, c2, c1)
        drop = touches & pd.Series(np.isin(partner, list(old)), index=table.index)
        kept = table[~drop]
        years = sorted(table["year"].unique()) if "year" in table.columns else [None]
        rows = []
        for year in years:
            for other in sorted(new):
                row = {"ccode1": min(shock.state, other), "ccode2": max(shock.state, other)}
                if year is not None:
                    row["year"] = year
                rows.append(row)
        added = pd.DataFrame(rows)
        if not added.empty:
            for column in table.columns:
                if column not in added.columns:
                    added[column] = 1 if pd.api.types.is_numeric_dtype(table[column]) else None
            key = [c for c in ("ccode1", "ccode2", "year") if c in table.columns]
            existing = set(map(tuple, kept[key].to_numpy().tolist()))
            added = added[[tuple(r) not in existing for r in added[key].to_numpy().tolist()]]
        return pd.concat([kept, added[table.columns]] if not added.empty else [kept], ignore_index=True)
    raise SimulationError("An alignment switch applies to a bloc table (ccode, bloc) or alliance dyads (ccode1, ccode2).")


def freeness_change(shocks: Iterable, ccode: Sequence[int], sigma: float = 7.0) -> np.ndarray:
    """The change in bilateral trade freeness :math:`\\hat\\phi_{ij} = \\hat t_{ij}^{1-\\sigma}` of trade shocks.

    Rows are exporters, columns importers, in the order of ``ccode``; the
    diagonal (domestic sales) is never shocked.  Non-trade shocks are ignored.
    Cuts by a fraction :math:`f` give :math:`1 - f`; a trade war's
    tariff-equivalent :math:`\\tau` gives :math:`(1+\\tau)^{1-\\sigma}`.
    """
    ccode = np.asarray(ccode)
    n = len(ccode)
    phi = np.ones((n, n))

    def pairs(a, b):
        ia, ib = np.isin(ccode, a), np.isin(ccode, b)
        return np.outer(ia, ib) | np.outer(ib, ia)

    for shock in shocks:
        if isinstance(shock, Sanctions):
            phi[pairs(shock.side_a, shock.side_b)] *= 1.0 - shock.fraction
        elif isinstance(shock, LinkRemoval) and shock.pair is not None:
            phi[pairs(shock.pair[:1], shock.pair[1:])] *= 1.0 - shock.fraction
        elif isinstance(shock, BorderClosure):
            mask = np.ones((n, n), bool)
            if shock.states is not None:
                hit = np.isin(ccode, shock.states)
                mask = hit[:, None] | hit[None, :]
            phi[mask] *= 1.0 - shock.fraction
        elif isinstance(shock, TradeWar):
            phi[pairs(shock.side_a, shock.side_b)] *= (1.0 + shock.tariff) ** (1.0 - sigma)
    np.fill_diagonal(phi, 1.0)
    return phi
