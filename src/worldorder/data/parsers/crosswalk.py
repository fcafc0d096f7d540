"""Country-code crosswalks: the ``countrycode`` R package's code list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._common import require_columns

#: Numeric code columns (after renaming) read as nullable Int64.  ``genc3n``
#: stays text because its codes carry leading zeros ("004").
INTEGER_COLUMNS = (
    "cown",
    "gwn",
    "iso3n",
    "fao",
    "gaul",
    "imf",
    "iso4217n",
    "p4n",
    "p5n",
    "telephone",
    "un",
    "un_region_code",
    "un_regionintermediate_code",
    "un_regionsub_code",
    "unpd",
    "vdem",
    "wvs",
)


def parse_codelist(path: Path) -> pd.DataFrame:
    """Parse ``codelist_without_cldr.csv`` from the countrycode package.

    Every column is kept; dots in names become underscores
    (``country.name.en`` -> ``country_name_en``).  Only empty cells are
    missing: the text ``NA`` is Namibia's ISO2 code, not a null.

    Parameters
    ----------
    path : pathlib.Path
        ``crosswalk/codelist_without_cldr.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per country or historical state; the numeric codes in
        :data:`INTEGER_COLUMNS` as nullable Int64, the rest as text.
    """
    raw = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""], encoding="utf-8")
    out = raw.rename(columns=lambda name: name.replace(".", "_"))
    require_columns(out, ["country_name_en", "iso3c", "cown", "gwn", "iso3n"], path)
    present = [column for column in INTEGER_COLUMNS if column in out.columns]
    out[present] = out[present].apply(pd.to_numeric).astype("Int64")
    return out
