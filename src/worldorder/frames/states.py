"""Joins of state-level sources: capabilities, GDP, population, military spending, majors, ideal points."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from worldorder.store import open_store
from worldorder.frames.base import DYAD_YEAR, FrameError, STATE_YEAR, _stamp, _unit, coverage
from worldorder.frames.lookup import StateValues, _attach_state_values, _selected, _state_source, _state_values


NMC_VERSIONS = {7: "cow_nmc_7", 6: "cow_nmc_6"}


MAJORS_VERSIONS = {"2024": "cow_majors_2024", "2016": "cow_majors_2016"}


NMC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")


def add_capabilities(
    frame: pd.DataFrame, version: int = 7, columns: Iterable[str] | None = None, fill: str | None = None, db=None
) -> pd.DataFrame:
    """Add the six National Material Capabilities components and CINC.

    Columns ``milex, milper, irst, pec, tpop, upop, cinc`` (suffixed 1 and 2 on
    dyad-years), or the subset named in ``columns``.  ``milex`` is in thousands
    of current British pounds for 1816-1913 and thousands of current US dollars
    from 1914, as published.

    Notes
    -----
    CINC is the mean of a state's shares of the system totals of the six
    components: :math:`CINC_i = \\frac{1}{6}\\sum_k x_{ik} / \\sum_j x_{jk}`.

    References
    ----------
    Singer, J. D., Bremer, S. & Stuckey, J. 1972. Capability distribution,
    uncertainty, and major power war, 1820-1965. In Russett (ed.), Peace, War,
    and Numbers, 19-48.
    """
    if version not in NMC_VERSIONS:
        raise FrameError(f"version must be one of {sorted(NMC_VERSIONS)}, not {version!r}.")
    name = NMC_VERSIONS[version]
    values = _state_source(name, (*NMC_COMPONENTS, "cinc"), _stamp([name], db))
    return _attach_state_values(frame, _selected(values, columns), fill=fill)


def _period_crosswalk(table: pd.DataFrame, source: str, db) -> pd.DataFrame:
    """Attach COW codes to an ISO3-coded table, by period (the splice table of worldorder.successions)."""
    from worldorder.successions import source_units

    crosswalk = source_units(source, "cow", db=db).drop(columns="note")
    joined = table.merge(crosswalk, on="iso3", how="inner")
    inside = (joined["year"] >= joined["first_year"]) & (joined["year"] <= joined["last_year"])
    return joined[inside].drop(columns=["first_year", "last_year"])


_CROSSWALK_SETS = ["cow_states_2024", "countrycode_codelist"]


@lru_cache(maxsize=16)
def _iso_source(name: str, columns: tuple[str, ...], crosswalk_source: str, stamp: tuple):
    table = open_store(stamp[0]).table(name)
    if "aggregate" in table.columns:
        table = table[~table["aggregate"].astype(bool)]
    table = _period_crosswalk(table, crosswalk_source, stamp[0])
    return _state_values(table, columns)


MADDISON_VERSIONS = {"2023": "maddison_2023", "2020": "maddison_2020"}


def _with_sources(frame: pd.DataFrame, sources: dict[str, str]) -> pd.DataFrame:
    """Record in ``frame.attrs["sources"]`` the data set each new column came from."""
    frame.attrs["sources"] = {**frame.attrs.get("sources", {}), **sources}
    return frame


def add_gdp(frame: pd.DataFrame, source: str = "maddison", fill: str | None = None, version: str = "2023", db=None) -> pd.DataFrame:
    """Add gross domestic product.

    ``source="maddison"`` adds ``maddison_gdp`` (2011 international dollars),
    ``maddison_gdppc`` and ``maddison_pop`` (thousands) from the Maddison
    Project Database ``version`` 2023 (to 2022, the default) or 2020 (to 2018);
    ``source="worldbank"`` adds ``wb_gdp`` (current US dollars), 1960-2023;
    ``source="ppp"`` adds ``wb_gdp_ppp`` (World Bank GDP at purchasing power
    parity, constant 2021 international dollars), 1990-2024;
    ``source="fariss"`` adds Fariss et al.'s latent ``fariss_gdp`` (millions
    of 2017 international dollars) and ``fariss_pop`` (millions) with their
    posterior standard deviations ``fariss_gdp_sd`` and ``fariss_pop_sd``,
    1816-2019.  ISO-coded sources reach state codes through the splice table
    of :mod:`worldorder.successions` (one unit per state-year, so Maddison's
    USSR, Yugoslavia and Czechoslovakia never count beside their successors).
    ``frame.attrs["sources"]`` records the data set of each new column.

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
        if str(version) not in MADDISON_VERSIONS:
            raise FrameError(f"Maddison version must be one of {', '.join(MADDISON_VERSIONS)}, not {version!r}.")
        name = MADDISON_VERSIONS[str(version)]
        values = _iso_source(name, ("gdp", "gdppc", "pop"), "maddison", _stamp([name, *_CROSSWALK_SETS], db))
        values = values.renamed(["maddison_gdp", "maddison_gdppc", "maddison_pop"])
    elif source in ("worldbank", "ppp"):
        name, column, renamed = ("wb_gdp", "gdp_usd", "wb_gdp") if source == "worldbank" else ("wb_gdp_ppp", "gdp_ppp", "wb_gdp_ppp")
        values = _iso_source(name, (column,), "worldbank", _stamp([name, *_CROSSWALK_SETS], db)).renamed([renamed])
    elif source == "fariss":
        name = "isard_gdppop"
        values = _state_source(name, ("pwtrgdp", "sd_pwtrgdp", "pwtpop", "sd_pwtpop"), _stamp([name], db))
        values = values.renamed(["fariss_gdp", "fariss_gdp_sd", "fariss_pop", "fariss_pop_sd"])
    else:
        raise FrameError(f"source must be 'maddison', 'worldbank', 'ppp' or 'fariss', not {source!r}.")
    out = _attach_state_values(frame, values, fill=fill)
    return _with_sources(out, {column: name for column in values.names})


def add_trade_openness(frame: pd.DataFrame, fill: str | None = None, db=None) -> pd.DataFrame:
    """Add ``wb_trade_gdp_pct``: exports plus imports of goods and services in percent of GDP.

    World Bank WDI NE.TRD.GNFS.ZS (as processed by Our World in Data),
    1960-2023; a 0 in the file means missing and is null here.

    Notes
    -----
    .. math:: \\mathrm{wb\\_trade\\_gdp\\_pct}_{it} = 100 \\, (X_{it} + M_{it}) / Y_{it}

    References
    ----------
    World Bank. World Development Indicators, NE.TRD.GNFS.ZS.
    """
    name = "wb_trade_share"
    values = _iso_source(name, ("trade_gdp_pct",), "worldbank", _stamp([name, *_CROSSWALK_SETS], db))
    out = _attach_state_values(frame, values.renamed(["wb_trade_gdp_pct"]), fill=fill)
    return _with_sources(out, {"wb_trade_gdp_pct": name})


def add_population(frame: pd.DataFrame, source: str = "worldbank", fill: str | None = None, db=None) -> pd.DataFrame:
    """Add total population: ``wb_population`` (persons, 1960-2024) from the World Bank."""
    if source != "worldbank":
        raise FrameError(
            "add_population supports source='worldbank'; Maddison's population comes with "
            "add_gdp and NMC's with add_capabilities."
        )
    stamp = _stamp(["wb_population", *_CROSSWALK_SETS], db)
    values = _iso_source("wb_population", ("population",), "worldbank", stamp)
    return _attach_state_values(frame, values.renamed(["wb_population"]), fill=fill)


def add_milex(frame: pd.DataFrame, source: str = "worldbank", fill: str | None = None, db=None) -> pd.DataFrame:
    """Add military expenditure.

    ``source="worldbank"`` adds ``wb_milex_gdp_pct`` (MS.MIL.XPND.GD.ZS, % of
    GDP; SIPRI's series) and ``wb_milex_usd`` = share / 100 x GDP in current US
    dollars.  ``source="nmc"`` adds NMC ``milex`` with ``milex_usd_era`` (1 from
    1914, when the unit is US dollars; 0 before, when it is British pounds).
    """
    if source == "worldbank":
        stamp = _stamp(["wb_milex_gdp_share", *_CROSSWALK_SETS], db)
        values = _iso_source("wb_milex_gdp_share", ("milex_gdp_pct",), "worldbank", stamp)
        out = _attach_state_values(frame, values.renamed(["wb_milex_gdp_pct"]), fill=fill)
        gdp = add_gdp(frame, source="worldbank", fill=fill, db=db)
        for side in [""] if _unit(frame) == STATE_YEAR else ["1", "2"]:
            out[f"wb_milex_usd{side}"] = out[f"wb_milex_gdp_pct{side}"] / 100 * gdp[f"wb_gdp{side}"]
        return out
    if source == "nmc":
        values = _state_source("cow_nmc_7", ("milex",), _stamp(["cow_nmc_7"], db))
        out = _attach_state_values(frame, values, fill=fill)
        out["milex_usd_era"] = (frame["year"] >= 1914).astype("int8")
        return out
    raise FrameError(f"source must be 'worldbank' or 'nmc', not {source!r}.")


@lru_cache(maxsize=4)
def _majors(name: str, stamp: tuple) -> StateValues:
    spells = open_store(stamp[0]).table(name)
    lengths = (spells["endyear"] - spells["styear"] + 1).to_numpy(np.int64)
    years = pd.DataFrame(
        {
            "ccode": np.repeat(spells["ccode"].to_numpy(np.int64), lengths),
            "year": np.concatenate([np.arange(a, b + 1) for a, b in zip(spells["styear"], spells["endyear"])]),
        }
    ).drop_duplicates()
    return _state_values(years.assign(major=1.0), ["major"], absent=0.0, span=coverage(name))


def add_majors(frame: pd.DataFrame, version: str = "2024", db=None) -> pd.DataFrame:
    """Add ``major``: 1 if a COW major power that year, else 0; NA after the file's last year."""
    if version not in MAJORS_VERSIONS:
        raise FrameError(f"version must be one of {sorted(MAJORS_VERSIONS)}, not {version!r}.")
    name = MAJORS_VERSIONS[version]
    values = _majors(name, _stamp([name], db))
    return _attach_state_values(frame, values)


def add_ideal_points(frame: pd.DataFrame, estimate: str = "idealpointfp", db=None) -> pd.DataFrame:
    """Add UN General Assembly ideal points (Bailey, Strezhnev & Voeten 2017; July 2025 data).

    State-years get ``idealpoint``; dyad-years get ``idealpoint1``, ``idealpoint2``
    and ``idealpoint_distance`` = :math:`|x_1 - x_2|`.  1946-2024 only.
    """
    if estimate not in ("idealpointfp", "idealpointall", "idealpointlegacy"):
        raise FrameError("estimate must be idealpointfp, idealpointall or idealpointlegacy.")
    values = _state_source("unga_ideal_points_2025", (estimate,), _stamp(["unga_ideal_points_2025"], db))
    out = _attach_state_values(frame, values.renamed(["idealpoint"]))
    if _unit(frame) == DYAD_YEAR:
        out["idealpoint_distance"] = (out["idealpoint1"] - out["idealpoint2"]).abs()
    return out
