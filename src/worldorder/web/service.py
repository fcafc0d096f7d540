"""What the web app asks of the model, computed once and kept in memory.

:class:`WebModel` wraps a read-only :class:`~worldorder.store.Store` and calls
only the public functions of the power, networks and sim layers; it adds no
index of its own.  Yearly tables (the power frame, polarity series, eras,
agreement, shares, layers) are computed on first use and memoized, keyed by
their parameters, with a lock per key so that fifty simultaneous first
requests compute a table once.  Simulations run one at a time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: Power measures offered in the app (keys of :data:`worldorder.power.MEASURES`).
WEB_MEASURES = (
    "cinc", "cinc_recomputed", "gdp", "gdp_wb", "milex", "milex_wb",
    "population", "population_wb", "population_maddison", "net_power", "net_power_wb",
    "milper", "irst", "pec", "upop",
)
#: Components a composite of the web app may weigh: measure keys that :func:`worldorder.power.composite`
#: accepts (each is already a column of the app's power frame; ``cinc_recomputed`` over all states is CINC).
COMPOSITE_COMPONENTS = tuple(m for m in WEB_MEASURES if m != "cinc_recomputed")
#: At most this many components with a positive weight in one composite.
MAX_COMPOSITE_COMPONENTS = 6
#: The composite the pages start from.
DEFAULT_WEIGHTS = "gdp:0.5,milex:0.3,population:0.2"
#: Measures whose label agreement the overview shows by default (as ``worldorder polarity --robust``).
AGREEMENT_MEASURES = ("cinc", "gdp", "milex", "population")
#: COW regions usable as a reference set (``region:NAME``).
COW_REGIONS = ("Americas", "Europe", "Africa", "Middle East", "Asia", "Oceania")
#: Region schemes of the regions page.
REGION_SCHEMES = ("cow", "cow6", "un", "un_subregion")
#: Layers whose blocs the networks page draws (disputes are negative ties only).
BLOC_LAYERS = ("alliance", "atop", "trade", "unga", "contiguity", "gas", "gas_bp")
#: Layers of the dependence explorer.
DEPENDENCE_LAYERS = ("gas", "gas_bp", "trade")

#: Data sets the pages read; ``worldorder serve`` ingests them before opening the store read-only.
REQUIRED_DATASETS = (
    "cow_system_2024", "cow_states_2024", "cow_majors_2024", "cow_nmc_7", "maddison_2020",
    "wb_gdp", "wb_population", "wb_milex_gdp_share", "countrycode_codelist",
    "cow_alliance_4_1", "ps_atop_alliance", "cow_trade_dyadic_4", "unga_ideal_points_2025",
    "cow_contiguity_3_2", "cow_mid_dyadic_4_02", "iea_gas_trade_flows_2022_04", "bp_gas_pipeline_trade_2020",
)

#: Bounds on the work one request may ask for.
MAX_PATHS = 20_000
MAX_HORIZON = 2100
MAX_SCENARIO_CHARS = 20_000
MAX_DRAWN_TIES = 1_500


class BadRequest(ValueError):
    """A request the data cannot answer (a year outside the coverage, an unknown state ...): HTTP 422."""


class Busy(RuntimeError):
    """Another simulation is running and did not finish in time: HTTP 503."""


class NotFound(LookupError):
    """An unknown result or data set: HTTP 404."""


@dataclass(frozen=True)
class Composite:
    """A user-weighted composite (:func:`worldorder.power.composite`) as a measure of the app.

    ``weights`` keeps the components in the order given, zero weights dropped
    (the library drops them too); it is hashable, so memo and response keys
    include it.  The library normalises the weights to sum to 1.
    """

    weights: tuple[tuple[str, float], ...]

    def __str__(self) -> str:
        return f"composite ({self.text})"

    @property
    def text(self) -> str:
        """``gdp:0.5,milex:0.3``: the weights as the ``weights`` query parameter writes them."""
        return ",".join(f"{k}:{w:g}" for k, w in self.weights)

    def normalised(self) -> tuple[tuple[str, float], ...]:
        total = sum(w for _, w in self.weights)
        return tuple((k, w / total) for k, w in self.weights)


_WEIGHT = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]{0,30})\s*:\s*([+-]?(?:\d{1,9}(?:\.\d{0,9})?|\.\d{1,9}))\s*")


def parse_weights(text: str) -> Composite:
    """Check ``weights=component:weight,...``: known components, non-negative numbers, one positive at least."""
    example = f"e.g. weights={DEFAULT_WEIGHTS}"
    parts = [p for p in text.split(",") if p.strip()]
    if not parts:
        raise BadRequest(f"weights: give component:weight pairs, {example}.")
    if len(parts) > MAX_COMPOSITE_COMPONENTS:
        raise BadRequest(f"weights: at most {MAX_COMPOSITE_COMPONENTS} components, not {len(parts)}.")
    seen: dict[str, float] = {}
    for part in parts:
        found = _WEIGHT.fullmatch(part)
        if not found:
            raise BadRequest(f"weights: {part.strip()[:40]!r} is not component:weight with a plain number, {example}.")
        key, value = found.group(1), float(found.group(2))
        if key not in COMPOSITE_COMPONENTS:
            raise BadRequest(f"weights: unknown component {key!r}; choose from {', '.join(COMPOSITE_COMPONENTS)}.")
        if key in seen:
            raise BadRequest(f"weights: component {key!r} is given twice.")
        if value < 0:
            raise BadRequest(f"weights: the weight of {key!r} is {value:g}; weights must be non-negative.")
        seen[key] = value
    positive = tuple((k, w) for k, w in seen.items() if w > 0)
    if not positive:
        raise BadRequest("weights: every weight is zero; give at least one positive weight.")
    return Composite(positive)


def measure_text(measure) -> str:
    """A measure key, or a composite with its weights, for messages."""
    return str(measure)


# -- memo ------------------------------------------------------------------------------------------
class Memo:
    """A bounded least-recently-used memo with one lock per key (compute once under concurrency)."""

    def __init__(self, size: int = 512):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], object]):
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:
                    return self._values[key]
            try:
                value = compute()
            except BaseException:
                with self._guard:
                    self._locks.pop(key, None)
                raise
            with self._guard:
                self._values[key] = value
                self._values.move_to_end(key)
                while len(self._values) > self.size:
                    old, _ = self._values.popitem(last=False)
                    self._locks.pop(old, None)
                self._locks.pop(key, None)
            return value

    def peek(self, key: Hashable):
        with self._guard:
            return self._values.get(key)

    def put(self, key: Hashable, value) -> None:
        with self._guard:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._guard:
            self._values.clear()


# -- JSON of tables ----------------------------------------------------------------------------------
def column_values(series: pd.Series) -> list:
    """A column as a JSON-ready list: numbers, text, None for missing; months as ``YYYY-MM``."""
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m")
        return [None if pd.isna(v) else v for v in text.tolist()]
    if pd.api.types.is_bool_dtype(series) and series.dtype != object:
        return [None if pd.isna(v) else bool(v) for v in series.tolist()]
    if pd.api.types.is_float_dtype(series):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.where(np.isfinite(values), values, None).tolist()
    if pd.api.types.is_integer_dtype(series):
        return series.astype(object).where(series.notna(), None).tolist()
    out = []
    for value in series.tolist():
        if value is None or (isinstance(value, float) and not np.isfinite(value)) or value is pd.NA or value is pd.NaT:
            out.append(None)
        elif isinstance(value, (np.integer,)):
            out.append(int(value))
        elif isinstance(value, (np.floating,)):
            out.append(float(value) if np.isfinite(value) else None)
        elif isinstance(value, (str, int, float, bool)):
            out.append(value)
        else:
            out.append(str(value))
    return out


def table_json(frame: pd.DataFrame | None, columns: Sequence[str] | None = None) -> dict | None:
    """A table as ``{"columns": [...], "data": {column: [values]}, "rows": n}`` (column-wise, for Plotly)."""
    if frame is None:
        return None
    names = [c for c in (columns or frame.columns) if c in frame.columns]
    return {"columns": names, "data": {str(c): column_values(frame[c]) for c in names}, "rows": int(len(frame))}


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without attrs (pandas would try to write them into Parquet metadata)."""
    out = frame.copy(deep=False)
    out.attrs = {}
    return out


def dumps(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), allow_nan=False, default=_default).encode()


def _default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


# -- the model ----------------------------------------------------------------------------------------
@dataclass
class Result:
    """Tables of a projection or scenario run, kept for downloads."""

    kind: str
    tables: dict[str, pd.DataFrame]
    payload: dict = field(default_factory=dict)


class WebModel:
    """Cached access to the model for the web app.

    Parameters
    ----------
    store
        A read-only :class:`~worldorder.store.Store`.
    """

    def __init__(self, store):
        self.store = store
        self.memo = Memo(512)
        self.years = Memo(4096)  # one entry per (measure, reference set, year) of the map
        self.results = Memo(32)
        self.composites = Memo(64)  # user-weighted composites and the tables computed from them (bounded apart)
        self._sim_gate = threading.BoundedSemaphore(1)
        self._network_lock = threading.Lock()  # igraph's layout seeds a global random generator

    # -- states and measures ---------------------------------------------------------------------
    def power_frame(self) -> pd.DataFrame:
        """State-years 1816- with every web measure (``create_power_years``)."""

        def compute():
            from worldorder import create_power_years

            return create_power_years(list(WEB_MEASURES), db=self.store)

        return self.memo.get(("power_frame",), compute)

    def state_names(self) -> dict[int, str]:
        """COW code -> the state's name (its last name in the COW state list)."""

        def compute():
            table = self.store.table("cow_states_2024", columns=["ccode", "statenme", "endyear"])
            table = table.sort_values(["ccode", "endyear"]).drop_duplicates("ccode", keep="last")
            return dict(zip(table["ccode"].astype(int), table["statenme"].astype(str)))

        return self.memo.get(("state_names",), compute)

    def column_of(self, measure) -> str:
        from worldorder.power import MEASURES

        if isinstance(measure, Composite):
            return "composite"
        return MEASURES[measure].column

    def memo_for(self, measure) -> Memo:
        """Where tables of ``measure`` are kept: composites in a memo of their own, so they cannot crowd out the rest."""
        return self.composites if isinstance(measure, Composite) else self.memo

    def composite_frame(self, measure: Composite) -> pd.DataFrame:
        """``composite(power_frame, weights)`` (shares over all states), keeping only the columns polarity needs."""

        def compute():
            from worldorder.power import composite

            frame = composite(self.power_frame(), dict(measure.weights))
            out = frame[["ccode", "stateabb", "year", "major", "composite"]].copy()
            out.attrs = {"measures": {"composite": frame.attrs["measures"]["composite"]}, "measure": "composite"}
            return out

        return self.composites.get(("composite_frame", measure), compute)

    def measure_info(self, measure) -> dict:
        """Label, unit, sources and notes of a measure (from the power frame's attrs)."""
        frame = self.composite_frame(measure) if isinstance(measure, Composite) else self.power_frame()
        column = self.column_of(measure)
        info = dict(frame.attrs.get("measures", {}).get(column, {}))
        info.setdefault("key", measure if isinstance(measure, str) else "composite")
        info.setdefault("label", str(measure))
        info.setdefault("unit", "")
        info["sources"] = list(info.get("sources", ()))
        if isinstance(measure, Composite):
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
            from worldorder.power import cinc

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
            from worldorder.power import polarity

            frame, column = self.frame_for(measure, among)
            table = polarity(frame, column, among=among, rule=rule)
            out = table[table["n"] > 0].reset_index(drop=True)
            out.attrs = dict(table.attrs)
            return out

        return self.memo_for(measure).get(("polarity", measure, among, rule), compute)

    def eras(self, measure: str, among: str, rule: str) -> pd.DataFrame:
        """Eras of CON (``eras()``: change points by PELT)."""

        def compute():
            from worldorder.power import PowerError, eras

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
            from worldorder.power import cinc, polarity_robustness

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
            from worldorder.power import shares

            frame, column = self.frame_for(measure, among)
            table = shares(frame, column, among=among)
            keep = table[column].notna() & table["share"].notna()
            out = table.loc[keep, ["ccode", "stateabb", "year", column, "share"]].rename(columns={column: "value"})
            return out.sort_values(["year", "share"], ascending=[True, False], kind="stable").reset_index(drop=True)

        return self.memo_for(measure).get(("shares", measure, among), compute)

    def crosswalk(self) -> dict[int, str]:
        """COW code -> ISO3 of the state's own shape (``iso3_crosswalk``, World Bank convention)."""

        def compute():
            from worldorder.countries import iso3_crosswalk

            from worldorder.web.geo import EXTRA_ISO3

            table = iso3_crosswalk("worldbank", db=self.store.path)
            return {**{int(c): str(i) for c, i in zip(table["ccode"], table["iso3"])}, **EXTRA_ISO3}

        return self.memo.get(("crosswalk",), compute)

    def map_year(self, measure: str, among: str, year: int) -> dict:
        """States with their shares in ``year`` and the shapes that draw them."""
        self.check_year(measure, year)

        def compute():
            from worldorder.web import geo

            table = self.shares(measure, among)
            part = table[table["year"] == year].reset_index(drop=True)
            if part.empty:
                raise BadRequest(f"No state has a value of {measure_text(measure)} in {year}.")
            names = self.state_names()
            part.insert(2, "name", [names.get(int(c), str(c)) for c in part["ccode"]])
            part.insert(0, "rank", np.arange(1, len(part) + 1))
            shape_state, notes = geo.shapes_of_year(self.crosswalk(), part["ccode"], year)
            shapes = pd.DataFrame({"iso3": list(shape_state), "ccode": list(shape_state.values())})
            shapes["stand_in"] = [self.crosswalk().get(c) != iso3 for iso3, c in zip(shapes["iso3"], shapes["ccode"])]
            drawn = set(shapes["ccode"])
            part["shapes"] = [" ".join(sorted(shapes.loc[shapes["ccode"] == c, "iso3"])) for c in part["ccode"]]
            missing = [
                {"ccode": int(c), "name": names.get(int(c), str(c)), "note": geo.NO_SHAPE.get(int(c), geo.TOO_SMALL)}
                for c in part["ccode"] if int(c) not in drawn
            ]
            return {"states": part, "shapes": shapes, "notes": notes, "missing": missing}

        return self.years.get(("map", measure, among, year), compute)

    # -- regions ---------------------------------------------------------------------------------
    def regional_leaders(self, year: int | None, measures: tuple[str, ...], scheme: str) -> pd.DataFrame:
        def compute():
            from worldorder.power import regional_leaders

            frame = self.power_frame()
            columns = [self.column_of(m) for m in measures]
            return regional_leaders(frame, columns, regions=scheme, year=year, db=self.store)

        return self.memo.get(("leaders", year, measures, scheme), compute)

    def regional_polarity(self, measure, scheme: str, rule: str) -> pd.DataFrame:
        """``regional_polarity()`` of a measure or a composite, region-years with states only."""

        def compute():
            from worldorder.power import regional_polarity

            frame, column = self.frame_for(measure, "all")
            table = regional_polarity(frame, column, regions=scheme, rule=rule, db=self.store)
            out = table[table["n"] > 0].reset_index(drop=True)
            out.attrs = dict(table.attrs)
            return out

        return self.memo_for(measure).get(("regional_polarity", measure, scheme, rule), compute)

    # -- networks --------------------------------------------------------------------------------
    def layer(self, name: str):
        def compute():
            from worldorder import load_layer

            return load_layer(name, db=self.store)

        return self.memo.get(("layer", name), compute)

    def layer_years(self, name: str) -> list[int]:
        return [int(y) for y in self.layer(name).years]

    def network(self, name: str, year: int, resolution: float, runs: int, seed: int) -> dict:
        """Blocs of a layer in a year, positions for a drawing, and each bloc's share of CINC."""
        layer = self.layer(name)
        if year not in layer:
            years = layer.years
            raise BadRequest(f"The {name} layer has no data for {year}; it covers {years[0]}-{years[-1]}.")

        def compute():
            from worldorder import bloc_polarity, bloc_power, blocs, consensus_blocs, strength
            from worldorder.networks.draw import backbone, layout

            graph = layer[year]
            with self._network_lock:
                stability = agreement = None
                if runs > 1:
                    found = consensus_blocs(graph, runs=runs, resolution=resolution, seed=seed)
                    table, stability, agreement = found.blocs, found.stability, found.agreement
                else:
                    table = blocs(graph, resolution=resolution, seed=seed)
                coords = layout(graph, seed=seed)
            codes = np.asarray(graph.vs["ccode"], dtype=np.int64)
            nodes = pd.DataFrame({"ccode": codes, "stateabb": graph.vs["stateabb"], "x": coords[:, 0], "y": coords[:, 1]})
            nodes = nodes.merge(table.drop(columns=[c for c in ("year", "stateabb") if c in table.columns]), on="ccode", how="left")
            power = strength(graph)
            nodes = nodes.merge(power[["ccode", "strength"]], on="ccode", how="left")
            names = self.state_names()
            nodes.insert(2, "name", [names.get(int(c), str(c)) for c in nodes["ccode"]])
            edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
            weights = np.asarray(graph.es["weight"], dtype=np.float64) if graph.ecount() else np.zeros(0)
            keep = np.arange(len(edges))
            if len(edges) > 4 * graph.vcount():
                keep = backbone(graph)
            if len(keep) > MAX_DRAWN_TIES:
                keep = keep[np.argsort(np.abs(weights[keep]))[-MAX_DRAWN_TIES:]]
            ties = pd.DataFrame({
                "ccode1": codes[edges[keep, 0]] if len(keep) else [],
                "ccode2": codes[edges[keep, 1]] if len(keep) else [],
                "weight": weights[keep] if len(keep) else [],
            })
            with_year = table.assign(year=year) if "year" not in table.columns else table
            cinc = self.power_frame()[["ccode", "year", "cinc"]]
            cinc = cinc[(cinc["year"] == year) & cinc["cinc"].notna()]
            bloc_table = bloc_power(with_year, cinc, value="cinc") if not cinc.empty else (
                with_year.groupby("bloc", as_index=False).agg(size=("ccode", "size"), members=("stateabb", " ".join))
            )
            summary = bloc_polarity(with_year, cinc if not cinc.empty else None, value="cinc" if not cinc.empty else None)
            info = {
                "layer": name, "year": year, "states": int(graph.vcount()), "ties": int(graph.ecount()),
                "ties_drawn": int(len(ties)), "directed": bool(layer.directed), "unit": layer.unit, "source": layer.source,
                "runs": runs, "resolution": resolution, "seed": seed,
                "stability": stability, "agreement": agreement,
            }
            return {"nodes": nodes, "ties": ties, "blocs": bloc_table, "summary": summary, "info": info}

        return self.memo.get(("network", name, year, resolution, runs, seed), compute)

    # -- dependence ------------------------------------------------------------------------------
    def state(self, query: str):
        """The state named by ``query`` (name, ISO3, COW code or abbreviation)."""
        from worldorder import UnknownCountryError, country

        try:
            return country(query.strip(), db=self.store.path)
        except UnknownCountryError as error:
            raise BadRequest(str(error)) from None

    def gas_flows(self, source: str) -> pd.DataFrame:
        def compute():
            from worldorder import load_gas_flows

            return load_gas_flows(db=self.store, source=source)

        return self.memo.get(("gas_flows", source), compute)

    def trade(self) -> pd.DataFrame:
        return self.memo.get(("trade",), lambda: self.store.table("cow_trade_dyadic_4"))

    def dependence(self, query: str, layer: str, by: str, partners: tuple[str, ...]) -> tuple[pd.DataFrame, dict]:
        """Who ``query`` depends on: gas suppliers' shares, or trade with the poles ``partners``."""
        state = self.state(query)

        def compute():
            from worldorder import gas_dependence, trade_dependence

            if layer in ("gas", "gas_bp"):
                period = "year" if layer == "gas_bp" else by
                table = gas_dependence(self.gas_flows("iea" if layer == "gas" else "bp"), country=state.ccode, by=period)
                if table.empty:
                    raise BadRequest(
                        f"No pipeline gas imports of {state.name} ({state.stateabb}) in the "
                        f"{'IEA data (2008-2022)' if layer == 'gas' else 'bp 2020 table'}."
                    )
                partial = "IEA flows run from October 2008 to April 2022: 2008 and 2022 are part-years" if layer == "gas" and period == "year" else ""
                meta = {"label": "supplier", "period": period, "value": "share of pipeline gas imports", "note": partial,
                        "sources": ["iea_gas_trade_flows_2022_04" if layer == "gas" else "bp_gas_pipeline_trade_2020"]}
                return table, meta
            poles = {}
            for name in partners:
                pole = self.state(name)
                if pole.ccode == state.ccode:
                    raise BadRequest(f"{state.name} cannot be one of its own partners.")
                poles[pole.stateabb] = pole.ccode
            trade = self.trade()
            mine = trade[(trade["ccode1"] == state.ccode) | (trade["ccode2"] == state.ccode)]
            table = trade_dependence(mine, poles)
            table = table[table["ccode"] == state.ccode].reset_index(drop=True)
            if table.empty:
                raise BadRequest(f"No trade of {state.name} ({state.stateabb}) in COW dyadic trade (1870-2014).")
            meta = {"label": "group", "period": "year", "value": "share of total trade (imports + exports)", "note": "",
                    "sources": ["cow_trade_dyadic_4"]}
            return table, meta

        table, meta = self.memo.get(("dependence", state.ccode, layer, by, partners), compute)
        return table, {**meta, "ccode": int(state.ccode), "stateabb": state.stateabb, "name": state.name}

    # -- simulation --------------------------------------------------------------------------------
    def _gate(self):
        gate = self._sim_gate

        class _Gate:
            def __enter__(self):
                if not gate.acquire(timeout=60):
                    raise Busy("Another simulation is running; try again in a minute.")

            def __exit__(self, *exc):
                gate.release()
                return False

        return _Gate()

    @staticmethod
    def result_id(kind: str, request: dict) -> str:
        text = json.dumps({"kind": kind, **request}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def projection(self, request: dict) -> Result:
        """Monte Carlo projection (``worldorder.sim.project``) of one measure."""
        key = self.result_id("projection", request)

        def compute():
            from worldorder import SimulationError, project

            measure = request["measure"]
            column = self.column_of(measure)
            frame = self.power_frame()
            table = frame.loc[frame[column].notna(), ["ccode", "year", column]]
            leader = self.state(request["leader"]).ccode if request.get("leader") else None
            challenger = self.state(request["challenger"]).ccode if request.get("challenger") else None
            try:
                with self._gate():
                    result = project(
                        table, horizon=request["horizon"], paths=request["paths"], seed=request["seed"], rule=request["rule"],
                        leader=leader, challenger=challenger, correlation=request["correlation"], progress=False,
                        workers=min(2, os.cpu_count() or 1),
                    )
            except SimulationError as error:
                raise BadRequest(str(error)) from None
            names = self.state_names()
            tables = {name: plain(t) for name, t in result.tables().items()}
            abb = dict(zip(frame["ccode"], frame["stateabb"]))
            if "states" in tables:
                tables["states"].insert(1, "stateabb", tables["states"]["ccode"].map(abb))
            transition = tables["transition"]
            tables["transition"] = transition.assign(
                leader_abb=transition["leader"].map(abb), challenger_abb=transition["challenger"].map(abb)
            )
            settings = {k: (list(v) if isinstance(v, tuple) else v) for k, v in result.settings.items()}
            base_year = int(settings["base_year"])
            top = []
            if "states" in tables:
                first = tables["states"][tables["states"]["year"] == base_year].sort_values("mean", ascending=False)
                top = [int(c) for c in first["ccode"].head(6)]
            payload = {
                "settings": settings, "top_states": top,
                "top_names": {str(c): names.get(c, str(c)) for c in top},
                "abb": {str(c): abb.get(c, str(c)) for c in top},
                "info": self.measure_info(measure),
            }
            return Result("projection", tables, payload)

        result = self.results.get(key, compute)
        return key, result

    def scenario(self, text: str, fmt: str, paths: int) -> tuple[str, Result]:
        """Validate and run a scenario given as TOML or YAML text (``run_scenario``)."""
        key = self.result_id("scenario", {"text": text, "format": fmt, "paths": paths})

        def compute():
            from worldorder import ScenarioError, SimulationError, load_scenario, run_scenario

            if fmt == "yaml":
                _check_yaml(text)
            with tempfile.TemporaryDirectory(prefix="worldorder-web-") as folder:
                path = Path(folder) / f"scenario.{fmt}"  # a name of ours: nothing of the request becomes a path
                path.write_text(text, encoding="utf-8")
                try:
                    scenario = load_scenario(path, db=self.store.path)
                except ScenarioError as error:
                    raise ScenarioProblems(
                        [{"line": p.line, "path": p.path, "message": p.message} for p in error.problems]
                    ) from None
                except RecursionError:
                    raise BadRequest("The scenario is nested too deeply to be a scenario file.") from None
            horizons = [h for h in (scenario.horizon, (scenario.projection or {}).get("horizon")) if h is not None]
            if any(h > MAX_HORIZON for h in horizons):
                raise BadRequest(f"The web app projects to {MAX_HORIZON} at most; lower the horizon.")
            try:
                with self._gate():
                    result = run_scenario(scenario, db=self.store.path, paths=paths, progress=False)
            except SimulationError as error:
                raise BadRequest(str(error)) from None
            tables = {name: plain(t) for name, t in result.tables().items()}
            frame = self.power_frame()
            abb = dict(zip(frame["ccode"], frame["stateabb"]))
            for name, table in tables.items():
                if "ccode" in table.columns and "stateabb" not in table.columns:
                    table.insert(1, "stateabb", table["ccode"].map(abb))
            polarity = tables.get("polarity")
            if polarity is not None:
                for column in ("baseline", "scenario"):
                    polarity[column] = polarity[column].astype(str)
            payload = {
                "name": scenario.name, "description": scenario.description, "base_year": scenario.base_year,
                "measure": scenario.measure, "rule": scenario.rule, "shocks": [type(s).__name__ for s in scenario.shocks],
                "notes": list(result.notes), "sources": list(result.sources), "paths": paths,
            }
            return Result("scenario", tables, payload)

        return key, self.results.get(key, compute)

    # -- data sets ---------------------------------------------------------------------------------
    def sources(self) -> pd.DataFrame:
        """The registry with what the store holds of each data set."""

        def compute():
            from worldorder import sources
            from worldorder.data.registry import registry

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


class ScenarioProblems(BadRequest):
    """A scenario that does not validate; ``problems`` lists each with its line."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        lines = "; ".join(f"line {p['line']}: {p['path'] + ': ' if p['path'] else ''}{p['message']}" if p["line"] else p["message"] for p in problems)
        super().__init__(f"The scenario has {len(problems)} problem{'s' if len(problems) != 1 else ''}: {lines}")


def _check_yaml(text: str) -> None:
    """Refuse YAML anchors and aliases: a small text could make the validator walk a huge tree."""
    import yaml

    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                line = token.start_mark.line + 1
                raise ScenarioProblems([{"line": line, "path": "", "message": "YAML anchors and aliases (& and *) are not accepted here; write the values out."}])
    except yaml.YAMLError:
        return  # the scenario reader reports the syntax error with its line


def parse_among(text: str) -> str:
    """Check a reference set: ``all``, ``majors``, ``top:K`` (2-50) or ``region:NAME`` (a COW region)."""
    text = text.strip()
    if text in ("all", "majors"):
        return text
    found = re.fullmatch(r"top:(\d{1,2})", text)
    if found and 2 <= int(found.group(1)) <= 50:
        return f"top:{int(found.group(1))}"
    if text.startswith("region:") and text[7:] in COW_REGIONS:
        return text
    raise BadRequest(
        f"among={text!r} is not a reference set: use all, majors, top:K (K from 2 to 50) or region:NAME "
        f"with NAME one of {', '.join(COW_REGIONS)}."
    )


def parse_rule(text: str) -> str:
    """Check a pole rule: ``leader:R``, ``threshold:T`` (0 < R, T <= 1) or ``wayman``."""
    from worldorder.power import PowerError, pole_rule

    text = text.strip()
    if not re.fullmatch(r"(leader|threshold):(0?\.\d{1,4}|1(\.0{1,4})?)|wayman", text):
        raise BadRequest(f"rule={text!r} is not a pole rule: use leader:R, threshold:T (0 < R, T <= 1) or wayman.")
    try:
        return pole_rule(text).name
    except PowerError as error:
        raise BadRequest(str(error)) from None
