"""Weights of a composite power index: one parser for text (gdp:0.5,milex:0.3), dicts and TOML/YAML files."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from worldorder.power._base import PowerError


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


_PAIR = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]{0,30})\s*:\s*([+-]?(?:\d{1,9}(?:\.\d{0,9})?|\.\d{1,9}))\s*")
_WEIGHT_TEXT = re.compile(r"[^,:]+:[^,]+(,[^,:]+:[^,]+)*,?")


def parse_weight_text(text: str, components=None, limit: int | None = None) -> dict[str, float]:
    """Read weights written ``gdp:0.5,milex:0.3``: the one parser of that form.

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
    if not isinstance(table, Mapping):
        raise PowerError(f"{origin}: 'weights' must be a table of measure = weight, not {table!r}.")
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
