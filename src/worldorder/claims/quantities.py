"""The series a claim is tested on, from the public functions of the power and networks layers.

:class:`Data` loads each table once (the power measures, world trade openness
and network density, gas flows) and is shared by every claim of a ledger -- and
by the report, which shows the same tables.  :func:`case_series` returns one
case's series: a polarity index (:func:`worldorder.power.polarity`), states'
values and shares in a reference set (:func:`worldorder.power.shares`), a
globalization series (:func:`worldorder.networks.load_openness`) or a gas
dependence share (:func:`worldorder.networks.gas_dependence`).  Nothing here
computes an index of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.claims.model import GAS_MEASURES, GAS_TRADE_MEASURES, GLOBALIZATION_MEASURES, ClaimsError, Ledger, Test
from worldorder.located import Problem

#: Data sets behind each non-power quantity (registry names).
GLOBALIZATION_SOURCES = {
    "openness": ("cow_trade_national_4", "wb_gdp"),
    "density": ("cow_trade_dyadic_4",),
    "openness_wb": ("wb_trade_share",),
}
GAS_SOURCES = {"bp": ("bp_gas_pipeline_trade_2020",), "iea": ("iea_gas_trade_flows_2022_09",), "iea_2022_04": ("iea_gas_trade_flows_2022_04",),
               "ei": ("ei_gas_interregional_trade_2023",)}
DIFFUSION_SOURCES = {
    "democracy": ("isard_democracy",), "alliance": ("ps_atop_alliance",), "contiguity": ("cow_contiguity_3_2",),
    "trade": ("cow_trade_dyadic_4",), "unga": ("unga_ideal_points_2025",), "distance": ("ps_cow_mindist",),
    "region": ("cow_system_2024",), "world": ("cow_system_2024",),
}

#: Notes on coverage that the evidence of a case states.
COVERAGE_NOTES = {
    "openness": "COW trade data end in 2014 and current-dollar GDP (World Bank) starts in 1960, so openness covers 1960-2014; "
    "openness_wb (the World Bank's own series) runs to 2023",
    "openness_wb": "the World Bank's trade openness (WDI NE.TRD.GNFS.ZS, via Our World in Data) covers 1960-2023 (the world from 1970); "
    "a 0 in the file means missing",
    "density": "COW dyadic trade ends in 2014; later years have no value",
    "bp": "bp's pipeline table covers 2020 only and attributes gas to its country of origin",
    "iea": "IEA flows are physical border crossings from 2008-10 to 2022-09 (2008 and 2022 are part-years; the reporting gap of "
    "April-September 2009 is left out, not read as zero; aggregate rows such as Eynatten (Sum) are counted once): "
    "Russian gas entering Germany through Poland or Czechia counts as coming from those states; only Nord Stream is a direct Russia-Germany route",
    "ei": "the Energy Institute's inter-regional trade runs 2000-2023; pipeline trade excludes trade within a region, "
    "and partner rows are a partial breakdown",
    "iea_2022_04": "the April 2022 IEA file: physical border crossings from 2008-10 to 2022-04 (2022 is January-April), "
    "gaps and aggregate rows handled as for iea",
}


@dataclass(frozen=True)
class Case:
    """One combination of a test: a measure, a reference set and a pole rule."""

    measure: str
    among: str = "all"
    rule: str | None = None

    def label(self, test: Test) -> str:
        parts = [self.measure]
        if len(test.among) > 1 or self.among != "all":
            parts.append(self.among.replace("region:", ""))
        if self.rule:
            parts.append(self.rule)
        return " | ".join(parts)


def cases(test: Test) -> list[Case]:
    """Every case of a test: measures x reference sets x rules."""
    return [Case(m, a, r) for m in test.measures for a in test.among for r in test.rules]


class Data:
    """The tables claims are tested on, loaded once and shared.

    Parameters
    ----------
    db
        Store path or :class:`~worldorder.store.Store`; default the usual store.
    power
        A state-year power table already built (from
        :func:`worldorder.power.create_power_years`), or a
        :class:`worldorder.power.PowerTable` to share; more measures are added
        to it when a claim needs them.
    """

    def __init__(self, db=None, power=None):
        from worldorder.power.table import PowerTable

        self.db = db
        self.power_table = power if isinstance(power, PowerTable) else PowerTable(db=db, table=power)
        self._openness: pd.DataFrame | None = None
        self._state_openness: pd.DataFrame | None = None
        self._gas: dict[str, pd.DataFrame] = {}
        self._countries: dict = {}

    # -- power ---------------------------------------------------------------------------------
    def power(self, keys=()) -> pd.DataFrame:
        """State-years with the power measures ``keys`` (:meth:`worldorder.power.PowerTable.table`)."""
        return self.power_table.table(keys)

    def column(self, key: str) -> str:
        return self.power_table.column(key)

    def measure_info(self, key: str) -> dict:
        """Label, unit and sources of a measure (:meth:`worldorder.power.PowerTable.info`)."""
        return self.power_table.info(key)

    # -- networks ---------------------------------------------------------------------------------
    def openness(self) -> pd.DataFrame:
        """World trade openness and trade-network density per year (:func:`worldorder.networks.load_openness`)."""
        if self._openness is None:
            from worldorder.networks import load_openness

            self._openness = load_openness(db=self.db)
        return self._openness

    def gas(self, source: str) -> pd.DataFrame:
        """Gas flows with COW codes (:func:`worldorder.networks.load_gas_flows`)."""
        if source not in self._gas:
            from worldorder.networks import load_gas_flows

            self._gas[source] = load_gas_flows(db=self.db, source=source)
        return self._gas[source]

    # -- states -------------------------------------------------------------------------------------
    def country(self, query):
        """The state named ``query`` (abbreviation, name, ISO3 or COW code)."""
        key = str(query)
        if key not in self._countries:
            from worldorder.countries import country

            value = int(key) if key.isdigit() else key
            self._countries[key] = country(value, db=_db_path(self.db))
        return self._countries[key]


def _db_path(db):
    if db is None:
        return None
    return getattr(db, "path", db)


# -- resolving the ledger's states -------------------------------------------------------------------
@dataclass
class Resolved:
    """COW codes for the ledger's regions and for the states each claim names."""

    regions: dict[str, list[int]]
    states: dict[tuple, int]


#: The name :class:`Data` is exported under from ``worldorder`` (the tables claims and the report share).
ClaimsData = Data


def resolve(ledger: Ledger, data: Data) -> Resolved:
    """Resolve every state the ledger names; unknown names raise :class:`ClaimsError` with their lines."""
    from worldorder.countries import UnknownCountryError

    problems: list[Problem] = []

    def code(query, path) -> int | None:
        try:
            return int(data.country(query).ccode)
        except UnknownCountryError as error:
            problems.append(Problem(ledger.file, ledger.line(path), _path(path), str(error)))
            return None

    regions = {}
    for name, states in ledger.regions.items():
        codes = [code(s, ("regions", name, j)) for j, s in enumerate(states)]
        regions[name] = [c for c in codes if c is not None]
    states: dict[tuple, int] = {}
    for i, claim in enumerate(ledger.claims):
        test = claim.test
        base = ("claims", i, "test")
        for key in ("importer", "supplier", "state"):
            value = getattr(test, key)
            if value is not None:
                states[(claim.id, key)] = code(value, base + (key,))
        options = test.predicate.options
        if test.predicate.type == "rank":
            for j, state in enumerate(options["states"]):
                states[(claim.id, "states", j)] = code(state, base + ("predicate", "states", j))
        if test.predicate.type == "exceeds-next":
            states[(claim.id, "predicate.state")] = code(options["state"], base + ("predicate", "state"))
    if problems:
        raise ClaimsError(problems)
    return Resolved(regions, {k: v for k, v in states.items() if v is not None})


def _path(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def ledger_regions(ledger: Ledger, data: Data) -> dict[str, list[int]]:
    """The ledger's own regions, as lists of COW codes (states resolved with ``data``)."""
    return resolve(ledger, data).regions


def among_spec(among: str, resolved: Resolved, frame: pd.DataFrame, db=None) -> tuple[pd.DataFrame, object]:
    """The table and reference set as the power layer takes them (a ledger's region as its list of codes)."""
    if among.startswith("region:") and among[7:] in resolved.regions:
        return frame, resolved.regions[among[7:]]
    from worldorder.power import resolve_reference

    return resolve_reference(frame, among, db=db)


def among_text(among: str, resolved: Resolved) -> str:
    """The reference set in words (a ledger's own region with its number of states)."""
    from worldorder.power import describe_among

    name = among[7:]
    if among.startswith("region:") and name in resolved.regions:
        return f"the region {name} as the ledger defines it ({len(resolved.regions[name])} states)"
    return describe_among(among)


# -- series ---------------------------------------------------------------------------------------------
@dataclass
class Series:
    """A case's series and where it comes from."""

    table: pd.DataFrame  # year, value (ranking: year, ccode, stateabb, value, share)
    label: str  # the measure in words
    unit: str
    sources: tuple[str, ...]
    note: str = ""
    note_until: int | None = None  # the note concerns only years up to this one

    def note_for(self, first: int | None) -> str:
        """The note, if it concerns years the case used (from ``first``)."""
        if not self.note or (self.note_until is not None and (first is None or first > self.note_until)):
            return ""
        return self.note


def _power_note(info: dict) -> tuple[str, int | None]:
    """A measure's note and, when it begins with a span of years (\"1816-1913 converted ...\"), its last year."""
    import re

    note = info.get("notes", "") or ""
    match = re.match(r"\s*(\d{4})-(\d{4})\b", note)
    return note, (int(match.group(2)) if match else None)


def case_series(test: Test, case: Case, data: Data, resolved: Resolved, claim_id: str, ledger: Ledger | None = None) -> Series:
    """The series of one case of ``test``."""
    if test.quantity == "polarity":
        return _polarity_series(test, case, data, resolved)
    if test.quantity == "ranking":
        return _ranking_series(test, case, data, resolved, claim_id)
    if test.quantity == "diffusion":
        return _diffusion_series(test, case, data)
    if test.quantity == "globalization" and case.among != "all":
        return _state_openness_series(case, data)
    if test.quantity == "globalization":
        table = data.openness()
        series = table[["year", case.measure]].rename(columns={case.measure: "value"})
        series = series[series["value"].notna()].reset_index(drop=True)
        return Series(series, GLOBALIZATION_MEASURES[case.measure], "share" if case.measure == "openness" else "share of pairs",
                      GLOBALIZATION_SOURCES[case.measure], COVERAGE_NOTES[case.measure])
    if test.quantity == "gas_trade":
        return _gas_trade_series(test, data)
    return _gas_series(test, case, data, resolved, claim_id, ledger)


def _gas_trade_series(test: Test, data: Data) -> Series:
    """A region's gas flow by year from the Energy Institute's inter-regional table (bcm)."""
    from worldorder.store import load

    table = load(GAS_SOURCES["ei"][0], db=data.db)
    rows = table[(table["region"] == test.region) & (table["flow"] == test.flow) & (table["partner"].fillna("") == test.partner)]
    if rows.empty:
        known = sorted(set(table["region"]))
        raise ClaimsError([Problem("", None, "test.region", f"no row {test.region!r} / {test.flow!r} / {test.partner!r} in the Energy "
                                   f"Institute's table; regions: {', '.join(known)}")])
    series = pd.DataFrame({"year": rows["year"].to_numpy(np.int64), "value": rows["bcm"].to_numpy(np.float64)})
    what = f"{test.region}: {test.flow.lower()}" + (f" to {test.partner}" if test.partner else "")
    return Series(series.dropna().reset_index(drop=True), f"{what} ({GAS_TRADE_MEASURES['ei']})", "bcm", GAS_SOURCES["ei"],
                  COVERAGE_NOTES["ei"])


def _state_openness_series(case: Case, data: Data) -> Series:
    """One state's trade openness (World Bank, a share of GDP), for a globalization case ``among: USA``."""
    from worldorder import add_trade_openness, country, create_state_years

    if data._state_openness is None:
        data._state_openness = add_trade_openness(create_state_years(db=data.db), db=data.db)
    code = country(case.among).ccode
    table = data._state_openness
    rows = table[(table["ccode"] == code) & table["wb_trade_gdp_pct"].notna()]
    series = pd.DataFrame({"year": rows["year"].to_numpy(), "value": rows["wb_trade_gdp_pct"].to_numpy(np.float64) / 100})
    return Series(series.reset_index(drop=True), f"trade openness of {case.among}, World Bank (WDI NE.TRD.GNFS.ZS)", "share",
                  GLOBALIZATION_SOURCES["openness_wb"], COVERAGE_NOTES["openness_wb"])


def _polarity_series(test: Test, case: Case, data: Data, resolved: Resolved) -> Series:
    from worldorder.power import polarity
    from worldorder.power.polarity import DEFAULT_RULE

    frame = data.power(test.measures)
    column = data.column(case.measure)
    frame, among = among_spec(case.among, resolved, frame, data.db)
    table = polarity(frame, column, among=among, rule=case.rule or DEFAULT_RULE)
    table = table[table["n"] > 0]
    series = pd.DataFrame({"year": table["year"].to_numpy(), "value": table[test.index].to_numpy(dtype=object if test.index in ("polarity", "poles", "leader") else np.float64)})
    if test.index in ("polarity", "poles", "leader"):
        series = series[series["value"].notna()]
        series["value"] = series["value"].astype(str)
    else:
        series["value"] = series["value"].astype(np.float64)
    info = data.measure_info(case.measure)
    sources = tuple(info.get("sources", ())) + (("cow_majors_2024",) if case.among == "majors" else ())
    return Series(series.reset_index(drop=True), info["label"], info.get("unit", ""), sources, *_power_note(info))


def _ranking_series(test: Test, case: Case, data: Data, resolved: Resolved, claim_id: str) -> Series:
    from worldorder.power import shares

    frame = data.power(test.measures)
    column = data.column(case.measure)
    frame, among = among_spec(case.among, resolved, frame, data.db)
    table = shares(frame, column, among=among, name="_share")
    part = table[table["_share"].notna()]
    long = pd.DataFrame(
        {
            "year": part["year"].to_numpy(),
            "ccode": part["ccode"].to_numpy(np.int64),
            "stateabb": part["stateabb"].astype(str).to_numpy(),
            "value": part[column].to_numpy(np.float64),
            "share": part["_share"].to_numpy(np.float64),
        }
    )
    info = data.measure_info(case.measure)
    sources = tuple(info.get("sources", ())) + (("cow_majors_2024",) if case.among == "majors" else ())
    if test.state is not None:  # a state's share as the series
        code = resolved.states[(claim_id, "state")]
        mine = long[long["ccode"] == code]
        long = pd.DataFrame({"year": mine["year"].to_numpy(), "value": mine["share"].to_numpy()})
        return Series(long.reset_index(drop=True), f"share of {info['label']}", "share", sources, *_power_note(info))
    return Series(long.reset_index(drop=True), info["label"], info.get("unit", ""), sources, *_power_note(info))


def _gas_series(test: Test, case: Case, data: Data, resolved: Resolved, claim_id: str, ledger: Ledger | None) -> Series:
    from worldorder.networks import gas_dependence

    flows = data.gas(case.measure)
    importer = resolved.states[(claim_id, "importer")]
    by_point = test.borderpoint is not None
    if by_point:
        points = sorted(flows["borderpoint"].astype(str).unique())
        if test.borderpoint not in points:
            import difflib

            close = difflib.get_close_matches(test.borderpoint, points, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            line = None
            if ledger is not None:
                index = next(i for i, c in enumerate(ledger.claims) if c.id == claim_id)
                line = ledger.line(("claims", index, "test", "borderpoint"))
            raise ClaimsError([Problem(ledger.file if ledger else "", line, f"{claim_id}.test.borderpoint",
                                       f"no border point {test.borderpoint!r} in the IEA table.{hint}")])
    if test.month is None:
        table = gas_dependence(flows, country=importer, by="year", by_borderpoint=by_point)
    else:  # one calendar month of each year (a reporting gap leaves that month's share missing)
        table = gas_dependence(flows, country=importer, by="month", by_borderpoint=by_point)
        table = table[table["month"].dt.month == test.month].assign(year=lambda t: t["month"].dt.year)
    if by_point:
        rows = table[table["borderpoint"] == test.borderpoint]
        what = f"{test.borderpoint}'s share of the pipeline gas entering {data.country(importer).stateabb}"
    else:
        supplier = resolved.states[(claim_id, "supplier")]
        rows = table[table["supplier_ccode"] == supplier]
        what = f"{data.country(supplier).stateabb}'s share of {data.country(importer).stateabb}'s pipeline gas imports"
        # years in which the importer reports pipeline imports but none from the supplier: a real zero
        periods = table.groupby("year", as_index=False)["total"].first()
        rows = periods.merge(rows[["year", "flow", "share"]], on="year", how="left")
        rows["flow"] = rows["flow"].fillna(0.0)
        rows["share"] = rows["share"].where(rows["share"].notna(), np.where(rows["total"] > 0, 0.0, np.nan))
    series = pd.DataFrame({"year": rows["year"].to_numpy(np.int64), "value": rows["share"].to_numpy(np.float64),
                           "flow": rows["flow"].to_numpy(np.float64), "total": rows["total"].to_numpy(np.float64)})
    unit = "bcm" if case.measure == "bp" else "million m3"
    if test.month is not None:
        what += f" in {pd.Timestamp(2000, test.month, 1):%B} of each year"
    return Series(series.reset_index(drop=True), f"{what} ({GAS_MEASURES[case.measure]})", f"share (flows in {unit})",
                  GAS_SOURCES[case.measure], COVERAGE_NOTES[case.measure])


def _diffusion_series(test: Test, case: Case, data: Data) -> Series:
    """The fitted effect of exposure along one layer on entering the outcome over the test's years,
    and the out-of-sample check of those years (:func:`worldorder.fit_diffusion`, :func:`worldorder.backtest_diffusion`)."""
    from worldorder import backtest_diffusion, fit_diffusion

    first, last = test.years.first, test.years.last
    since = int(test.predicate.get("since", 1946))
    fit = fit_diffusion(test.outcome, ties=case.measure, years=(first, last), db=data.db)
    key = f"exp_{fit.ties[0].key}"
    row = fit.coefficients.set_index(["transition", "term"]).loc[("enter", key)]
    check = backtest_diffusion(test.outcome, ties=case.measure, years=(since, last), until=first - 1, db=data.db)
    gain = check.gain.set_index("model")
    scores = check.scores[check.scores["transition"] == "all"].set_index("model")
    table = pd.DataFrame([{
        "year": last, "first": fit.years[0], "last": fit.years[1], "value": row["coef"], "coef": row["coef"], "lo": row["lo"], "hi": row["hi"],
        "brier_diff": gain.loc["ties", "brier_diff"], "brier_lo": gain.loc["ties", "lo"], "brier_hi": gain.loc["ties", "hi"],
        "auc": scores.loc["ties", "auc"], "auc0": scores.loc["no diffusion", "auc"],
    }])
    kind = test.outcome.split(":")[0]
    sources = DIFFUSION_SOURCES.get(kind, ()) + DIFFUSION_SOURCES.get(case.measure.split(":")[0], ())
    note = f"{fit.ties[0].name}: {fit.ties[0].description}, data to {fit.ties[0].last}"
    return Series(table, f"diffusion of {fit.outcome.label} along {case.measure} ties", "logit coefficient", sources, note)
