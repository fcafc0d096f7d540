"""The user-weighted composite power index: its computation over a reference set (weights in :mod:`.weights`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.power._base import MeasureInfo, PowerError, with_measure
from worldorder.power.catalog import CATALOG, Measure, measure, register
from worldorder.power.measures import composite_of_shares
from worldorder.power.reference import Among
from worldorder.power.weights import composite_spec


def _component_gaps(frame: pd.DataFrame, columns) -> dict[tuple[str, ...], list[int]]:
    """Years in which components have no value for any state: {(components,): [years]}."""
    columns = list(columns)
    present = np.column_stack([frame[c].notna().to_numpy() for c in columns])
    years, row = np.unique(frame["year"].to_numpy(), return_inverse=True)
    has = np.zeros((len(years), len(columns)), dtype=bool)
    np.logical_or.at(has, row, present)  # has[y, k]: some state reports component k in year y
    gaps: dict[tuple[str, ...], list[int]] = {}
    for year in np.flatnonzero(~has.all(axis=1)):
        gaps.setdefault(tuple(c for c, h in zip(columns, has[year]) if not h), []).append(int(years[year]))
    return gaps


def _spans(years: list[int]) -> str:
    """``[2019, 2020, 2021, 2023]`` as ``2019-2021, 2023``."""
    runs, start = [], years[0]
    for previous, year in zip(years, years[1:] + [None]):
        if year != previous + 1:
            runs.append(str(start) if start == previous else f"{start}-{previous}")
            start = year
    return ", ".join(runs)


def _apply_coverage(out, normalised, values, spec, among) -> tuple[np.ndarray, str]:
    """Missing (or renormalised) values in years where a component has no data; the caption's note."""
    values = np.array(values, dtype=np.float64)
    notes = []
    year = out["year"].to_numpy()
    for absent, years in _component_gaps(out, normalised).items():
        rows = np.isin(year, years)
        kept = {c: w for c, w in normalised.items() if c not in absent}
        if spec.coverage == "renormalise" and kept:
            total = sum(kept.values())
            values[rows] = composite_of_shares(out, {c: w / total for c, w in kept.items()}, among, spec.missing, spec.scale)[rows]
            notes.append(f"renormalised without {', '.join(absent)} in {_spans(years)} (no data; flag {spec.name}_partial)")
        else:
            values[rows] = np.nan
            notes.append(f"missing in {_spans(years)} (no data for {', '.join(absent)})")
    return values, "; ".join(notes)


def composite(frame: pd.DataFrame, weights, among: Among = "all") -> pd.DataFrame:
    """A composite power index with components and weights the user sets.

    Parameters
    ----------
    frame
        State-year table holding the components: measure keys (``gdp``,
        ``milex``, ``population`` ...; see :data:`CATALOG`) whose raw columns are
        in the frame (``create_power_years`` adds them), or other columns of the
        frame.  A measure key wins over a raw column of the same name: ``milex``
        is NMC spending converted to dollars, not the raw mixed-currency column.
    weights
        ``{component: weight}``, a :class:`CompositeSpec`, or a TOML/YAML file
        read with :func:`load_weights` (the only I/O this function does).
    among
        Reference set for the shares.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with the composite column (default ``composite``)
        and any component measure columns it had to compute.

    Notes
    -----
    :math:`C_{it} = \\sum_k w_k s_{ikt} / \\sum_{k \\in K_{it}} w_k`, with
    :math:`s_{ikt}` state i's share of component k over the reference set in
    year t (or its ratio to the year's maximum with ``scale="max"``) and
    :math:`K_{it}` the components i reports (``missing="available"``; with
    ``"zero"`` the denominator is all weights, with ``"drop"`` any missing
    component makes the index NaN).  A component with no value for any state
    in a year leaves the index missing that year (``coverage="require"``), or
    is left out of every state's sum (``"renormalise"``); either way the
    caption says so, and ``<name>_partial`` is True on every state-year
    computed from fewer components than the weights name, so component sets
    never mix silently.  With equal weights on the six NMC
    components this is CINC.  Weighting schemes such as the Lowy Institute
    Asia Power Index's are examples of what a file can hold.

    References
    ----------
    Lowy Institute. 2023. Asia Power Index: Methodology.
    Singer, Bremer & Stuckey 1972 (CINC).
    """
    spec = composite_spec(weights)
    out = frame
    columns = {}
    sources: list[str] = []
    for key, weight in spec.weights.items():
        if key in CATALOG and key != "composite":  # a measure key wins over a raw column of that name (milex)
            column = CATALOG[key].column
            if column not in out.columns or key in spec.options:
                out = measure(out, key, **spec.options.get(key, {}))
        elif key in out.columns:
            column = key
        else:
            raise PowerError(
                f"Composite component {key!r} is neither a column of the table nor a measure "
                f"({', '.join(sorted(CATALOG))})."
            )
        columns[column] = weight
        sources.extend(out.attrs.get("measures", {}).get(column, {}).get("sources", []))
    total = sum(columns.values())
    normalised = {column: weight / total for column, weight in columns.items()}
    bare = out.copy(deep=False)  # the sums read no measure records; pandas would deep-copy them at every column read
    bare.attrs = {key: value for key, value in out.attrs.items() if key != "measures"}
    values = composite_of_shares(bare, normalised, among, spec.missing, spec.scale)
    values, gaps = _apply_coverage(bare, normalised, values, spec, among)
    partial = ~np.isnan(values) & bare[list(normalised)].isna().any(axis=1).to_numpy()
    parts = ", ".join(f"{column} {weight:.3g}" for column, weight in normalised.items())
    notes = f"weights: {parts}; scale {spec.scale}; missing {spec.missing}" + (f"; {gaps}" if gaps else "")
    if partial.any():
        notes += f"; {int(partial.sum())} state-years from fewer components ({spec.name}_partial)"
    info = MeasureInfo(
        "composite", spec.name, spec.description or f"composite index ({parts})",
        "weighted share of the reference set (0-1)" if spec.scale == "share" else "weighted ratio to the leader (0-1)",
        tuple(dict.fromkeys(sources)), "", notes=notes,
    )
    result = with_measure(out, spec.name, values, info)
    result[f"{spec.name}_partial"] = partial
    return result


register(Measure("composite", "composite", "user-weighted composite (needs weights)", "weighted share of the reference set (0-1)",
                 (), composite, {}, (), recompute=True))
