"""Energy interdependence: IEA gas trade flows, bp and Energy Institute gas trade, Eurostat gas imports."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

#: Regional subtotal rows of bp's pipeline-trade matrix.  The parser checks
#: that the rows it keeps add up to the sheet's "Total exports" row, so a
#: subtotal missing from this list is caught rather than double counted.
BP_REGION_SUBTOTALS = frozenset(
    {"North America", "S. & Cent. America", "Europe", "CIS", "Middle East", "Africa", "Asia Pacific"}
)


def _numbers(values: pd.DataFrame | pd.Series, missing: list[str], path: Path):
    """``values`` as floats, with each text in ``missing`` null; other text is an error."""
    cleaned = values.replace(missing, np.nan)
    try:
        return cleaned.apply(pd.to_numeric) if isinstance(cleaned, pd.DataFrame) else pd.to_numeric(cleaned)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path}: unexpected non-numeric cell ({error})") from error


def _rows_labelled(labels: pd.Series, mask: pd.Series, what: str, path: Path) -> pd.Index:
    """Index of the rows where ``mask`` holds; a ``ValueError`` naming ``what`` and the file if none."""
    found = labels.index[mask.to_numpy()]
    if found.empty:
        raise ValueError(f"{path}: no row {what} in the sheet; is it the registered version?")
    return found


def parse_iea_gas_trade_flows(path: Path) -> pd.DataFrame:
    """Parse the IEA Gas Trade Flows workbook (monthly flows by border point).

    The sheet has one row per border point and direction (``Exit --> Entry``)
    and one column per month, headed by Excel dates.  The notes at the foot
    of the sheet (rows without exit and entry) are dropped; ``N/A`` is null.
    Every border point × direction × month is kept, null where not reported.

    Parameters
    ----------
    path : pathlib.Path
        ``energy/Export_GTF_IEA_202204.xls`` or ``energy/Export_GTF_IEA_202209.xls``
        (read with xlrd).  Country names are kept as the file writes them: the
        September 2022 file calls Turkey "Republic of Türkiye" and North
        Macedonia "North Macedonia".

    Returns
    -------
    pandas.DataFrame
        ``borderpoint, exit, entry, maxflow_mm3_per_h, month, flow_mm3``:
        technical capacity in million m³ per hour, the first day of the month,
        and the month's flow in million m³ (15 °C, 760 mm Hg).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*xlrd engine is deprecated.*")
        raw = pd.read_excel(path, sheet_name=0, header=None, engine="xlrd")
    header = raw.iloc[0]
    labels = [str(value).strip() for value in header.iloc[:5]]
    if labels[0] != "Borderpoint" or labels[1] != "Exit" or labels[3] != "Entry" or not labels[4].startswith("MAXFLOW"):
        raise ValueError(f"{path}: unexpected header {labels}; expected Borderpoint, Exit, -, Entry, MAXFLOW (Mm3/h)")
    months = pd.to_datetime(header.iloc[5:], errors="coerce")
    if months.isna().any() or not (months.dt.day == 1).all():
        raise ValueError(f"{path}: the month columns are not all dates on the first of a month")
    body = raw.iloc[1:]
    body = body[body[1].notna() & body[3].notna()]  # the notes at the foot fill only the first column
    wide = pd.DataFrame(
        {
            "borderpoint": body[0].astype("str").str.strip(),
            "exit": body[1].astype("str").str.strip(),
            "entry": body[3].astype("str").str.strip(),
            "maxflow_mm3_per_h": _numbers(body[4], ["N/A"], path).astype("float64"),
        }
    )
    flows = _numbers(body.iloc[:, 5:], ["N/A"], path).astype("float64").to_numpy()
    rows, count = len(wide), len(months)
    out = wide.loc[wide.index.repeat(count)].reset_index(drop=True)
    out["month"] = np.tile(months.to_numpy(dtype="datetime64[ns]"), rows)
    out["flow_mm3"] = flows.reshape(-1)
    return out


def parse_bp_gas_pipeline_trade(path: Path) -> pd.DataFrame:
    """Parse bp's "Gas - Trade movts - pipeline" sheet (exporter × importer matrix).

    Rows are importers ("To"), columns exporters ("From").  The regional
    subtotal rows (:data:`BP_REGION_SUBTOTALS`), the "Total exports" row and
    the "Total imports" column are dropped.  The residual partners ("Other
    EU", "Rest of Europe", "Other Africa", ...) are real flows to or from the
    unlisted countries of a region, not sums of listed rows, so they are kept
    and flagged ``residual``.  Every zero in the sheet is displayed as "-"
    (number format ``[=0]\\-``), so zeros, blanks and "-" are absent pairs: no
    row.

    Parameters
    ----------
    path : pathlib.Path
        ``energy/bp-stats-review-2021-all-data.xlsx``; only that sheet is read.

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, year, bcm, residual``: flows in billion cubic
        metres, names as bp writes them.
    """
    raw = pd.read_excel(path, sheet_name="Gas - Trade movts - pipeline", header=None, engine="openpyxl")
    title = str(raw.iloc[0, 0])
    found = re.search(r"\b(1[89]\d\d|20\d\d)\b", title)
    if not found or "billion cubic metres" not in str(raw.iloc[1, 0]).lower():
        raise ValueError(f"{path}: expected a title with the year and 'Billion cubic metres' above the matrix")
    year = int(found.group(1))
    first = raw[0].astype("str").str.strip()
    head = _rows_labelled(first, first == "To", "labelled 'To'", path)[0]
    end = _rows_labelled(first, (first.index > head) & first.str.startswith("Total"), "'Total exports'", path)[0]
    names = raw.loc[head].iloc[1:].dropna().astype("str").str.strip()
    total_col = names.index[names.str.startswith("Total")][0]
    exporters = names[names.index < total_col]
    block = raw.loc[head + 1 : end - 1]
    block = block[block[0].notna()]
    importers = block[0].astype("str").str.strip()
    values = _numbers(block[list(exporters.index)], ["-"], path).fillna(0.0)
    values.index, values.columns = importers.to_numpy(), exporters.to_numpy()
    kept = values[~values.index.isin(BP_REGION_SUBTOTALS)]
    total_exports = _numbers(raw.loc[end, list(exporters.index)], ["-"], path).fillna(0.0).to_numpy(dtype=float)
    total_imports = _numbers(block[total_col], ["-"], path).fillna(0.0).to_numpy(dtype=float)
    if not np.allclose(kept.sum(axis=0).to_numpy(), total_exports, atol=1e-6):
        raise ValueError(f"{path}: the country rows do not add up to 'Total exports'; an unknown subtotal row?")
    if not np.allclose(values.sum(axis=1).to_numpy(), total_imports, atol=1e-6):
        raise ValueError(f"{path}: the rows do not add up to 'Total imports'")
    long = kept.rename_axis("importer").reset_index().melt(id_vars="importer", var_name="exporter", value_name="bcm")
    long = long[long["bcm"] != 0]
    residual = long["exporter"].str.match(r"(Other|Rest of) ") | long["importer"].str.match(r"(Other|Rest of) ")
    out = pd.DataFrame(
        {
            "exporter": long["exporter"].astype("str"),
            "importer": long["importer"].astype("str"),
            "year": np.int64(year),
            "bcm": long["bcm"].astype("float64"),
            "residual": residual.astype("bool"),
        }
    )
    return out.sort_values(["exporter", "importer"], kind="stable").reset_index(drop=True)


#: Flow rows of the Energy Institute's inter-regional trade sheet; "of which" rows below a pipeline row name partners.
EI_FLOWS = ("Pipeline imports", "LNG imports", "Total imports", "Pipeline exports", "LNG exports", "Total exports")
#: The sheet's world block: inter-regional totals, not a region's flows.
EI_WORLD_ROWS = ("Inter-regional pipeline trade", "LNG trade", "Total trade")
#: Markers the Statistical Review writes in place of numbers: "-" none or not applicable, "†" below 0.05, "w" below 0.05%.
EI_MARKERS = ["-", "†", "w", "n/a"]


def _ei_years(header: pd.Series, path: Path) -> pd.Series:
    """The year columns of the header: the run of increasing years, stopping before the growth-rate columns.

    The header row ends with a second "2023" (the growth rate of that year),
    "2013-23" (the ten-year growth rate) and a third "2023" (the share);
    those are not data years.
    """
    years = pd.to_numeric(header.iloc[1:], errors="coerce")
    keep = []
    for position, year in years.items():
        if pd.isna(year) or year != int(year) or (keep and year <= years[keep[-1]]):
            break
        keep.append(position)
    if len(keep) < 2:
        raise ValueError(f"{path}: no run of year columns in the header of the inter-regional trade sheet")
    return years[keep].astype("int64")


def parse_ei_gas_interregional_trade(path: Path) -> pd.DataFrame:
    """Parse the Energy Institute's "Gas - Trade movements" sheet (inter-regional gas trade by year).

    The sheet has one block per region (a title row, then its flow rows:
    pipeline, LNG and total imports and exports).  Below a pipeline row,
    "of which: X" and the rows after it name partner regions, until the next
    flow row.  The world block at the foot gives inter-regional totals.  Only
    the year columns are read: the header's second "2023" (growth rate),
    "2013-23" and third "2023" (share) are dropped.  The markers ``-``,
    ``†`` and ``w`` in place of a number are null.

    Parameters
    ----------
    path : pathlib.Path
        ``energy/ei-stats-review-2024-all-data.xlsx``; only that sheet is read.

    Returns
    -------
    pandas.DataFrame
        ``region, flow, partner, year, bcm``: ``partner`` is empty for a
        region's total flow and names the partner region for the "of which"
        rows (a partial breakdown: Russia's pipeline exports list Europe and
        Other CIS, while China is listed under China's imports).  Billion
        cubic metres (15 °C, 1013 mbar, GCV 40 MJ/m³); inter-regional trade
        only, intra-regional trade excluded.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*no default style.*")
        raw = pd.read_excel(path, sheet_name="Gas - Trade movements", header=None, engine="openpyxl")
    first = raw[0].map(lambda value: "" if pd.isna(value) else str(value).strip())
    unit_row = _rows_labelled(first, first.str.lower() == "billion cubic metres", "labelled 'Billion cubic metres'", path)[0]
    years = _ei_years(raw.loc[unit_row], path)
    values = _numbers(raw[list(years.index)], EI_MARKERS, path)
    records = []
    region = flow = None
    for index in raw.index[raw.index > unit_row]:
        label = first[index]
        if not label or label.startswith(("*", "†", "Note", "Pipeline trade excludes")) or re.match(r"w\s*Less", label):
            continue
        row = values.loc[index]
        name = label.rstrip("*").strip()
        if row.isna().all() and name not in EI_FLOWS:
            region, flow = name, None
            continue
        if region is None:
            raise ValueError(f"{path}: data row {label!r} before any region title")
        if name in EI_FLOWS or (region == "World" and name in EI_WORLD_ROWS):
            flow, partner = name, ""
        elif name.startswith("of which:") or (flow is not None and flow.startswith("Pipeline") and records and records[-1][2]):
            if flow is None or not flow.startswith("Pipeline"):
                raise ValueError(f"{path}: partner row {label!r} under {flow!r} in {region!r}; expected under a pipeline row")
            partner = name.removeprefix("of which:").strip()
        else:
            raise ValueError(f"{path}: unexpected row {label!r} in {region!r}; is it the registered version?")
        records.extend((region, flow, partner, int(year), row[column]) for column, year in years.items())
    if not records:
        raise ValueError(f"{path}: no data rows in the inter-regional trade sheet")
    out = pd.DataFrame(records, columns=["region", "flow", "partner", "year", "bcm"])
    return out.astype({"region": "str", "flow": "str", "partner": "str", "year": "int64", "bcm": "float64"})


def _eurostat_sheet(sheet: pd.DataFrame, path: Path) -> pd.DataFrame:
    first = sheet[0].astype("str").str.strip()
    meta = dict(zip(first, sheet[2]))
    product = meta.get("Standard international energy product classification (SIEC)")
    partner = meta.get("Geopolitical entity (partner)")
    unit = str(meta.get("Unit of measure", ""))
    if product is None or partner is None or not unit.startswith("Terajoule"):
        raise ValueError(f"{path}: a data sheet lacks its product, partner or terajoule unit rows")
    time_row = _rows_labelled(first, first == "TIME", "labelled 'TIME'", path)[0]
    start = _rows_labelled(first, first == "GEO (Labels)", "labelled 'GEO (Labels)'", path)[0] + 1
    ends = (first.index > start) & (sheet[0].isna() | (first == "Special value"))
    stop = _rows_labelled(first, ends, "ending the table", path)[0]
    years = sheet.loc[time_row].iloc[1:].dropna()
    years = pd.to_numeric(years[years.astype("str").str.strip() != ""])
    block = sheet.loc[start : stop - 1, [0, *years.index]]
    values = _numbers(block[list(years.index)], [":"], path)
    values.columns = years.astype("int64").to_numpy()
    values.insert(0, "country", block[0].astype("str").str.strip())
    long = values.melt(id_vars="country", var_name="year", value_name="terajoules")
    long["product"] = str(product).strip()
    long["partner"] = "All partners" if str(partner).strip() == "Total" else str(partner).strip()
    return long


def parse_eurostat_gas_imports(path: Path) -> pd.DataFrame:
    """Parse the Eurostat ``nrg_ti_gas`` custom extract (one sheet per product × partner).

    The data sheets ("Sheet 1" ... "Sheet 4") each hold one product (natural
    gas, liquefied natural gas) and one partner (Russia, Total) as a
    country × year table; the partner "Total" is called "All partners".  ":"
    (not available) is null.  The EU and euro-area rows are kept and flagged
    ``aggregate``.

    Parameters
    ----------
    path : pathlib.Path
        ``energy/eurostat_nrg_ti_gas_custom_imports_by_partner_2011-2020.xlsx``.

    Returns
    -------
    pandas.DataFrame
        ``country, year, product, partner, terajoules, aggregate``: annual
        imports in terajoules (gross calorific value).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*no default style.*")
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = [name for name in book.sheet_names if re.fullmatch(r"Sheet \d+", name)]
            if not names:
                raise ValueError(f"{path}: no data sheets named 'Sheet N'; sheets are {book.sheet_names}")
            sheets = pd.read_excel(book, sheet_name=names, header=None)
    long = pd.concat([_eurostat_sheet(sheets[name], path) for name in names], ignore_index=True)
    country = long["country"].astype("str")
    out = pd.DataFrame(
        {
            "country": country,
            "year": long["year"].astype("int64"),
            "product": long["product"].astype("str"),
            "partner": long["partner"].astype("str"),
            "terajoules": long["terajoules"].astype("float64"),
            "aggregate": country.str.match(r"(European Union|Euro area)\b").astype("bool"),
        }
    )
    return out
