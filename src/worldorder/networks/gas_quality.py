"""Reporting gaps and aggregate rows in IEA border-point gas flows, found from the data itself.

Two traps of the IEA Gas Trade Flows file make naive sums wrong:

* **Reporting gaps.**  In April–September 2009 most border points of the
  file report 0.0 although gas flowed before and after (for Germany every
  entry point but those from Czechia and Austria).  Those zeros are months
  not reported, not flows that stopped.
* **Aggregate rows.**  Some rows are sums of other rows of the same border
  (``Eynatten (Sum)`` = ``Eynatten (EON/RWE)`` + ``Eynatten (Wingas)``
  every month, in both directions).  Counting all three counts Belgium's
  flow twice.

Neither is taken from a list of names: both are detected from the values,
so that a new vintage of the file is checked the same way.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

__all__ = ["GAP_SHARE", "aggregate_rows", "mark_gas_flows", "reporting_gaps"]

#: A month is a reporting gap when at least this share of the flowing points drop to zero together.
GAP_SHARE = 0.5
_KEYS = ["borderpoint", "exit", "entry"]


def _wide(flows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DatetimeIndex, np.ndarray]:
    """Rows (border point × direction), months, and the flow matrix (NaN where not reported)."""
    table = flows[_KEYS + ["month", "flow_mm3"]].copy()
    table["month"] = pd.to_datetime(table["month"])
    wide = table.drop_duplicates(_KEYS + ["month"]).set_index(_KEYS + ["month"])["flow_mm3"].unstack("month")
    months = pd.date_range(table["month"].min(), table["month"].max(), freq="MS") if len(table) else pd.DatetimeIndex([])
    wide = wide.reindex(columns=months)
    return wide.index.to_frame(index=False), months, wide.to_numpy(np.float64)


def _suspect_zeros(values: np.ndarray, max_run: int) -> np.ndarray:
    """Zeros in a run of at most ``max_run`` months with a positive reported flow just before and just after."""
    suspect = np.zeros(values.shape, bool)
    for i, row in enumerate(values):
        reported = np.flatnonzero(~np.isnan(row))
        if len(reported) < 3:
            continue
        seen = row[reported]
        zero = seen == 0
        k = 0
        while k < len(seen):
            if not zero[k]:
                k += 1
                continue
            start = k
            while k < len(seen) and zero[k]:
                k += 1
            if start > 0 and k < len(seen) and seen[start - 1] > 0 and seen[k] > 0:
                first, after = reported[start], reported[k]
                if after - first <= max_run:
                    suspect[i, reported[start:k]] = True
    return suspect


def reporting_gaps(flows: pd.DataFrame, share: float = GAP_SHARE, max_run: int = 12) -> pd.DataFrame:
    """The point-months of the IEA table that are reporting gaps, not zero flows.

    Parameters
    ----------
    flows
        IEA flows ``borderpoint, exit, entry, month, flow_mm3``.
    share
        A month is a gap month when at least this share of the points
        flowing around it report 0.0 in it.
    max_run
        Longest run of zeros (months) that can be a gap.

    Returns
    -------
    pandas.DataFrame
        ``borderpoint, exit, entry, month``: one row per zero that is a gap.
        ``attrs["months"]`` lists the gap months.

    Notes
    -----
    A zero is *suspect* when it lies in a run of at most ``max_run`` zeros
    with a positive reported flow just before and just after the run.  For
    month :math:`t`, with :math:`S_t` the suspect zeros and :math:`P_t` the
    points reporting a positive flow,

    .. math:: t \\text{ is a gap month} \\iff \\frac{|S_t|}{|S_t| + |P_t|} \\ge s .

    In the IEA files (April and September 2022) this picks April–September
    2009, where 61–78% of the flowing points report zero at once; no other
    month of 2008–2022 exceeds 20%.  The suspect zeros of a gap month are
    gaps; other zeros stay zeros (seasonal storage flows, maintenance).

    References
    ----------
    International Energy Agency. 2022. Gas Trade Flows (data to September 2022).
    """
    keys, months, values = _wide(flows)
    empty = pd.DataFrame({column: pd.Series(dtype=object) for column in _KEYS} | {"month": pd.Series(dtype="datetime64[ns]")})
    empty.attrs["months"] = []
    if values.size == 0:
        return empty
    suspect = _suspect_zeros(values, max_run)
    flowing = suspect.sum(axis=0) + (values > 0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(flowing > 0, suspect.sum(axis=0) / np.maximum(flowing, 1), 0.0)
    gap_month = ratio >= share
    rows, cols = np.nonzero(suspect & gap_month[None, :])
    if len(rows) == 0:
        return empty
    out = keys.iloc[rows].reset_index(drop=True)
    out["month"] = months[cols]
    out.attrs["months"] = list(months[gap_month])
    return out


def aggregate_rows(flows: pd.DataFrame, max_parts: int = 3, min_months: int = 12, tolerance: float = 1.0, relative: float = 0.005) -> pd.DataFrame:
    """Rows of the IEA table that are the sum of other rows of the same border and direction.

    Parameters
    ----------
    flows
        IEA flows ``borderpoint, exit, entry, month, flow_mm3``.
    max_parts
        Largest number of sub-points tried.
    min_months
        An aggregate must match in at least this many months in which it is
        positive.
    tolerance, relative
        A month matches when :math:`|A_t - \\sum_k B_{k,t}| \\le
        \\max(\\text{tolerance}, \\text{relative} \\cdot A_t)` (million m³;
        the file rounds some values).

    Returns
    -------
    pandas.DataFrame
        ``borderpoint, exit, entry, parts, months``: ``parts`` is the tuple of
        sub-point names, ``months`` the number of months compared.

    Notes
    -----
    Row :math:`A` of border ``exit → entry`` is an aggregate of rows
    :math:`B_1..B_k` (:math:`2 \\le k \\le` ``max_parts``) of the same border
    when every month in which all of them are reported matches, each part
    is positive in some month, and :math:`A` is positive in at least
    ``min_months`` of them.  In the IEA files this finds ``Eynatten (Sum)``
    in both directions and nothing else.

    References
    ----------
    International Energy Agency. 2022. Gas Trade Flows (data to September 2022).
    """
    keys, _, values = _wide(flows)
    found = []
    for _, group in keys.groupby(["exit", "entry"], sort=False):
        index = group.index.to_numpy()
        if len(index) < 3:
            continue
        for total in index:
            others = [i for i in index if i != total]
            for size in range(2, min(max_parts, len(others)) + 1):
                for parts in combinations(others, size):
                    a, b = values[total], values[list(parts)]
                    both = ~np.isnan(a) & ~np.isnan(b).any(axis=0)
                    if (a[both] > 0).sum() < min_months or not (b[:, both] > 0).any(axis=1).all():
                        continue
                    gap = np.abs(a[both] - b[:, both].sum(axis=0))
                    if (gap <= np.maximum(tolerance, relative * np.abs(a[both]))).all():
                        found.append((*keys.loc[total, _KEYS], tuple(keys.loc[list(parts), "borderpoint"]), int(both.sum())))
    return pd.DataFrame(found, columns=[*_KEYS, "parts", "months"])


def mark_gas_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """IEA flows with reporting gaps made missing and each flow counted once.

    Returns a copy of ``flows`` with two columns added:

    * ``gap``: the published value was a reporting gap (:func:`reporting_gaps`);
      its ``flow_mm3`` is set to NaN.
    * ``counted``: False for a row whose flow is counted elsewhere in that
      month: an aggregate row (:func:`aggregate_rows`) in months where all
      its parts are reported, and the parts in months where one of them is
      missing but the aggregate is reported.

    ``attrs["gap_months"]`` and ``attrs["aggregates"]`` say what was found.
    """
    out = flows.copy()
    out["month"] = pd.to_datetime(out["month"])
    gaps = reporting_gaps(out)
    key = pd.MultiIndex.from_frame(out[_KEYS + ["month"]].astype({"month": "datetime64[ns]"}))
    hit = key.isin(pd.MultiIndex.from_frame(gaps[_KEYS + ["month"]].astype({"month": "datetime64[ns]"}))) if len(gaps) else np.zeros(len(out), bool)
    out["gap"] = hit
    out.loc[out["gap"], "flow_mm3"] = np.nan
    out["counted"] = True
    aggregates = aggregate_rows(out)
    for row in aggregates.itertuples(index=False):
        border = (out["exit"] == row.exit) & (out["entry"] == row.entry)
        total = border & (out["borderpoint"] == row.borderpoint)
        parts = border & out["borderpoint"].isin(row.parts)
        part_months = out[parts].groupby("month")["flow_mm3"].agg(lambda v: v.notna().all() and len(v) == len(row.parts))
        complete = out["month"].map(part_months).fillna(False).astype(bool)
        total_reported = out["month"].map(out[total].set_index("month")["flow_mm3"].notna()).fillna(False).astype(bool)
        out.loc[total & complete, "counted"] = False
        out.loc[parts & ~complete & total_reported, "counted"] = False
    out.attrs["gap_months"] = gaps.attrs.get("months", [])
    out.attrs["aggregates"] = [f"{r.borderpoint} ({r.exit} -> {r.entry}) = {' + '.join(r.parts)}" for r in aggregates.itertuples(index=False)]
    return out
