"""The power and polarity of a bloc structure: each bloc's share of power and the effective number of blocs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from worldorder.networks.layers import NetworkError

__all__ = ["bloc_polarity", "bloc_power"]


def _power_column(power: pd.DataFrame, value: str | None) -> str:
    if value is not None:
        if value not in power.columns:
            raise NetworkError(f"The power table has no column {value!r}; it has {', '.join(power.columns)}.")
        return value
    candidates = [c for c in power.columns if c not in ("ccode", "year", "stateabb")]
    if len(candidates) != 1:
        raise NetworkError(f"Name the power column with value=; candidates: {', '.join(candidates)}.")
    return candidates[0]


def _with_power(bloc_table: pd.DataFrame, power: pd.DataFrame, value: str | None) -> tuple[pd.DataFrame, str]:
    value = _power_column(power, value)
    keys = ["ccode", "year"] if "year" in bloc_table.columns and "year" in power.columns else ["ccode"]
    right = power[[*keys, value]].drop_duplicates(keys)
    if keys == ["ccode"] and power["ccode"].duplicated().any():
        raise NetworkError("The power table has several years per state; give the bloc table a year column.")
    return bloc_table.merge(right, on=keys, how="left"), value


def bloc_power(bloc_table: pd.DataFrame, power: pd.DataFrame, value: str | None = None) -> pd.DataFrame:
    """Each bloc's share of power, by a chosen power measure.

    Parameters
    ----------
    bloc_table
        ``[year,] ccode, bloc`` (the output of :func:`blocs` and friends).
    power
        A state-year power table ``ccode, year, <value>`` (CINC, GDP, military
        spending ...) from any source.
    value
        The power column; optional when the table has only one.

    Returns
    -------
    pandas.DataFrame
        ``year, bloc, size, members`` (abbreviations, strongest first),
        ``power``, ``power_share`` (of the power of all states in the table
        with a value) and ``states_with_power``.

    Notes
    -----
    :math:`p_k = \\sum_{i \\in k} P_i / \\sum_i P_i`; states without a power
    value are left out of both sums (their count shows in ``states_with_power``).

    References
    ----------
    Singer, J. D., Bremer, S. & Stuckey, J. 1972. Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (ed.), Peace,
    War, and Numbers. Sage (CINC, the usual power measure).
    """
    joined, value = _with_power(bloc_table, power, value)
    joined = joined.assign(_has=joined[value].notna())
    if "stateabb" not in joined.columns:
        joined["stateabb"] = joined["ccode"].astype(str)
    keys = (["year"] if "year" in joined.columns else []) + ["bloc"]
    joined = joined.sort_values([*keys, value], ascending=[True] * len(keys) + [False], na_position="last")
    out = joined.groupby(keys, as_index=False, sort=True).agg(
        size=("ccode", "size"),
        members=("stateabb", lambda s: " ".join(s)),
        power=(value, "sum"),
        states_with_power=("_has", "sum"),
    )
    totals = out.groupby(keys[:-1])["power"].transform("sum") if len(keys) > 1 else out["power"].sum()
    out["power_share"] = out["power"] / totals
    out.loc[out["states_with_power"] == 0, ["power", "power_share"]] = np.nan
    return out[[*keys, "size", "members", "power", "power_share", "states_with_power"]]


def bloc_polarity(bloc_table: pd.DataFrame, power: pd.DataFrame | None = None, value: str | None = None, min_size: int = 2) -> pd.DataFrame:
    """Polarity of a bloc structure: how many blocs, how large, how much power each holds.

    Parameters
    ----------
    bloc_table
        ``[year,] ccode, bloc``.
    power
        Optional state-year power table ``ccode, year, <value>``.
    min_size
        Smallest bloc counted in ``blocs`` (singletons are states without allies).

    Returns
    -------
    pandas.DataFrame
        Per year: ``states, blocs`` (of ``min_size`` or more), ``singletons``,
        ``sizes`` (of the counted blocs, largest first), ``largest_share`` (of
        states), ``effective_blocs`` (by members); with ``power`` also
        ``effective_blocs_power``, ``largest_power_share`` and
        ``power_coverage`` (share of states with a power value).

    Notes
    -----
    The effective number of blocs (Laakso & Taagepera 1979) is

    .. math:: N_e = \\frac{1}{\\sum_k s_k^2},

    with :math:`s_k` the bloc's share of states (or of power); every bloc,
    singletons included, enters the sum.  Two equal blocs give 2; one
    dominant bloc gives close to 1.

    References
    ----------
    Laakso, M. & Taagepera, R. 1979. "Effective" number of parties: a measure
    with application to West Europe. Comparative Political Studies 12: 3-27.
    """
    if not {"ccode", "bloc"} <= set(bloc_table.columns):
        raise NetworkError("bloc_polarity needs a bloc table with ccode and bloc: run blocs() first.")
    keys = ["year"] if "year" in bloc_table.columns else []
    table = bloc_table if keys else bloc_table.assign(year=0)
    sizes = table.groupby(["year", "bloc"]).size().rename("size").reset_index()
    rows = []
    for year, group in sizes.groupby("year"):
        n = group["size"].sum()
        counted = np.sort(group["size"].to_numpy())[::-1]
        shares = counted / n
        rows.append(
            {
                "year": year,
                "states": int(n),
                "blocs": int((counted >= min_size).sum()),
                "singletons": int((counted == 1).sum()),
                "sizes": " ".join(str(int(s)) for s in counted[counted >= min_size]),
                "largest_share": float(shares.max()),
                "effective_blocs": float(1.0 / np.sum(shares**2)),
            }
        )
    out = pd.DataFrame(rows)
    if power is not None:
        shares = bloc_power(table, power, value)
        coverage = shares.groupby("year").agg(with_power=("states_with_power", "sum"), states=("size", "sum"))
        summary = shares.groupby("year").agg(
            effective_blocs_power=("power_share", lambda s: 1.0 / np.nansum(s.to_numpy() ** 2) if s.notna().any() else np.nan),
            largest_power_share=("power_share", "max"),
        )
        summary["power_coverage"] = coverage["with_power"] / coverage["states"]
        out = out.merge(summary.reset_index(), on="year", how="left")
    if not keys:
        out = out.drop(columns="year")
    return out
