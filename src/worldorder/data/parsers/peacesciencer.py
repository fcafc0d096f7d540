"""R data files bundled with the R package peacesciencer (Miller 2022)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._common import read_r_frame, to_int

#: Real-valued columns; every other numeric column holds codes, years, counts
#: or flags and becomes an integer.
REAL_COLUMNS = frozenset({"lat", "lng", "mindist"})

#: Integer code that means "missing" in the MID-style columns of gml_dirdisp.
MISSING_CODE = -9


def parse_rda(path: Path) -> pd.DataFrame:
    """Parse a peacesciencer ``.rda`` file holding one data frame.

    R stores every number as a double.  Numeric columns other than
    :data:`REAL_COLUMNS` whose values are whole numbers become int64 (nullable
    Int64 where R has NA), with the code -9 (missing, in the MID-style
    columns of ``gml_dirdisp``) set to null.  Columns of R dates become
    datetime64.  Column names are kept as in R.

    Parameters
    ----------
    path : pathlib.Path
        A ``peacesciencer/<name>.rda`` file.

    Returns
    -------
    pandas.DataFrame
        The data frame, typed.
    """
    out = read_r_frame(path)
    codes = [
        column
        for column in out.columns
        if column not in REAL_COLUMNS
        and pd.api.types.is_float_dtype(out[column])
        and (out[column].dropna() % 1 == 0).all()
    ]
    dates = [
        column
        for column in out.columns
        if out[column].dtype == object and pd.api.types.infer_dtype(out[column], skipna=True) == "date"
    ]
    out[codes] = out[codes].mask(out[codes] == MISSING_CODE)
    out = to_int(out, codes)
    for column in dates:
        out[column] = pd.to_datetime(out[column])
    return out
