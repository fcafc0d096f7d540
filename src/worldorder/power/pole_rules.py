"""Pole rules: which states of a year are poles (share threshold, relative to the leader, Wayman's half), and the label their count gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.power._base import PowerError

__all__ = [
    "DEFAULT_RULE",
    "DEFAULT_RULES",
    "CustomRule",
    "HalfHolders",
    "PoleRule",
    "RelativeToLeader",
    "ShareThreshold",
    "label_of",
    "pole_rule",
]


@dataclass(frozen=True)
class PoleRule:
    """A rule that says which states of a year are poles.

    Subclasses implement :meth:`mask`, which receives the ``(Y, S)`` share
    matrix (NaN outside the reference set) and returns a boolean matrix of poles.
    """

    name: str
    description: str

    def mask(self, shares: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __str__(self) -> str:
        return f"{self.name}: {self.description}"


@dataclass(frozen=True)
class ShareThreshold(PoleRule):
    """A pole holds at least ``threshold`` of the reference set's power."""

    threshold: float = 0.10

    def mask(self, shares):
        with np.errstate(invalid="ignore"):
            return np.nan_to_num(shares, nan=-1.0) >= self.threshold


@dataclass(frozen=True)
class RelativeToLeader(PoleRule):
    """A pole holds at least ``ratio`` times the leader's power."""

    ratio: float = 0.5

    def mask(self, shares):
        filled = np.nan_to_num(shares, nan=-1.0)
        top = filled.max(axis=1, keepdims=True)
        return (filled >= self.ratio * top) & (top > 0)


@dataclass(frozen=True)
class HalfHolders(PoleRule):
    """Wayman's rule, extended: the fewest largest states that together hold ``half``.

    One state holding half alone: unipolar; the two largest holding half:
    bipolar (Wayman 1984); otherwise the fewest largest states that together
    reach half are the poles (multipolar).
    """

    half: float = 0.5

    def mask(self, shares):
        filled = np.nan_to_num(shares, nan=0.0)
        order = np.argsort(-filled, axis=1, kind="stable")
        ordered = np.take_along_axis(filled, order, axis=1)
        before = np.cumsum(ordered, axis=1) - ordered  # power of the larger states
        in_ranked = (before < self.half - 1e-12) & (ordered > 0)
        out = np.zeros(shares.shape, dtype=bool)
        np.put_along_axis(out, order, in_ranked, axis=1)
        return out


@dataclass(frozen=True)
class CustomRule(PoleRule):
    """A rule the user writes: ``function(shares, codes) -> boolean mask`` for one year.

    ``shares`` is the year's share vector (NaN for states outside the set or
    without a value) and ``codes`` the state codes; the function may also return
    the number of poles K, meaning the K largest states.
    """

    function: Callable | None = None
    codes: tuple = ()

    def mask(self, shares):
        codes = np.asarray(self.codes) if self.codes else np.arange(shares.shape[1])
        out = np.zeros(shares.shape, dtype=bool)
        for i, row in enumerate(shares):
            if np.isnan(row).all():
                continue
            result = self.function(row.copy(), codes)
            if np.isscalar(result) and not isinstance(result, (bool, np.bool_)):
                k = int(result)
                order = np.argsort(-np.nan_to_num(row, nan=-1.0), kind="stable")[:k]
                out[i, order] = True
            else:
                result = np.asarray(result, dtype=bool)
                if result.shape != row.shape:
                    raise PowerError(
                        f"The pole rule {self.name!r} returned {result.shape} values for {row.shape} states; "
                        "return a boolean array with one value per state, or the number of poles."
                    )
                out[i] = result
        return out & ~np.isnan(shares)


def pole_rule(rule: "str | PoleRule | Callable") -> PoleRule:
    """Turn a rule specification into a :class:`PoleRule`.

    Parameters
    ----------
    rule
        ``"threshold:0.1"`` (a pole holds at least 10% of the set's power),
        ``"leader:0.5"`` (at least half the leader's power), ``"wayman"`` (the
        fewest largest states holding half), a :class:`PoleRule`, or a callable
        ``f(shares, codes)`` returning a boolean mask or a number of poles.

    Examples
    --------
    >>> print(pole_rule("threshold:0.2"))
    threshold:0.2: a pole holds at least 20% of the reference set's power
    """
    if isinstance(rule, PoleRule):
        return rule
    if callable(rule):
        name = getattr(rule, "__name__", "custom")
        doc = (getattr(rule, "__doc__", None) or "").strip().splitlines()
        description = doc[0] if doc else f"the user-defined rule {name}"
        return CustomRule(name=name, description=description, function=rule)
    if not isinstance(rule, str):
        raise PowerError(f"A pole rule is a string, a PoleRule or a callable, not {type(rule).__name__}.")
    kind, _, argument = rule.strip().partition(":")
    kind = kind.lower()
    try:
        value = float(argument) if argument else None
    except ValueError:
        raise PowerError(f"Pole rule {rule!r}: {argument!r} is not a number.") from None
    if kind in ("threshold", "share"):
        value = 0.10 if value is None else value
        if not 0 < value <= 1:
            raise PowerError("threshold:T needs 0 < T <= 1 (a share, e.g. threshold:0.1).")
        return ShareThreshold(
            name=f"threshold:{value:g}",
            description=f"a pole holds at least {value:.0%} of the reference set's power",
            threshold=value,
        )
    if kind in ("leader", "relative"):
        value = 0.5 if value is None else value
        if not 0 < value <= 1:
            raise PowerError("leader:R needs 0 < R <= 1 (e.g. leader:0.5, half the leader's power).")
        return RelativeToLeader(
            name=f"leader:{value:g}",
            description=f"a pole holds at least {value:.0%} of the leader's power",
            ratio=value,
        )
    if kind in ("wayman", "half"):
        value = 0.5 if value is None else value
        return HalfHolders(
            name="wayman" if value == 0.5 else f"wayman:{value:g}",
            description=(
                f"the fewest largest states that together hold {value:.0%} of the reference set's power "
                "(Wayman 1984: two such states make the system bipolar; one, unipolar)"
            ),
            half=value,
        )
    raise PowerError(f"Unknown pole rule {rule!r}: write threshold:T (such as threshold:0.1), leader:R (such as leader:0.5) or wayman.")


DEFAULT_RULE = "leader:0.5"
DEFAULT_RULES = ("threshold:0.1", "leader:0.5", "wayman")


def label_of(count) -> np.ndarray:
    """Polarity labels for pole counts: 0 nonpolar, 1 unipolar, 2 bipolar, 3+ multipolar."""
    count = np.asarray(count)
    out = np.full(count.shape, None, dtype=object)
    finite = ~pd.isna(count)
    c = np.where(finite, count, -1).astype(np.int64)
    out[c == 0] = "nonpolar"
    out[c == 1] = "unipolar"
    out[c == 2] = "bipolar"
    out[c >= 3] = "multipolar"
    return out


def _pole_counts(rule: PoleRule, shares: np.ndarray, valid: np.ndarray, codes=None):
    if isinstance(rule, CustomRule) and codes is not None and not rule.codes:
        rule = CustomRule(rule.name, rule.description, function=rule.function, codes=tuple(int(c) for c in codes))
    poles = rule.mask(shares) & ~np.isnan(shares)
    count = poles.sum(axis=1).astype(np.float64)
    count[~valid] = np.nan
    return poles, count
