"""The seed convention: one default seed and one helper that turns a seed into a random generator."""

from __future__ import annotations

from worldorder.errors import WorldOrderError, whole_number_between

#: The seed every function that draws random numbers uses unless told otherwise.
DEFAULT_SEED = 0


class SeedError(WorldOrderError, ValueError):
    """A seed is not a whole number from 0 to 2**32 - 1."""


def check_seed(seed: int | None) -> int:
    """``seed`` as an int (None: :data:`DEFAULT_SEED`); refuse what numpy would not take."""
    if seed is None:
        return DEFAULT_SEED
    if not whole_number_between(seed, 0, 2**32 - 1):
        raise SeedError(f"seed {seed!r}: give a whole number from 0 to {2**32 - 1}; the same seed gives the same numbers.")
    return int(seed)


def rng(seed=DEFAULT_SEED):
    """The ``numpy.random.Generator`` of ``seed``: the same seed, the same numbers (a Generator is returned as is)."""
    import numpy as np

    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_seed(seed))
