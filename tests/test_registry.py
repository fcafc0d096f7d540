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


#: The publisher's own site for each family of data sets (issue 17): COW, ATOP, the Maddison Project,
#: the World Bank, Voeten's Harvard Dataverse, IEA, bp, the Energy Institute, Eurostat; the R packages'
#: and the code list's authors distribute their own files from their repositories.
PUBLISHER_SITES = {
    "cow": ("correlatesofwar.org",),
    "atop": ("atopdata.org",),
    "maddison": ("rug.nl", "dataverse.nl"),
    "worldbank": ("worldbank.org",),
    "unga": ("dataverse.harvard.edu",),
    "iea_": ("iea.org",),
    "bp_": ("bp.com",),
    "ei_": ("energyinst.org",),
    "eurostat_": ("ec.europa.eu",),
    "isard": ("github.com/svmiller/",),
    "peacesciencer": ("github.com/svmiller/",),
    "crosswalk": ("github.com/vincentarelbundock/",),
}


def _site(dataset) -> tuple[str, ...]:
    key = dataset.source if dataset.source != "energy" else dataset.name.split("gas")[0]
    return PUBLISHER_SITES[key]


def test_every_primary_address_is_on_the_publishers_domain():
    from urllib.parse import urlsplit

    for dataset in registry().values():
        assert dataset.url, f"{dataset.name} names no publisher's address"
        parts = urlsplit(dataset.url)
        where = parts.netloc.removeprefix("www.") + parts.path
        assert any(where.startswith(site) or parts.netloc.endswith("." + site) or parts.netloc == site for site in _site(dataset)), (
            dataset.name, dataset.url)
        for alternate in dataset.alternates:
            assert alternate.note.startswith("copy"), (dataset.name, alternate.note)  # marked as a copy
            assert urlsplit(alternate.url).netloc != parts.netloc, dataset.name
        assert dataset.downloads, f"{dataset.name}: no address serves the registered bytes"
        if dataset.url_kind == "page":
            assert all(kind == "copy" for kind, _ in dataset.downloads), dataset.name
        if dataset.url_kind == "zip":
            assert dataset.member and dataset.downloads[0] == ("publisher zip", dataset.url)


def test_sources_table_says_which_address_is_the_publishers():
    table = worldorder.sources().set_index("name")
    assert {"url", "url_kind", "copies", "last"} <= set(table.columns)
    assert table.loc["maddison_2023", "url_kind"] == "page" and "MaddisonData" in table.loc["maddison_2023", "copies"]
    assert table.loc["cow_states_2016", "url"].startswith("https://correlatesofwar.org/")


def test_data_list_says_which_address_is_the_publishers_and_which_a_copy():
    from typer.testing import CliRunner

    from worldorder.cli import app

    result = CliRunner().invoke(app, ["data", "list", "--addresses"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "publisher's zip" in result.output and "publisher's page (file from a copy)" in result.output
    assert "copy in a third-party repository" in result.output and "correlatesofwar.org" in result.output
    plain = CliRunner().invoke(app, ["data", "list"], env={"COLUMNS": "200"})
    assert plain.exit_code == 0 and "data to" in plain.output
