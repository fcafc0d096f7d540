"""Ties along which an outcome may spread, and each state's exposure: the weighted share of its ties with the outcome."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.sim.diffusion_outcomes import DiffusionError, year_span

#: Tie layers: name -> what a tie is and its weight.
TIE_LAYERS = {
    "contiguity": "COW Direct Contiguity v3.2 (land, river or up to 400 miles of water), weight 1",
    "distance": "capitals' minimum distance (CShapes 2.0 via peacesciencer) within 500 km (distance:KM to change), weight 1",
    "alliance": "ATOP v5.1 alliance of any obligation, weight 1",
    "trade": "COW Trade v4.0: the partner's share of the state's total trade",
    "unga": "UN General Assembly ideal-point similarity (Bailey, Strezhnev & Voeten), weight 0-1",
    "region": "same COW region, weight 1",
    "world": "every other state of the system, weight 1",
}
_ALIASES = {"atop": "alliance", "alliances": "alliance", "un": "unga", "unvote": "unga", "contig": "contiguity"}
_SPAN = 1000  # COW codes are below 1000
#: The state system behind the region and world layers (``create_state_years``' default).
SYSTEM_TABLE = "cow_system_2024"
#: The store table of capitals' minimum distances behind the distance layer.
DISTANCE_TABLE = "ps_cow_mindist"


@dataclass(eq=False)
class Ties:
    """Directed weighted ties per year: ``target`` is exposed to ``source`` with ``weight``.

    Attributes
    ----------
    name
        Layer name (``"alliance"``, ``"distance:500"`` ...); exposure columns are ``exp_<key>``.
    year, target, source, weight
        Equal-length arrays, one row per tie and direction.
    first, last
        The years the layer covers; outside them exposure is unknown (NaN).
    description
        What a tie is, with its source, for captions.
    """

    name: str
    year: np.ndarray
    target: np.ndarray
    source: np.ndarray
    weight: np.ndarray
    first: int
    last: int
    description: str = ""

    @property
    def key(self) -> str:
        """The name as a column suffix (``distance:500`` -> ``distance500``)."""
        return self.name.replace(":", "")

    def matrix(self, year: int, codes: np.ndarray) -> np.ndarray:
        """Row-normalized ``n x n`` weights of ``year`` among ``codes``: row i holds i's ties (rows without ties are 0)."""
        codes = np.asarray(codes, np.int64)
        rows = self.year == int(year)
        t, s, w = self.target[rows], self.source[rows], self.weight[rows]
        keep = np.isin(t, codes) & np.isin(s, codes)
        out = np.zeros((len(codes), len(codes)))
        np.add.at(out, (np.searchsorted(codes, t[keep]), np.searchsorted(codes, s[keep])), w[keep])
        total = out.sum(axis=1, keepdims=True)
        return np.divide(out, total, out=np.zeros_like(out), where=total > 0)


def ties_from_edges(name: str, edges: pd.DataFrame, directed: bool = False, weight: str = "weight", reverse_weight: str | None = None, description: str = "", span: tuple[int, int] | None = None) -> Ties:
    """Ties from an edge table ``year, ccode1, ccode2, <weight>``.

    Undirected edges expose each end to the other; ``reverse_weight`` names the
    weight of the ``ccode2 -> ccode1`` direction when it differs (trade shares).
    ``span`` is the years covered (default: the edge table's first and last year).
    """
    missing = [c for c in ("year", "ccode1", "ccode2", weight) if c not in edges.columns]
    if missing:
        raise DiffusionError(f"Tie edges of {name!r} lack column(s) {missing}.")
    year = edges["year"].to_numpy(np.int64)
    c1, c2 = edges["ccode1"].to_numpy(np.int64), edges["ccode2"].to_numpy(np.int64)
    w1 = edges[weight].to_numpy(np.float64, na_value=np.nan)
    if directed:
        arrays = (year, c2, c1, w1)
    else:
        w2 = edges[reverse_weight or weight].to_numpy(np.float64, na_value=np.nan)
        arrays = (np.concatenate([year, year]), np.concatenate([c1, c2]), np.concatenate([c2, c1]), np.concatenate([w1, w2]))
    keep = np.isfinite(arrays[3]) & (arrays[3] > 0) & (arrays[1] != arrays[2])
    first, last = span if span else ((int(year.min()), int(year.max())) if len(year) else (0, -1))
    return Ties(name, *(a[keep] for a in arrays), first=first, last=last, description=description)


def ties_from_groups(name: str, groups: pd.DataFrame, description: str = "", span: tuple[int, int] | None = None) -> Ties:
    """Ties among states sharing a ``group`` in the same year (``year, ccode, group``), weight 1.

    ``span`` is the years covered (default: the table's first and last year)."""
    table = groups[["year", "ccode", "group"]].dropna().reset_index(drop=True)
    pairs = table.merge(table, on=["year", "group"], suffixes=("1", "2"))
    pairs = pairs[pairs["ccode1"] != pairs["ccode2"]]
    year = pairs["year"].to_numpy(np.int64)
    if span is None:
        span = (int(table["year"].min()), int(table["year"].max())) if len(table) else (0, -1)
    return Ties(name, year, pairs["ccode1"].to_numpy(np.int64), pairs["ccode2"].to_numpy(np.int64), np.ones(len(pairs)), *span, description)


def exposure(outcome: pd.DataFrame, ties: Sequence[Ties]) -> pd.DataFrame:
    """Each state-year's exposure to the outcome along each layer of ties, from the year before.

    Parameters
    ----------
    outcome
        ``ccode, year, y`` (1, 0 or NaN).
    ties
        One :class:`Ties` per layer.

    Returns
    -------
    pandas.DataFrame
        ``outcome`` with one column ``exp_<key>`` per layer.

    Notes
    -----
    For state :math:`i` in year :math:`t` and layer :math:`k` with weights
    :math:`w^k_{ij,t-1}`,

    .. math:: E^k_{it} = \\frac{\\sum_j w^k_{ij,t-1}\\, y_{j,t-1}}{\\sum_j w^k_{ij,t-1}\\, 1[y_{j,t-1} \\text{ known}]},

    the weighted share of its ties having the outcome in the previous year
    (Gleditsch & Ward 2006).  It is 0 for a state without ties that year and
    NaN when :math:`t-1` lies outside the layer's years.

    References
    ----------
    Gleditsch, K. S. & Ward, M. D. 2006. Diffusion and the international
    context of democratization. International Organization 60(4): 911-933.
    """
    missing = [c for c in ("ccode", "year", "y") if c not in outcome.columns]
    if missing:
        raise DiffusionError(f"The outcome table lacks column(s) {missing}; build it with outcome_years().")
    code = outcome["ccode"].to_numpy(np.int64)
    year = outcome["year"].to_numpy(np.int64)
    y = outcome["y"].to_numpy(np.float64, na_value=np.nan)
    keys = year * _SPAN + code
    order = np.argsort(keys, kind="stable")
    sorted_keys, sorted_y = keys[order], y[order]
    out = outcome.copy()
    for layer in ties:
        # y of the source in the tie's year; unknown when the source-year is not in the table
        tie_keys = layer.year * _SPAN + layer.source
        at = np.clip(np.searchsorted(sorted_keys, tie_keys), 0, max(len(sorted_keys) - 1, 0))
        found = (sorted_keys[at] == tie_keys) if len(sorted_keys) else np.zeros(len(tie_keys), bool)
        ys = np.where(found, sorted_y[at] if len(sorted_y) else 0.0, np.nan)
        known = ~np.isnan(ys)
        target_keys = (layer.year + 1) * _SPAN + layer.target  # exposure felt the year after
        unique, inverse = np.unique(target_keys, return_inverse=True)
        num = np.bincount(inverse, weights=np.where(known, layer.weight * np.nan_to_num(ys), 0.0), minlength=len(unique))
        den = np.bincount(inverse, weights=np.where(known, layer.weight, 0.0), minlength=len(unique))
        share = np.divide(num, den, out=np.zeros(len(unique)), where=den > 0)  # float even with no ties (bincount of nothing is int)
        at = np.clip(np.searchsorted(unique, keys), 0, max(len(unique) - 1, 0))
        value = np.where((unique[at] == keys) if len(unique) else False, share[at] if len(share) else 0.0, 0.0)
        covered = (year - 1 >= layer.first) & (year - 1 <= layer.last)
        out[f"exp_{layer.key}"] = np.where(covered, value, np.nan)
    return out


def parse_ties(names) -> list[str]:
    """Tie layer names from ``"contiguity,alliance,trade"`` or a list; unknown names get the list."""
    if isinstance(names, str):
        names = names.split(",")
    out = []
    for raw in names:
        name = str(raw).strip().lower()
        base, _, arg = name.partition(":")
        base = _ALIASES.get(base, base)
        if base not in TIE_LAYERS:
            import difflib

            close = difflib.get_close_matches(base, list(TIE_LAYERS), n=2)
            hint = f" Did you mean {' or '.join(close)}?" if close else ""
            raise DiffusionError(f"Unknown tie layer {raw!r}.{hint} Layers: {', '.join(TIE_LAYERS)}.")
        if arg and base != "distance":
            raise DiffusionError(f"Only distance takes an argument (distance:KM), not {raw!r}.")
        if arg:
            try:
                if float(arg) <= 0:
                    raise ValueError
            except ValueError:
                raise DiffusionError(f"distance:KM needs a positive number of kilometres, not {arg!r}.") from None
        name = f"{base}:{arg}" if arg else base
        if name not in out:
            out.append(name)
    if not out:
        raise DiffusionError(f"Name at least one tie layer: {', '.join(TIE_LAYERS)}.")
    return out


def load_ties(names: Iterable[str] | str, years=None, db=None) -> list[Ties]:
    """Read tie layers from the store for ``years`` (and the year before, which exposure uses).

    Uses :func:`worldorder.load_layer` (contiguity, ATOP alliances, trade, UN
    votes), :func:`worldorder.load` (capital distances) and
    :func:`worldorder.add_region` (regions).
    """
    from worldorder import add_region, create_state_years, load, load_layer
    from worldorder.frames import coverage

    span = year_span(years)
    before = None if span is None else (span[0] - 1, span[1])
    out = []
    for name in parse_ties(names):
        base, _, arg = name.partition(":")
        if base in ("contiguity", "alliance", "unga"):
            layer = load_layer({"alliance": "atop"}.get(base, base), years=before, db=db)
            covered = _layer_span(layer)
            out.append(ties_from_edges(name, layer.edges, description=TIE_LAYERS[base], span=covered))
        elif base == "trade":
            layer = load_layer("trade", years=before, db=db)
            out.append(ties_from_edges(name, layer.edges, weight="share1", reverse_weight="share2", description=TIE_LAYERS[base], span=_layer_span(layer)))
        elif base == "distance":
            km = float(arg or 500)
            table = load(DISTANCE_TABLE, db=db)
            first, last = int(table["year"].min()), int(table["year"].max())
            if before is not None:
                table = table[(table["year"] >= before[0]) & (table["year"] <= before[1])]
            table = table[table["mindist"] <= km].assign(weight=1.0)
            description = f"capitals' minimum distance (CShapes 2.0 via peacesciencer) within {km:g} km, weight 1"
            out.append(ties_from_edges(name if arg else "distance", table, description=description, span=(first, last)))
        else:
            states = create_state_years(years=before, db=db)[["ccode", "year"]]
            if base == "region":
                groups = add_region(states)[["ccode", "year", "region"]].rename(columns={"region": "group"})
            else:
                groups = states.assign(group="world")
            out.append(ties_from_groups(base, groups, description=TIE_LAYERS[base], span=coverage(SYSTEM_TABLE)))
    return out


def tie_sources(names: Iterable[str] | str | None = None) -> list[str]:
    """Store tables the tie layers ``names`` read (network layers as :data:`worldorder.LAYERS` lists them); None: every layer.

    Examples
    --------
    >>> tie_sources("contiguity,distance:300")
    ['cow_contiguity_3_2', 'ps_cow_mindist']
    """
    from worldorder.networks.loading import LAYERS

    out: list[str] = []
    for name in parse_ties(list(TIE_LAYERS) if names is None else names):
        base = name.partition(":")[0]
        if base in ("contiguity", "alliance", "trade", "unga"):
            out.extend(LAYERS[{"alliance": "atop"}.get(base, base)][0])
        else:
            out.append(DISTANCE_TABLE if base == "distance" else SYSTEM_TABLE)
    return list(dict.fromkeys(out))


def _layer_span(layer) -> tuple[int, int]:
    from worldorder.frames import coverage

    covered = coverage(layer.source) if layer.source else (min(layer.years), max(layer.years))
    return int(covered[0]), int(covered[1])
