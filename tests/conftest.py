"""Shared test set-up.

Real-data tests read the mirror named by ``WORLDORDER_DATA_DIR`` (CI points it
at ``../shared/data``) and skip when it is unset.  All tests share one DuckDB
store in a temporary folder unless ``WORLDORDER_DB`` is set, so each data set
is ingested once per test session.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption("--run-network", action="store_true", help="run tests that need the internet")


def pytest_configure(config):
    # Resolve relative paths once, at start: tests change into temporary folders,
    # and the README's command passes the mirror as the relative ``../shared/data``.
    for variable in ("WORLDORDER_DATA_DIR", "WORLDORDER_DB", "WORLDORDER_CACHE_DIR"):
        if os.environ.get(variable):
            os.environ[variable] = str(Path(os.environ[variable]).expanduser().resolve())
    if not os.environ.get("WORLDORDER_DB"):
        os.environ["WORLDORDER_DB"] = str(Path(tempfile.mkdtemp(prefix="worldorder-test-")) / "store.duckdb")
    os.environ.setdefault("WORLDORDER_CACHE_DIR", tempfile.mkdtemp(prefix="worldorder-cache-"))


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-network"):
        return
    skip = pytest.mark.skip(reason="needs the internet; run with --run-network")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The real-data mirror folder; skips the test when WORLDORDER_DATA_DIR is unset."""
    value = os.environ.get("WORLDORDER_DATA_DIR")
    if not value:
        pytest.skip("WORLDORDER_DATA_DIR is not set: no real data to test against")
    return Path(value)


@pytest.fixture(scope="session")
def store(mirror):
    """The session's shared store on disk, backed by the real-data mirror."""
    from worldorder.store import open_store

    return open_store()
