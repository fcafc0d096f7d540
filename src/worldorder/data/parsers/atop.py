"""Alliance Treaty Obligations and Provisions (ATOP)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._common import require_columns, to_int

_FLAGS = ["atopally", "defense", "offense", "neutral", "nonagg", "consul"]


def parse_atop_sy(path: Path) -> pd.DataFrame:
    """Parse the ATOP state-year file.

    ``state`` is renamed ``ccode``.  The wide alliance-id columns
    ``atopid1 ... atopidN`` are kept, as nullable Int64 (null where the state
    has fewer alliances).  The constant ``version`` column is dropped (the
    version is in the registry).

    Parameters
    ----------
    path : pathlib.Path
        ``atop/atop5_1sy.csv``.

    Returns
    -------
    pandas.DataFrame
        ``ccode, year, atopally, defense, offense, neutral, nonagg, consul,
        number, transyr, atopid1 ... atopidN``.
    """
    raw = pd.read_csv(path)
    require_columns(raw, ["state", "year", *_FLAGS, "number"], path)
    out = raw.rename(columns={"state": "ccode"}).drop(columns=["version"], errors="ignore")
    ids = [column for column in out.columns if column.startswith("atopid")]
    out = to_int(out, [c for c in out.columns if c not in ids])
    out[ids] = out[ids].astype("Int64")
    return out
