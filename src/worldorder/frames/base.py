"""Frame units, the frame error, years and cached store access shared by the frame modules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from worldorder.errors import WorldOrderError
from worldorder.store import Store, open_store
from worldorder.years import parse_years


FIRST_YEAR = 1816


STATE_YEAR = "state_year"


DYAD_YEAR = "dyad_year"


_CODE_SPAN = 1000  # COW codes are below 1000


class FrameError(WorldOrderError, ValueError):
    """A frame lacks what a function needs, or an option is not valid."""


def _store(db) -> Store:
    return db if isinstance(db, Store) else open_store(db)


@lru_cache(maxsize=64)
def _cached_table(store_path: str, name: str, stamp: tuple) -> pd.DataFrame:
    return open_store(store_path).table(name)


def _table(name: str, db) -> pd.DataFrame:
    """Data set ``name`` from the store, cached until its provenance stamp changes."""
    store = _store(db)
    store.ensure([name])
    return _cached_table(str(store.path), name, store.stamp(name))


def _stamp(names: Iterable[str], db) -> tuple:
    store = _store(db)
    store.ensure(list(names))
    return (str(store.path), *(store.stamp(name) for name in names))


def coverage(name: str) -> tuple[int, int]:
    """First and last year of data set ``name``, from its registry entry."""
    from worldorder.data.registry import get_dataset

    years = re.findall(r"\d{4}", get_dataset(name).coverage)
    if len(years) < 2:
        raise FrameError(f"registry coverage of {name!r} does not name a first and last year")
    return int(years[0]), int(years[1])


def _unit(frame: pd.DataFrame) -> str:
    unit = frame.attrs.get("unit")
    if unit in (STATE_YEAR, DYAD_YEAR):
        return unit
    if {"ccode1", "ccode2", "year"} <= set(frame.columns):
        return DYAD_YEAR
    if {"ccode", "year"} <= set(frame.columns):
        return STATE_YEAR
    raise FrameError(
        "The frame has neither ccode/year nor ccode1/ccode2/year columns. "
        "Start from create_state_years() or create_dyad_years()."
    )


def _is_directed(frame: pd.DataFrame) -> bool:
    """Whether a dyad-year frame holds both orders of a pair (its ``attrs``, else its codes)."""
    directed = frame.attrs.get("directed")
    if directed is not None:
        return bool(directed)
    return not bool((frame["ccode1"].to_numpy() < frame["ccode2"].to_numpy()).all())


def _years_of(frame: pd.DataFrame) -> np.ndarray:
    return frame["year"].to_numpy(dtype=np.int64)

