"""The DuckDB store: transactional, idempotent ingest with provenance and a schema version."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap

import duckdb
import pytest

from worldorder.data.fetch import DataFileError
from worldorder.store import SCHEMA_VERSION, Store, StoreError

SMALL = "cow_majors_2016"


@pytest.fixture
def fresh(tmp_path, mirror):
    store = Store(tmp_path / "store.duckdb")
    yield store
    store.close()


def test_ingest_records_provenance_and_is_idempotent(fresh):
    assert fresh.ingest(SMALL) == "ingested"
    assert fresh.ingest(SMALL) == "unchanged"
    provenance = fresh.provenance()
    row = provenance.set_index("name").loc[SMALL]
    assert row["version"] == "2016"
    assert row["origin"] == "mirror"
    assert row["rows"] == 14
    assert len(fresh.table(SMALL)) == 14
    assert fresh.ingest(SMALL, force=True) == "ingested"
    assert len(fresh.provenance()) == 1


def test_columns_carry_their_units_as_comments(fresh):
    fresh.ingest("cow_nmc_6")
    comments = dict(
        fresh.connection.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'cow_nmc_6'"
        ).fetchall()
    )
    assert "British pounds" in comments["milex"]


def test_missing_data_set_is_ingested_on_demand(fresh):
    assert not fresh.has(SMALL)
    assert len(fresh.table(SMALL)) == 14
    assert fresh.has(SMALL)


def test_corrupt_file_is_refused_and_store_unchanged(fresh, mirror, tmp_path):
    fresh.ingest(SMALL)
    before = fresh.provenance()
    broken = tmp_path / "majors2016.csv"
    shutil.copy(mirror / "cow" / "majors2016.csv", broken)
    with open(broken, "a") as handle:
        handle.write("999,XXX,1,1,1,1,1,1,2016\n")
    with pytest.raises(DataFileError, match="expected sha256"):
        fresh.ingest(SMALL, path=broken, force=True)
    assert fresh.provenance().equals(before)
    assert len(fresh.table(SMALL)) == 14


def test_older_schema_gets_a_clear_message(tmp_path):
    path = tmp_path / "old.duckdb"
    Store(path).close()
    connection = duckdb.connect(str(path))
    connection.execute("UPDATE _worldorder_meta SET value = '0' WHERE key = 'schema_version'")
    connection.close()
    with pytest.raises(StoreError, match=f"schema version 0, older than this worldorder's {SCHEMA_VERSION}"):
        Store(path)


def test_foreign_duckdb_file_is_not_taken_over(tmp_path):
    path = tmp_path / "other.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute("CREATE TABLE t (x INTEGER)")
    connection.close()
    with pytest.raises(StoreError, match="not a worldorder store"):
        Store(path)


def test_read_only_store_refuses_to_ingest(tmp_path, mirror):
    path = tmp_path / "ro.duckdb"
    Store(path).close()
    store = Store(path, read_only=True)
    with pytest.raises(StoreError, match="worldorder data ingest cow_majors_2016"):
        store.table(SMALL)
    store.close()


def test_a_store_another_process_reads_opens_read_only(tmp_path, mirror):
    """With `worldorder serve` reading the file elsewhere, the library still reads it, and says why it cannot write."""
    from worldorder.store import open_store

    path = tmp_path / "shared.duckdb"
    writer = Store(path)
    writer.ingest(SMALL)
    writer.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(path)!r}, read_only=True); print('open', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="Another process holds the store"):
            Store(path)  # a writer is refused while another process reads
        store = open_store(path)
        assert store.read_only and store.held_elsewhere
        assert len(store.table(SMALL)) > 0
        with pytest.raises(StoreError, match="Another process .* is reading the file.*worldorder data ingest cow_nmc_6"):
            store.table("cow_nmc_6")
        with pytest.raises(StoreError, match="cannot ingest 'cow_nmc_6'. Another process .* stop it, then run this again"):
            store.ingest("cow_nmc_6")
        store.close()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_ingest_killed_midway_leaves_the_store_as_it_was(tmp_path, mirror):
    """Kill -9 an ingest inside its transaction; the store must hold only what was committed."""
    path = tmp_path / "store.duckdb"
    store = Store(path)
    store.ingest(SMALL)
    store.close()
    script = textwrap.dedent(
        f"""
        import sys, time
        from worldorder.store import Store
        store = Store({str(path)!r})
        original = Store._record_provenance
        def stall(self, *args, **kwargs):
            original(self, *args, **kwargs)
            print("inside", flush=True)
            time.sleep(60)
        Store._record_provenance = stall
        store.ingest("cow_nmc_6")
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=os.environ.copy(), text=True)
    try:
        assert child.stdout.readline().strip() == "inside"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    reopened = Store(path)
    assert reopened.has(SMALL)
    assert not reopened.has("cow_nmc_6")
    tables = {name for (name,) in reopened.connection.execute("SHOW TABLES").fetchall()}
    assert "cow_nmc_6" not in tables
    reopened.close()
