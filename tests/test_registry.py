"""The registry names every data set of the mirror, with hash, citation and terms."""

from __future__ import annotations

import re

import pytest

import worldorder
from worldorder.data.registry import REQUIRED_KEYS, UnknownDatasetError, get_dataset, registry


def test_every_entry_is_complete():
    for dataset in registry().values():
        for key in REQUIRED_KEYS:
            assert getattr(dataset, key), f"{dataset.name} lacks {key}"
        assert re.fullmatch(r"[0-9a-f]{64}", dataset.sha256), dataset.name
        assert dataset.citation.strip().startswith("@"), f"{dataset.name}: citation is not BibTeX"
        assert callable(dataset.parse_function()), dataset.name


def test_every_manifest_file_is_registered(mirror):
    manifest = (mirror / "MANIFEST.md").read_text(encoding="utf-8")
    listed = dict((path, digest) for digest, path in re.findall(r"^([0-9a-f]{64})\s+(\S+)$", manifest, re.M))
    registered = {}
    for dataset in registry().values():
        registered[dataset.relpath] = dataset.sha256
        for extra in dataset.extra_files:
            registered[f"{dataset.source}/{extra.file}"] = extra.sha256
    assert set(listed) <= set(registered), sorted(set(listed) - set(registered))
    for path, digest in listed.items():
        assert registered[path] == digest, path


def test_sources_table_and_cite():
    table = worldorder.sources()
    assert {"name", "version", "publisher", "sha256", "licence"} <= set(table.columns)
    assert len(table) == len(registry())
    bibtex = worldorder.cite("cow_nmc_7")
    assert bibtex.startswith("@") and "Singer" in bibtex


def test_unknown_dataset_suggests_close_names():
    with pytest.raises(UnknownDatasetError, match="cow_nmc_7"):
        get_dataset("cow_nmc7")
