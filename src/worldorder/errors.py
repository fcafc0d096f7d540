"""The base of every error that is the user's to fix (a bad input, a missing file, a damaged store)."""

from __future__ import annotations


class WorldOrderError(Exception):
    """Base of every domain error in ``worldorder``.

    The interfaces map this class, and only this class, to a one-line message
    (CLI, non-zero exit) or a 4xx response (web).  Anything else is a bug.
    """
