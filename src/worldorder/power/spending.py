"""Military spending in US dollars: NMC's pounds before 1914 converted at a chosen rate, and the World Bank series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.power._base import MeasureInfo, PowerError, require_columns, with_measure
from worldorder.power.measures import _NMC_CITATION, _WB_CITATION, CAPABILITIES_HINT

#: US dollars per pound sterling at the gold-standard mint parity from the US
#: Coinage Act of 1837 (23.22 grains of fine gold per dollar) and the British
#: sovereign of 1816 (113.0016 grains): 113.0016 / 23.22 = 4.8665.
GOLD_PARITY_USD_PER_GBP = 4.8665

#: Mint parities by period: 1816-1833 under the US Coinage Act of 1792 (24.75
#: grains per dollar: 113.0016 / 24.75 = 4.5657), 1834-1836 under the Act of
#: 1834 (23.20 grains: 4.8708), 1837-1913 under the Act of 1837 (4.8665).
MINT_PARITY_PERIODS = ((1816, 1833, 4.5657), (1834, 1836, 4.8708), (1837, 1913, 4.8665))


def gbp_usd_rates(years, gbp_usd="parity") -> np.ndarray:
    """US dollars per pound for each year of ``years`` (used for NMC milex before 1914).

    Parameters
    ----------
    years
        Array of years.
    gbp_usd
        ``"parity"``: the gold parity 4.8665 for every year;
        ``"mint"``: the mint parity by period (:data:`MINT_PARITY_PERIODS`);
        a number: that fixed rate; a mapping or Series ``{year: rate}``: a
        yearly series of your own (for example MeasuringWorth's market rates),
        NaN for years it lacks.

    Returns
    -------
    numpy.ndarray
        Rates (float), one per year.
    """
    years = np.asarray(years, dtype=np.int64)
    if isinstance(gbp_usd, str):
        if gbp_usd == "parity":
            return np.full(len(years), GOLD_PARITY_USD_PER_GBP)
        if gbp_usd == "mint":
            rates = np.full(len(years), np.nan)
            for first, last, rate in MINT_PARITY_PERIODS:
                rates[(years >= first) & (years <= last)] = rate
            rates[years < MINT_PARITY_PERIODS[0][0]] = MINT_PARITY_PERIODS[0][2]
            return rates
        raise PowerError(f"gbp_usd must be 'parity', 'mint', a number or a {{year: rate}} mapping, not {gbp_usd!r}.")
    if isinstance(gbp_usd, (int, float, np.floating, np.integer)):
        if not gbp_usd > 0:
            raise PowerError("gbp_usd must be a positive number of dollars per pound.")
        return np.full(len(years), float(gbp_usd))
    mapping = pd.Series(gbp_usd, dtype=np.float64)
    mapping.index = mapping.index.astype(np.int64)
    return mapping.reindex(years).to_numpy()


def milex(frame: pd.DataFrame, source: str = "nmc", gbp_usd="parity") -> pd.DataFrame:
    """Military expenditure.

    Parameters
    ----------
    frame
        State-year table with NMC ``milex`` (``add_capabilities`` or
        ``add_milex(source="nmc")``) or ``wb_milex_usd`` (``add_milex(source="worldbank")``).
    source
        ``"nmc"`` (column ``milex_usd``: thousands of current US dollars,
        1816-2022) or ``"worldbank"`` (column ``milex_wb``: current US dollars,
        1960-2023, the SIPRI share of GDP times World Bank GDP).
    gbp_usd
        Dollars per pound for NMC's pre-1914 values (in thousands of pounds):
        ``"parity"`` (default, 4.8665 every year), ``"mint"``, a number, or a
        ``{year: rate}`` mapping; see :func:`gbp_usd_rates`.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with the spending column.

    Notes
    -----
    NMC: :math:`milex^{USD}_t = milex_t \\times r_t` for t < 1914 and
    :math:`milex_t` from 1914, with :math:`r_t` dollars per pound.  Both
    currencies were on gold before 1914 (the US de jure from 1900, de facto
    from 1879), so the mint parity converts pounds to gold dollars; during the
    greenback suspension (1862-1878) market rates in paper dollars were higher.
    Shares within a year, and so every polarity index and power ratio, do not
    depend on the rate; levels and growth across 1913-1914 do.

    World Bank: :math:`milex = (\\text{MS.MIL.XPND.GD.ZS} / 100) \\times \\text{NY.GDP.MKTP.CD}`.

    References
    ----------
    Officer, L. H. 1996. Between the Dollar-Sterling Gold Points: Exchange
    Rates, Parity and Market Behavior. Cambridge University Press.
    Singer, Bremer & Stuckey 1972 (NMC); World Bank, World Development
    Indicators (MS.MIL.XPND.GD.ZS, from SIPRI; NY.GDP.MKTP.CD).
    """
    if source == "nmc":
        require_columns(frame, ["milex"], CAPABILITIES_HINT)
        years = frame["year"].to_numpy(np.int64)
        raw = frame["milex"].to_numpy(np.float64, na_value=np.nan)
        rates = gbp_usd_rates(years, gbp_usd)
        values = np.where(years < 1914, raw * rates, raw)
        rate_text = (
            f"{GOLD_PARITY_USD_PER_GBP} USD per GBP (gold parity)" if isinstance(gbp_usd, str) and gbp_usd == "parity"
            else "mint parities 4.5657 (1816-33), 4.8708 (1834-36), 4.8665 (1837-1913)" if gbp_usd == "mint"
            else f"{gbp_usd} USD per GBP" if isinstance(gbp_usd, (int, float)) else "a user-supplied yearly rate"
        )
        info = MeasureInfo(
            "milex", "milex_usd", "military expenditure (COW NMC)", "thousand current US dollars",
            ("cow_nmc_7",), _NMC_CITATION, notes=f"1816-1913 converted from pounds at {rate_text}",
        )
        return with_measure(frame, "milex_usd", values, info)
    if source == "worldbank":
        require_columns(frame, ["wb_milex_usd"], "Run add_milex(frame, source='worldbank') first.")
        info = MeasureInfo(
            "milex_wb", "milex_wb", "military expenditure (World Bank/SIPRI share of GDP x GDP)", "current US dollars",
            ("wb_milex_gdp_share", "wb_gdp"), _WB_CITATION,
        )
        return with_measure(frame, "milex_wb", frame["wb_milex_usd"].to_numpy(np.float64, na_value=np.nan), info)
    raise PowerError(f"source must be 'nmc' or 'worldbank', not {source!r}.")
