"""Regional subsystems: COW regions, UN regions and regions you define.

A region scheme assigns states to regions: ``"cow"`` (the five COW regions
from the state code's range, Oceania counted with Asia as in COW's own
coding), ``"cow6"`` (the same with Oceania apart), ``"un"`` and
``"un_subregion"`` (the UN M49 regions and sub-regions, from the countrycode
code list), or your own: a dict ``{region: [states]}`` or a TOML/YAML file
holding one.  Your regions may overlap (NATO and the EU, say).

:func:`regional_polarity` gives shares and polarity indices within each
region; :func:`regional_leaders` names the leading state of each region by each
measure, with the year its current spell as leader began.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from worldorder.power._base import PowerError, default_column, measure_info, to_matrix
from worldorder.power.cow_regions import COW_REGIONS, cow_region
from worldorder.power.reference import ReferenceSet, ReferenceSetError, reference_mask

#: States the code list gives no UN region: (region, sub-region), from their successor or territory.
UN_FALLBACK = {
    260: ("Europe", "Western Europe"),  # German Federal Republic
    265: ("Europe", "Western Europe"),  # German Democratic Republic
    345: ("Europe", "Southern Europe"),  # Yugoslavia / Serbia
    347: ("Europe", "Southern Europe"),  # Kosovo
    730: ("Asia", "Eastern Asia"),  # Korea before 1910
    300: ("Europe", "Western Europe"),  # Austria-Hungary (Austria)
    315: ("Europe", "Eastern Europe"),  # Czechoslovakia
    240: ("Europe", "Western Europe"),  # Hanover
    245: ("Europe", "Western Europe"),  # Bavaria
    267: ("Europe", "Western Europe"),  # Baden
    269: ("Europe", "Western Europe"),  # Saxony
    271: ("Europe", "Western Europe"),  # Wuerttemberg
    273: ("Europe", "Western Europe"),  # Hesse Electoral
    275: ("Europe", "Western Europe"),  # Hesse Grand Ducal
    280: ("Europe", "Western Europe"),  # Mecklenburg-Schwerin
    327: ("Europe", "Southern Europe"),  # Papal States
    329: ("Europe", "Southern Europe"),  # Two Sicilies
    332: ("Europe", "Southern Europe"),  # Modena
    335: ("Europe", "Southern Europe"),  # Parma
    337: ("Europe", "Southern Europe"),  # Tuscany
    511: ("Africa", "Sub-Saharan Africa"),  # Zanzibar
    678: ("Asia", "Western Asia"),  # Yemen Arab Republic
    680: ("Asia", "Western Asia"),  # Yemen People's Republic
    713: ("Asia", "Eastern Asia"),  # Taiwan
    817: ("Asia", "South-eastern Asia"),  # Republic of Vietnam
}


def un_regions(codelist: pd.DataFrame) -> pd.DataFrame:
    """UN M49 region and sub-region of each COW code, from the countrycode code list.

    Parameters
    ----------
    codelist
        The code list (``load("countrycode_codelist")``) with ``cown``,
        ``un_region_name`` and ``un_regionsub_name`` (dots in its column names
        turned to underscores; dotted names are accepted too).

    Returns
    -------
    pandas.DataFrame
        ``ccode, un_region, un_subregion, region_source`` ("countrycode", or
        "successor" for the historical states of :data:`UN_FALLBACK`).
    """
    table = codelist.rename(columns=lambda c: c.replace(".", "_"))
    needed = ["cown", "un_region_name", "un_regionsub_name"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise PowerError(f"The code list lacks {', '.join(missing)}; load it with load('countrycode_codelist').")
    coded = table[table["cown"].notna() & table["un_region_name"].notna()]
    out = pd.DataFrame(
        {
            "ccode": coded["cown"].astype(np.int64).to_numpy(),
            "un_region": coded["un_region_name"].astype(str).to_numpy(),
            "un_subregion": coded["un_regionsub_name"].astype(object).to_numpy(),
            "region_source": "countrycode",
        }
    ).drop_duplicates("ccode")
    extra = pd.DataFrame(
        [(code, region, sub, "successor") for code, (region, sub) in UN_FALLBACK.items() if code not in set(out["ccode"])],
        columns=out.columns,
    )
    return pd.concat([out, extra], ignore_index=True).sort_values("ccode").reset_index(drop=True)


def load_regions(path: str | os.PathLike) -> dict[str, list]:
    """Read user-defined regions from a TOML or YAML file: ``{region: [states]}``.

    The file maps each region to a list of COW codes or abbreviations,
    optionally under a ``regions`` key::

        [regions]
        Quad = ["USA", "JPN", "IND", "AUL"]
        "Southern Cone" = [140, 155, 160, 165]
    """
    from worldorder.located import read_file

    document = read_file(path, "regions file")
    if document.data is None:
        raise PowerError("; ".join(map(str, document.problems)))
    data = document.data
    data = data.get("regions", data) if isinstance(data, Mapping) else data
    if not isinstance(data, Mapping) or not all(isinstance(v, list) for v in data.values()):
        raise PowerError(f"{path}: expected region = [states] entries.")
    return {str(k): list(v) for k, v in data.items()}


def _codes_of(frame: pd.DataFrame, states: Sequence, region: str) -> set[int]:
    codes = set()
    abbs = {}
    if "stateabb" in frame.columns:
        pairs = frame[["stateabb", "ccode"]].drop_duplicates()
        abbs = {str(a).upper(): int(c) for a, c in zip(pairs["stateabb"], pairs["ccode"])}
    for state in states:
        if isinstance(state, (int, np.integer)) or (isinstance(state, str) and state.strip().isdigit()):
            codes.add(int(state))
        elif str(state).strip().upper() in abbs:
            codes.add(abbs[str(state).strip().upper()])
        else:
            from worldorder.countries import country

            codes.add(country(str(state)).ccode)
    if not codes:
        raise PowerError(f"Region {region!r} has no states.")
    return codes


def region_masks(frame: pd.DataFrame, scheme="cow", codelist: pd.DataFrame | None = None, db=None) -> dict[str, np.ndarray]:
    """One boolean row mask per region of ``scheme`` (masks may overlap for user regions).

    Parameters
    ----------
    frame
        State-year table with ``ccode`` (and ``stateabb`` for abbreviations).
    scheme
        ``"cow"``, ``"cow6"``, ``"un"``, ``"un_subregion"``, ``"column"`` (the
        frame's own ``region`` column), a dict ``{region: [states]}`` or a
        TOML/YAML file of one.
    codelist
        The countrycode code list for the UN schemes; read from the store
        (``db``) when not given.
    """
    codes = frame["ccode"].to_numpy(np.int64)
    if isinstance(scheme, (str, os.PathLike)) and Path(str(scheme)).suffix.lower() in (".toml", ".yaml", ".yml"):
        scheme = load_regions(scheme)
    if isinstance(scheme, Mapping):
        return {name: np.isin(codes, list(_codes_of(frame, states, name))) for name, states in scheme.items()}
    if scheme == "column":
        if "region" not in frame.columns:
            raise PowerError("scheme='column' needs a 'region' column; run add_region() first.")
        labels = frame["region"].astype(object).to_numpy()
    elif scheme in ("cow", "cow6"):
        labels = cow_region(codes, oceania=scheme == "cow6")
    elif scheme in ("un", "un_subregion"):
        if codelist is None:
            from worldorder.store import load

            codelist = load("countrycode_codelist", db=db)
        table = un_regions(codelist)
        lookup = dict(zip(table["ccode"], table["un_region" if scheme == "un" else "un_subregion"]))
        labels = np.array([lookup.get(int(c)) for c in codes], dtype=object)
    else:
        raise PowerError(
            f"Unknown region scheme {scheme!r}: use 'cow', 'cow6', 'un', 'un_subregion', 'column', "
            "a dict {region: [states]} or a TOML/YAML file."
        )
    names = [n for n in pd.unique(labels) if isinstance(n, str)]
    order = {name: i for i, name in enumerate(COW_REGIONS)}
    names.sort(key=lambda n: (order.get(n, len(order)), n))
    return {name: labels == name for name in names}


def add_region(frame: pd.DataFrame, scheme="cow", codelist: pd.DataFrame | None = None, db=None) -> pd.DataFrame:
    """Add a ``region`` column (and ``region_scheme`` in attrs) to a state-year table.

    Overlapping user regions cannot share one column: use
    :func:`regional_polarity` with ``regions=`` for those.  States in no region
    get None.  See :func:`region_masks` for the schemes.
    """
    masks = region_masks(frame, scheme, codelist=codelist, db=db)
    labels = np.full(len(frame), None, dtype=object)
    seen = np.zeros(len(frame), dtype=bool)
    for name, mask in masks.items():
        if (seen & mask).any():
            raise PowerError(
                f"Region {name!r} overlaps another region; add_region() needs regions that do not overlap. "
                "Pass overlapping regions to regional_polarity(regions=...) instead."
            )
        labels[mask] = name
        seen |= mask
    out = frame.copy(deep=False)
    out["region"] = labels
    out.attrs = copy.deepcopy(frame.attrs)
    out.attrs["region_scheme"] = scheme if isinstance(scheme, str) else "user-defined"
    return out


def resolve_reference(frame: pd.DataFrame, among, db=None) -> tuple[pd.DataFrame, ReferenceSet]:
    """Ready ``frame`` for the reference set ``among``: its UN regions joined, its states' names turned into codes.

    Parameters
    ----------
    frame
        State-year table with ``ccode``.
    among
        A :class:`~worldorder.power.reference.ReferenceSet` or its text.
        ``region:NAME`` without a scheme is a COW region, else a UN region or
        subregion of that name.
    db
        Store of the UN code list and the state names.

    Returns
    -------
    tuple
        The table (with a ``region`` column for a UN region) and the reference
        set (states as COW codes), ready for ``among=`` of any power function.

    Raises
    ------
    ReferenceSetError
        An unknown region (the message lists the scheme's regions) or state.
    """
    reference = ReferenceSet.parse(among)
    if reference.kind == "states":
        from worldorder.countries import UnknownCountryError, country

        codes = []
        for state in reference.states:
            try:
                codes.append(state if isinstance(state, int) else country(state, db=db).ccode)
            except UnknownCountryError as error:
                raise ReferenceSetError(f"The reference set {reference.key}: {error}") from None
        return frame, ReferenceSet("states", states=tuple(codes))
    if reference.kind != "region" or reference.scheme in ("cow", "cow6"):
        return frame, reference
    if reference.scheme is None:
        if reference.name in COW_REGIONS:
            return frame, reference
        for scheme in ("un", "un_sub"):
            if reference.name in region_masks(frame, _scheme_name(scheme), db=db):
                return add_region(frame, scheme=_scheme_name(scheme), db=db), ReferenceSet("region", scheme=scheme, name=reference.name)
        raise ReferenceSetError(
            f"There is no region {reference.name!r}. The COW regions are: {', '.join(COW_REGIONS)}; "
            "write a UN region as region:un:NAME (such as region:un:Africa) or a subregion as region:un_sub:NAME."
        )
    masks = region_masks(frame, _scheme_name(reference.scheme), db=db)
    reference.check_region(list(masks))
    return add_region(frame, scheme=_scheme_name(reference.scheme), db=db), reference


def _scheme_name(scheme: str) -> str:
    """The :func:`region_masks` name of a reference set's scheme."""
    return "un_subregion" if scheme == "un_sub" else scheme


def regional_polarity(
    frame: pd.DataFrame,
    column: str | None = None,
    regions="cow",
    rule="leader:0.5",
    codelist: pd.DataFrame | None = None,
    db=None,
) -> pd.DataFrame:
    """Polarity indices within each region, year by year.

    Parameters
    ----------
    frame
        State-year table with the power ``column``.
    column
        Power column; default the last measure added.
    regions
        Region scheme (see :func:`region_masks`).
    rule
        Pole rule (see :func:`worldorder.power.polarity.pole_rule`).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`worldorder.power.polarity.polarity` with
        ``region`` first; shares and indices are within the region.

    Notes
    -----
    The same formulas as for the whole system, with the region's states as the
    reference set (see :func:`worldorder.power.polarity.concentration`).
    """
    from worldorder.power.polarity import polarity

    column = default_column(frame, column)
    parts = []
    for name, mask in region_masks(frame, regions, codelist=codelist, db=db).items():
        if not mask.any():
            continue
        table = polarity(frame, column, among=mask, rule=rule)
        table["among"] = f"region {name}"
        table.insert(0, "region", name)
        parts.append(table)
    if not parts:
        raise PowerError("No state of the table falls in any region of the scheme.")
    out = pd.concat(parts, ignore_index=True)
    out.attrs = dict(parts[0].attrs)
    out.attrs["regions"] = regions if isinstance(regions, str) else "user-defined"
    return out


def regional_leaders(
    frame: pd.DataFrame,
    columns: Sequence[str] | str | None = None,
    regions="cow",
    year: int | None = None,
    codelist: pd.DataFrame | None = None,
    db=None,
) -> pd.DataFrame:
    """Which state leads each region by each measure, and since when.

    Parameters
    ----------
    frame
        State-year table with the power ``columns``.
    columns
        Power columns; default every measure in ``frame.attrs["measures"]``.
    regions
        Region scheme (see :func:`region_masks`).
    year
        The year asked about; default, per region and measure, the last year
        with a value.

    Returns
    -------
    pandas.DataFrame
        ``region, measure, year, leader, leader_ccode, share`` (of the
        region's total), ``second, second_share, since`` (first year of the
        leader's current unbroken spell at the top of the region, among years
        with values), ``years_leading, n, n_missing, hhi, con``.

    Notes
    -----
    A spell is broken only by another state leading; a year in which no state
    of the region has a value is skipped.  ``since`` is bounded by the first
    year of the source, so a leader since the start of the data shows that year.
    """
    from worldorder.power.polarity import indices_from_matrix

    if columns is None:
        columns = list(frame.attrs.get("measures", {})) or [default_column(frame, None)]
    columns = [columns] if isinstance(columns, str) else list(columns)
    masks = region_masks(frame, regions, codelist=codelist, db=db)
    rows = []
    for column in columns:
        column = default_column(frame, column)
        matrix = to_matrix(frame, column)
        info = measure_info(frame, column)
        for name, rows_mask in masks.items():
            mask = reference_mask(frame, rows_mask, matrix=matrix)
            result = indices_from_matrix(matrix.values, mask)
            leaders = result["leader_pos"]
            valid = np.flatnonzero(leaders >= 0)
            if year is not None:
                valid = valid[matrix.years[valid] <= year]
            if len(valid) == 0:
                continue
            at = valid[-1]
            if year is not None and matrix.years[at] != year:
                continue  # no value in the year asked for
            who = leaders[at]
            since_at = at
            for position in valid[::-1]:
                if leaders[position] != who:
                    break
                since_at = position
            second = result["second_pos"][at]
            rows.append(
                {
                    "region": name,
                    "measure": info["key"],
                    "year": int(matrix.years[at]),
                    "leader": matrix.labels[who],
                    "leader_ccode": int(matrix.codes[who]),
                    "share": float(result["top1_share"][at]),
                    "second": matrix.labels[second] if second >= 0 else None,
                    "second_share": float(result["top2_share"][at]) if second >= 0 else np.nan,
                    "since": int(matrix.years[since_at]),
                    "years_leading": int(((valid >= since_at) & (valid <= at)).sum()),
                    "n": int(result["n"][at]),
                    "n_missing": int(result["n_missing"][at]),
                    "hhi": float(result["hhi"][at]),
                    "con": float(result["con"][at]),
                }
            )
    out = pd.DataFrame(rows)
    out.attrs = {"measures": {c: measure_info(frame, c) for c in columns}, "regions": regions if isinstance(regions, str) else "user-defined"}
    return out
