"""The registry of data sets: what each one is, where it comes from, how to cite it.

The registry is a set of TOML files in ``worldorder/data/registry/``, one per
publisher family (``cow.toml``, ``worldbank.toml``, ...).  Each top-level table
is one data set, keyed by the name used everywhere else (store table, CLI,
``load``).  Required keys:

``title, version, publisher, source, file, sha256, format, parser, unit,
coverage, licence, citation``

Optional keys: ``homepage``, ``url`` (the publisher's own address: see
``url_kind``), ``url_kind``, ``member``, ``alternates``, ``missing`` (codes that
mean "unknown"), ``not_applicable`` (codes that mean "not applicable"),
``encoding``, ``notes``, ``columns`` (column name -> description with unit) and
``extra_files`` (a list of ``{file, sha256, note}`` for derived copies and
documentation kept beside the primary file).

Addresses.  ``url`` is always the publisher's own address.  ``url_kind`` says
what it serves: ``"file"`` (the default: exactly the registered bytes),
``"zip"`` (a zip archive whose member ``member`` has the registered SHA-256) or
``"page"`` (the publisher's page or API for the data, which does not serve the
registered bytes; the file comes from a copy).  ``alternates`` is a list of
``{url, note}``: copies of exactly the registered bytes kept by others (the
copies the mirror came from), tried in order after the publisher's address.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module, resources
from typing import Any, Callable

from worldorder.errors import WorldOrderError

import difflib

REQUIRED_KEYS = (
    "title",
    "version",
    "publisher",
    "source",
    "file",
    "sha256",
    "format",
    "parser",
    "unit",
    "coverage",
    "licence",
    "citation",
)


class UnknownDatasetError(WorldOrderError, KeyError):
    """A data-set name that the registry does not hold."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message plain
        return str(self.args[0])


@dataclass(frozen=True)
class ExtraFile:
    file: str
    sha256: str
    note: str = ""


@dataclass(frozen=True)
class Alternate:
    """A copy of a data set's file kept by someone other than its publisher."""

    url: str
    note: str = ""


URL_KINDS = ("file", "zip", "page")


@dataclass(frozen=True)
class Dataset:
    """One registered data set (one table in the store)."""

    name: str
    title: str
    version: str
    publisher: str
    source: str
    file: str
    sha256: str
    format: str
    parser: str
    unit: str
    coverage: str
    licence: str
    citation: str
    homepage: str = ""
    url: str = ""
    url_kind: str = "file"
    member: str = ""
    alternates: tuple[Alternate, ...] = ()
    missing: tuple[float, ...] = ()
    not_applicable: tuple[float, ...] = ()
    encoding: str = "utf-8"
    notes: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    extra_files: tuple[ExtraFile, ...] = ()

    @property
    def downloads(self) -> list[tuple[str, str]]:
        """Addresses that serve the registered bytes, in order: ``(kind, url)``.

        ``kind`` is ``"publisher"`` or ``"publisher zip"`` for the publisher's
        own address (left out when it is only a page) and ``"copy"`` for each
        alternate.
        """
        out = []
        if self.url and self.url_kind == "file":
            out.append(("publisher", self.url))
        elif self.url and self.url_kind == "zip":
            out.append(("publisher zip", self.url))
        out += [("copy", alternate.url) for alternate in self.alternates]
        return out

    @property
    def relpath(self) -> str:
        """Path of the file inside a mirror or cache: ``<source>/<file>``."""
        return f"{self.source}/{self.file}"

    def parse_function(self) -> Callable[..., Any]:
        """The parser named by ``parser = "module:function"``."""
        module_name, _, function_name = self.parser.partition(":")
        module = import_module(f"worldorder.data.parsers.{module_name}")
        return getattr(module, function_name)


def _dataset_from_toml(name: str, entry: dict[str, Any], origin: str) -> Dataset:
    missing = [key for key in REQUIRED_KEYS if key not in entry]
    if missing:
        raise ValueError(f"registry {origin}: data set {name!r} lacks {', '.join(missing)}")
    values = dict(entry)
    values["version"] = str(values["version"])
    values["missing"] = tuple(values.get("missing", ()))
    values["not_applicable"] = tuple(values.get("not_applicable", ()))
    values["extra_files"] = tuple(ExtraFile(**extra) for extra in values.get("extra_files", ()))
    values["alternates"] = tuple(Alternate(**alternate) for alternate in values.get("alternates", ()))
    if values.get("url_kind", "file") not in URL_KINDS:
        raise ValueError(f"registry {origin}: data set {name!r} has url_kind {values['url_kind']!r}, not one of {URL_KINDS}")
    if values.get("url_kind") == "zip" and not values.get("member"):
        raise ValueError(f"registry {origin}: data set {name!r} is served in a zip but names no member")
    return Dataset(name=name, **values)


#: A span in a registry ``coverage``: ``1816-2024``, ``years 1-2022``, ``2008-10 to 2022-09``.
_SPAN = re.compile(r"\b(\d{1,4})(?:-(\d{2}))?\s*(?:-|to)\s*(\d{4})(?:-(\d{2}))?\b")
_YEAR = re.compile(r"\b(\d{4})\b")


def coverage_span(coverage: str) -> tuple[str | None, str | None]:
    """First and last period named by a registry ``coverage`` text (years, or ``YYYY-MM`` months).

    A text with one year only (``"2020, 80 pairs"``) covers that year; a text
    with none gives ``(None, None)``.
    """
    match = _SPAN.search(coverage)
    if match:
        first = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
        last = match.group(3) + (f"-{match.group(4)}" if match.group(4) else "")
        return first, last
    years = _YEAR.findall(coverage)
    return (years[0], years[0]) if years else (None, None)


@cache
def registry() -> dict[str, Dataset]:
    """All registered data sets, by name, in the order of the registry files."""
    datasets: dict[str, Dataset] = {}
    folder = resources.files("worldorder.data") / "registry"
    for toml_file in sorted(folder.iterdir(), key=lambda item: item.name):
        if not toml_file.name.endswith(".toml"):
            continue
        for name, entry in tomllib.loads(toml_file.read_text(encoding="utf-8")).items():
            if name in datasets:
                raise ValueError(f"registry: data set {name!r} is defined twice")
            datasets[name] = _dataset_from_toml(name, entry, toml_file.name)
    return datasets


def get_dataset(name: str) -> Dataset:
    """The registry entry for ``name``; an unknown name lists the closest ones."""
    datasets = registry()
    if name in datasets:
        return datasets[name]
    close = difflib.get_close_matches(name, list(datasets), n=5, cutoff=0.4)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise UnknownDatasetError(
        f"No data set named {name!r}.{hint} Run `worldorder data list` to see them all."
    )


def sources():
    """The registry as a table: one row per data set.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, title, version, publisher, unit, coverage, last, source,
        file, sha256, url, url_kind, copies, licence``: ``url`` is the
        publisher's own address (``url_kind`` file, zip or page), ``copies``
        the addresses of copies kept by others, ``last`` the last period covered.
    """
    import pandas as pd

    rows = [
        {
            "name": d.name,
            "title": d.title,
            "version": d.version,
            "publisher": d.publisher,
            "unit": d.unit,
            "coverage": d.coverage,
            "last": coverage_span(d.coverage)[1],
            "source": d.source,
            "file": d.file,
            "sha256": d.sha256,
            "url": d.url,
            "url_kind": d.url_kind,
            "copies": " ".join(alternate.url for alternate in d.alternates),
            "licence": d.licence,
        }
        for d in registry().values()
    ]
    return pd.DataFrame(rows)


def cite(name: str) -> str:
    """The BibTeX citation of data set ``name``."""
    return get_dataset(name).citation.strip() + "\n"
