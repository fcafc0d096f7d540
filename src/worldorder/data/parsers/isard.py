"""R data files of the R package isard (Miller): democracy, latent GDP and COW/G-W panels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._common import read_r_frame, require_columns, to_int

#: Columns of state codes and years; every other numeric column is a measurement.
CODE_COLUMNS = ("ccode", "gwcode", "year")


def _read_one(path: Path, columns: list[str]) -> pd.DataFrame:
    out = read_r_frame(path)
    require_columns(out, columns, path)
    return out


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    """Codes and years become integers (Int64 where R has NA); text stays text."""
    out = to_int(out, [c for c in CODE_COLUMNS if c in out.columns])
    for column in out.columns:
        if column not in CODE_COLUMNS and pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype("string")
    return out


def parse_cw_democracy(path: Path) -> pd.DataFrame:
    """Parse ``isard/cw_democracy.rda``: democracy scores of COW state-years.

    No missing-value codes are used (R NA only), so every value is kept as
    published: ``polity2`` runs from -10 to 10 and -9 is a real score.

    Returns
    -------
    pandas.DataFrame
        ``ccode, year`` (int64), ``euds, aeuds, polity2, v2x_polyarchy``
        (float64, NaN where the source has no value).
    """
    out = _read_one(path, ["ccode", "year", "euds", "aeuds", "polity2", "v2x_polyarchy"])
    return _typed(out)


def parse_cw_gdppop(path: Path) -> pd.DataFrame:
    """Parse ``isard/cw_gdppop.rda``: Fariss et al. (2022) latent GDP and population.

    Returns
    -------
    pandas.DataFrame
        ``ccode, year`` (int64) and the estimates with their posterior standard
        deviations, unchanged: ``mrgdppc, sd_mrgdppc`` (2011 international
        dollars per person), ``pwtrgdp, sd_pwtrgdp`` (millions of 2017
        international dollars), ``pwtpop, sd_pwtpop`` (millions of persons).
    """
    columns = ["ccode", "year", "mrgdppc", "sd_mrgdppc", "pwtrgdp", "sd_pwtrgdp", "pwtpop", "sd_pwtpop"]
    return _typed(_read_one(path, columns))


def parse_cw_gw_panel(path: Path) -> pd.DataFrame:
    """Parse ``isard/cw_gw_panel.rda``: COW state-years with their Gleditsch-Ward codes.

    The file's rows whose ``ccode`` is NA are leftover G-W-only state-years
    outside the COW population (210 rows, for example GFR 260 in 1991-2025);
    they are dropped, so that ``(ccode, year)`` is unique and the table holds
    exactly the COW state-years.  ``gwcode`` stays NA where G-W has no state.

    Returns
    -------
    pandas.DataFrame
        ``stateabb, year, gwcode, ccode, gw_name, cw_name``.
    """
    out = _read_one(path, ["stateabb", "year", "gwcode", "ccode", "gw_name", "cw_name"])
    out = out[out["ccode"].notna()].reset_index(drop=True)
    return _typed(out)


def parse_gw_cw_panel(path: Path) -> pd.DataFrame:
    """Parse ``isard/gw_cw_panel.rda``: G-W state-years (microstates included) with COW codes.

    Every row is kept; ``ccode`` is NA for G-W state-years outside the COW
    system (3,187 rows).

    Returns
    -------
    pandas.DataFrame
        ``stateabb, year, gwcode, ccode, gw_name, cw_name``.
    """
    out = _read_one(path, ["stateabb", "year", "gwcode", "ccode", "gw_name", "cw_name"])
    return _typed(out)
