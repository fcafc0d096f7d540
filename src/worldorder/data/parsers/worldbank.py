"""World Bank World Development Indicators (WDI) extracts.

Every file becomes the same long table: ``iso3, country, year, <value>,
aggregate``, one row per code and year.  World Bank regional and income
aggregates (WLD, EUU, HIC, ...) stay in the table but carry
``aggregate = True`` so that they are never mistaken for countries.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._common import require_columns, to_int

#: World Bank aggregate codes.  The 42 codes that the WDI extract of
#: 2024-11-13 (``wdi_MS.MIL.XPND.GD.ZS.csv``) marks ``region == "Aggregates"``,
#: plus the 7 aggregates that the same extract leaves without a region: the
#: income groups HIC, LIC, LMC, UMC, "Not classified" INX, and the regions
#: LCN (Latin America & Caribbean) and SSF (Sub-Saharan Africa).
WB_AGGREGATES = frozenset(
    """
    AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HPC IBD IBT IDA IDB IDX
    LAC LDC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SST TEA TEC TLA
    TMN TSA TSS WLD
    HIC LIC LMC UMC INX LCN SSF
    """.split()
)

#: ISO3-style codes of the aggregates that the R ``WDI`` extract leaves with a
#: blank ``iso3c``, keyed by their ``iso2c``.
_ISO3_OF_BLANK_AGGREGATES = {"XD": "HIC", "XM": "LIC", "XN": "LMC", "XT": "UMC", "XY": "INX"}


def _long_table(frame: pd.DataFrame, value_name: str, aggregate: pd.Series | None = None) -> pd.DataFrame:
    """Type and order a frame with columns ``iso3, country, year, value``.

    ``aggregate`` marks extra aggregate rows beyond the codes in
    :data:`WB_AGGREGATES`.
    """
    out = pd.DataFrame(
        {
            "iso3": frame["iso3"].astype("str"),
            "country": frame["country"].astype("str"),
            "year": frame["year"],
            value_name: pd.to_numeric(frame["value"]),
        }
    )
    out = to_int(out, ["year"])
    flag = out["iso3"].isin(WB_AGGREGATES)
    if aggregate is not None:
        flag = flag | aggregate.to_numpy(dtype=bool)
    out["aggregate"] = flag.astype("bool")
    return out.sort_values(["iso3", "year"], kind="stable").reset_index(drop=True)


def _parse_datahub(path: Path, value_name: str, integer: bool) -> pd.DataFrame:
    raw = pd.read_csv(
        path,
        dtype={"Country Name": "str", "Country Code": "str"},
        keep_default_na=False,
        na_values={"Value": ["", "NA"]},
    )
    require_columns(raw, ["Country Name", "Country Code", "Year", "Value"], path)
    frame = raw.rename(columns={"Country Name": "country", "Country Code": "iso3", "Year": "year", "Value": "value"})
    out = _long_table(frame, value_name)
    return to_int(out, [value_name]) if integer else out


def parse_gdp(path: Path) -> pd.DataFrame:
    """Parse the Datahub ``gdp.csv`` (WDI NY.GDP.MKTP.CD).

    Parameters
    ----------
    path : pathlib.Path
        ``worldbank/gdp.csv``: ``Country Name,Country Code,Year,Value``.

    Returns
    -------
    pandas.DataFrame
        ``iso3, country, year, gdp_usd, aggregate``; GDP in current US dollars.
    """
    return _parse_datahub(path, "gdp_usd", integer=False)


def parse_population(path: Path) -> pd.DataFrame:
    """Parse the Datahub ``population.csv`` (WDI SP.POP.TOTL).

    Parameters
    ----------
    path : pathlib.Path
        ``worldbank/population.csv``: ``Country Name,Country Code,Year,Value``.

    Returns
    -------
    pandas.DataFrame
        ``iso3, country, year, population, aggregate``; population in persons.
    """
    return _parse_datahub(path, "population", integer=True)


def parse_milex_gdp_share(path: Path) -> pd.DataFrame:
    """Parse a WDI extract of MS.MIL.XPND.GD.ZS made with the R ``WDI`` client.

    The unnamed first column (an R row index) and the metadata columns are
    dropped.  ``NA`` means missing in the indicator column only (it is also
    Namibia's ``iso2c``).  The five aggregates with a blank ``iso3c`` get their
    World Bank codes (HIC, LIC, LMC, UMC, INX) from their ``iso2c``.

    Parameters
    ----------
    path : pathlib.Path
        ``worldbank/wdi_MS.MIL.XPND.GD.ZS.csv``.

    Returns
    -------
    pandas.DataFrame
        ``iso3, country, year, milex_gdp_pct, aggregate``; military
        expenditure in percent of GDP.
    """
    indicator = "MS.MIL.XPND.GD.ZS"
    raw = pd.read_csv(path, dtype="str", keep_default_na=False, na_values={indicator: ["NA", ""]})
    require_columns(raw, ["country", "iso2c", "iso3c", "year", indicator, "region"], path)
    iso3 = raw["iso3c"].where(raw["iso3c"] != "", raw["iso2c"].map(_ISO3_OF_BLANK_AGGREGATES))
    if iso3.isna().any():
        unknown = sorted(raw.loc[iso3.isna(), "country"].unique())
        raise ValueError(f"{path}: rows without an iso3c code that is not a known aggregate: {unknown}")
    frame = pd.DataFrame({"iso3": iso3, "country": raw["country"], "year": raw["year"], "value": raw[indicator]})
    return _long_table(frame, "milex_gdp_pct", aggregate=raw["region"] == "Aggregates")


#: World Bank codes of the units that Our World in Data's grapher files name
#: without a code (or with an ``OWID_`` code).  Aggregates get the World Bank's
#: aggregate code; the two territories get their World Bank code.
_OWID_CODES = {
    "OWID_WRL": "WLD",
    "OWID_EU27": "EUU",
    "OWID_HIC": "HIC",
    "OWID_LIC": "LIC",
    "OWID_LMC": "LMC",
    "OWID_UMC": "UMC",
    "OWID_KOS": "XKX",
    "East Asia and Pacific (WB)": "EAS",
    "Europe and Central Asia (WB)": "ECS",
    "European Union (27)": "EUU",
    "High-income countries": "HIC",
    "Latin America and Caribbean (WB)": "LCN",
    "Low-income countries": "LIC",
    "Lower-middle-income countries": "LMC",
    "Middle East and North Africa (WB)": "MEA",
    "Middle-income countries": "MIC",
    "North America (WB)": "NAC",
    "South Asia (WB)": "SAS",
    "Sub-Saharan Africa (WB)": "SSF",
    "Upper-middle-income countries": "UMC",
    "Faeroe Islands": "FRO",
}


def _parse_owid(path: Path, value_column: str, value_name: str) -> pd.DataFrame:
    """An Our World in Data grapher file ``Entity,Code,Year,<value>`` as a World Bank long table.

    ``OWID_*`` codes and empty codes become World Bank codes (:data:`_OWID_CODES`);
    World Bank regions of the 2024 scheme keep their ``WB_*`` codes.  Aggregates
    (World Bank aggregate codes, ``WB_*``) carry ``aggregate = True``.
    """
    raw = pd.read_csv(path, dtype={"Entity": "str", "Code": "str"}, keep_default_na=False, na_values={value_column: [""]})
    require_columns(raw, ["Entity", "Code", "Year", value_column], path)
    key = raw["Code"].where(raw["Code"] != "", raw["Entity"])
    iso3 = raw["Code"].where((raw["Code"] != "") & ~raw["Code"].str.startswith("OWID_"), key.map(_OWID_CODES))
    if iso3.isna().any():
        unknown = sorted(raw.loc[iso3.isna(), "Entity"].unique())
        raise ValueError(f"{path}: entities without a known code: {unknown}. Is it the registered version?")
    frame = pd.DataFrame({"iso3": iso3, "country": raw["Entity"], "year": raw["Year"], "value": raw[value_column]})
    return _long_table(frame, value_name, aggregate=iso3.str.startswith("WB_"))


def parse_owid_trade_share(path: Path) -> pd.DataFrame:
    """Parse OWID's "Trade as a share of GDP" (WDI NE.TRD.GNFS.ZS) grapher file.

    A value of exactly 0 means missing (a WDI artefact: Brazil 1960-1979,
    Nicaragua 1960-1972) and becomes NaN; no real economy trades nothing.

    Parameters
    ----------
    path : pathlib.Path
        ``worldbank/owid_trade-as-share-of-gdp.csv``: ``Entity,Code,Year,Trade (% of GDP)``.

    Returns
    -------
    pandas.DataFrame
        ``iso3, country, year, trade_gdp_pct, aggregate``; exports plus imports
        of goods and services in percent of GDP.

    Notes
    -----
    .. math:: \\mathrm{trade\\_gdp\\_pct} = 100 \\, (X + M) / Y
    """
    out = _parse_owid(path, "Trade (% of GDP)", "trade_gdp_pct")
    out.loc[out["trade_gdp_pct"] == 0, "trade_gdp_pct"] = float("nan")
    return out


def parse_owid_gdp_ppp(path: Path) -> pd.DataFrame:
    """Parse OWID's "gdp-worldbank" chart data (WDI NY.GDP.MKTP.PP.KD), header shortened to ``GDP``.

    Parameters
    ----------
    path : pathlib.Path
        ``worldbank/owid_gdp-worldbank_NY.GDP.MKTP.PP.KD.csv``: ``Entity,Code,Year,GDP``.

    Returns
    -------
    pandas.DataFrame
        ``iso3, country, year, gdp_ppp, aggregate``; GDP at purchasing power
        parity in constant 2021 international dollars (not millions).
    """
    out = _parse_owid(path, "GDP", "gdp_ppp")
    out["gdp_ppp"] = out["gdp_ppp"].astype("float64")
    return out
