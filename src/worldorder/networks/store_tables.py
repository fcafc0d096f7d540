"""The store tables the network layers read, cached per file version, and their years."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

def _years(table: pd.DataFrame, years) -> pd.DataFrame:
    from worldorder.years import parse_years

    span = parse_years(years)  # no year in the span: an empty layer, which says what it holds
    return table if span is None else table[(table["year"] >= span[0]) & (table["year"] <= span[1])]


_SYSTEM = "cow_system_2024"


def _store_table(name: str, db):
    from worldorder.store import Store, open_store

    store = db if isinstance(db, Store) else open_store(db)
    store.ensure([name])
    return _cached(str(store.path), name, store.stamp(name))


@lru_cache(maxsize=16)
def _cached(path: str, name: str, stamp) -> pd.DataFrame:
    from worldorder.store import open_store

    return open_store(path).table(name)


def _system(db, years=None) -> pd.DataFrame:
    return _years(_store_table(_SYSTEM, db)[["ccode", "stateabb", "year"]], years)
