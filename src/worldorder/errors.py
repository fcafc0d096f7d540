"""The base of every error that is the user's to fix (a bad input, a missing file, a damaged store), and the count check they share."""

from __future__ import annotations

from numbers import Integral


class WorldOrderError(Exception):
    """Base of every domain error in ``worldorder``.

    The interfaces map this class, and only this class, to a one-line message
    (CLI, non-zero exit) or a 4xx response (web).  Anything else is a bug.
    """


def whole_number_between(value, least: int, most: int) -> bool:
    """Whether ``value`` is a whole number (Python or NumPy integer, not a bool) from ``least`` to ``most``."""
    return isinstance(value, Integral) and not isinstance(value, bool) and least <= value <= most
