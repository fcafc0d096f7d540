"""Power measures as state-year tables, each carrying its source and version.

A measure takes a state-year table first (built with
:func:`worldorder.create_state_years` and the ``add_*`` joins) and returns a
new table with one more column; it never mutates its input and does no I/O.
The column's label, unit and source data sets are recorded in
``table.attrs["measures"][column]``.  The catalog
(:mod:`worldorder.power.catalog`) names each measure and
:func:`~worldorder.power.catalog.create_power_years` does the joins and the
measures in one call; the composite is in :mod:`worldorder.power.composite`,
military spending in :mod:`worldorder.power.spending`.

============================  ===================  ===========================================
key                           column               what
============================  ===================  ===========================================
``cinc``                      ``cinc``             CINC as published (COW NMC)
``cinc_recomputed``           ``cinc_recomputed``  CINC recomputed over a reference set
``gdp``                       ``gdp``              GDP, Maddison 2023 (million 2011 int. $)
``gdp_wb``                    ``gdp_wb``           GDP, World Bank (current US$)
``gdp_ppp``                   ``gdp_ppp``          GDP at PPP, World Bank (million 2021 int. $)
``gdp_fariss``                ``gdp_fariss``       GDP, Fariss et al. latent, SD in ``gdp_fariss_sd``
``milex``                     ``milex_usd``        NMC military spending in thousand US$
``milex_wb``                  ``milex_wb``         World Bank share of GDP x GDP (current US$)
``population``                ``population``       NMC total population (thousands)
``population_wb``             ``population_wb``    World Bank population (persons)
``population_maddison``       ``population_maddison``  Maddison population (thousands)
``population_fariss``         ``population_fariss``  Fariss et al. population (millions), with SD
``net_power``                 ``net_power``        Beckley: GDP x GDP per capita (Maddison)
``net_power_wb``              ``net_power_wb``     Beckley with World Bank GDP and population
``milper irst pec upop``      same                 single NMC components
``composite``                 ``composite``        user-weighted composite (dict or file)
============================  ===================  ===========================================
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from worldorder.power._base import (
    MeasureInfo,
    PowerError,
    require_columns,
    to_matrix,
    with_measure,
    cell_values,
)
from worldorder.power.reference import Among, describe_among, reference_mask

NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")
NMC_SOURCES = {7: "cow_nmc_7", 6: "cow_nmc_6"}
CAPABILITIES_HINT = "Run add_capabilities() on the table first (or use create_power_years())."

_NMC_CITATION = (
    "Singer, J. D., Bremer, S. & Stuckey, J. 1972. Capability distribution, uncertainty, and major "
    "power war, 1820-1965. In B. Russett (ed.), Peace, War, and Numbers. Beverly Hills: Sage, 19-48. "
    "Data: Correlates of War Project, National Material Capabilities."
)
_MADDISON_CITATION = (
    "Bolt, J. & van Zanden, J. L. 2020. Maddison style estimates of the evolution of the world economy. "
    "A new 2020 update. Maddison Project Working Paper WP-15."
)
_WB_CITATION = "World Bank. World Development Indicators."
_BECKLEY_CITATION = (
    "Beckley, M. 2018. The power of nations: measuring what matters. International Security 43(2): 7-44."
)


# -- CINC ---------------------------------------------------------------------------------------
def cinc(
    frame: pd.DataFrame,
    among: Among = "all",
    missing: str = "available",
    published: bool = False,
    components=NMC_COMPONENTS,
    name: str | None = None,
    version: int = 7,
) -> pd.DataFrame:
    """Composite Index of National Capability, as published or recomputed.

    Parameters
    ----------
    frame
        State-year table with the six NMC components (``add_capabilities``).
    among
        Reference set whose totals the shares are taken of: ``"all"`` (every
        state of the table, COW's practice), ``"majors"``, ``"top:K"``,
        ``"region:R"``, a list of state codes, a boolean mask or a callable (see
        :func:`worldorder.power._base.reference_mask`).  States outside the set
        get NaN.
    missing
        What to do with a missing component (NMC codes -9 as missing):

        - ``"available"`` (default, COW's practice, reproduces the published
          index): the mean of the shares the state has;
        - ``"zero"``: a missing component counts as a share of 0 (a lower bound);
        - ``"drop"``: the index is NaN when any component is missing.
    published
        Return the published ``cinc`` column instead of recomputing (``among``,
        ``missing`` and ``components`` are then ignored).
    components
        The components to average (default all six).
    name
        Output column: default ``"cinc"`` if published else ``"cinc_recomputed"``.
    version
        NMC version the table was built with (recorded as the source).

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with the index column.

    Notes
    -----
    With :math:`x_{ikt}` component k of state i in year t and :math:`R_t` the
    reference set, the share :math:`s_{ikt} = x_{ikt} / \\sum_{j \\in R_t} x_{jkt}`
    (summing over states that report k) and
    :math:`CINC_{it} = \\frac{1}{|K_{it}|} \\sum_{k \\in K_{it}} s_{ikt}`, where
    :math:`K_{it}` is the set of components state i reports (``"available"``).
    Because a state with a missing component is averaged over fewer shares,
    the published CINC of a year sums to slightly more than 1 (1.000 to 1.075
    in NMC v7).  Over all states, this recomputation equals the published
    index to within its rounding.

    References
    ----------
    Singer, J. D., Bremer, S. & Stuckey, J. 1972. Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (ed.), Peace,
    War, and Numbers. Beverly Hills: Sage, 19-48.
    Greig, J. M. & Enterline, A. J. 2021. National Material Capabilities (NMC)
    Data Documentation, Version 6.0. Correlates of War Project.
    """
    source = NMC_SOURCES.get(version, f"cow_nmc_{version}")
    if published:
        require_columns(frame, ["cinc"], CAPABILITIES_HINT)
        info = MeasureInfo(
            key="cinc",
            column=name or "cinc",
            label=f"CINC as published (COW NMC v{version}.0)",
            unit="share of the system total (0-1)",
            sources=(source,),
            citation=_NMC_CITATION,
        )
        return with_measure(frame, info.column, frame["cinc"].to_numpy(np.float64, na_value=np.nan), info)
    if missing not in ("available", "zero", "drop"):
        raise PowerError(f"missing must be 'available', 'zero' or 'drop', not {missing!r}.")
    components = tuple(components)
    require_columns(frame, components, CAPABILITIES_HINT)
    values = composite_of_shares(frame, {c: 1.0 for c in components}, among, missing, scale="share")
    info = MeasureInfo(
        key="cinc_recomputed",
        column=name or "cinc_recomputed",
        label=f"CINC recomputed over {describe_among(among)} (missing components: {missing})",
        unit="share of the reference set's total (0-1)",
        sources=(source,),
        citation=_NMC_CITATION,
        notes=f"components: {', '.join(components)}",
    )
    return with_measure(frame, info.column, values, info)


def composite_of_shares(
    frame: pd.DataFrame, weights: Mapping[str, float], among: Among, missing: str, scale: str
) -> np.ndarray:
    """Weighted mean of per-year component shares (or ratios to the year's maximum)."""
    columns = list(weights)
    if isinstance(among, str) and among.startswith("top:"):
        raise PowerError(
            f"among={among!r} is ambiguous when recomputing an index (the top K by which component?). "
            "Pick the states first, e.g. among=list_of_codes or a boolean mask from the published index."
        )
    matrix = to_matrix(frame, columns)
    mask = reference_mask(frame, among, matrix=matrix, column=columns[0])
    numerator = np.zeros(matrix.values.shape)
    denominator = np.zeros(matrix.values.shape)
    any_missing = np.zeros(matrix.values.shape, dtype=bool)
    for column, weight in weights.items():
        x = matrix.extra[column]
        present = mask & ~np.isnan(x)
        if (np.where(present, x, 0.0) < 0).any():
            raise PowerError(f"Column {column!r} has negative values; a share of a total needs non-negative values.")
        filled = np.where(present, x, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            if scale == "share":
                base = filled.sum(axis=1, keepdims=True)
            elif scale == "max":
                base = filled.max(axis=1, keepdims=True)
            else:
                raise PowerError(f"scale must be 'share' or 'max', not {scale!r}.")
            ratio = filled / base
        ratio = np.where(np.isfinite(ratio), ratio, np.nan)
        ok = present & ~np.isnan(ratio)
        numerator += np.where(ok, weight * ratio, 0.0)
        if missing == "zero":
            denominator += np.where(mask, weight, 0.0)
        else:
            denominator += np.where(ok, weight, 0.0)
        any_missing |= mask & ~ok
    with np.errstate(invalid="ignore", divide="ignore"):
        result = numerator / denominator
    result = np.where(mask & (denominator > 0), result, np.nan)
    if missing == "drop":
        result = np.where(any_missing, np.nan, result)
    return cell_values(matrix, result, frame)


# -- GDP, military spending, population, net power -------------------------------------------
def gdp(frame: pd.DataFrame, source: str = "maddison") -> pd.DataFrame:
    """Gross domestic product.

    Parameters
    ----------
    frame
        State-year table with ``maddison_gdppc`` and ``maddison_pop``
        (``add_gdp(source="maddison")``), ``wb_gdp`` (``source="worldbank"``),
        ``wb_gdp_ppp`` (``source="ppp"``) or ``fariss_gdp`` and
        ``fariss_gdp_sd`` (``source="fariss"``).
    source
        ``"maddison"`` (column ``gdp``: million 2011 international dollars;
        Maddison 2023 to 2022 by default, or the version ``add_gdp`` joined),
        ``"worldbank"`` (``gdp_wb``: current US dollars, 1960-2023), ``"ppp"``
        (``gdp_ppp``: World Bank GDP at PPP, million constant 2021
        international dollars, 1990-2024) or ``"fariss"`` (``gdp_fariss``:
        Fariss et al.'s latent GDP, million 2017 international dollars,
        1816-2019, with its posterior standard deviation in ``gdp_fariss_sd``).

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with the GDP column.  A measure with a standard
        deviation records its column as ``sd_column`` in ``attrs["measures"]``,
        where :func:`polarity_intervals` (``method="measured"``) finds it.

    Notes
    -----
    Maddison: :math:`GDP = gdppc \\times pop / 1000` (gdppc in 2011
    international dollars, pop in thousands), in millions.

    References
    ----------
    Bolt, J. & van Zanden, J. L. 2024. Maddison style estimates of the
    evolution of the world economy: a new 2023 update. Journal of Economic
    Surveys 1-41.
    Fariss, C. J., Anders, T., Markowitz, J. N. & Barnum, M. 2022. New
    estimates of over 500 years of historic GDP and population data. Journal
    of Conflict Resolution 66(3): 553-591.
    World Bank. World Development Indicators, NY.GDP.MKTP.CD and NY.GDP.MKTP.PP.KD.
    """
    if source == "maddison":
        require_columns(frame, ["maddison_gdppc", "maddison_pop"], "Run add_gdp(frame, source='maddison') first.")
        values = frame["maddison_gdppc"].to_numpy(np.float64, na_value=np.nan) * frame["maddison_pop"].to_numpy(
            np.float64, na_value=np.nan
        ) / 1000.0
        dataset, label, citation = _maddison_of(frame)
        info = MeasureInfo("gdp", "gdp", f"GDP ({label})", "million 2011 international dollars", (dataset,), citation)
        return with_measure(frame, "gdp", values, info)
    if source == "worldbank":
        require_columns(frame, ["wb_gdp"], "Run add_gdp(frame, source='worldbank') first.")
        info = MeasureInfo(
            "gdp_wb", "gdp_wb", "GDP (World Bank WDI, NY.GDP.MKTP.CD)", "current US dollars", ("wb_gdp",), _WB_CITATION
        )
        return with_measure(frame, "gdp_wb", frame["wb_gdp"].to_numpy(np.float64, na_value=np.nan), info)
    if source == "ppp":
        require_columns(frame, ["wb_gdp_ppp"], "Run add_gdp(frame, source='ppp') first.")
        info = MeasureInfo(
            "gdp_ppp", "gdp_ppp", "GDP at PPP (World Bank WDI, NY.GDP.MKTP.PP.KD)",
            "million constant 2021 international dollars", ("wb_gdp_ppp",), _WB_CITATION,
        )
        return with_measure(frame, "gdp_ppp", frame["wb_gdp_ppp"].to_numpy(np.float64, na_value=np.nan) / 1e6, info)
    if source == "fariss":
        return _with_sd(frame, "gdp_fariss", "fariss_gdp", "GDP, latent (Fariss et al. 2022)",
                        "million 2017 international dollars", "Run add_gdp(frame, source='fariss') first.")
    raise PowerError(f"source must be 'maddison', 'worldbank', 'ppp' or 'fariss', not {source!r}.")


_FARISS_CITATION = (
    "Fariss, C. J., Anders, T., Markowitz, J. N. & Barnum, M. 2022. New estimates of over 500 years of historic "
    "GDP and population data. Journal of Conflict Resolution 66(3): 553-591 (via the R package isard 0.2.0)."
)
_MADDISON_2023_CITATION = (
    "Bolt, J. & van Zanden, J. L. 2024. Maddison style estimates of the evolution of the world economy: "
    "a new 2023 update. Journal of Economic Surveys 1-41."
)


def _maddison_of(frame: pd.DataFrame) -> tuple[str, str, str]:
    """The Maddison data set ``add_gdp`` joined (2023 unless the frame records 2020), its label and citation."""
    dataset = frame.attrs.get("sources", {}).get("maddison_gdppc", "maddison_2023")
    if dataset == "maddison_2020":
        return dataset, "Maddison Project 2020", _MADDISON_CITATION
    return dataset, "Maddison Project 2023", _MADDISON_2023_CITATION


def _with_sd(frame: pd.DataFrame, column: str, raw: str, label: str, unit: str, hint: str) -> pd.DataFrame:
    """A Fariss et al. estimate as a measure, with its standard deviation in ``<column>_sd``."""
    require_columns(frame, [raw, f"{raw}_sd"], hint)
    info = MeasureInfo(column, column, label, unit, ("isard_gdppop",), _FARISS_CITATION,
                       notes=f"posterior standard deviation in {column}_sd")
    out = with_measure(frame, column, frame[raw].to_numpy(np.float64, na_value=np.nan), info)
    out[f"{column}_sd"] = frame[f"{raw}_sd"].to_numpy(np.float64, na_value=np.nan)
    out.attrs["measures"][column]["sd_column"] = f"{column}_sd"
    return out


def population(frame: pd.DataFrame, source: str = "nmc") -> pd.DataFrame:
    """Total population.

    ``source="nmc"`` gives ``population`` (NMC ``tpop``, thousands, 1816-2022);
    ``"worldbank"`` gives ``population_wb`` (persons, 1960-2024); ``"maddison"``
    gives ``population_maddison`` (thousands; Maddison 2023 to 2022, or the
    version ``add_gdp`` joined); ``"fariss"`` gives ``population_fariss``
    (Fariss et al.'s latent population, millions, 1816-2019) with its
    posterior standard deviation in ``population_fariss_sd``.

    References
    ----------
    Singer, Bremer & Stuckey 1972 (NMC); World Bank, WDI SP.POP.TOTL;
    Bolt & van Zanden 2024 (Maddison Project 2023); Fariss et al. 2022.
    """
    if source == "fariss":
        return _with_sd(frame, "population_fariss", "fariss_pop", "population, latent (Fariss et al. 2022)",
                        "millions", "Run add_gdp(frame, source='fariss') first.")
    maddison, maddison_label, maddison_citation = _maddison_of(frame)
    choices = {
        "nmc": ("tpop", "population", "population (COW NMC)", "thousands", ("cow_nmc_7",), _NMC_CITATION, CAPABILITIES_HINT),
        "worldbank": ("wb_population", "population_wb", "population (World Bank WDI, SP.POP.TOTL)", "persons",
                      ("wb_population",), _WB_CITATION, "Run add_population(frame) first."),
        "maddison": ("maddison_pop", "population_maddison", f"population ({maddison_label})", "thousands",
                     (maddison,), maddison_citation, "Run add_gdp(frame, source='maddison') first."),
    }
    if source not in choices:
        raise PowerError(f"source must be one of {', '.join(choices)}, fariss, not {source!r}.")
    raw, column, label, unit, sources, citation, hint = choices[source]
    require_columns(frame, [raw], hint)
    info = MeasureInfo(column, column, label, unit, sources, citation)
    return with_measure(frame, column, frame[raw].to_numpy(np.float64, na_value=np.nan), info)


def net_power(frame: pd.DataFrame, source: str = "maddison") -> pd.DataFrame:
    """Beckley's net power: GDP times GDP per capita.

    Parameters
    ----------
    frame
        State-year table with Maddison GDP per capita and population
        (``add_gdp``), or World Bank GDP and population.
    source
        ``"maddison"`` (column ``net_power``) or ``"worldbank"`` (``net_power_wb``).

    Notes
    -----
    :math:`NP = GDP \\times GDP/pop`: GDP discounted by the costs of a large
    population (welfare, security), so that a rich state counts for more than
    a populous one of the same GDP.  Maddison: GDP in million 2011 int. $ and
    GDP per capita in 2011 int. $; World Bank: current US$ and US$ per person.
    Only ratios and shares of the index have a meaning.

    References
    ----------
    Beckley, M. 2018. The power of nations: measuring what matters.
    International Security 43(2): 7-44.
    """
    if source == "maddison":
        require_columns(frame, ["maddison_gdppc", "maddison_pop"], "Run add_gdp(frame, source='maddison') first.")
        per_capita = frame["maddison_gdppc"].to_numpy(np.float64, na_value=np.nan)
        total = per_capita * frame["maddison_pop"].to_numpy(np.float64, na_value=np.nan) / 1000.0
        dataset, label, citation = _maddison_of(frame)
        info = MeasureInfo(
            "net_power", "net_power", f"net power, GDP x GDP per capita ({label})",
            "million 2011 int. $ x 2011 int. $ per person", (dataset,), _BECKLEY_CITATION + " " + citation,
        )
        return with_measure(frame, "net_power", total * per_capita, info)
    if source == "worldbank":
        require_columns(frame, ["wb_gdp", "wb_population"], "Run add_gdp(frame, source='worldbank') and add_population(frame) first.")
        total = frame["wb_gdp"].to_numpy(np.float64, na_value=np.nan)
        people = frame["wb_population"].to_numpy(np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(people > 0, total * total / people, np.nan)
        info = MeasureInfo(
            "net_power_wb", "net_power_wb", "net power, GDP x GDP per capita (World Bank)",
            "current US$ x US$ per person", ("wb_gdp", "wb_population"), _BECKLEY_CITATION + " " + _WB_CITATION,
        )
        return with_measure(frame, "net_power_wb", values, info)
    raise PowerError(f"source must be 'maddison' or 'worldbank', not {source!r}.")


def nmc_component(frame: pd.DataFrame, component: str) -> pd.DataFrame:
    """One NMC component as a measure: ``milper``, ``irst``, ``pec``, ``tpop`` or ``upop`` (as published).

    Units: military personnel and populations in thousands; iron and steel in
    thousand tons; energy in thousand coal-ton equivalents.
    """
    units = {
        "milper": ("military personnel (COW NMC)", "thousands"),
        "irst": ("iron and steel production (COW NMC)", "thousand tons"),
        "pec": ("primary energy consumption (COW NMC)", "thousand coal-ton equivalents"),
        "tpop": ("total population (COW NMC)", "thousands"),
        "upop": ("urban population (COW NMC)", "thousands"),
    }
    if component not in units:
        raise PowerError(f"component must be one of {', '.join(units)}, not {component!r}.")
    require_columns(frame, [component], CAPABILITIES_HINT)
    label, unit = units[component]
    info = MeasureInfo(component, component, label, unit, ("cow_nmc_7",), _NMC_CITATION)
    out = with_measure(frame, component, frame[component].to_numpy(np.float64, na_value=np.nan), info)
    return out
