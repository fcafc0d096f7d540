"""Edge builders: a source table in, the tidy edges of a layer out (``year, ccode1, ccode2, weight, ...``).

They do no I/O and are vectorised (one sort or one ``groupby``, no Python loop
over rows).  Which states are vertices matters for density and centrality:
sources that list every event (alliances, contiguity, disputes) make every
member of the COW state system a vertex; sources with gaps (trade, UN votes,
gas) make only the states they report on vertices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from worldorder.networks.layers import NetworkError, _require, _year_slices

__all__ = ["alliance_edges", "atop_edges", "contiguity_edges", "dispute_edges", "similarity_edges", "trade_edges"]

_SPAN = 1000  # COW codes are below 1000


# -- shared steps of the builders ------------------------------------------------------
def _undirected(table: pd.DataFrame) -> pd.DataFrame:
    """Put each pair as (smaller code, larger code)."""
    c1 = table["ccode1"].to_numpy(np.int64)
    c2 = table["ccode2"].to_numpy(np.int64)
    return table.assign(ccode1=np.minimum(c1, c2), ccode2=np.maximum(c1, c2))


# -- alliances -------------------------------------------------------------------------
COW_TYPES = ("defense", "neutrality", "nonaggression", "entente")
ATOP_TYPES = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")


def _ordinal(flags: pd.DataFrame, levels: Mapping[str, int]) -> np.ndarray:
    value = np.zeros(len(flags))
    for column, level in levels.items():
        value = np.maximum(value, np.where(flags[column].to_numpy(np.float64, na_value=0) > 0, level, 0))
    return value


_COW_LEVELS = {"defense": 3, "neutrality": 2, "nonaggression": 2, "entente": 1}
_ATOP_LEVELS = {"atop_defense": 3, "atop_offense": 3, "atop_neutral": 2, "atop_nonagg": 2, "atop_consul": 1}


def alliance_edges(members: pd.DataFrame, types: Iterable[str] | None = None, weighting: str = "binary") -> pd.DataFrame:
    """Alliance ties from the COW member-year file: one row per allied pair and year.

    Parameters
    ----------
    members
        COW Formal Alliances v4.1 member-years: ``version4id, ccode, year,
        defense, neutrality, nonaggression, entente``.
    types
        Keep only ties with at least one of these obligations (``"defense"``,
        ``"neutrality"``, ``"nonaggression"``, ``"entente"``); all when None.
    weighting
        ``"binary"``: every tie weighs 1.  ``"ordinal"``: 3 for a defence pact,
        2 for neutrality or non-aggression, 1 for an entente (the strongest
        obligation between the pair).

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2`` (``ccode1 < ccode2``), the four 0/1 type flags,
        ``alliances`` (number of alliances the pair shares) and ``weight``.

    Notes
    -----
    Members of the same alliance in the same year are paired.  A pair's type
    flag is 1 when either member carries that obligation in any alliance the
    two share (member-level obligations can differ within an alliance).

    References
    ----------
    Gibler, D. M. 2009. International Military Alliances, 1648-2008. CQ Press.
    Small, M. & Singer, J. D. 1969. Formal alliances, 1816-1965: an extension
    of the basic data. Journal of Peace Research 6: 257-282.
    """
    _require(members, ("version4id", "ccode", "year", *COW_TYPES), "COW alliance member-years")
    members = members[["version4id", "ccode", "year", *COW_TYPES]]
    pairs = members.merge(members, on=["version4id", "year"], suffixes=("1", "2"))
    pairs = pairs[pairs["ccode1"] < pairs["ccode2"]]
    flags = pd.DataFrame(
        {t: np.fmax(pairs[f"{t}1"].to_numpy(np.float64, na_value=np.nan), pairs[f"{t}2"].to_numpy(np.float64, na_value=np.nan)) for t in COW_TYPES}
    )
    flags = flags.fillna(0.0)
    flags[["year", "ccode1", "ccode2", "version4id"]] = pairs[["year", "ccode1", "ccode2", "version4id"]].to_numpy()
    edges = flags.groupby(["year", "ccode1", "ccode2"], as_index=False).agg(
        **{t: (t, "max") for t in COW_TYPES}, alliances=("version4id", "nunique")
    )
    return _typed_weights(edges, COW_TYPES, _COW_LEVELS, types, weighting)


def atop_edges(atop: pd.DataFrame, types: Iterable[str] | None = None, weighting: str = "binary") -> pd.DataFrame:
    """Alliance ties from ATOP dyad-years (as distributed by peacesciencer).

    Parameters
    ----------
    atop
        ``ccode1, ccode2, year, atop_defense, atop_offense, atop_neutral,
        atop_nonagg, atop_consul`` (undirected).
    types
        Keep only ties with one of these obligations (names with or without
        the ``atop_`` prefix).
    weighting
        ``"binary"`` or ``"ordinal"`` (3 defence or offence, 2 neutrality or
        non-aggression, 1 consultation).

    References
    ----------
    Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. 2002. Alliance
    Treaty Obligations and Provisions, 1815-1944. International Interactions
    28: 237-260.
    """
    _require(atop, ("ccode1", "ccode2", "year", *ATOP_TYPES), "ATOP dyad-years")
    table = _undirected(atop[["year", "ccode1", "ccode2", *ATOP_TYPES]])
    table = table[table["ccode1"] != table["ccode2"]]
    edges = table.groupby(["year", "ccode1", "ccode2"], as_index=False)[list(ATOP_TYPES)].max()
    edges[list(ATOP_TYPES)] = edges[list(ATOP_TYPES)].fillna(0.0).astype(np.float64)
    if types is not None:
        types = [t if t.startswith("atop_") else f"atop_{t}" for t in types]
    return _typed_weights(edges, ATOP_TYPES, _ATOP_LEVELS, types, weighting)


def _typed_weights(edges, all_types, levels, types, weighting) -> pd.DataFrame:
    if types is not None:
        types = list(types)
        if not types:
            raise NetworkError(f"Give at least one alliance type: {', '.join(all_types)} (or leave types out for every type).")
        unknown = [t for t in types if t not in all_types]
        if unknown:
            raise NetworkError(f"Unknown alliance type(s) {unknown}; choose from {', '.join(all_types)}.")
        edges = edges[(edges[types] > 0).any(axis=1)]
    if weighting == "binary":
        weight = np.ones(len(edges))
    elif weighting == "ordinal":
        weight = _ordinal(edges, levels)
    else:
        raise NetworkError(f"weighting must be 'binary' or 'ordinal', not {weighting!r}.")
    edges = edges.assign(weight=weight)
    for column in ("year", "ccode1", "ccode2"):
        edges[column] = edges[column].astype(np.int64)
    return edges.reset_index(drop=True)


# -- trade --------------------------------------------------------------------------------
def trade_edges(dyadic: pd.DataFrame, flow: str = "total", smoothed: bool = False) -> pd.DataFrame:
    """Trade ties from COW dyadic trade, with each flow as a share of each side's trade.

    Parameters
    ----------
    dyadic
        ``ccode1, ccode2, year, flow1, flow2`` (``flow1`` is ccode1's imports
        from ccode2, millions of current US dollars), as in COW Trade v4.0.
    flow
        ``"total"``: undirected ties weighted by ``flow1 + flow2``.
        ``"directed"``: one tie exporter → importer per positive flow,
        weighted by the importer's reported imports.
    smoothed
        Use COW's smoothed series (``smoothflow1/2``).

    Returns
    -------
    pandas.DataFrame
        ``"total"``: ``year, ccode1, ccode2, flow1, flow2, weight, share1,
        share2`` where ``share1`` is the pair's trade as a share of ccode1's
        total trade.  ``"directed"``: ``year, ccode1`` (exporter), ``ccode2``
        (importer), ``weight``, ``share_exporter`` (of the exporter's exports)
        and ``share_importer`` (of the importer's imports).

    Notes
    -----
    A state's total trade is the sum over its partners in the same table,
    :math:`T_i = \\sum_j (m_{ij} + m_{ji})`, so the shares of each state sum
    to one over its partners.  Dyad-years with a missing flow are left out of
    the total layer (their total is unknown, not zero), and ties of zero
    weight are dropped (the reduced COW copy rounds flows below 0.5 million
    to 0).  In the directed layer each known flow is kept on its own.

    Gaps of the source show as missing ties, not as zero trade: in the
    reduced copy West Germany (260) has dyadic rows only with Belgium and
    Luxembourg from 1960 to 1989, and many dyads are absent during the two
    World Wars, so centrality and blocs in those years reflect the data's
    coverage as much as trade.

    References
    ----------
    Barbieri, K., Keshk, O. M. G. & Pollins, B. 2009. Trading data: evaluating
    our assumptions and coding rules. Conflict Management and Peace Science
    26: 471-491.
    """
    first, second = ("smoothflow1", "smoothflow2") if smoothed else ("flow1", "flow2")
    _require(dyadic, ("ccode1", "ccode2", "year", first, second), "Dyadic trade")
    c1 = dyadic["ccode1"].to_numpy(np.int64)
    c2 = dyadic["ccode2"].to_numpy(np.int64)
    year = dyadic["year"].to_numpy(np.int64)
    f1 = dyadic[first].to_numpy(np.float64, na_value=np.nan)
    f2 = dyadic[second].to_numpy(np.float64, na_value=np.nan)
    f1 = np.where(f1 < 0, np.nan, f1)  # -9 if a raw COW file is passed
    f2 = np.where(f2 < 0, np.nan, f2)
    if flow == "total":
        total = f1 + f2
        keep = np.isfinite(total) & (total > 0) & (c1 != c2)
        swap = c1 > c2
        a, b = np.where(swap, c2, c1), np.where(swap, c1, c2)
        fa, fb = np.where(swap, f2, f1), np.where(swap, f1, f2)
        edges = pd.DataFrame({"year": year, "ccode1": a, "ccode2": b, "flow1": fa, "flow2": fb, "weight": total})[keep]
        edges = edges.drop_duplicates(["year", "ccode1", "ccode2"])
        totals = _state_sums(
            np.concatenate([edges["year"], edges["year"]]),
            np.concatenate([edges["ccode1"], edges["ccode2"]]),
            np.concatenate([edges["weight"], edges["weight"]]),
        )
        edges["share1"] = edges["weight"].to_numpy() / totals(edges["year"], edges["ccode1"])
        edges["share2"] = edges["weight"].to_numpy() / totals(edges["year"], edges["ccode2"])
        return edges.reset_index(drop=True)
    if flow == "directed":
        # flow1 = ccode1's imports from ccode2: a tie ccode2 -> ccode1
        exporter = np.concatenate([c2, c1])
        importer = np.concatenate([c1, c2])
        value = np.concatenate([f1, f2])
        years = np.concatenate([year, year])
        keep = np.isfinite(value) & (value > 0) & (exporter != importer)
        edges = pd.DataFrame({"year": years, "ccode1": exporter, "ccode2": importer, "weight": value})[keep]
        edges = edges.drop_duplicates(["year", "ccode1", "ccode2"])
        exports = _state_sums(edges["year"], edges["ccode1"], edges["weight"])
        imports = _state_sums(edges["year"], edges["ccode2"], edges["weight"])
        edges["share_exporter"] = edges["weight"].to_numpy() / exports(edges["year"], edges["ccode1"])
        edges["share_importer"] = edges["weight"].to_numpy() / imports(edges["year"], edges["ccode2"])
        return edges.reset_index(drop=True)
    raise NetworkError(f"flow must be 'total' or 'directed', not {flow!r}.")


def _state_sums(year, ccode, value):
    """Sum ``value`` by (year, ccode); return a look-up function (year, ccode) -> sum."""
    keys = np.asarray(year, np.int64) * _SPAN + np.asarray(ccode, np.int64)
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.bincount(inverse, weights=np.asarray(value, np.float64), minlength=len(unique))

    def lookup(y, c):
        query = np.asarray(y, np.int64) * _SPAN + np.asarray(c, np.int64)
        return sums[np.searchsorted(unique, query)]

    return lookup


# -- UN General Assembly similarity ---------------------------------------------------
def similarity_edges(ideal_points: pd.DataFrame, estimate: str = "idealpointfp", threshold: float | None = None) -> pd.DataFrame:
    """Ties of foreign-policy similarity from UN General Assembly ideal points.

    Parameters
    ----------
    ideal_points
        ``ccode, year`` and the ideal-point column ``estimate``.
    estimate
        ``"idealpointfp"`` (default), ``"idealpointall"`` or ``"idealpointlegacy"``.
    threshold
        Keep only ties with similarity at least this (0-1); all pairs when None.

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2, distance, weight`` with weight the similarity.

    Notes
    -----
    For states :math:`i, j` with ideal points :math:`x_i, x_j` in year
    :math:`t`,

    .. math:: s_{ij} = 1 - \\frac{|x_i - x_j|}{\\max_k x_k - \\min_k x_k},

    so the two most distant states of the year have similarity 0 and identical
    positions 1.  Every pair of states with an ideal point is a tie (a complete
    weighted graph) unless ``threshold`` is set.

    References
    ----------
    Bailey, M. A., Strezhnev, A. & Voeten, E. 2017. Estimating dynamic state
    preferences from United Nations voting data. Journal of Conflict
    Resolution 61: 430-456.
    """
    _require(ideal_points, ("ccode", "year", estimate), "Ideal points")
    table = ideal_points[["year", "ccode", estimate]].dropna().drop_duplicates(["year", "ccode"])
    table = table.sort_values(["year", "ccode"])
    years = table["year"].to_numpy(np.int64)
    codes = table["ccode"].to_numpy(np.int64)
    points = table[estimate].to_numpy(np.float64)
    parts = []
    for year, (start, end) in _year_slices(years).items():
        x = points[start:end]
        i, j = np.triu_indices(end - start, k=1)
        distance = np.abs(x[i] - x[j])
        spread = x.max() - x.min()
        similarity = 1.0 - distance / spread if spread > 0 else np.ones_like(distance)
        parts.append((np.full(len(i), year), codes[start:end][i], codes[start:end][j], distance, similarity))
    if not parts:
        return pd.DataFrame({c: [] for c in ("year", "ccode1", "ccode2", "distance", "weight")})
    edges = pd.DataFrame({name: np.concatenate([p[k] for p in parts]) for k, name in enumerate(("year", "ccode1", "ccode2", "distance", "weight"))})
    edges[["year", "ccode1", "ccode2"]] = edges[["year", "ccode1", "ccode2"]].astype(np.int64)
    if threshold is not None:
        edges = edges[edges["weight"] >= threshold]
    return edges.reset_index(drop=True)


# -- contiguity and disputes ------------------------------------------------------------
def contiguity_edges(contiguity: pd.DataFrame, max_type: int = 5) -> pd.DataFrame:
    """Contiguity ties from COW Direct Contiguity (directed dyad-years).

    Parameters
    ----------
    contiguity
        ``ccode1, ccode2, year, conttype``.
    max_type
        Keep ``conttype <= max_type``: 1 land or river border only; 5 also
        separation by up to 400 miles of water.

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2, conttype, weight`` (weight 1), ``ccode1 < ccode2``.

    References
    ----------
    Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F. & Gochman, C. 2002.
    The Correlates of War Project direct contiguity data, version 3.
    Conflict Management and Peace Science 19: 58-66.
    """
    _require(contiguity, ("ccode1", "ccode2", "year", "conttype"), "Contiguity")
    table = _undirected(contiguity[["year", "ccode1", "ccode2", "conttype"]])
    table = table[(table["conttype"] <= max_type) & (table["ccode1"] != table["ccode2"])]
    edges = table.groupby(["year", "ccode1", "ccode2"], as_index=False)["conttype"].min()
    edges["weight"] = 1.0
    return edges


def dispute_edges(disputes: pd.DataFrame, weighting: str = "binary") -> pd.DataFrame:
    """Negative ties between states on opposite sides of a militarized dispute.

    Parameters
    ----------
    disputes
        Dyadic MID dispute-dyad-years: ``ccode1, ccode2, year, hihost`` (and
        ``disno`` when available).
    weighting
        ``"binary"``: weight −1.  ``"hostility"``: weight −hihost, the highest
        hostility level of the disputes (1 none … 5 war).

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2, hihost, disputes, weight`` (``ccode1 < ccode2``).

    References
    ----------
    Maoz, Z., Johnson, P. L., Kaplan, J., Ogunkoya, F. & Shreve, A. P. 2019.
    The dyadic militarized interstate disputes (MIDs) dataset version 3.0.
    Journal of Conflict Resolution 63: 811-835.
    """
    _require(disputes, ("ccode1", "ccode2", "year", "hihost"), "Disputes")
    columns = ["year", "ccode1", "ccode2", "hihost"] + (["disno"] if "disno" in disputes.columns else [])
    table = _undirected(disputes[columns])
    table = table[table["ccode1"] != table["ccode2"]]
    if "disno" not in table.columns:
        table = table.assign(disno=np.arange(len(table)))
    edges = table.groupby(["year", "ccode1", "ccode2"], as_index=False).agg(hihost=("hihost", "max"), disputes=("disno", "nunique"))
    if weighting == "binary":
        edges["weight"] = -1.0
    elif weighting == "hostility":
        edges["weight"] = -edges["hihost"].astype(np.float64).fillna(1.0)
    else:
        raise NetworkError(f"weighting must be 'binary' or 'hostility', not {weighting!r}.")
    return edges
