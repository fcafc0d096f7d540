"""Alliance portfolios and their similarity: Signorino–Ritter S and Cohen's kappa for every pair of states."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from worldorder.networks.layers import NetworkError

__all__ = ["alliance_portfolios", "kappa", "portfolio_similarity", "s_score"]


def alliance_portfolios(graph, valued: bool = True) -> pd.DataFrame:
    """Each state's alliance portfolio: its tie to every state of the year, itself included.

    Parameters
    ----------
    graph
        One year of an alliance layer (COW or ATOP).
    valued
        With the layer's type flags: 3 defence (or offence), 2 neutrality or
        non-aggression, 1 entente (consultation), 0 none.  Otherwise the
        tie weight.

    Returns
    -------
    pandas.DataFrame
        Square table indexed by COW code on both axes.  The diagonal is the
        top value: a state is taken to be allied with itself at the highest
        level (Signorino & Ritter 1999).  ``attrs["scale"]`` is (0, top).

    References
    ----------
    Bueno de Mesquita, B. 1975. Measuring systemic polarity. Journal of
    Conflict Resolution 19: 187-216 (the valued alliance portfolio).
    Signorino, C. S. & Ritter, J. M. 1999. Tau-b or not tau-b. International
    Studies Quarterly 43: 115-144.
    """
    codes = graph.vs["ccode"] if "ccode" in graph.vs.attributes() else list(range(graph.vcount()))
    n = graph.vcount()
    matrix = np.zeros((n, n))
    if graph.ecount():
        edges = np.asarray(graph.get_edgelist())
        attributes = graph.es.attributes()
        if valued and {"defense", "neutrality", "nonaggression", "entente"} <= set(attributes):
            levels = {"defense": 3, "neutrality": 2, "nonaggression": 2, "entente": 1}
        elif valued and {"atop_defense", "atop_neutral"} <= set(attributes):
            levels = {"atop_defense": 3, "atop_offense": 3, "atop_neutral": 2, "atop_nonagg": 2, "atop_consul": 1}
        else:
            levels = None
        if levels is None:
            values = np.abs(np.asarray(graph.es["weight"], dtype=np.float64)) if "weight" in attributes else np.ones(len(edges))
        else:
            values = np.zeros(len(edges))
            for column, level in levels.items():
                if column in attributes:
                    flags = np.nan_to_num(np.asarray(graph.es[column], dtype=np.float64))
                    values = np.maximum(values, np.where(flags > 0, level, 0))
        np.maximum.at(matrix, (edges[:, 0], edges[:, 1]), values)
        np.maximum.at(matrix, (edges[:, 1], edges[:, 0]), values)
        top = 3.0 if levels is not None else max(1.0, float(values.max()))
    else:
        top = 3.0 if valued else 1.0
    np.fill_diagonal(matrix, top)
    index = pd.Index(codes, name="ccode")
    out = pd.DataFrame(matrix, index=index, columns=index.rename("partner"))
    out.attrs["scale"] = (0.0, top)
    return out


def _distance(a: np.ndarray, b: np.ndarray, metric: str) -> np.ndarray:
    if metric == "absolute":
        return np.abs(a - b)
    if metric == "squared":
        return (a - b) ** 2
    if metric == "nominal":
        return (a != b).astype(np.float64)
    raise NetworkError(f"metric must be 'absolute', 'squared' or 'nominal', not {metric!r}.")


def _pairwise(values: np.ndarray, weights: np.ndarray, metric: str) -> np.ndarray:
    """Weighted mean distance between every pair of rows."""
    n = len(values)
    out = np.empty((n, n))
    chunk = max(1, 2_000_000 // max(1, n * values.shape[1]))
    for start in range(0, n, chunk):
        block = _distance(values[start : start + chunk, None, :], values[None, :, :], metric)
        out[start : start + chunk] = block @ weights
    return out / weights.sum()


def _prepare(portfolios: pd.DataFrame, weights) -> tuple[np.ndarray, np.ndarray]:
    values = portfolios.to_numpy(np.float64)
    if np.isnan(values).any():
        raise NetworkError("Portfolios contain missing values; fill or drop them first.")
    if weights is None:
        w = np.ones(values.shape[1])
    else:
        w = np.asarray(pd.Series(weights).reindex(portfolios.columns).to_numpy(np.float64) if isinstance(weights, (pd.Series, Mapping)) else weights, dtype=np.float64)
        if w.shape != (values.shape[1],) or np.isnan(w).any() or (w < 0).any():
            raise NetworkError("weights must give one non-negative number per portfolio column.")
    return values, w


def s_score(portfolios: pd.DataFrame, metric: str = "absolute", weights=None, scale: tuple[float, float] | None = None) -> pd.DataFrame:
    """Signorino–Ritter S between every pair of portfolios.

    Parameters
    ----------
    portfolios
        One row per state, one column per dimension (e.g. its alliance tie to
        each state, from :func:`alliance_portfolios`).
    metric
        ``"absolute"`` (:math:`L_1`) or ``"squared"`` (:math:`L_2^2`) distance.
    weights
        Optional weight per column (e.g. each partner's share of capabilities
        for the weighted S); equal weights by default.
    scale
        (lowest, highest) possible value, defining the largest distance
        :math:`\\Delta`; default ``portfolios.attrs["scale"]`` or the range of
        the values.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric table of S in [−1, 1] (1 on the diagonal).

    Notes
    -----
    .. math:: S_{ij} = 1 - 2\\,\\frac{\\sum_k w_k\\, d(x_{ik}, x_{jk})}{d_{\\max} \\sum_k w_k}

    with :math:`d(a, b) = |a - b|` and :math:`d_{\\max} = \\Delta` (absolute),
    or :math:`d(a, b) = (a - b)^2` and :math:`d_{\\max} = \\Delta^2` (squared).
    Identical portfolios give 1, opposite ones −1.

    References
    ----------
    Signorino, C. S. & Ritter, J. M. 1999. Tau-b or not tau-b: measuring the
    similarity of foreign policy positions. International Studies Quarterly
    43: 115-144.
    """
    values, w = _prepare(portfolios, weights)
    low, high = scale or portfolios.attrs.get("scale") or (float(values.min()), float(values.max()))
    spread = float(high - low)
    if spread <= 0:
        raise NetworkError("The portfolios have no spread of values; give scale=(low, high).")
    if metric not in ("absolute", "squared"):
        raise NetworkError(f"metric must be 'absolute' or 'squared', not {metric!r}.")
    d_max = spread if metric == "absolute" else spread**2
    s = 1.0 - 2.0 * _pairwise(values, w, metric) / d_max
    return pd.DataFrame(s, index=portfolios.index, columns=portfolios.index.rename("ccode2" if portfolios.index.name == "ccode" else None))


def kappa(portfolios: pd.DataFrame, metric: str = "absolute", weights=None, categories=None) -> pd.DataFrame:
    """Cohen's kappa between every pair of portfolios: agreement corrected for chance.

    Parameters
    ----------
    portfolios
        One row per state, one column per dimension, values in a few categories
        (0-3 for alliance portfolios).
    metric
        Disagreement between two categories: ``"nominal"`` (0 if equal, else
        1: the classic kappa), ``"absolute"`` (:math:`|a-b|`: the weighted
        kappa) or ``"squared"``.  For 0/1 data all three agree.
    weights
        Optional weight per column.
    categories
        The possible values; default the values found.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric table of kappa (1 for identical, 0 for chance-level
        agreement, negative below chance); NaN where both portfolios are
        constant and chance disagreement is 0.

    Notes
    -----
    Following Häge (2011),

    .. math:: \\kappa_{ij} = 1 - \\frac{D^o_{ij}}{D^e_{ij}}, \\quad
              D^o_{ij} = \\frac{\\sum_k w_k\\, d(x_{ik}, x_{jk})}{\\sum_k w_k}, \\quad
              D^e_{ij} = \\sum_a \\sum_b p_i(a)\\, p_j(b)\\, d(a, b),

    where :math:`p_i(a)` is the (weighted) share of :math:`i`'s dimensions in
    category :math:`a`.  Each state's own marginal distribution sets chance
    agreement (Cohen's kappa, as opposed to Scott's pi, which pools them).
    With the nominal metric this is :math:`(p_o - p_e)/(1 - p_e)`.

    References
    ----------
    Cohen, J. 1960. A coefficient of agreement for nominal scales.
    Educational and Psychological Measurement 20: 37-46.
    Häge, F. M. 2011. Choice or circumstance? Adjusting measures of foreign
    policy similarity for chance agreement. Political Analysis 19: 287-305.
    """
    values, w = _prepare(portfolios, weights)
    cats = np.unique(values) if categories is None else np.asarray(sorted(categories), dtype=np.float64)
    if not np.isin(values, cats).all():
        raise NetworkError("Some portfolio values are not among the categories.")
    observed = _pairwise(values, w, metric)
    shares = np.stack([(values == c) @ w for c in cats], axis=1) / w.sum()
    between = _distance(cats[:, None], cats[None, :], metric)
    expected = shares @ between @ shares.T
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(expected > 0, 1.0 - observed / expected, np.nan)
    return pd.DataFrame(k, index=portfolios.index, columns=portfolios.index.rename("ccode2" if portfolios.index.name == "ccode" else None))


def portfolio_similarity(graph_or_layer, measures: Iterable[str] = ("s", "kappa"), metric: str = "absolute", valued: bool = True) -> pd.DataFrame:
    """Foreign-policy similarity of alliance portfolios for every pair of states.

    Parameters
    ----------
    graph_or_layer
        One year of an alliance layer, or the layer (every year).
    measures
        ``"s"`` (Signorino–Ritter) and/or ``"kappa"`` (Cohen's, Häge 2011).
    metric
        Distance between tie values: ``"absolute"`` or ``"squared"`` (and
        ``"nominal"`` for kappa alone).
    valued
        Valued portfolios (3 defence, 2 neutrality/non-aggression, 1 entente,
        0 none) rather than 0/1 ties.

    Returns
    -------
    pandas.DataFrame
        ``year, ccode1, ccode2`` (``ccode1 < ccode2``) and a column per measure.

    Notes
    -----
    Portfolios are rows of the valued alliance matrix over all system members
    of the year, each state allied with itself at the top level; S and kappa
    follow :func:`s_score` and :func:`kappa`.

    See Also
    --------
    alliance_portfolios, s_score, kappa

    References
    ----------
    Signorino, C. S. & Ritter, J. M. 1999. Tau-b or not tau-b: measuring the
    similarity of foreign policy positions. International Studies Quarterly 43.
    Häge, F. M. 2011. Choice or circumstance? Adjusting measures of foreign
    policy similarity for chance agreement. Political Analysis 19: 287-305.
    """
    from worldorder.networks.metrics import _per_year

    measures = list(measures)
    unknown = [m for m in measures if m not in ("s", "kappa")]
    if unknown:
        raise NetworkError(f"measures must be among 's' and 'kappa', not {unknown}.")

    def table(graph):
        portfolios = alliance_portfolios(graph, valued=valued)
        codes = portfolios.index.to_numpy()
        i, j = np.triu_indices(len(codes), k=1)
        out = pd.DataFrame({"ccode1": codes[i], "ccode2": codes[j]})
        if "year" in graph.attributes():
            out.insert(0, "year", graph["year"])
        if "s" in measures:
            out["s"] = s_score(portfolios, metric="squared" if metric == "squared" else "absolute").to_numpy()[i, j]
        if "kappa" in measures:
            low, high = portfolios.attrs["scale"]
            categories = np.arange(low, high + 1) if valued else None
            out["kappa"] = kappa(portfolios, metric=metric, categories=categories).to_numpy()[i, j]
        return out

    return _per_year(graph_or_layer, table)
