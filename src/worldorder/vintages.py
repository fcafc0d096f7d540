"""Vintage: the version of each data set a result used and the last year (or month) it covers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Vintage:
    """What a result drew from one data set: ``source, version, last year``.

    Attributes
    ----------
    name, title, version, publisher
        As in the registry.
    first, last
        First and last period the data set covers: a year (``"2022"``) or,
        for monthly data, a month (``"2022-09"``); None when the registry
        names no span (a code list).
    """

    name: str
    title: str
    version: str
    publisher: str
    first: str | None
    last: str | None

    @property
    def last_year(self) -> int | None:
        """The last calendar year with data (a part-year counts)."""
        return int(self.last[:4]) if self.last else None

    @property
    def last_full_year(self) -> int | None:
        """The last calendar year covered in full: a monthly series ending before December stops the year before."""
        if not self.last:
            return None
        year = int(self.last[:4])
        return year - 1 if len(self.last) > 4 and int(self.last[5:]) < 12 else year

    def text(self) -> str:
        """``Publisher, Title version, data to LAST`` (said once: some versions already name their data's end)."""
        end = f", data to {self.last}" if self.last and "data to" not in self.version else ""
        return f"{self.publisher}, {self.title} {self.version}{end}"


def vintage(name: str) -> Vintage:
    """The vintage of registered data set ``name``.

    Raises
    ------
    worldorder.data.registry.UnknownDatasetError
        When ``name`` is not registered (the message lists the closest names).
    """
    from worldorder.data.registry import coverage_span, get_dataset

    dataset = get_dataset(name)
    first, last = coverage_span(dataset.coverage)
    return Vintage(dataset.name, dataset.title, dataset.version, dataset.publisher, first, last)


def vintages(names: Iterable[str]) -> list[Vintage]:
    """The vintages of the registered data sets among ``names``, once each, in order (other names are skipped)."""
    from worldorder.data.registry import registry

    known = registry()
    return [vintage(name) for name in dict.fromkeys(names) if name in known]


def vintage_table(names: Iterable[str]):
    """One row per data set a result used: ``source, title, version, publisher, first, last``.

    Interfaces print it beside a table or under a chart so that the reader
    sees how far each source reaches.
    """
    import pandas as pd

    rows = [
        {"source": v.name, "title": v.title, "version": v.version, "publisher": v.publisher, "first": v.first, "last": v.last}
        for v in vintages(names)
    ]
    return pd.DataFrame(rows, columns=["source", "title", "version", "publisher", "first", "last"])


def vintage_text(names: Iterable[str]) -> str:
    """``Publisher, Title version, data to LAST; ...`` for each data set (unregistered names as written)."""
    from worldorder.data.registry import registry

    known = registry()
    return "; ".join(vintage(name).text() if name in known else str(name) for name in dict.fromkeys(names))


def data_end(names: Iterable[str]) -> Vintage | None:
    """The data set among ``names`` whose coverage ends first (by its last full year); None when none has a span.

    A result that needs all of ``names`` has data only to that set's end.
    """
    dated = [v for v in vintages(names) if v.last]
    return min(dated, key=lambda v: (v.last_full_year, v.last)) if dated else None
