"""The user-weighted composite power index: its weights (text, dict or file) and its computation."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from worldorder.power._base import MeasureInfo, PowerError, with_measure
from worldorder.power.catalog import CATALOG, Measure, measure, register
from worldorder.power.measures import composite_of_shares
from worldorder.power.reference import Among

@dataclass(frozen=True)
class CompositeSpec:
    """Components and weights of a composite index.

    Attributes
    ----------
    weights
        Measure key or column -> weight (normalised to sum to 1 when used).
    name
        Output column.
    scale
        ``"share"`` (each component as a share of the reference set's total,
        as in CINC) or ``"max"`` (as a ratio to the year's largest value).
    missing
        ``"available"``, ``"zero"`` or ``"drop"`` (as in :func:`cinc`): a
        state's missing component within a year that has the component.
    coverage
        A year in which a component has no value for any state (outside its
        source's years): ``"require"`` leaves the composite missing there (the
        default), ``"renormalise"`` weighs the other components and flags it.
    description
        Free text, shown in captions.
    """

    weights: Mapping[str, float]
    name: str = "composite"
    scale: str = "share"
    missing: str = "available"
    coverage: str = "require"
    description: str = ""
    options: Mapping[str, Mapping] = field(default_factory=dict)


def load_weights(path: str | os.PathLike) -> CompositeSpec:
    """Read a composite's weights from a TOML or YAML file.

    The file holds a ``weights`` table (measure key or column = weight) and
    optionally ``name``, ``scale``, ``missing``, ``coverage`` and ``description``::

        name = "hard_power"
        description = "Economy and military, Lowy-style"
        [weights]
        gdp = 0.5
        milex = 0.3
        population = 0.2

    A file with only ``key = weight`` lines is read as the weights.
    """
    from worldorder.located import read_file

    document = read_file(path, "weights file")
    if document.data is None:
        raise PowerError("; ".join(map(str, document.problems)))
    return composite_spec(document.data, origin=document.file)


_PAIR = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]{0,30})\s*[:=]\s*([+-]?(?:\d{1,9}(?:\.\d{0,9})?|\.\d{1,9}))\s*")
_WEIGHT_TEXT = re.compile(r"[^,]+[:=][^,]+(,[^,]+[:=][^,]+)*,?")


def parse_weight_text(text: str, components=None, limit: int | None = None) -> dict[str, float]:
    """Read weights written ``gdp:0.5,milex:0.3`` (or ``=``): the one parser of that form.

    Parameters
    ----------
    text
        Comma-separated ``component:weight`` pairs.
    components
        The components allowed (default: any name; :func:`composite` checks them).
    limit
        The most pairs allowed.

    Returns
    -------
    dict
        ``{component: weight}`` in the order given, zero weights kept.

    Raises
    ------
    PowerError
        A pair that is not ``name:number``, an unknown or repeated component,
        a negative weight, more than ``limit`` pairs, or no positive weight.
    """
    example = "such as gdp:0.5,milex:0.3,population:0.2"
    parts = [p for p in str(text).split(",") if p.strip()]
    if not parts:
        raise PowerError(f"weights: give component:weight pairs, {example}.")
    if limit is not None and len(parts) > limit:
        raise PowerError(f"weights: at most {limit} components, not {len(parts)}.")
    seen: dict[str, float] = {}
    for part in parts:
        found = _PAIR.fullmatch(part)
        if not found:
            raise PowerError(f"weights: {part.strip()[:40]!r} is not component:weight with a plain number, {example}.")
        key, value = found.group(1), float(found.group(2))
        if components is not None and key not in components:
            raise PowerError(f"weights: unknown component {key!r}; choose from {', '.join(components)}.")
        if key in seen:
            raise PowerError(f"weights: component {key!r} is given twice.")
        if value < 0:
            raise PowerError(f"weights: the weight of {key!r} is {value:g}; weights must be non-negative.")
        seen[key] = value
    if not any(w > 0 for w in seen.values()):
        raise PowerError("weights: every weight is zero; give at least one positive weight.")
    return seen


def composite_spec(weights, origin: str = "the weights") -> CompositeSpec:
    """Normalise a dict, a :class:`CompositeSpec` or a file path into a :class:`CompositeSpec`."""
    if isinstance(weights, CompositeSpec):
        return weights
    if isinstance(weights, str) and _WEIGHT_TEXT.fullmatch(weights):
        return composite_spec(parse_weight_text(weights), origin=f"weights {weights!r}")
    if isinstance(weights, (str, os.PathLike)):
        return load_weights(weights)
    if not isinstance(weights, Mapping):
        raise PowerError("weights must be gdp:0.5,milex:0.5, a dict {measure: weight}, a CompositeSpec or a TOML/YAML path.")
    data = dict(weights)
    table = data.pop("weights", None)
    settings = {k: data.pop(k) for k in ("name", "scale", "missing", "coverage", "description") if k in data}
    if table is None:
        table = data
    elif data:
        raise PowerError(f"{origin}: unknown keys {', '.join(map(str, data))} beside 'weights'.")
    cleaned = {}
    for key, value in table.items():
        try:
            weight = float(value)
        except (TypeError, ValueError):
            raise PowerError(f"{origin}: the weight of {key!r} is {value!r}, not a number.") from None
        if weight < 0 or not np.isfinite(weight):
            raise PowerError(f"{origin}: the weight of {key!r} must be a non-negative number.")
        if weight > 0:
            cleaned[str(key)] = weight
    if not cleaned:
        raise PowerError(f"{origin}: give at least one positive weight.")
    spec = CompositeSpec(weights=cleaned, **settings)
    if spec.scale not in ("share", "max"):
        raise PowerError(f"{origin}: scale must be 'share' or 'max', not {spec.scale!r}.")
    if spec.missing not in ("available", "zero", "drop"):
        raise PowerError(f"{origin}: missing must be 'available', 'zero' or 'drop', not {spec.missing!r}.")
    if spec.coverage not in ("require", "renormalise"):
        raise PowerError(f"{origin}: coverage must be 'require' or 'renormalise', not {spec.coverage!r}.")
    return spec


def _component_gaps(frame: pd.DataFrame, columns) -> dict[tuple[str, ...], list[int]]:
    """Years in which components have no value for any state: {(components,): [years]}."""
    has = frame[list(columns)].notna().groupby(frame["year"].to_numpy()).any()
    gaps: dict[tuple[str, ...], list[int]] = {}
    for year, row in has.iterrows():
        if not row.all():
            gaps.setdefault(tuple(c for c in columns if not row[c]), []).append(int(year))
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
            notes.append(f"missing in {_spans(years)}: {', '.join(absent)} has no data")
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
    values = composite_of_shares(out, normalised, among, spec.missing, spec.scale)
    values, gaps = _apply_coverage(out, normalised, values, spec, among)
    partial = ~np.isnan(values) & out[list(normalised)].isna().any(axis=1).to_numpy()
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
