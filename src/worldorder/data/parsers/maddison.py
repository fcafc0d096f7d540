"""Maddison Project Database (Groningen Growth and Development Centre): releases 2020 and 2023."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._common import read_r_frame, require_columns, to_int


def parse_maddison(path: Path) -> pd.DataFrame:
    """Parse the "Full data" sheet of the Maddison Project Database 2020 workbook.

    Only that sheet is read.  Missing GDP per capita or population stays null.

    Parameters
    ----------
    path : pathlib.Path
        ``maddison/mpd2020.xlsx``.

    Returns
    -------
    pandas.DataFrame
        ``iso3, country, year, gdppc, pop, gdp``: GDP per capita in 2011
        international dollars, mid-year population in thousands, and GDP in
        2011 international dollars.

    Notes
    -----
    .. math:: \\mathrm{gdp} = \\mathrm{gdppc} \\times \\mathrm{pop} \\times 1000
    """
    raw = pd.read_excel(
        path, sheet_name="Full data", engine="openpyxl", dtype={"countrycode": "str", "country": "str"}
    )
    require_columns(raw, ["countrycode", "country", "year", "gdppc", "pop"], path)
    out = pd.DataFrame(
        {
            "iso3": raw["countrycode"],
            "country": raw["country"],
            "year": raw["year"],
            "gdppc": pd.to_numeric(raw["gdppc"]).astype("float64"),
            "pop": pd.to_numeric(raw["pop"]).astype("float64"),
        }
    )
    out = to_int(out, ["year"])
    out["gdp"] = out["gdppc"] * out["pop"] * 1000.0
    return out


def parse_maddison_2023(path: Path) -> pd.DataFrame:
    """Parse ``MaddisonData`` (R package MaddisonData 1.1.0): the Maddison Project Database 2023 "Full data".

    The package made the table from the publisher's "Full data" sheet by
    dropping the name and region columns and the rows where both GDP per
    capita and population are missing; the values are unchanged.  The former
    states SUN, CSK and YUG stay in the table to 2022 beside their successors:
    summing all units of a year counts their territory twice (the splice table
    of :mod:`worldorder.successions` gives each state-year one unit).

    Parameters
    ----------
    path : pathlib.Path
        ``maddison/mpd2023_MaddisonData.rda``.

    Returns
    -------
    pandas.DataFrame
        ``iso3, year, gdppc, pop, gdp`` as for :func:`parse_maddison`: GDP per
        capita in 2011 international dollars, population in thousands, GDP in
        2011 international dollars.

    Notes
    -----
    .. math:: \\mathrm{gdp} = \\mathrm{gdppc} \\times \\mathrm{pop} \\times 1000
    """
    raw = read_r_frame(path)
    require_columns(raw, ["ISO", "year", "gdppc", "pop"], path)
    out = pd.DataFrame(
        {
            "iso3": raw["ISO"].astype("str").to_numpy(),
            "year": raw["year"].to_numpy(),
            "gdppc": pd.to_numeric(raw["gdppc"]).astype("float64").to_numpy(),
            "pop": pd.to_numeric(raw["pop"]).astype("float64").to_numpy(),
        }
    )
    out = to_int(out, ["year"])
    out["gdp"] = out["gdppc"] * out["pop"] * 1000.0
    return out
