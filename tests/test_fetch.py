"""Resolving a data file: explicit path, mirror, cache, download; corrupt files refused."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import shutil
import threading

import pytest

from worldorder.data import fetch
from worldorder.data.fetch import DataFileError, resolve
from worldorder.data.registry import get_dataset

SMALL = "cow_majors_2016"


def test_mirror_file_is_found_and_verified(mirror):
    resolved = resolve(SMALL)
    assert resolved.origin == "mirror"
    assert resolved.path == mirror / "cow" / "majors2016.csv"
    assert resolved.sha256 == get_dataset(SMALL).sha256


def test_corrupt_file_is_refused_with_both_hashes(mirror, tmp_path):
    broken = tmp_path / "majors2016.csv"
    data = bytearray((mirror / "cow" / "majors2016.csv").read_bytes())
    data[10] ^= 0xFF
    broken.write_bytes(bytes(data))
    with pytest.raises(DataFileError) as caught:
        resolve(SMALL, path=broken)
    message = str(caught.value)
    assert str(broken) in message
    assert get_dataset(SMALL).sha256 in message
    assert fetch.file_sha256(broken) in message
    assert "worldorder data fetch" in message


def test_cache_is_used_without_a_mirror(mirror, tmp_path, monkeypatch):
    monkeypatch.delenv("WORLDORDER_DATA_DIR")
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(tmp_path))
    (tmp_path / "cow").mkdir()
    shutil.copy(mirror / "cow" / "majors2016.csv", tmp_path / "cow")
    assert resolve(SMALL).origin == "cache"


def test_missing_file_without_download_says_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.delenv("WORLDORDER_DATA_DIR", raising=False)
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(tmp_path))
    with pytest.raises(DataFileError) as caught:
        resolve(SMALL, download=False)
    assert str(tmp_path / "cow" / "majors2016.csv") in str(caught.value)
    assert "WORLDORDER_DATA_DIR" in str(caught.value)


@pytest.fixture
def local_server(mirror, tmp_path):
    """A real HTTP server on loopback serving a copy of the mirror's cow folder."""
    served = tmp_path / "served"
    shutil.copytree(mirror / "cow", served, ignore=shutil.ignore_patterns("*trade*", "*alliance*", "*contdird*"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _point_registry_at(monkeypatch, url: str, **changes):
    dataset = dataclasses.replace(get_dataset(SMALL), **{"url": url, "url_kind": "file", "alternates": (), **changes})
    monkeypatch.setattr(fetch, "get_dataset", lambda name: dataset)
    return dataset


def test_download_lands_verified_in_the_cache(local_server, tmp_path, monkeypatch):
    served, base = local_server
    monkeypatch.delenv("WORLDORDER_DATA_DIR")
    cache = tmp_path / "cache"
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(cache))
    _point_registry_at(monkeypatch, f"{base}/majors2016.csv")
    resolved = resolve(SMALL)
    assert resolved.origin == "download"
    assert (cache / "cow" / "majors2016.csv").read_bytes() == (served / "majors2016.csv").read_bytes()
    assert resolve(SMALL).origin == "cache"


def test_download_with_wrong_hash_leaves_nothing(local_server, tmp_path, monkeypatch):
    _, base = local_server
    monkeypatch.delenv("WORLDORDER_DATA_DIR")
    cache = tmp_path / "cache"
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(cache))
    _point_registry_at(monkeypatch, f"{base}/majors2016.csv", sha256="0" * 64)
    with pytest.raises(DataFileError, match="does not match"):
        resolve(SMALL)
    assert not (cache / "cow" / "majors2016.csv").exists()


def test_unreachable_publisher_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("WORLDORDER_DATA_DIR", raising=False)
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(tmp_path))
    _point_registry_at(monkeypatch, "http://127.0.0.1:9/majors2016.csv")
    with pytest.raises(DataFileError, match="Could not download"):
        resolve(SMALL)


@pytest.mark.network
def test_publisher_download(tmp_path, monkeypatch):
    monkeypatch.delenv("WORLDORDER_DATA_DIR", raising=False)
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(tmp_path))
    assert resolve(SMALL).origin == "download"


def test_publisher_zip_member_is_extracted_and_checked(local_server, tmp_path, monkeypatch):
    import zipfile

    served, base = local_server
    inner = served / "majors.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.write(served / "majors2016.csv", "data/majors2016.csv")
    with zipfile.ZipFile(served / "outer.zip", "w") as archive:
        archive.write(inner, "majors.zip")
        archive.writestr("README.txt", "documentation")
    monkeypatch.delenv("WORLDORDER_DATA_DIR")
    cache = tmp_path / "cache"
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(cache))
    _point_registry_at(monkeypatch, f"{base}/outer.zip", url_kind="zip", member="majors.zip/majors2016.csv")
    resolved = resolve(SMALL)
    assert resolved.origin == "download"
    assert (cache / "cow" / "majors2016.csv").read_bytes() == (served / "majors2016.csv").read_bytes()
    assert not list((cache / "cow" / "zips").iterdir())  # the archive is not kept


def test_a_changed_publisher_file_falls_back_to_the_copy_and_errors_name_both(local_server, tmp_path, monkeypatch):
    from worldorder.data.registry import Alternate

    served, base = local_server
    (served / "changed.csv").write_text("a file the publisher changed\n")
    monkeypatch.delenv("WORLDORDER_DATA_DIR")
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(tmp_path / "cache"))
    copy = Alternate(f"{base}/majors2016.csv", "copy in a third-party repository")
    dataset = _point_registry_at(monkeypatch, f"{base}/changed.csv")
    monkeypatch.setattr(fetch, "get_dataset", lambda name: dataclasses.replace(dataset, alternates=(copy,)))
    assert resolve(SMALL).origin == "download"

    gone = Alternate("http://127.0.0.1:9/majors2016.csv", "copy in a third-party repository")
    monkeypatch.setattr(fetch, "get_dataset", lambda name: dataclasses.replace(dataset, alternates=(gone,)))
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(tmp_path / "other"))
    with pytest.raises(DataFileError) as caught:
        resolve(SMALL)
    message = str(caught.value)
    assert f"publisher {base}/changed.csv" in message and "copy http://127.0.0.1:9/majors2016.csv" in message


def test_page_addresses_are_not_downloaded_and_the_error_names_publisher_and_copies(tmp_path, monkeypatch):
    monkeypatch.delenv("WORLDORDER_DATA_DIR", raising=False)
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(tmp_path))
    dataset = get_dataset("maddison_2023")
    assert dataset.url_kind == "page" and [kind for kind, _ in dataset.downloads] == ["copy"]
    with pytest.raises(DataFileError) as caught:
        resolve("maddison_2023", download=False)
    message = str(caught.value)
    assert "Publisher (" in message and "its page (not this exact file)" in message and "Copy kept by others" in message


def test_no_network_and_no_mirror_leaves_no_empty_store(tmp_path, monkeypatch):
    from worldorder.data.registry import Alternate
    from worldorder.store import StoreError, open_store

    monkeypatch.delenv("WORLDORDER_DATA_DIR", raising=False)
    monkeypatch.setenv("WORLDORDER_CACHE_DIR", str(tmp_path / "cache"))
    dataset = _point_registry_at(monkeypatch, "http://127.0.0.1:9/majors2016.csv")
    monkeypatch.setattr(fetch, "get_dataset", lambda name: dataclasses.replace(
        dataset, alternates=(Alternate("http://127.0.0.1:9/copy.csv", "copy"),)))
    path = tmp_path / "store.duckdb"
    store = open_store(path)
    with pytest.raises(DataFileError):
        store.ingest(SMALL)
    assert not path.exists() and not path.with_name("store.duckdb.wal").exists()
    again = open_store(path)  # a later command starts afresh
    assert again is not store and path.exists()
    with pytest.raises((DataFileError, StoreError)):
        again.ingest(SMALL)
    assert not path.exists()
