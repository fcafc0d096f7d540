"""Gas flows between states: IEA border-point flows by month and bp pipeline trade by year, with COW codes.

IEA border-point flows are *physical* flows across a border, not the origin
of the gas: Russian gas that crossed Ukraine, Belarus, Poland or Czechia
enters Germany as a flow from the last country it crossed.  Only Nord Stream
is a direct Russia → Germany point.  Every table and caption built from
them says so (:data:`GAS_BASIS`).  Reporting gaps and aggregate rows are
handled by :mod:`worldorder.networks.gas_quality`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from worldorder.networks.gas_quality import mark_gas_flows
from worldorder.networks.layers import NetworkError, _require
from worldorder.networks.store_tables import _store_table, _system

__all__ = [
    "BP_GAS_AGGREGATES",
    "BP_GAS_NAMES",
    "GAS_BASIS",
    "GAS_TABLES",
    "IEA_GAS_NAMES",
    "IEA_NON_STATES",
    "bp_gas_edges",
    "gas_edges",
    "gas_flows",
    "gas_vintage",
    "load_gas_flows",
]

#: Gas source name → store table.  ``"iea"`` is the newest IEA file; the April 2022 file stays selectable.
GAS_TABLES: dict[str, str] = {
    "iea": "iea_gas_trade_flows_2022_09",
    "iea_2022_09": "iea_gas_trade_flows_2022_09",
    "iea_2022_04": "iea_gas_trade_flows_2022_04",
    "bp": "bp_gas_pipeline_trade_2020",
}
#: What IEA border-point flows measure; shown beside every gas dependence built from them.
GAS_BASIS = (
    "IEA border-point flows are physical flows across a border, not the origin of the gas: "
    "gas that transited a country counts as coming from it (Russian gas through Czechia or Poland counts as Czech or Polish); "
    "only Nord Stream is a direct Russia-Germany route."
)

#: IEA Gas Trade Flows country names → COW codes.
IEA_GAS_NAMES: dict[str, int] = {
    "Albania": 339, "Algeria": 615, "Austria": 305, "Belarus": 370, "Belgium": 211,
    "Bulgaria": 355, "Croatia": 344, "Czech Republic": 316, "Denmark": 390, "Estonia": 366,
    "Finland": 375, "France": 220, "Georgia": 372, "Germany": 255, "Greece": 350,
    "Hungary": 310, "Iran": 630, "Ireland": 205, "Italy": 325, "Latvia": 367,
    "Libya": 620, "Lithuania": 368, "Luxembourg": 212,
    "Macedonia, Former Yugoslav Republic": 343, "Moldova": 359, "Morocco": 600,
    "Netherlands": 210, "Norway": 385, "Poland": 290, "Portugal": 235, "Romania": 360,
    "Russia": 365, "Serbia": 345, "Slovak Republic": 317, "Slovenia": 349, "Spain": 230,
    "Sweden": 380, "Switzerland": 225, "Tunisia": 616, "Turkey": 640, "Ukraine": 369,
    "United Kingdom": 200, "Azerbaijan": 373, "Bosnia and Herzegovina": 346,
    # the September 2022 file renames two states: joins by name break, codes do not
    "Republic of Türkiye": 640, "North Macedonia": 343,
}
#: IEA exit/entry names that are not states, with the label they keep.
IEA_NON_STATES: dict[str, str] = {
    "Liquefied Natural Gas": "LNG",  # regasification terminals: seaborne supply of any origin
    "Not Elsewhere Specified": "NES",  # flows the IEA does not attribute to a border point or origin
    "Isle of Man": "Isle of Man",  # British Crown dependency, not a COW state
}
#: bp Statistical Review names → COW codes.
BP_GAS_NAMES: dict[str, int] = {
    "Canada": 20, "Mexico": 70, "US": 2, "Argentina": 160, "Bolivia": 145, "Brazil": 140,
    "Belgium": 211, "France": 220, "Germany": 255, "Italy": 325, "Netherlands": 210,
    "Norway": 385, "Spain": 230, "Turkey": 640, "Ukraine": 369, "United Kingdom": 200,
    "Azerbaijan": 373, "Belarus": 370, "Kazakhstan": 705, "Russian Federation": 365,
    "Turkmenistan": 701, "Uzbekistan": 704, "Iran": 630, "Qatar": 694,
    "United Arab Emirates": 696, "Oman": 698, "Algeria": 615, "Libya": 620,
    "South Africa": 560, "Mozambique": 541, "Nigeria": 475, "Egypt": 651, "Israel": 666,
    "Australia": 900, "China": 710, "Indonesia": 850, "Malaysia": 820, "Myanmar": 775,
    "Singapore": 830, "Thailand": 800, "Austria": 305, "Czech Republic": 316,
    "Hungary": 310, "Poland": 290, "Slovakia": 317, "Switzerland": 225, "Denmark": 390,
}
#: bp rows and columns that are regions, residuals or totals rather than states.
BP_GAS_AGGREGATES = frozenset({
    "North America", "S. & Cent. America", "Other S. & Cent. America", "Europe", "Other Europe",
    "Other EU", "Rest of Europe", "CIS", "Other CIS", "Middle East", "Other Middle East",
    "Africa", "Other Africa", "Asia Pacific", "Other Asia Pacific", "Total exports",
    "Total imports", "Total", "Total World",
})


def _map_names(names: pd.Series, states: Mapping[str, int], non_states: Iterable[str], what: str) -> np.ndarray:
    """COW codes for ``names`` (0 for the listed non-states); raise on a name in neither list."""
    clean = names.astype(str).str.strip()
    non_states = set(non_states)
    unknown = sorted(set(clean) - set(states) - non_states)
    if unknown:
        raise NetworkError(
            f"{what} names with no COW code and not marked as non-states: {', '.join(unknown)}. "
            "Add them to the name map in worldorder.networks.gas."
        )
    return clean.map(states).fillna(0).to_numpy(np.int64)


def gas_flows(iea: pd.DataFrame, states: pd.DataFrame | None = None) -> pd.DataFrame:
    """IEA monthly gas flows by border point, with COW codes, reporting gaps and double counts marked.

    Parameters
    ----------
    iea
        IEA Gas Trade Flows in long form: ``borderpoint, exit, entry, month,
        flow_mm3`` (and ``maxflow_mm3_per_h``).
    states
        ``ccode, stateabb``: labels for the states (codes as text otherwise).

    Returns
    -------
    pandas.DataFrame
        The input columns plus ``ccode_exit``, ``ccode_entry`` (0 for a
        non-state end), ``supplier``/``receiver`` labels (the COW
        abbreviation when the end is a state, else ``"LNG"``, a
        regasification terminal: seaborne gas of any origin, ``"NES"``, not
        elsewhere specified, or ``"Isle of Man"``), ``year``, ``gap`` (a
        published zero that is a reporting gap: ``flow_mm3`` is then NaN) and
        ``counted`` (False where the flow is already counted in another row
        of that month: an aggregate row beside its own sub-points).
        ``attrs`` holds ``gap_months``, ``aggregates``, ``last_month`` and
        ``basis`` (:data:`GAS_BASIS`).

    Notes
    -----
    These are physical flows across borders, not gas by country of origin:
    Russian gas reaching Germany through Czechia or Austria counts as a flow
    from those states.  Nord Stream is the one direct Russia → Germany point.
    Months not reported stay missing (NaN), distinct from a reported zero;
    gaps and aggregates are found from the values
    (:func:`~worldorder.networks.gas_quality.mark_gas_flows`).  Give the
    whole file and choose the years afterwards, as the loaders do: a slice of
    one year is too short to tell an aggregate row from a coincidence
    (Eynatten (Sum) is positive in only ten months of 2021).

    References
    ----------
    International Energy Agency. 2022. Gas Trade Flows (data to September 2022).
    """
    _require(iea, ("borderpoint", "exit", "entry", "month", "flow_mm3"), "IEA gas flows")
    out = iea.copy()
    for column in ("borderpoint", "exit", "entry"):
        out[column] = out[column].astype(str).str.strip()
    out["ccode_exit"] = _map_names(out["exit"], IEA_GAS_NAMES, IEA_NON_STATES, "IEA exit")
    out["ccode_entry"] = _map_names(out["entry"], IEA_GAS_NAMES, IEA_NON_STATES, "IEA entry")
    out = mark_gas_flows(out)
    out["year"] = out["month"].dt.year.astype(np.int64)
    abb = {} if states is None else dict(zip(states["ccode"].astype(int), states["stateabb"].astype(str)))
    for name, code, label in (("exit", "ccode_exit", "supplier"), ("entry", "ccode_entry", "receiver")):
        names = out[name].map(lambda text: IEA_NON_STATES.get(text, text)).to_numpy(dtype=object)
        mapped = out[code].map(abb)
        out[label] = np.where(mapped.notna().to_numpy(), mapped.to_numpy(dtype=object), names)
    out.attrs["last_month"] = out["month"].max() if len(out) else None
    out.attrs["basis"] = GAS_BASIS
    return out


def gas_vintage(flows: pd.DataFrame) -> str:
    """One line naming the gas table's last month, its partial years, gaps and aggregates, for captions."""
    if "flow_mm3" not in flows.columns:
        years = sorted(set(flows["year"])) if "year" in flows.columns and len(flows) else []
        return f"bp pipeline trade, {years[-1]}" if years else "bp pipeline trade"
    months = pd.to_datetime(flows["month"])
    first, last = months.min(), months.max()
    parts = [f"IEA flows {first:%b %Y}-{last:%b %Y}"]
    if last.month != 12:
        parts.append(f"{last.year} is partial (January-{last:%B})")
    gaps = flows.attrs.get("gap_months") or []
    if gaps:
        parts.append(f"reporting gaps {min(gaps):%b %Y}-{max(gaps):%b %Y} left out, not read as zero")
    if flows.attrs.get("aggregates"):
        parts.append("aggregate rows counted once (" + "; ".join(flows.attrs["aggregates"][:1]) + ")")
    return "; ".join(parts)


def _counted(flows: pd.DataFrame) -> pd.Series:
    """Rows whose flow enters sums: reported, and not counted in another row of the month."""
    mask = flows["flow_mm3"].notna()
    return mask & flows["counted"].astype(bool) if "counted" in flows.columns else mask


def gas_edges(flows: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """Directed gas ties exporter → importer from IEA border-point flows.

    Parameters
    ----------
    flows
        The output of :func:`gas_flows` (or the raw long IEA table, mapped here).
    by
        ``"year"``: ties weighted by the year's sum of monthly flows (million
        m³); ``"month"``: one tie per month, with ``month`` kept and ``year``
        the month's year.

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1`` (exit), ``ccode2`` (entry), ``weight`` (million m³),
        ``borderpoints`` (number of border points), ``months`` (months with
        a reported value) and ``partial`` (the file does not cover all twelve
        months of the year, as 2022).  Flows to or from non-states (LNG
        terminals, "Not Elsewhere Specified", the Isle of Man) are left out:
        they have no state at one end.

    Notes
    -----
    :math:`w_{ij,t} = \\sum_{b \\in B_{ij}} \\sum_{m \\in t} F_{b,m}`, the flows of
    all border points :math:`B_{ij}` from :math:`i` into :math:`j` over the
    months of the period with a reported value (missing months and reporting
    gaps add nothing and are not counted in ``months``); an aggregate row
    is left out where its sub-points are reported.

    References
    ----------
    International Energy Agency. 2022. Gas Trade Flows (data to September 2022).
    """
    if "ccode_exit" not in flows.columns:
        flows = gas_flows(flows)
    if by not in ("year", "month"):
        raise NetworkError(f"by must be 'year' or 'month', not {by!r}.")
    state = (flows["ccode_exit"] > 0) & (flows["ccode_entry"] > 0) & _counted(flows)
    table = flows[state].rename(columns={"ccode_exit": "ccode1", "ccode_entry": "ccode2"})
    keys = ["year", "ccode1", "ccode2"] + (["month"] if by == "month" else [])
    edges = table.groupby(keys, as_index=False).agg(
        weight=("flow_mm3", "sum"), borderpoints=("borderpoint", "nunique"), months=("month", "nunique")
    )
    covered = pd.to_datetime(flows["month"]).drop_duplicates()
    in_file = covered.groupby(covered.dt.year).size()
    edges["partial"] = edges["year"].map(in_file).fillna(0).to_numpy() < 12
    return edges[edges["weight"] > 0].reset_index(drop=True)


def bp_gas_edges(bp: pd.DataFrame) -> pd.DataFrame:
    """Directed gas pipeline ties from the bp Statistical Review trade matrix.

    Parameters
    ----------
    bp
        ``exporter, importer, year, bcm`` (billion cubic metres).

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1`` (exporter), ``ccode2`` (importer), ``weight`` (bcm).
        Regional residuals and totals (``"Other Europe"``, ``"CIS"`` ...) are
        left out.

    References
    ----------
    bp. 2021. Statistical Review of World Energy, 70th edition. Natural gas:
    trade movements by pipeline, 2020.
    """
    _require(bp, ("exporter", "importer", "year", "bcm"), "bp pipeline trade")
    table = bp.copy()
    for column in ("exporter", "importer"):
        table[column] = table[column].astype(str).str.strip()
    table = table[~table["exporter"].isin(BP_GAS_AGGREGATES) & ~table["importer"].isin(BP_GAS_AGGREGATES)]
    if "residual" in table.columns:
        table = table[~table["residual"].astype(bool)]
    table = table.assign(
        ccode1=_map_names(table["exporter"], BP_GAS_NAMES, (), "bp exporter"),
        ccode2=_map_names(table["importer"], BP_GAS_NAMES, (), "bp importer"),
        weight=table["bcm"].astype(np.float64),
    )
    table = table[(table["weight"] > 0) & (table["ccode1"] != table["ccode2"])]
    return table[["year", "ccode1", "ccode2", "exporter", "importer", "weight"]].astype({"year": np.int64}).reset_index(drop=True)




def _iea_table(db, name: str) -> pd.DataFrame:
    table = _store_table(name, db)
    if "year" not in table.columns:
        table = table.assign(year=pd.to_datetime(table["month"]).dt.year)
    return table


def load_gas_flows(db=None, source: str = "iea") -> pd.DataFrame:
    """Gas flows from the store with COW codes at both ends.

    ``source="iea"`` (the newest IEA file, to September 2022) or
    ``"iea_2022_04"`` (the April 2022 file): monthly border-point flows
    (see :func:`gas_flows`).  ``source="bp"``: the 2020 pipeline matrix as
    ``exporter, importer, year, bcm, ccode_exit, ccode_entry, supplier,
    receiver``; bp's residual partners ("Other Europe" ...) keep code 0 and
    their bp name as label.  ``attrs["sources"]`` names the store table.
    """
    if source not in GAS_TABLES:
        raise NetworkError(f"source must be one of {', '.join(GAS_TABLES)}, not {source!r}.")
    name = GAS_TABLES[source]
    states = _system(db).drop_duplicates("ccode", keep="last")
    if source != "bp":
        out = gas_flows(_iea_table(db, name), states=states)
    else:
        out = _store_table(name, db).copy()
        residual = set(BP_GAS_AGGREGATES)
        if "residual" in out.columns:
            flagged = out["residual"].astype(bool)
            residual |= set(out.loc[flagged, "exporter"]) | set(out.loc[flagged, "importer"])
        abb = dict(zip(*states[["ccode", "stateabb"]].to_numpy().T))
        for column, code, label in (("exporter", "ccode_exit", "supplier"), ("importer", "ccode_entry", "receiver")):
            out[column] = out[column].astype(str).str.strip()
            out[code] = _map_names(out[column], BP_GAS_NAMES, residual, f"bp {column}")
            out[label] = out[code].map(abb).where(out[code] > 0, out[column])
    out.attrs["sources"] = (name,)
    return out
