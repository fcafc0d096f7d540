"""The measure catalog: the one place a power measure is defined, and the table builder that reads it."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from worldorder.power._base import PowerError
from worldorder.power.measures import NMC_COMPONENTS, cinc, gdp, net_power, nmc_component, population
from worldorder.power.reference import Among, ReferenceSet
from worldorder.power.spending import milex
from worldorder.power.weights import composite_spec


@dataclass(frozen=True)
class Measure:
    """A power measure as every interface and the claims layer know it.

    Attributes
    ----------
    key
        The name users type (``--measure gdp``, ``measure: gdp``).
    column
        The column it writes.
    label
        Its name in menus and lists (the table's ``attrs["measures"]`` holds the
        label of the exact version joined, for captions).
    unit
        Unit of the values.
    sources
        Registry names of the data sets it reads, with their versions.
    compute
        ``compute(frame, **options)`` returns a copy of ``frame`` with ``column``
        and its metadata in ``attrs["measures"]``.
    options
        Options always passed to ``compute``.
    needs
        Joins the state-year table needs first (keys of :data:`JOINS`).
    recompute
        True when the measure is recomputed over a reference set
        (``compute`` takes ``among=``); otherwise shares are taken of the
        values as they are.
    versioned
        ``compute`` takes ``version=`` (the NMC version).
    web
        Offered by the web app (default; the latent Fariss estimates are not).
    """

    key: str
    column: str
    label: str
    unit: str
    sources: tuple[str, ...]
    compute: Callable[..., pd.DataFrame]
    options: Mapping = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    recompute: bool = False
    versioned: bool = False
    web: bool = True

    @property
    def description(self) -> str:
        """The label (the name web menus and older code use)."""
        return self.label

    def caption(self) -> str:
        """``label; unit: ...`` (see :func:`measure_caption` for a computed table's own metadata)."""
        return measure_caption({"label": self.label, "unit": self.unit})


def _joins() -> dict[str, Callable]:
    from worldorder import frames

    return {
        "capabilities": lambda f, db, version: frames.add_capabilities(f, version=version, db=db),
        "maddison": lambda f, db, version: frames.add_gdp(f, source="maddison", db=db),
        "wb_gdp": lambda f, db, version: frames.add_gdp(f, source="worldbank", db=db),
        "ppp": lambda f, db, version: frames.add_gdp(f, source="ppp", db=db),
        "fariss": lambda f, db, version: frames.add_gdp(f, source="fariss", db=db),
        "wb_milex": lambda f, db, version: frames.add_milex(f, source="worldbank", db=db),
        "wb_population": lambda f, db, version: frames.add_population(f, db=db),
    }


#: Joins a measure may need, in the order they are made.
JOINS = ("capabilities", "maddison", "wb_gdp", "ppp", "fariss", "wb_milex", "wb_population")

_NMC = ("cow_nmc_7",)
_MADDISON = ("maddison_2023",)
_FARISS = ("isard_gdppop",)
_NMC_UNITS = {
    "milper": ("military personnel (COW NMC)", "thousands"),
    "irst": ("iron and steel production (COW NMC)", "thousand tons"),
    "pec": ("primary energy consumption (COW NMC)", "thousand coal-ton equivalents"),
    "upop": ("urban population (COW NMC)", "thousands"),
}

#: The catalog: measure key -> :class:`Measure`.  :func:`register` adds one.
CATALOG: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("cinc", "cinc", "CINC as published (COW NMC v7)", "share of the system total (0-1)", _NMC, cinc,
                {"published": True}, ("capabilities",), versioned=True),
        Measure("cinc_recomputed", "cinc_recomputed", "CINC recomputed over the reference set",
                "share of the reference set's total (0-1)", _NMC, cinc, {}, ("capabilities",), recompute=True, versioned=True),
        Measure("gdp", "gdp", "GDP, Maddison Project 2023", "million 2011 international dollars", _MADDISON, gdp,
                {"source": "maddison"}, ("maddison",)),
        Measure("gdp_wb", "gdp_wb", "GDP, World Bank", "current US dollars", ("wb_gdp",), gdp, {"source": "worldbank"}, ("wb_gdp",)),
        Measure("gdp_ppp", "gdp_ppp", "GDP at PPP, World Bank (constant 2021 int. $)", "million constant 2021 international dollars",
                ("wb_gdp_ppp",), gdp, {"source": "ppp"}, ("ppp",)),
        Measure("gdp_fariss", "gdp_fariss", "GDP, Fariss et al. latent, with SD", "million 2017 international dollars", _FARISS,
                gdp, {"source": "fariss"}, ("fariss",), web=False),
        Measure("milex", "milex_usd", "military spending, COW NMC, in US$", "thousand current US dollars", _NMC, milex,
                {"source": "nmc"}, ("capabilities",)),
        Measure("milex_wb", "milex_wb", "military spending, World Bank/SIPRI", "current US dollars", ("wb_milex_gdp_share", "wb_gdp"),
                milex, {"source": "worldbank"}, ("wb_milex",)),
        Measure("population", "population", "population, COW NMC", "thousands", _NMC, population, {"source": "nmc"}, ("capabilities",)),
        Measure("population_wb", "population_wb", "population, World Bank", "persons", ("wb_population",), population,
                {"source": "worldbank"}, ("wb_population",)),
        Measure("population_maddison", "population_maddison", "population, Maddison", "thousands", _MADDISON, population,
                {"source": "maddison"}, ("maddison",)),
        Measure("population_fariss", "population_fariss", "population, Fariss et al. latent, with SD", "millions", _FARISS,
                population, {"source": "fariss"}, ("fariss",), web=False),
        Measure("net_power", "net_power", "Beckley net power, Maddison", "million 2011 int. $ x 2011 int. $ per person", _MADDISON,
                net_power, {"source": "maddison"}, ("maddison",)),
        Measure("net_power_wb", "net_power_wb", "Beckley net power, World Bank", "current US$ x US$ per person",
                ("wb_gdp", "wb_population"), net_power, {"source": "worldbank"}, ("wb_gdp", "wb_population")),
        *(
            Measure(c, c, f"NMC component {c}: {_NMC_UNITS[c][0]}", _NMC_UNITS[c][1], _NMC, nmc_component, {"component": c},
                    ("capabilities",))
            for c in _NMC_UNITS
        ),
    )
}
#: The name older code uses for the catalog.
MEASURES = CATALOG


def register(measure: Measure) -> Measure:
    """Add ``measure`` to the catalog (or replace the one with its key); every interface then offers it."""
    unknown = [n for n in measure.needs if n not in JOINS]
    if unknown:
        raise PowerError(f"Measure {measure.key!r} needs unknown joins {', '.join(unknown)}; joins: {', '.join(JOINS)}.")
    CATALOG[measure.key] = measure
    return measure


def get_measure(key: str) -> Measure:
    """The catalog's entry for ``key``; an unknown key gets the closest names and the list."""
    if key not in CATALOG:
        close = difflib.get_close_matches(str(key), list(CATALOG), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise PowerError(f"Unknown measure {key!r}.{hint} Measures: {', '.join(CATALOG)}.")
    return CATALOG[key]


def measure_keys(weights_only: bool = False) -> tuple[str, ...]:
    """Keys of the catalog; ``weights_only`` leaves out the composite (which needs weights)."""
    return tuple(k for k in CATALOG if not (weights_only and k == "composite"))


def measure(frame: pd.DataFrame, key: str, **options) -> pd.DataFrame:
    """Compute the measure ``key`` on ``frame``; options go to its function."""
    entry = get_measure(key)
    if key == "composite" and "weights" not in options:
        raise PowerError("The composite measure needs weights: gdp:0.5,milex:0.5, a dict {measure: weight} or a TOML/YAML file.")
    return entry.compute(frame, **{**entry.options, **options})


def measure_column(key: str, weights=None) -> str:
    """The column a measure key writes (the composite's comes from its weights)."""
    if key == "composite" and weights is not None:
        return composite_spec(weights).name
    return get_measure(key).column


def key_of(key_or_column: str) -> str:
    """The measure key of a key or a column (``milex_usd`` -> ``milex``); other names as they are."""
    for key, entry in CATALOG.items():
        if key_or_column in (key, entry.column):
            return key
    return key_or_column


def measure_caption(info: Mapping) -> str:
    """The measure part of a caption: ``label; unit: ...; notes`` from a table's ``attrs["measures"][column]``."""
    text = str(info.get("label", "")) + (f"; unit: {info['unit']}" if info.get("unit") else "")
    if info.get("notes"):
        text += f"; {info['notes']}"
    return text


def coverage(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per year, how many states of ``frame`` the measure has a value for.

    Returns
    -------
    pandas.DataFrame
        ``year, states, with_value, share`` (``share`` = with_value / states),
        for every year of the table; ``attrs["first"]``/``attrs["last"]`` are
        the first and last years with a value (None when it has none).
    """
    column = measure_column(key) if key in CATALOG else key
    if column not in frame.columns:
        raise PowerError(f"The table has no column {column!r}; build it with create_power_years([{key!r}]).")
    grouped = frame.assign(_has=frame[column].notna().to_numpy()).groupby("year", sort=True)["_has"]
    table = pd.DataFrame({"states": grouped.size(), "with_value": grouped.sum().astype(np.int64)}).reset_index()
    table["share"] = table["with_value"] / table["states"]
    having = table.loc[table["with_value"] > 0, "year"]
    table.attrs = {"first": int(having.min()) if len(having) else None, "last": int(having.max()) if len(having) else None}
    return table


def recompute_over(frame: pd.DataFrame, keys, reference, weights=None) -> pd.DataFrame:
    """Recompute the measures of ``keys`` that depend on the reference set over ``reference``.

    ``all`` and ``top:K`` (chosen by the published measure) keep the index
    over all states; the others recompute ``cinc_recomputed`` and the
    composite (and any catalog measure with ``recompute=True``).
    """
    reference = ReferenceSet.parse(reference) if not isinstance(reference, (list, tuple)) else reference
    if isinstance(reference, ReferenceSet) and not reference.recomputes:
        return frame
    for key in keys:
        entry = get_measure(key)
        if not entry.recompute:
            continue
        options = {**entry.options, "among": reference}
        if key == "composite":
            options["weights"] = weights
        frame = entry.compute(frame, **options)
    return frame


def _needs(keys, weights) -> set[str]:
    needs: set[str] = set()
    for key in keys:
        if key == "composite":
            spec = composite_spec(weights)
            needs |= _needs([k for k in spec.weights if k in CATALOG and k != "composite"], None)
            needs |= {"capabilities"} if set(spec.weights) & set(NMC_COMPONENTS) else set()
        else:
            needs |= set(get_measure(key).needs)
    return needs


def create_power_years(
    measures=("cinc",),
    years=None,
    weights=None,
    among: Among = "all",
    majors: bool = True,
    nmc_version: int = 7,
    db=None,
) -> pd.DataFrame:
    """State-years of the COW system with power measures, ready for polarity.

    Parameters
    ----------
    measures
        Measure keys (see :data:`CATALOG`), or one key.
    years
        Years to keep (``"1816-2022"``, ``(1946, 1989)`` ...; see :class:`worldorder.Years`); default all.
    weights
        Weights of the ``composite`` measure (``gdp:0.5,milex:0.5``, a dict,
        a :class:`CompositeSpec` or a path).
    among
        Reference set for the measures recomputed over one (``cinc_recomputed``, ``composite``).
    majors
        Add the COW ``major`` flag (needed for ``among="majors"``).
    nmc_version
        NMC version (7 or 6) for CINC and its components.
    db
        Store path (default ``$WORLDORDER_DB``).

    Returns
    -------
    pandas.DataFrame
        ``ccode, stateabb, year``, the joined raw columns and one column per
        measure; ``attrs["measures"]`` describes each.  Outside a source's
        years a measure is NaN.
    """
    from worldorder import frames

    keys = [measures] if isinstance(measures, str) else list(measures)
    entries = [get_measure(key) for key in keys]
    frame = frames.create_state_years(years=years, db=db)
    needs = _needs(keys, weights)
    joins = _joins()
    for name in JOINS:
        if name in needs:
            frame = joins[name](frame, db, nmc_version)
    if majors:
        frame = frames.add_majors(frame, db=db)
    frame.attrs.setdefault("measures", {})
    for entry in entries:
        options = dict(entry.options)
        if entry.versioned:
            options["version"] = nmc_version
        if entry.recompute:
            options["among"] = among
        if entry.key == "composite":
            options["weights"] = weights
        frame = measure(frame, entry.key, **options)
    frame.attrs["measure"] = measure_column(keys[-1], weights) if keys else None
    return frame
