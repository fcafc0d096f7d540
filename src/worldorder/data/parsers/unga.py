"""United Nations General Assembly ideal points (Bailey, Strezhnev & Voeten)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._common import require_columns, to_int


def parse_ideal_points(path: Path) -> pd.DataFrame:
    """Parse the Stata file of UNGA ideal points (version of July 2025).

    Column names are lower-cased (``nvotesLegacy`` becomes ``nvoteslegacy``);
    blank ``iso3c`` and ``countryname`` become null; ``ccode`` and ``year``
    become int64, the vote counts nullable Int64, and the estimates (stored as
    float32) float64.

    Parameters
    ----------
    path : pathlib.Path
        ``unga/IdealpointsJuly2025.dta``.

    Returns
    -------
    pandas.DataFrame
        One row per state (``ccode``) and year.
    """
    raw = pd.read_stata(path, convert_categoricals=False)
    out = raw.rename(columns=str.lower)
    require_columns(out, ["ccode", "iso3c", "countryname", "year", "idealpointfp"], path)
    for column in ("iso3c", "countryname"):
        text = out[column].astype("str").str.strip()
        out[column] = text.where(text != "")
    counts = [column for column in out.columns if column.startswith("nvotes")]
    estimates = [c for c in out.columns if c not in {"ccode", "iso3c", "countryname", "year", *counts}]
    out[estimates] = out[estimates].astype("float64")
    out = to_int(out, ["ccode", "year"])
    out[counts] = out[counts].astype("Int64")
    return out
