"""One power table shared by an interface: measures from the catalog built once, with each measure's column and record."""

from __future__ import annotations

import threading

import pandas as pd


class PowerTable:
    """State-years with power measures of the catalog, built once and widened when a new measure is asked.

    The web app, the claims ledger and the report each ask for measures,
    their columns and their records many times; this builds the table with
    :func:`~worldorder.power.catalog.create_power_years` on first use, keeps
    it, and rebuilds it only to add a measure not yet in it (with the
    measures already there).  Safe to share between threads.

    Parameters
    ----------
    db
        Store path or :class:`~worldorder.store.Store`; default the usual store.
    table
        A table already built by ``create_power_years`` (its measures are
        read from ``attrs["measures"]``).

    Examples
    --------
    >>> power = PowerTable()                                 # doctest: +SKIP
    >>> power.table(["cinc", "gdp"])[["ccode", "year", power.column("gdp")]]  # doctest: +SKIP
    >>> power.info("gdp")["sources"]                         # doctest: +SKIP
    """

    def __init__(self, db=None, table: pd.DataFrame | None = None):
        self.db = db
        self._table = table
        self._lock = threading.Lock()

    def keys(self) -> list[str]:
        """The catalog keys of the measures the table holds now."""
        from worldorder.power.catalog import MEASURES

        if self._table is None:
            return []
        return [info["key"] for info in self._table.attrs.get("measures", {}).values() if info.get("key") in MEASURES]

    def table(self, keys=()) -> pd.DataFrame:
        """State-years with the measures ``keys`` (and those built before; ``cinc`` when none was ever asked)."""
        from worldorder.power.catalog import create_power_years

        keys = list(dict.fromkeys(keys))
        with self._lock:
            built = self.keys()
            if self._table is None or any(k not in built for k in keys):
                self._table = create_power_years(list(dict.fromkeys([*built, *keys])) or ["cinc"], db=self.db)
            return self._table

    @staticmethod
    def column(key: str) -> str:
        """The column of measure ``key`` (from the catalog)."""
        from worldorder.power.catalog import MEASURES

        return MEASURES[key].column

    def info(self, key: str) -> dict:
        """The record of measure ``key`` as the table carries it (key, label, unit, sources, notes ...).

        A measure the table records nothing for gets its key as label, no
        unit and no sources.
        """
        column = self.column(key)
        info = dict(self.table([key]).attrs.get("measures", {}).get(column) or {"column": column, "notes": ""})
        for field, default in (("key", key), ("label", key), ("unit", "")):
            info.setdefault(field, default)
        info["sources"] = list(info.get("sources", ()))
        return info
