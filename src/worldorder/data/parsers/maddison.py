"""Maddison Project Database (Groningen Growth and Development Centre)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._common import require_columns, to_int


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
