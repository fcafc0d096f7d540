"""Democracy scores of state-years: V-Dem polyarchy, extended UDS and Polity, each on its own coverage."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from worldorder.frames.base import FrameError, _stamp, _table
from worldorder.frames.lookup import _attach_state_values, _selected, _state_source

#: The store table holding the scores (isard ``cw_democracy``, COW codes).
DEMOCRACY_DATASET = "isard_democracy"

#: Measures in the order they are added, with the last year each source covers.
DEMOCRACY_MEASURES = {"v2x_polyarchy": 2025, "euds": 2025, "aeuds": 2025, "polity2": 2018}


def add_democracy(frame: pd.DataFrame, measures: Iterable[str] | str | None = None, db=None) -> pd.DataFrame:
    """Add democracy scores to a state-year or dyad-year frame (COW, or Gleditsch-Ward through isard's panel).

    Each measure keeps its own source's coverage and missing values; none is
    filled from another or carried forward: V-Dem polyarchy runs to 2025,
    the extended UDS to 2025, Polity5 ``polity2`` to 2018 (the file carries
    only the United States in 2019-2020).  On dyad-year frames every column
    appears twice, suffixed ``1`` and ``2``.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`create_state_years` or :func:`create_dyad_years`: COW
        codes, or G-W codes (``system="gw"``), which reach the COW-coded
        scores through ``isard_gw_cw_panel``.
    measures : str or iterable of str, optional
        Some of ``v2x_polyarchy, euds, aeuds, polity2``; all when omitted.
    db : path or Store, optional
        The store (default: the user's store).

    Returns
    -------
    pandas.DataFrame
        ``frame`` with the measures added, rows unchanged.

    Notes
    -----
    ``v2x_polyarchy`` is V-Dem's electoral democracy index in [0, 1].
    ``euds`` is a latent democracy score :math:`\\theta` from a graded IRT
    model of several regime indicators; ``aeuds`` is :math:`\\theta - \\bar c`
    with :math:`\\bar c` the average cut-point, so that
    :math:`\\Phi(\\mathrm{aeuds})` approximates the probability that the state
    is a democracy.  ``polity2`` is Polity5's combined score in [-10, 10].

    References
    ----------
    Coppedge, M. et al. 2025. V-Dem Country-Year Dataset. doi:10.23696/vdemds25.
    Pemstein, D., Meserve, S. A. & Melton, J. 2010. Democratic compromise: a
    latent variable analysis of ten measures of regime type. Political
    Analysis 18(4): 426-449.
    Marshall, M. G. & Gurr, T. R. 2020. Polity5 Project, Dataset Users' Manual.
    Miller, S. V. 2022. peacesciencer. Conflict Management and Peace Science
    39(6): 755-779 (data from the R package isard 0.2.0).
    """
    values = _state_source(DEMOCRACY_DATASET, tuple(DEMOCRACY_MEASURES), _stamp([DEMOCRACY_DATASET], db))
    if "gwcode" in frame.columns or "gwcode1" in frame.columns:
        return _on_gw_codes(frame, _selected(values, measures), db)
    return _attach_state_values(frame, _selected(values, measures))


def _on_gw_codes(frame: pd.DataFrame, values, db) -> pd.DataFrame:
    """Join COW-coded scores onto a Gleditsch-Ward frame through isard's G-W to COW panel.

    A G-W state-year without a COW counterpart (a microstate, Oman before 1971)
    gets no score.
    """
    panel = _table("isard_gw_cw_panel", db)
    panel = panel[panel["ccode"].notna() & panel["gwcode"].notna()]
    lookup = pd.Series(panel["ccode"].to_numpy("int64"), index=pd.MultiIndex.from_arrays(
        [panel["gwcode"].to_numpy("int64"), panel["year"].to_numpy("int64")]))
    sides = [("gwcode", "ccode")] if "gwcode" in frame.columns else [("gwcode1", "ccode1"), ("gwcode2", "ccode2")]
    coded = frame.copy()
    for gw, cow in sides:
        keys = pd.MultiIndex.from_arrays([frame[gw].to_numpy("int64"), frame["year"].to_numpy("int64")])
        coded[cow] = lookup.reindex(keys).fillna(0).to_numpy("int64")  # 0: no COW state, so no score
    out = _attach_state_values(coded, values).drop(columns=[cow for _, cow in sides])
    out.attrs = dict(frame.attrs)
    return out


#: The conventional cut between democracy and autocracy on each scale.
REGIME_THRESHOLDS = {"v2x_polyarchy": 0.5, "polity2": 6.0, "aeuds": 0.0}


def add_regime(frame: pd.DataFrame, measure: str = "v2x_polyarchy", threshold: float | None = None, db=None) -> pd.DataFrame:
    """Add ``regime``: ``"democracy"`` or ``"autocracy"`` by one democracy score, a state attribute to group by.

    Tables of blocs, dependence or polarity group by it with an ordinary join
    on ``ccode, year`` (``regime1``/``regime2`` on dyad-years).  A state-year
    without a score has no regime (missing), never a guessed one.

    Parameters
    ----------
    frame : pandas.DataFrame
        A COW state-year or dyad-year frame.
    measure : str
        ``v2x_polyarchy`` (default), ``polity2`` or ``aeuds``.
    threshold : float, optional
        The score from which a state counts as a democracy; default
        :data:`REGIME_THRESHOLDS` (0.5, 6 and 0).
    db : path or Store, optional
        The store.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with the score column and ``regime`` (a categorical).

    Notes
    -----
    :math:`\\mathrm{regime} = \\mathrm{democracy}` if :math:`s \\geq c`, else
    autocracy, with :math:`s` the score and :math:`c` the threshold.  The
    cuts follow common use: polyarchy 0.5 (the midpoint of V-Dem's scale),
    polity2 6 (Polity's "democracy"), aeuds 0 (probability of democracy 0.5).

    References
    ----------
    Lührmann, A., Tannenberg, M. & Lindberg, S. I. 2018. Regimes of the World
    (RoW). Politics and Governance 6(1): 60-77.
    Marshall, M. G. & Gurr, T. R. 2020. Polity5 Project, Dataset Users' Manual.
    """
    cut = _cut(measure, threshold)
    out = add_democracy(frame, measure, db=db)
    suffixes = [""] if measure in out.columns else ["1", "2"]  # a state-year frame has the score unsuffixed
    for suffix in suffixes:
        score = out[measure + suffix]
        labels = pd.Series(pd.NA, index=out.index, dtype="object")
        labels[score >= cut] = "democracy"
        labels[score < cut] = "autocracy"
        out["regime" + suffix] = pd.Categorical(labels, categories=["autocracy", "democracy"])
    out.attrs["regime"] = f"{measure} >= {cut:g}"
    return out


def _cut(measure: str, threshold: float | None) -> float:
    """The threshold of ``measure`` (its conventional cut unless one is given)."""
    if measure not in REGIME_THRESHOLDS:
        raise FrameError(f"measure must be one of {', '.join(REGIME_THRESHOLDS)}, not {measure!r}.")
    return REGIME_THRESHOLDS[measure] if threshold is None else float(threshold)


def regime_rule(measure: str = "v2x_polyarchy", threshold: float | None = None) -> str:
    """The regime rule in words, with the score's source, version and last year (for captions and notes)."""
    from worldorder.vintages import vintage

    return (f"regime: democracy where {measure} >= {_cut(measure, threshold):g}, else autocracy; '{NO_SCORE}' without "
            f"a score ({measure} to {DEMOCRACY_MEASURES[measure]}); {vintage(DEMOCRACY_DATASET).text()}")


#: The regime label of a state-year whose score is missing (outside the measure's coverage, or no state).
NO_SCORE = "no score"


def regime_shares(
    table: pd.DataFrame,
    value: str | None = None,
    within: Iterable[str] | str = (),
    code: str = "ccode",
    measure: str = "v2x_polyarchy",
    threshold: float | None = None,
    db=None,
) -> pd.DataFrame:
    """Group any state table by regime: how many states, and what share of a value, are democracies, per period.

    One mechanism for every table that names states by COW code and has a
    ``year`` (or ``month``) column: power tables (share of power held by
    democracies), bloc tables (a bloc's composition, ``within="bloc"``) and
    dependence tables (a gas importer's supply from autocracies,
    ``code="supplier_ccode", within="ccode"``).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of states: :func:`shares` or :func:`create_power_years`,
        :func:`blocs`, :func:`gas_dependence` ...
    value : str, optional
        Column to add up per regime (``cinc``, ``share``, ``flow`` ...).
        Without it the states are counted.  Rows with the value missing are
        left out: shares are of a known total.
    within : str or iterable of str
        Further grouping columns (``"bloc"``, ``"ccode"`` ...).
    code : str
        The column holding the COW code whose regime counts (``ccode``;
        ``supplier_ccode`` for a gas supplier).
    measure, threshold
        The regime rule, as in :func:`add_regime`.
    db : path or Store, optional
        The store.

    Returns
    -------
    pandas.DataFrame
        ``<year|month>, *within, regime, states, [sum_<value>], share``, one row per
        regime present: ``autocracy``, ``democracy`` and ``no score``
        (:data:`NO_SCORE`: a code without a score that year, such as LNG or
        a measure past its last year), so shares sum to one per period and
        group.  ``attrs["regime"]`` states the rule, its source, version and
        last year.

    Notes
    -----
    With :math:`x_i` the value of row :math:`i` (1 when counting) and
    :math:`r_i` its state's regime in that year,

    .. math:: s_{r,t,g} = \\frac{\\sum_{i: r_i = r} x_{i}}{\\sum_i x_{i}}

    over the rows of period :math:`t` and group :math:`g`.  ``states`` counts
    distinct codes.  A monthly table takes the regime of the month's year.

    References
    ----------
    Lührmann, A., Tannenberg, M. & Lindberg, S. I. 2018. Regimes of the World
    (RoW). Politics and Governance 6(1): 60-77.
    """
    within = [within] if isinstance(within, str) else list(within)
    period = "year" if "year" in table.columns else "month"
    needed = [code, period, *within, *([value] if value else [])]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise FrameError(f"regime_shares needs the columns {', '.join(missing)}; the table has {', '.join(map(str, table.columns))}.")
    if value:
        table = table[table[value].notna()]
    years = table[period] if period == "year" else pd.to_datetime(table[period]).dt.year
    keyed = pd.DataFrame({"ccode": table[code].to_numpy("int64"), "year": years.to_numpy("int64")})
    labelled = add_regime(keyed, measure, threshold, db=db)
    keys = [period, *within]
    data = table[keys].reset_index(drop=True).assign(
        regime=labelled["regime"].astype(object).fillna(NO_SCORE).to_numpy(), _code=keyed["ccode"].to_numpy(),
        _value=table[value].to_numpy("float64") if value else 1.0,
    )
    out = data.groupby([*keys, "regime"], sort=True).agg(states=("_code", "nunique"), _value=("_value", "sum")).reset_index()
    out["share"] = out["_value"] / out.groupby(keys)["_value"].transform("sum")
    out = out.rename(columns={"_value": f"sum_{value}"}) if value else out.drop(columns="_value")
    out.attrs["regime"] = regime_rule(measure, threshold)
    return out
