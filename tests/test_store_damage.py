"""A damaged store file is named, called damaged, and comes with what to do; another process is blamed only for a lock."""

from __future__ import annotations

import random

import duckdb
import numpy as np
import pandas as pd
import pytest

from clirun import run_cli
from worldorder.store import Store, StoreDamaged, StoreError

BLOCK = 262_144  # DuckDB's block size: each block carries its own checksum


def _build(path) -> None:
    """A small worldorder store with one table of about a dozen blocks (no mirror needed)."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"ccode": rng.integers(2, 999, 300_000), "year": rng.integers(1816, 2017, 300_000),
                          "value": rng.normal(size=300_000)})
    store = Store(path)
    store.put("cow_majors_2016", frame, sha256="0" * 64, origin="test")
    store.close()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    path = tmp_path_factory.mktemp("pristine") / "store.duckdb"
    _build(path)
    return path.read_bytes()


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 3]


def _random(data: bytes) -> bytes:
    return random.Random(1).randbytes(len(data))


def _flip_header(data: bytes) -> bytes:
    flipped = bytearray(data)
    for i in range(4096 + 64, 3 * 4096):  # DuckDB's two database headers
        flipped[i] ^= 0xFF
    return bytes(flipped)


def _flip_everything(data: bytes) -> bytes:
    flipped = bytearray(data)
    for i in range(12_288, len(flipped), 7):
        flipped[i] ^= 0x5A
    return bytes(flipped)


def _sql(statement: str):
    def damage(path):
        connection = duckdb.connect(str(path))
        connection.execute(statement)
        connection.close()
    return damage


BYTE_DAMAGE = {"truncated": _truncate, "random bytes": _random, "flipped header": _flip_header,
               "flipped pages": _flip_everything, "empty": lambda data: b""}
SQL_DAMAGE = {
    "non-integer schema_version": (_sql("UPDATE _worldorder_meta SET value = 'one' WHERE key = 'schema_version'"), "schema_version"),
    "no _provenance": (_sql("DROP TABLE _provenance"), "_provenance"),
    "no _worldorder_meta": (_sql("DROP TABLE _worldorder_meta"), "_worldorder_meta"),
}


def _assert_damaged_message(text: str, path) -> None:
    assert str(path) in text and "damaged" in text
    assert "move it aside" in text and "worldorder data ingest" in text
    assert "another process" not in text.lower()


@pytest.mark.parametrize("kind", sorted(BYTE_DAMAGE))
@pytest.mark.parametrize("read_only", [False, True])
def test_damaged_bytes_are_reported_with_what_to_do(tmp_path, pristine, kind, read_only):
    path = tmp_path / "store.duckdb"
    path.write_bytes(BYTE_DAMAGE[kind](pristine))
    with pytest.raises(StoreDamaged) as caught:
        store = Store(path, read_only=read_only)
        store.check()
    _assert_damaged_message(str(caught.value), path)


@pytest.mark.parametrize("kind", sorted(SQL_DAMAGE))
def test_damaged_tables_are_reported_with_what_to_do(tmp_path, pristine, kind):
    path = tmp_path / "store.duckdb"
    path.write_bytes(pristine)
    damage, named = SQL_DAMAGE[kind]
    damage(path)
    for read_only in (False, True):
        with pytest.raises(StoreDamaged, match=named) as caught:
            Store(path, read_only=read_only)
        _assert_damaged_message(str(caught.value), path)


def test_every_flipped_block_is_found_by_status(tmp_path, pristine):
    """Flip one block at a time: opening, or else `data status` (which reads every value), finds each used block."""
    found_only_by_check = 0
    for block in range(len(pristine) // BLOCK):
        data = bytearray(pristine)
        start = 12_288 + block * BLOCK + 1000
        for i in range(start, start + 256):
            data[i] ^= 0xFF
        path = tmp_path / f"flip{block}.duckdb"
        path.write_bytes(bytes(data))
        try:
            store = Store(path, read_only=True)
        except StoreDamaged:
            continue
        try:
            store.check()
            damaged = False
        except StoreDamaged as error:
            _assert_damaged_message(str(error), path)
            damaged = found_only_by_check = found_only_by_check + 1
        store.close()
        code, _, err = run_cli("data", "status", "--db", path)
        assert (code != 0) == bool(damaged), err
        if damaged:
            assert "Traceback" not in err and "damaged" in err
    assert found_only_by_check > 0  # some damage hides from a plain open: status must read every page


def test_status_exits_non_zero_on_a_damaged_store(tmp_path, pristine):
    path = tmp_path / "store.duckdb"
    path.write_bytes(_truncate(pristine))
    code, _, err = run_cli("data", "status", "--db", path)
    assert code == 1 and "Traceback" not in err
    _assert_damaged_message(" ".join(err.split()), path)


def test_a_store_path_under_a_file_or_a_folder_is_refused(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StoreError, match="Not a directory|File exists") as caught:
        Store(tmp_path / "afile" / "store.duckdb")
    assert "--db" in str(caught.value)
    (tmp_path / "folder.duckdb").mkdir()
    with pytest.raises(StoreError, match="a folder, not a file"):
        Store(tmp_path / "folder.duckdb")


def test_a_store_open_in_this_process_with_the_other_setting_is_not_called_damaged(tmp_path, pristine):
    """DuckDB refuses a second connection with another read-only setting; the file is sound."""
    path = tmp_path / "store.duckdb"
    path.write_bytes(pristine)
    writable = Store(path)
    try:
        with pytest.raises(StoreError, match="already open in this process") as caught:
            Store(path, read_only=True)
        assert not isinstance(caught.value, StoreDamaged) and "damaged" not in str(caught.value)
    finally:
        writable.close()
    Store(path, read_only=True).close()  # once closed, it opens
