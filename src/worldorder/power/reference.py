"""Reference sets (all, majors, top:K, region:SCHEME:NAME, a list of states): one grammar, parser, description, mask."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.power._base import Matrix, PowerError, require_columns, to_matrix
from worldorder.power.cow_regions import COW_REGIONS, cow_region

#: Region schemes a reference set may name, with their words for captions.
SCHEMES = {"cow": "COW region", "cow6": "COW region", "un": "UN region", "un_sub": "UN subregion"}
_SCHEME_NAMES = {"un_subregion": "un_sub"}  # the region_masks() name of a scheme
GRAMMAR = (
    "all, majors, top:K (the K largest by the measure), region:NAME or region:SCHEME:NAME "
    "(schemes cow, cow6, un, un_sub; for example region:un:Africa), or states such as USA,CHN,RUS"
)
Among = str | Sequence[int] | np.ndarray | pd.Series | Callable[[pd.DataFrame], object] | None


class ReferenceSetError(PowerError):
    """A reference set is not understood, or names a region or state that does not exist."""


@dataclass(frozen=True)
class ReferenceSet:
    """The states whose total a share is taken of.

    Build one with :meth:`parse`.  ``kind`` is ``"all"``, ``"majors"``,
    ``"top"`` (``size`` largest states by the measure, each year),
    ``"region"`` (``name`` in ``scheme``; scheme None: a COW region, or a
    region the table's own ``region`` column names) or ``"states"``
    (``states``: COW codes or names as written).
    """

    kind: str = "all"
    size: int | None = None
    scheme: str | None = None
    name: str | None = None
    states: tuple = ()

    @classmethod
    def parse(cls, value) -> "ReferenceSet":
        """Read a reference set: ``all``, ``majors``, ``top:K``, ``region:NAME``, ``region:SCHEME:NAME`` or states.

        States are a comma-separated text (``USA,CHN,RUS`` or ``2,710,365``)
        or a list of COW codes.

        Raises
        ------
        ReferenceSetError
            When ``value`` is none of these; the message lists what is accepted.
        """
        if isinstance(value, ReferenceSet):
            return value
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls._parse_text(value)
        if isinstance(value, (Sequence, np.ndarray, pd.Series)) and not isinstance(value, bytes):
            items = list(value)
            if items and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
                return cls("states", states=tuple(int(v) for v in items))
            if items and all(isinstance(v, str) for v in items):
                return cls._parse_text(",".join(items))
        raise ReferenceSetError(f"The reference set {value!r} is not understood; write {GRAMMAR}.")

    @classmethod
    def _parse_text(cls, value: str) -> "ReferenceSet":
        text = value.strip()
        if text in ("", "all"):
            return cls()
        if text == "majors":
            return cls("majors")
        if text.startswith("top:"):
            if not re.fullmatch(r"\d+", text[4:]) or int(text[4:]) < 1:
                raise ReferenceSetError(f"The reference set {text!r}: write top:K with a whole number K of at least 1, such as top:5.")
            return cls("top", size=int(text[4:]))
        if text.startswith("region:"):
            rest = text[len("region:"):].strip()
            scheme, _, name = rest.partition(":")
            scheme = _SCHEME_NAMES.get(scheme, scheme)
            if name and scheme in SCHEMES:
                reference = cls("region", scheme=scheme, name=name.strip())
            else:
                reference = cls("region", name=rest)
            if not reference.name:
                raise ReferenceSetError(f"The reference set {text!r} names no region; write region:NAME, such as region:Europe.")
            if reference.scheme in ("cow", "cow6"):
                reference.check_region(_cow_names(reference.scheme))
            return reference
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if len(parts) == 1 and not re.fullmatch(r"\d+|[A-Z]{2,3}", parts[0]):
            # one word that is no code or abbreviation: most likely a misspelt keyword
            close = difflib.get_close_matches(parts[0], ["all", "majors", "top:", "region:"], n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            raise ReferenceSetError(f"The reference set {text!r} is not understood.{hint} Write {GRAMMAR}.")
        return cls("states", states=tuple(int(p) if p.isdigit() else p for p in parts))

    # -- words -------------------------------------------------------------------------------------
    @property
    def key(self) -> str:
        """The set written in the grammar :meth:`parse` reads (``region:un:Africa``, ``top:5`` ...)."""
        if self.kind == "top":
            return f"top:{self.size}"
        if self.kind == "region":
            return f"region:{self.scheme}:{self.name}" if self.scheme else f"region:{self.name}"
        if self.kind == "states":
            return ",".join(str(s) for s in self.states)
        return self.kind

    def describe(self) -> str:
        """The set in words, for captions and output columns."""
        if self.kind == "all":
            return "all states"
        if self.kind == "majors":
            return "COW major powers"
        if self.kind == "top":
            return f"the top {self.size} states by the measure"
        if self.kind == "region":
            return f"the {SCHEMES[self.scheme]} {self.name}" if self.scheme else f"the region {self.name}"
        shown = ", ".join(str(s) for s in self.states[:12])
        return "the states " + shown + ("..." if len(self.states) > 12 else "")

    __str__ = describe

    @property
    def recomputes(self) -> bool:
        """Whether an index recomputed over this set differs from the index over all states.

        ``top:K`` is chosen by the published measure, so it keeps the global index.
        """
        return self.kind not in ("all", "top")

    def check_region(self, names: Sequence[str]) -> None:
        """Raise :class:`ReferenceSetError` listing ``names`` (the scheme's regions) when this region is not one."""
        if self.kind != "region" or self.name in names:
            return
        close = difflib.get_close_matches(self.name, list(names), n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        where = f"{SCHEMES[self.scheme]}s" if self.scheme else "regions"
        raise ReferenceSetError(f"There is no region {self.name!r}.{hint} The {where} are: {', '.join(names)}.")


def _cow_names(scheme: str | None) -> tuple[str, ...]:
    return COW_REGIONS if scheme != "cow" else tuple(r for r in COW_REGIONS if r != "Oceania")


def describe_among(among: Among) -> str:
    """A short text for a reference set, for captions and output columns."""
    if callable(among) and not isinstance(among, (pd.Series, np.ndarray)):
        return getattr(among, "__name__", "a user-defined set")
    if isinstance(among, (pd.Series, np.ndarray)) and np.asarray(among).dtype == bool:
        return "a user-defined set"
    try:
        return ReferenceSet.parse(among).describe()
    except ReferenceSetError:
        return str(among)


def reference_mask(frame: pd.DataFrame, among: Among, matrix: Matrix | None = None, column: str | None = None) -> np.ndarray:
    """Boolean matrix ``(Y, S)`` of the reference set ``among`` (aligned with ``matrix``).

    ``among`` is a :class:`ReferenceSet` or its text (see :meth:`ReferenceSet.parse`):
    ``"majors"`` needs the ``major`` column of :func:`worldorder.add_majors`;
    ``"top:K"`` takes the K states with the largest ``column`` value each
    year; ``"region:NAME"`` is the table's ``region`` column equal to NAME
    (:func:`worldorder.add_region`), else the COW region NAME.  In Python it
    may also be a list of COW codes, a boolean array or Series with one value
    per row, or a function of the table returning one of those.
    """
    if matrix is None:
        matrix = to_matrix(frame, column or "year")
    if callable(among) and not isinstance(among, (pd.Series, np.ndarray)):
        among = among(frame)
    if isinstance(among, (pd.Series, np.ndarray)) and np.asarray(among).dtype == bool:
        array = np.asarray(among)
        if len(array) != len(frame):
            raise ReferenceSetError("A reference set given as true/false values needs one value per row of the table.")
        return _row_mask(frame, matrix, array)
    reference = ReferenceSet.parse(among)
    if reference.kind == "all":
        return matrix.member.copy()
    if reference.kind == "majors":
        require_columns(frame, ["major"], "Run add_majors() on the table first (or use among='all').")
        return _row_mask(frame, matrix, frame["major"].to_numpy(dtype=np.float64, na_value=np.nan) == 1)
    if reference.kind == "top":
        return top_k_mask(matrix.values, matrix.member, reference.size)
    if reference.kind == "region":
        return _row_mask(frame, matrix, _region_rows(frame, reference))
    codes = [s for s in reference.states if isinstance(s, int)]
    if len(codes) != len(reference.states):
        names = ", ".join(str(s) for s in reference.states if not isinstance(s, int))
        raise ReferenceSetError(f"States in a reference set must be COW codes here, not {names}; look them up with worldorder.country().")
    in_set = np.isin(matrix.codes, np.asarray(codes, dtype=np.int64))
    return matrix.member & in_set[None, :]


def _region_rows(frame: pd.DataFrame, reference: ReferenceSet) -> np.ndarray:
    """Rows of ``frame`` in the region: from its ``region`` column, or the COW region of the code."""
    scheme_of_column = frame.attrs.get("region_scheme")
    if "region" in frame.columns and reference.scheme in (None, _SCHEME_NAMES.get(scheme_of_column, scheme_of_column)):
        regions = frame["region"].astype(object).to_numpy()
        present = sorted({r for r in regions if isinstance(r, str)})
        if reference.name in present or reference.scheme is not None:
            reference.check_region(present)
            return regions == reference.name
    if reference.scheme in (None, "cow", "cow6"):
        reference.check_region(_cow_names(reference.scheme))
        return cow_region(frame["ccode"].to_numpy(np.int64), oceania=reference.scheme != "cow") == reference.name
    raise ReferenceSetError(
        f"The reference set {reference.key} needs the table's {SCHEMES[reference.scheme]}s: "
        f"run add_region(table, scheme={'un_subregion' if reference.scheme == 'un_sub' else reference.scheme!r}) first."
    )


def _row_mask(frame: pd.DataFrame, matrix: Matrix, rows: np.ndarray) -> np.ndarray:
    mask = np.zeros(matrix.values.shape, dtype=bool)
    codes_raw = frame["ccode"].to_numpy(np.int64)
    years_raw = frame["year"].to_numpy(np.int64)
    col = np.searchsorted(matrix.codes, codes_raw)
    row = years_raw - matrix.years[0]
    keep = np.asarray(rows, dtype=bool)
    mask[row[keep], col[keep]] = True
    return mask & matrix.member


def top_k_mask(values: np.ndarray, member: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` largest non-missing values of each row (ties broken by position)."""
    filled = np.where(member & ~np.isnan(values), values, -np.inf)
    k = min(k, filled.shape[1])
    order = np.argsort(-filled, axis=1, kind="stable")[:, :k]
    mask = np.zeros(values.shape, dtype=bool)
    np.put_along_axis(mask, order, True, axis=1)
    return mask & np.isfinite(filled)
