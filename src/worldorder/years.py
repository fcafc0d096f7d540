"""A span of years (``1990``, ``1946-2014``, ``1946-``, ``-2014``, ``latest``): one grammar, parser and description."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from worldorder.errors import WorldOrderError

GRAMMAR = "YEAR (1990), FIRST-LAST (1946-2014), FIRST- (1991-, to the latest year), -LAST (-1989) or latest"
_SPAN = re.compile(r"(\d{1,4})?\s*(?:-|:|\.\.|to)\s*(\d{1,4}|latest)?")


class YearsError(WorldOrderError, ValueError):
    """A span of years is not understood, reversed, or outside the data's years."""


@dataclass(frozen=True)
class Years:
    """A span of years: ``first``/``last`` (None = open), or only the latest year with data.

    Build one with :meth:`parse`; apply it to a table with :meth:`select` or to
    the years a source covers with :meth:`resolve`.

    Attributes
    ----------
    first, last
        Inclusive bounds; None leaves that side open (to the data's first or
        last year).
    latest
        Keep only the latest year with data inside the span.
    """

    first: int | None = None
    last: int | None = None
    latest: bool = False

    # -- parsing -----------------------------------------------------------------------------------
    @classmethod
    def parse(cls, value, coverage: tuple[int, int] | None = None) -> "Years":
        """Read ``value``: None or ``"all"``, a year, ``"FIRST-LAST"``, ``"FIRST-"``, ``"-LAST"``, ``"latest"``.

        Also accepted: an int, a ``(first, last)`` pair (either may be None),
        a ``range`` or list of years (their first to their last), ``to`` or
        ``..`` or ``:`` between the years, ``FIRST-latest``, and a
        :class:`Years` (returned as is).  ``coverage`` (the data's first and
        last year) is only used to word the error of a reversed span.

        Raises
        ------
        YearsError
            When ``value`` is not a span of years or its first year is after its last.
        """
        if value is None or isinstance(value, Years):
            return value if isinstance(value, Years) else cls()
        if isinstance(value, (bool, np.bool_)):
            raise YearsError(f"years {value!r} not understood; write {GRAMMAR}.")
        if isinstance(value, (int, np.integer)):
            if value < 0:  # YAML and some shells read -1989 as a negative number
                raise YearsError(
                    f"years {value}: -{abs(value)} was read as a negative number; "
                    f"quote it (\"-{abs(value)}\") or write 'to {abs(value)}'."
                )
            return cls(int(value), int(value))
        if isinstance(value, str):
            return cls._parse_text(value, coverage)
        if isinstance(value, tuple) and len(value) == 2:
            first, last = (None if v is None else _whole(v, value) for v in value)
            return cls._checked(first, last, False, value, coverage)
        if isinstance(value, Iterable):
            values = [_whole(v, value) for v in value]
            if not values:
                raise YearsError(f"years is empty; write {GRAMMAR}.")
            return cls(min(values), max(values))
        raise YearsError(f"years {value!r} not understood; write {GRAMMAR}.")

    @classmethod
    def _parse_text(cls, value: str, coverage) -> "Years":
        text = value.strip().lower()
        if text in ("", "all"):
            return cls()
        if text == "latest":
            return cls(latest=True)
        if re.fullmatch(r"\d{1,4}", text):
            return cls(int(text), int(text))
        match = _SPAN.fullmatch(text)
        if match and (match.group(1) or match.group(2)):
            first = int(match.group(1)) if match.group(1) else None
            last = int(match.group(2)) if match.group(2) and match.group(2) != "latest" else None
            return cls._checked(first, last, False, value, coverage)
        raise YearsError(f"years {value!r} not understood; write {GRAMMAR}.")

    @classmethod
    def _checked(cls, first, last, latest, value, coverage) -> "Years":
        if first is not None and last is not None and first > last:
            raise YearsError(f"years {_show(value)}: the first year {first} is after the last {last}{_covers(coverage)}.")
        return cls(first, last, latest)

    # -- use ---------------------------------------------------------------------------------------
    @property
    def everything(self) -> bool:
        """True when the span is all years with data."""
        return self.first is None and self.last is None and not self.latest

    def contains(self, year: int) -> bool:
        """Whether ``year`` lies within ``first``..``last`` (``latest`` is not applied)."""
        return (self.first is None or year >= self.first) and (self.last is None or year <= self.last)

    def resolve(self, coverage: tuple[int, int], what: str = "the data") -> tuple[int, int]:
        """The inclusive ``(first, last)`` of this span within ``coverage`` (the data's first and last year).

        Raises
        ------
        YearsError
            When no year of ``coverage`` is in the span; the message states the coverage.
        """
        low, high = int(coverage[0]), int(coverage[1])
        first = low if self.first is None else max(self.first, low)
        last = high if self.last is None else min(self.last, high)
        if first > last:
            raise YearsError(f"No year of {self} is in {what}, which covers {low}-{high}; choose years inside it.")
        return (last, last) if self.latest else (first, last)

    def select(self, table: pd.DataFrame, column: str = "year", what: str = "the data") -> pd.DataFrame:
        """The rows of ``table`` in the span (attrs kept); all rows when the span is everything.

        An empty ``table`` is returned as is; a span that misses every year of
        a non-empty table raises :class:`YearsError` stating the table's years.
        """
        if self.everything or len(table) == 0:
            return table
        years = table[column].to_numpy(np.int64)
        first, last = self.resolve((int(years.min()), int(years.max())), what)
        out = table[(years >= first) & (years <= last)]
        out.attrs = dict(table.attrs)
        return out

    def describe(self) -> str:
        """The span in words: ``1946-1989``, ``1991 to the latest year with data`` ..."""
        if self.latest and self.first is None and self.last is None:
            return "the latest year with data"
        if self.first is None and self.last is None:
            span = "all years with data"
        elif self.first == self.last:
            span = str(self.first)
        elif self.last is None:
            span = f"{self.first} to the latest year with data"
        elif self.first is None:
            span = f"to {self.last}"
        else:
            span = f"{self.first}-{self.last}"
        return f"the latest year with data in {span}" if self.latest else span

    __str__ = describe


def _whole(value, original) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise YearsError(f"years {_show(original)} not understood; write {GRAMMAR}.") from None
    if not number.is_integer():
        raise YearsError(f"years {_show(original)}: {value} is not a whole year.")
    return int(number)


def _show(value) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _covers(coverage) -> str:
    return "" if coverage is None else f" (the data cover {coverage[0]}-{coverage[1]})"


def parse_years(years) -> tuple[int, int] | None:
    """``years`` as an inclusive ``(first, last)`` pair with open sides filled (1 and 9999), or None for all.

    The pair form that table filters use; ``latest`` needs the data's years, so
    it is refused here (use :meth:`Years.select` on the table).
    """
    span = Years.parse(years)
    if span.everything:
        return None
    if span.latest:
        raise YearsError("years 'latest' needs the data's years here; give a year or a span such as 1990-2016.")
    return (1 if span.first is None else span.first, 9999 if span.last is None else span.last)
