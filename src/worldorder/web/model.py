"""What the web app asks of the model, computed once and kept in memory.

:class:`WebModel` wraps a read-only :class:`~worldorder.store.Store` and calls
only the public functions of the power, networks and sim layers; it adds no
index of its own.  Yearly tables (the power frame, polarity series, eras,
agreement, shares, layers) are computed on first use and memoized, keyed by
their parameters, with a lock per key so that fifty simultaneous first
requests compute a table once.  Networks and dependence are in
:mod:`~worldorder.web.model_networks`, simulations (one at a time) in
:mod:`~worldorder.web.model_runs`.
"""

from __future__ import annotations

import re
import threading

import numpy as np
import pandas as pd

from worldorder.web.cache import Memo
from worldorder.web.model_networks import NetworkViews
from worldorder.web.model_runs import Runs
from worldorder.web.params import REQUIRED_DATASETS, WEB_MEASURES, BadRequest, Composite, measure_text


class WebModel(NetworkViews, Runs):
    """Cached access to the model for the web app.

    Parameters
    ----------
    store
        A read-only :class:`~worldorder.store.Store`.
    """

    def __init__(self, store):
        from worldorder import PowerTable

        self.store = store
        self.power = PowerTable(db=store)  # every web measure's state-years, column and record, built once
        self.memo = Memo(512)
        self.years = Memo(4096)  # one entry per (measure, reference set, year) of the map
        self.results = Memo(32)
        self.composites = Memo(64)  # user-weighted composites and the tables computed from them (bounded apart)
        self._sim_gate = threading.BoundedSemaphore(1)
        self._network_lock = threading.Lock()  # igraph's layout seeds a global random generator

    # -- states and measures ---------------------------------------------------------------------
    def power_frame(self) -> pd.DataFrame:
        """State-years 1816- with every web measure (:meth:`worldorder.PowerTable.table`)."""
        return self.power.table(WEB_MEASURES)

    def state_names(self, year: int) -> dict[int, str]:
        """COW code -> the state's name in ``year`` (:func:`worldorder.state_names`: the Soviet Union in 1985)."""

        def compute():
            from worldorder import state_names

            return state_names(int(year), db=self.store.path)

        return self.memo.get(("state_names", int(year)), compute)

    def column_of(self, measure) -> str:
        return "composite" if isinstance(measure, Composite) else self.power.column(measure)

    def memo_for(self, measure) -> Memo:
        """Where tables of ``measure`` are kept: composites in a memo of their own, so they cannot crowd out the rest."""
        return self.composites if isinstance(measure, Composite) else self.memo

    def composite_frame(self, measure: Composite) -> pd.DataFrame:
        """``composite(power_frame, weights)`` (shares over all states), keeping only the columns polarity needs."""

        def compute():
            from worldorder import composite

            frame = composite(self.power_frame(), dict(measure.weights))
            out = frame[["ccode", "stateabb", "year", "major", "composite"]].copy()
            out.attrs = {"measures": {"composite": frame.attrs["measures"]["composite"]}, "measure": "composite"}
            return out

        return self.composites.get(("composite_frame", measure), compute)

    def measure_info(self, measure) -> dict:
        """Label, unit, sources and notes of a measure (:meth:`worldorder.PowerTable.info`; a composite from its own frame)."""
        if not isinstance(measure, Composite):
            self.power_frame()  # every web measure at once, so that asking one does not rebuild the table
            return self.power.info(measure)
        info = dict(self.composite_frame(measure).attrs.get("measures", {}).get("composite", {}))
        info.setdefault("key", "composite")
        info.setdefault("label", str(measure))
        info.setdefault("unit", "")
        info["sources"] = list(info.get("sources", ()))
        for key, _ in measure.weights:  # echo the components as the user named them (milex, not its column milex_usd)
            column = self.column_of(key)
            for part in ("label", "notes"):
                info[part] = re.sub(rf"\b{re.escape(column)}\b", key, str(info.get(part, "")))
        info["key"] = "composite"
        info["weights"] = {k: w for k, w in measure.weights}
        info["weights_normalised"] = {k: w for k, w in measure.normalised()}
        return info

    def coverage(self, measure) -> tuple[int, int]:
        """First and last year in which ``measure`` has a value."""

        def compute():
            frame, column = self.frame_for(measure, "all")
            years = frame.loc[frame[column].notna(), "year"]
            return int(years.min()), int(years.max())

        return self.memo_for(measure).get(("coverage", measure), compute)

    def frame_for(self, measure, among: str) -> tuple[pd.DataFrame, str]:
        """The power frame for ``measure`` over ``among``: CINC recomputed over the set when asked."""
        column = self.column_of(measure)
        if isinstance(measure, Composite):
            return self.composite_frame(measure), column
        if measure != "cinc_recomputed" or among == "all" or among.startswith("top:"):
            return self.power_frame(), column

        def compute():
            from worldorder import cinc

            return cinc(self.power_frame(), among=among)

        return self.memo.get(("recomputed", among), compute), column

    def check_year(self, measure, year: int) -> None:
        first, last = self.coverage(measure)
        if not first <= year <= last:
            raise BadRequest(f"{measure_text(measure)} has values from {first} to {last}; {year} is outside them.")

    # -- polarity --------------------------------------------------------------------------------
    def polarity(self, measure: str, among: str, rule: str) -> pd.DataFrame:
        """``polarity()`` year by year, years with states in the set only."""

        def compute():
            from worldorder import polarity

            frame, column = self.frame_for(measure, among)
            table = polarity(frame, column, among=among, rule=rule)
            out = table[table["n"] > 0].reset_index(drop=True)
            out.attrs = dict(table.attrs)
            return out

        return self.memo_for(measure).get(("polarity", measure, among, rule), compute)

    def eras(self, measure: str, among: str, rule: str) -> pd.DataFrame:
        """Eras of CON (``eras()``: change points by PELT)."""

        def compute():
            from worldorder import PowerError, eras

            yearly = self.polarity(measure, among, rule)
            usable = yearly[yearly["con"].notna()]
            if len(usable) < 10:
                return pd.DataFrame(columns=["era", "start", "end", "years", "mean_con", "polarity", "leader"])
            try:
                return eras(usable, columns=["con"])
            except (PowerError, ValueError):
                return pd.DataFrame(columns=["era", "start", "end", "years", "mean_con", "polarity", "leader"])

        return self.memo_for(measure).get(("eras", measure, among, rule), compute)

    def agreement(self, among: str, measures: tuple[str, ...], rules: tuple[str, ...], composite: Composite | None = None) -> pd.DataFrame:
        """``polarity_robustness()``: the label across measures and rules (and a composite of the user's), and its agreement."""

        def compute():
            from worldorder import cinc, polarity_robustness

            frame = self.power_frame()
            if "cinc_recomputed" in measures and among != "all" and not among.startswith("top:"):
                frame = cinc(frame, among=among)
            columns = [self.column_of(m) for m in measures]
            if composite is not None:
                own = self.composite_frame(composite)[["ccode", "year", "composite"]]
                frame = frame.merge(own, on=["ccode", "year"], how="left", validate="one_to_one")
                columns.append("composite")
            return polarity_robustness(frame, columns, among=among, rules=list(rules))

        return self.memo_for(composite).get(("agreement", among, measures, rules, composite), compute)

    def shares(self, measure: str, among: str) -> pd.DataFrame:
        """``ccode, stateabb, year, value, share`` for every state-year with a value."""

        def compute():
            from worldorder import shares

            frame, column = self.frame_for(measure, among)
            table = shares(frame, column, among=among)
            keep = table[column].notna() & table["share"].notna()
            out = table.loc[keep, ["ccode", "stateabb", "year", column, "share"]].rename(columns={column: "value"})
            return out.sort_values(["year", "share"], ascending=[True, False], kind="stable").reset_index(drop=True)

        return self.memo_for(measure).get(("shares", measure, among), compute)

    def map_year(self, measure: str, among: str, year: int) -> dict:
        """States with their shares in ``year`` and the shapes that draw them."""
        self.check_year(measure, year)

        def compute():
            from worldorder import state_shapes

            table = self.shares(measure, among)
            part = table[table["year"] == year].reset_index(drop=True)
            if part.empty:
                raise BadRequest(f"No state has a value of {measure_text(measure)} in {year}.")
            names = self.state_names(year)  # the names of the year shown
            part.insert(2, "name", [names.get(int(c), str(c)) for c in part["ccode"]])
            part.insert(0, "rank", np.arange(1, len(part) + 1))
            frame = self.power_frame()
            members = frame.loc[frame["year"] == year, "ccode"].astype(int)
            found = state_shapes(pd.concat([part["ccode"].astype(int), members]), year, db=self.store.path)
            shapes = found.shapes
            shapes["has_value"] = shapes["ccode"].isin(set(part["ccode"].astype(int)))
            shapes["name"] = [names.get(int(c), str(c)) for c in shapes["ccode"]]
            part["shapes"] = [" ".join(sorted(shapes.loc[shapes["ccode"] == c, "iso3"])) for c in part["ccode"]]
            valued = set(part["ccode"].astype(int))
            missing = [{"ccode": int(c), "name": names.get(int(c), str(c)), "note": n}
                       for c, n in zip(found.missing["ccode"], found.missing["note"]) if int(c) in valued]
            return {"states": part, "shapes": shapes, "notes": found.notes, "missing": missing}

        return self.years.get(("map", measure, among, year), compute)

    # -- regions ---------------------------------------------------------------------------------
    def regional_leaders(self, year: int | None, measures: tuple[str, ...], scheme: str) -> pd.DataFrame:
        def compute():
            from worldorder import regional_leaders

            frame = self.power_frame()
            columns = [self.column_of(m) for m in measures]
            return regional_leaders(frame, columns, regions=scheme, year=year, db=self.store)

        return self.memo.get(("leaders", year, measures, scheme), compute)

    def regional_polarity(self, measure, scheme: str, rule: str) -> pd.DataFrame:
        """``regional_polarity()`` of a measure or a composite, region-years with states only."""

        def compute():
            from worldorder import regional_polarity

            frame, column = self.frame_for(measure, "all")
            table = regional_polarity(frame, column, regions=scheme, rule=rule, db=self.store)
            out = table[table["n"] > 0].reset_index(drop=True)
            out.attrs = dict(table.attrs)
            return out

        return self.memo_for(measure).get(("regional_polarity", measure, scheme, rule), compute)

    # -- data sets ---------------------------------------------------------------------------------
    def sources(self) -> pd.DataFrame:
        """The registry with what the store holds of each data set."""

        def compute():
            from worldorder import sources
            from worldorder import registry

            table = sources().drop(columns=["file", "source"], errors="ignore")
            table["citation"] = [registry()[n].citation.strip() for n in table["name"]]
            stored = self.store.provenance()
            stored = stored[["name", "version", "sha256", "origin", "rows", "ingested_at"]].rename(
                columns={"version": "stored_version", "sha256": "stored_sha256", "origin": "stored_from", "rows": "stored_rows"}
            )
            out = table.merge(stored, on="name", how="left")
            out.insert(1, "in_store", out["stored_rows"].notna())
            out["used_by_app"] = out["name"].isin(REQUIRED_DATASETS)
            return out

        return self.memo.get(("sources",), compute)
