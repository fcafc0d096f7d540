"""Who depends on whom: trade with poles and blocs, pair asymmetry, gas suppliers.

All shares here are of a known total: dyad-years whose flow is missing are
left out of both numerator and denominator, never counted as zero.  Each
function returns shares that sum to one per state (and period) by
construction, with the remainder in an explicit ``"other"`` group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from worldorder.networks.gas import GAS_BASIS, _counted, gas_flows, gas_vintage
from worldorder.networks.edges import trade_edges
from worldorder.networks.layers import NetworkError, _require
from worldorder.networks.portfolios import alliance_portfolios, kappa, portfolio_similarity, s_score  # re-exported: they lived here

__all__ = [
    "OTHER",
    "alliance_portfolios",
    "gas_dependence",
    "kappa",
    "pair_dependence",
    "portfolio_similarity",
    "s_score",
    "trade_dependence",
]

#: Label of the partners outside every named pole or bloc.
OTHER = "other"


# -- trade -----------------------------------------------------------------------------------------
def _long_trade(trade: pd.DataFrame, flow: str) -> pd.DataFrame:
    """One row per (year, state, partner) with the chosen flow (imports, exports or their sum)."""
    _require(trade, ("ccode1", "ccode2", "year", "flow1", "flow2"), "Dyadic trade")
    c1 = trade["ccode1"].to_numpy(np.int64)
    c2 = trade["ccode2"].to_numpy(np.int64)
    year = trade["year"].to_numpy(np.int64)
    f1 = trade["flow1"].to_numpy(np.float64, na_value=np.nan)
    f2 = trade["flow2"].to_numpy(np.float64, na_value=np.nan)
    f1 = np.where(f1 < 0, np.nan, f1)
    f2 = np.where(f2 < 0, np.nan, f2)
    own = np.concatenate([c1, c2])
    partner = np.concatenate([c2, c1])
    imports = np.concatenate([f1, f2])  # own's imports from partner
    exports = np.concatenate([f2, f1])  # own's exports to partner = partner's imports from own
    if flow == "total":
        value = imports + exports
    elif flow == "imports":
        value = imports
    elif flow == "exports":
        value = exports
    else:
        raise NetworkError(f"flow must be 'total', 'imports' or 'exports', not {flow!r}.")
    long = pd.DataFrame({"year": np.concatenate([year, year]), "ccode": own, "partner": partner, "value": value})
    long = long[np.isfinite(long["value"].to_numpy()) & (own != partner)]
    return long.drop_duplicates(["year", "ccode", "partner"])


def _group_lookup(groups, group_column: str) -> pd.DataFrame:
    """``[year,] ccode, group`` from a mapping of poles or a bloc table."""
    if isinstance(groups, Mapping):
        rows = []
        for label, members in groups.items():
            members = [members] if isinstance(members, (int, np.integer)) else list(members)
            rows.extend((int(m), str(label)) for m in members)
        table = pd.DataFrame(rows, columns=["ccode", "group"])
        if table["ccode"].duplicated().any():
            raise NetworkError("A state is in more than one pole; each state may belong to one group only.")
        return table
    if isinstance(groups, pd.DataFrame):
        _require(groups, ("ccode", group_column), "The group table")
        keys = ["year", "ccode"] if "year" in groups.columns else ["ccode"]
        table = groups[[*keys, group_column]].rename(columns={group_column: "group"})
        table = table[table["group"].notna()]  # a state with no group (no regime score) trades as "other"
        table = table.iloc[_natural_order(table["group"])]
        table["group"] = table["group"].astype(str)
        if table.duplicated(keys).any():
            raise NetworkError(f"The group table lists a state twice for the same {'year' if len(keys) > 1 else 'table'}.")
        return table
    if isinstance(groups, Iterable):
        return pd.DataFrame({"ccode": [int(g) for g in groups], "group": [str(int(g)) for g in groups]})
    raise NetworkError("groups must be a mapping {label: ccodes}, a list of poles (ccodes) or a table with ccode and a group column.")


def _natural_order(values: pd.Series) -> np.ndarray:
    """Positions that sort ``values`` numerically when they are numbers, else as text."""
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().all():
        return np.argsort(numeric.to_numpy(), kind="stable")
    return np.argsort(values.astype(str).to_numpy(), kind="stable")


def trade_dependence(trade: pd.DataFrame, groups, flow: str = "total", group_column: str = "bloc") -> pd.DataFrame:
    """Each state's trade with each pole or bloc as a share of its total trade.

    Parameters
    ----------
    trade
        Dyadic trade ``ccode1, ccode2, year, flow1, flow2`` (COW layout:
        ``flow1`` is ccode1's imports from ccode2).
    groups
        The poles or blocs: a mapping ``{"USA": 2, "China": 710}`` or ``{"West":
        [2, 200, ...]}``, a list of COW codes (each its own pole), or a table
        ``[year,] ccode, <group_column>`` such as the output of
        :func:`~worldorder.networks.blocs.blocs`.
    flow
        ``"total"`` (imports + exports), ``"imports"`` or ``"exports"``.
    group_column
        The group column of a table ``groups`` (default ``"bloc"``).

    Returns
    -------
    pandas.DataFrame
        ``year, ccode, group, trade, total, share``, with one row for each
        group and for ``"other"`` (partners in no group) per state-year, so
        that shares sum to one.  ``share`` is NaN for a state with no trade.

    Notes
    -----
    .. math:: d_{iG} = \\frac{\\sum_{j \\in G, j \\ne i} T_{ij}}{\\sum_{j \\ne i} T_{ij}}

    with :math:`T_{ij}` the chosen flow between :math:`i` and :math:`j`.  A
    state's trade with its own bloc excludes itself.  Dyad-years with the
    flow missing enter neither sum.

    References
    ----------
    Hirschman, A. O. 1945. National Power and the Structure of Foreign Trade.
    University of California Press.
    """
    long = _long_trade(trade, flow)
    lookup = _group_lookup(groups, group_column)
    keys = ["year", "ccode"] if "year" in lookup.columns else ["ccode"]
    partner_groups = lookup.rename(columns={"ccode": "partner"})
    long = long.merge(partner_groups, on=["year", "partner"] if len(keys) == 2 else ["partner"], how="left")
    long["group"] = long["group"].fillna(OTHER)
    sums = long.groupby(["year", "ccode", "group"])["value"].sum().unstack("group", fill_value=0.0)
    labels = list(dict.fromkeys([*pd.unique(lookup["group"]), OTHER]))
    sums = sums.reindex(columns=labels, fill_value=0.0)
    totals = sums.sum(axis=1)
    out = sums.stack().rename("trade").reset_index()
    out = out.rename(columns={out.columns[2]: "group"})
    out["total"] = totals.reindex(pd.MultiIndex.from_frame(out[["year", "ccode"]])).to_numpy()
    out["share"] = (out["trade"] / out["total"]).where(out["total"] > 0)
    out = out[["year", "ccode", "group", "trade", "total", "share"]]
    out["group"] = pd.Categorical(out["group"], categories=labels)
    out = out.sort_values(["year", "ccode", "group"], kind="stable").reset_index(drop=True)
    out["group"] = out["group"].astype(str)
    return out


def pair_dependence(trade: pd.DataFrame, gdp: pd.DataFrame | None = None, gdp_column: str | None = None, trade_unit: float = 1e6) -> pd.DataFrame:
    """Asymmetric dependence within each trading pair: A's exposure to B against B's to A.

    Parameters
    ----------
    trade
        Dyadic trade ``ccode1, ccode2, year, flow1, flow2``.
    gdp
        Optional state-year GDP ``ccode, year, <gdp_column>`` (current US
        dollars): exposure is then trade over GDP rather than over total trade.
    trade_unit
        Dollars per unit of the flows (1e6 for COW's millions).

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2`` (``ccode1 < ccode2``), ``trade``,
        ``dependence1`` (ccode1's exposure to ccode2), ``dependence2``,
        ``asymmetry`` = dependence1 − dependence2 (positive: ccode1 is the
        more dependent), ``salience`` and ``symmetry``.

    Notes
    -----
    With :math:`T_{ij}` the pair's trade and :math:`T_i` the total trade of
    :math:`i` (or its GDP), :math:`d_i = T_{ij}/T_i`, and (Barbieri 1996)

    .. math:: \\text{salience} = \\sqrt{d_i d_j}, \\qquad \\text{symmetry} = 1 - |d_i - d_j|.

    References
    ----------
    Barbieri, K. 1996. Economic interdependence: a path to peace or a source
    of interstate conflict? Journal of Peace Research 33: 29-49.
    Keohane, R. O. & Nye, J. S. 1977. Power and Interdependence. Little, Brown.
    """
    edges = trade_edges(trade, flow="total")
    out = edges[["year", "ccode1", "ccode2"]].copy()
    out["trade"] = edges["weight"].to_numpy()
    if gdp is None:
        out["dependence1"] = edges["share1"].to_numpy()
        out["dependence2"] = edges["share2"].to_numpy()
    else:
        column = gdp_column or next((c for c in gdp.columns if c not in ("ccode", "year", "stateabb")), None)
        if column is None or column not in gdp.columns:
            raise NetworkError("Name the GDP column with gdp_column=.")
        values = gdp[["ccode", "year", column]].drop_duplicates(["ccode", "year"])
        for side in ("1", "2"):
            right = values.rename(columns={"ccode": f"ccode{side}", column: f"gdp{side}"})
            out = out.merge(right, on=[f"ccode{side}", "year"], how="left")
            out[f"dependence{side}"] = out["trade"] * trade_unit / out[f"gdp{side}"].where(out[f"gdp{side}"] > 0)
        out = out.drop(columns=["gdp1", "gdp2"])
    out["asymmetry"] = out["dependence1"] - out["dependence2"]
    out["salience"] = np.sqrt(out["dependence1"] * out["dependence2"])
    out["symmetry"] = 1.0 - out["asymmetry"].abs()
    return out.reset_index(drop=True)


# -- gas ---------------------------------------------------------------------------------------------
def gas_dependence(
    flows: pd.DataFrame,
    country: int | None = None,
    by: str = "month",
    include_lng: bool = False,
    include_unattributed: bool = True,
    by_borderpoint: bool = False,
) -> pd.DataFrame:
    """Share of a country's gas imports from each neighbour (IEA, physical flows) or supplier (bp), by month or year.

    Parameters
    ----------
    flows
        IEA flows with COW codes (:func:`~worldorder.networks.gas.gas_flows`
        or ``load_gas_flows()``), or bp pipeline flows (``load_gas_flows(source="bp")``:
        ``ccode_exit, ccode_entry, year, bcm``).
    country
        COW code of the importer; all importers when None.
    by
        ``"month"`` (IEA only) or ``"year"``.
    include_lng
        Count LNG terminals (supplier ``"LNG"``) among the suppliers; by
        default the shares are of pipeline imports only.
    include_unattributed
        Count pipeline flows of no named origin among the suppliers: the
        IEA's "Not Elsewhere Specified" (supplier ``"NES"``) and bp's residual
        partners (``"Other Europe"`` ...).  They are real pipeline imports, so
        by default they stay in the total, under their own label.
    by_borderpoint
        One row per border point (e.g. Nord Stream) rather than per supplier.

    Returns
    -------
    pandas.DataFrame
        ``ccode, importer, <month|year>, supplier_ccode`` (0 for LNG/NES),
        ``supplier``, [``borderpoint``], ``flow`` (million m³, or bcm for
        bp), ``total`` and ``share``.  IEA tables add ``gap`` by month (the
        importer's month has a reporting gap: its share is NaN, not computed
        on a partial total) or ``months`` and ``partial`` by year (months
        without gaps that enter the sums; fewer than twelve, as in 2022,
        makes the year partial).  Shares sum to one per importer and period
        wherever the total is positive.  ``attrs["basis"]`` says what the
        flows measure, ``attrs["vintage"]`` the months covered.

    Notes
    -----
    .. math:: g_{ij,t} = \\frac{F_{ji,t}}{\\sum_k F_{ki,t}}

    with :math:`F_{ji,t}` the flow entering :math:`i` from :math:`j` in
    period :math:`t`.  IEA flows are physical border crossings, not the
    origin of the gas: gas of Russian origin transiting Czechia or Poland
    counts as coming from them, and only Nord Stream is a direct Russia →
    Germany point (:data:`~worldorder.networks.gas.GAS_BASIS`).  Each flow
    is counted once (an aggregate row is dropped where its sub-points are
    reported) and reporting gaps are missing, never zero
    (:mod:`~worldorder.networks.gas_quality`).  Exports from a country (its
    own exit points) do not enter.

    References
    ----------
    International Energy Agency. 2022. Gas Trade Flows (data to September 2022).
    """
    if by not in ("month", "year"):
        raise NetworkError(f"by must be 'month' or 'year', not {by!r}.")
    iea = "flow_mm3" in flows.columns
    if iea:
        value = "flow_mm3"
        if "ccode_exit" not in flows.columns or "counted" not in flows.columns:
            flows = gas_flows(flows)
    elif "bcm" in flows.columns:
        value = "bcm"
        if by == "month":
            raise NetworkError("bp flows are annual; use by='year'.")
        flows = flows.copy()
        for side, name in (("exit", "exporter"), ("entry", "importer")):
            if f"ccode_{side}" not in flows.columns:
                raise NetworkError("bp flows need ccode_exit and ccode_entry: use load_gas_flows(source='bp').")
            label = "supplier" if side == "exit" else "receiver"
            if label not in flows.columns:
                flows[label] = flows[name] if name in flows.columns else flows[f"ccode_{side}"].astype(str)
        if "borderpoint" not in flows.columns:
            flows["borderpoint"] = "pipeline"
    else:
        raise NetworkError("gas_dependence needs IEA flows (flow_mm3) or bp flows (bcm).")
    keep = flows["ccode_entry"] > 0
    if country is not None:
        keep &= flows["ccode_entry"] == int(country)
    allowed = flows["ccode_exit"] > 0
    if include_lng:
        allowed |= flows["supplier"] == "LNG"
    if include_unattributed:
        allowed |= (flows["ccode_exit"] == 0) & (flows["supplier"] != "LNG") & (flows["supplier"] != "Isle of Man")
    table = flows[keep & allowed & (_counted(flows) if iea else flows[value].notna())]
    period = by
    if period == "year" and "year" not in table.columns:
        table = table.assign(year=pd.to_datetime(table["month"]).dt.year)
    gaps = pd.MultiIndex.from_arrays([[], []])
    if iea and "gap" in flows.columns:
        gapped = flows[flows["gap"].astype(bool) & keep]
        gaps = pd.MultiIndex.from_frame(gapped[["ccode_entry", "month"]].drop_duplicates())
        if period == "year" and len(gaps):
            table = table[~pd.MultiIndex.from_frame(table[["ccode_entry", "month"]]).isin(gaps)]
    keys = ["ccode_entry", "receiver", period, "ccode_exit", "supplier"] + (["borderpoint"] if by_borderpoint else [])
    out = table.groupby(keys, as_index=False, sort=True)[value].sum()
    out = out.rename(columns={"ccode_entry": "ccode", "receiver": "importer", "ccode_exit": "supplier_ccode", value: "flow"})
    out["total"] = out.groupby(["ccode", period])["flow"].transform("sum")
    out["share"] = (out["flow"] / out["total"]).where(out["total"] > 0)
    if iea and period == "month":
        out["gap"] = pd.MultiIndex.from_frame(out[["ccode", "month"]]).isin(gaps) if len(gaps) else False
        out.loc[out["gap"], "share"] = np.nan
    elif iea:
        months = table.groupby(["ccode_entry", "year"])["month"].nunique()
        out["months"] = months.reindex(pd.MultiIndex.from_frame(out[["ccode", "year"]])).to_numpy(np.int64)
        out["partial"] = out["months"] < 12
    out = out.sort_values(["ccode", period, "flow"], ascending=[True, True, False], kind="stable").reset_index(drop=True)
    if iea:
        out.attrs["basis"] = GAS_BASIS
        out.attrs["vintage"] = gas_vintage(flows)
    out.attrs["sources"] = tuple(flows.attrs.get("sources", ()))
    return out
