"""The DuckDB store: one file holding every ingested data set as a typed table.

Each data set is ingested in one transaction (the table and its provenance row
are written together or not at all), so an ingest killed midway leaves the store
exactly as it was.  Re-ingesting an unchanged file is a no-op.  The table
``_worldorder_meta`` records the schema version; ``_provenance`` records, for
each table, the data set's version, the file's SHA-256, where the file came
from and when it was ingested.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from worldorder import __version__
from worldorder.data.fetch import DataFileError, resolve
from worldorder.data.registry import get_dataset, registry
from worldorder.errors import WorldOrderError

SCHEMA_VERSION = 1

_PROVENANCE_DDL = """
CREATE TABLE IF NOT EXISTS _provenance (
    name VARCHAR PRIMARY KEY,
    title VARCHAR,
    version VARCHAR,
    sha256 VARCHAR,
    origin VARCHAR,
    path VARCHAR,
    rows BIGINT,
    ingested_at TIMESTAMP,
    worldorder_version VARCHAR
)
"""


class StoreError(WorldOrderError, RuntimeError):
    """The store cannot be used as it is (wrong schema, locked, read-only, damaged)."""


class StoreLocked(StoreError):
    """Another process holds the store's file."""


class StoreDamaged(StoreError):
    """The store's file is damaged (truncated, corrupt pages, tables missing): move it aside and ingest again."""


def _is_lock(error: Exception) -> bool:
    """Whether a DuckDB error says that another process holds the file's lock."""
    text = str(error).lower()
    return "could not set lock" in text or "conflicting lock" in text


def _first_line(error: Exception, limit: int = 200) -> str:
    """DuckDB's message, first line, without its ``IO Error:`` kind of prefix."""
    line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    line = re.sub(r"^[A-Za-z ]*Error: ", "", line).rstrip("!. ")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def default_db_path() -> Path:
    """``$WORLDORDER_DB``, else ``worldorder.duckdb`` in the user data folder."""
    value = os.environ.get("WORLDORDER_DB")
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("worldorder")) / "worldorder.duckdb"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Store:
    """A DuckDB file of data sets.

    Parameters
    ----------
    path
        The database file; default :func:`default_db_path`.
    read_only
        Open without write access (what the web app does).  Missing data sets
        then raise instead of being ingested.
    """

    def __init__(self, path: str | os.PathLike | None = None, read_only: bool = False, held_elsewhere: bool = False):
        import duckdb

        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.read_only = read_only
        self.held_elsewhere = held_elsewhere  # read-only because another process reads the file
        if self.path.is_dir():
            raise StoreError(f"The store {self.path} is a folder, not a file. Choose a file with --db.")
        if read_only and not self.path.exists():
            raise StoreError(f"No store at {self.path}. Run `worldorder data ingest` first.")
        self._created = not self.path.exists()  # made by this process: removed again if its first file cannot be had
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a parent is a file, or no permission
            raise StoreError(
                f"Cannot create the store {self.path}: {error.strerror or error} ({error.filename}). "
                "Choose another file with --db."
            ) from None
        try:
            self.connection = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as error:
            if _is_lock(error):
                raise StoreLocked(
                    f"Another process holds the store {self.path} ({_first_line(error)}). Wait for it to "
                    "finish or stop it, or use --db to choose another file."
                ) from error
            if "different configuration" in str(error):  # open in this process, read-only and writable
                raise StoreError(
                    f"The store {self.path} is already open in this process with the other read-only setting. "
                    "Close that store first (Store.close()), or open it with the same setting."
                ) from error
            if "permission denied" in str(error).lower():
                raise StoreError(f"Cannot open the store {self.path}: permission denied. Check its permissions or use --db.") from error
            raise self.damaged(_first_line(error)) from error
        self._lock = threading.RLock()
        self._stamps: dict[str, tuple | None] = {}
        try:
            with self._reading():
                self._check_schema()
        except BaseException:
            self.connection.close()
            raise

    def damaged(self, reason: str) -> StoreDamaged:
        """The error for a damaged store file: what is wrong, and how to build the file again."""
        default = self.path.resolve() == default_db_path().resolve()
        again = "worldorder data ingest" + ("" if default else f" --db {self.path}")
        return StoreDamaged(
            f"The store {self.path} is damaged: {reason}. It holds only data that can be ingested again: "
            f"move it aside (mv {self.path} {self.path}.damaged) and run `{again}`."
        )

    @contextmanager
    def _reading(self):
        """Turn DuckDB's errors while reading the file into :class:`StoreDamaged` (a bad column name stays a bug)."""
        import duckdb

        try:
            yield
        except (duckdb.BinderException, duckdb.InterruptException):
            raise
        except duckdb.Error as error:
            raise self.damaged(_first_line(error)) from error

    # -- schema -------------------------------------------------------------------
    def _check_schema(self) -> None:
        tables = self._table_names()
        if "_worldorder_meta" not in tables:
            if "_provenance" in tables:
                raise self.damaged("its _worldorder_meta table is missing")
            if self.read_only:
                raise StoreError(f"{self.path} is not a worldorder store (no _worldorder_meta table).")
            if tables:
                raise StoreError(
                    f"{self.path} is a DuckDB file but not a worldorder store. Choose another path with --db."
                )
            with self._transaction():
                self.connection.execute("CREATE TABLE _worldorder_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
                self.connection.execute(
                    "INSERT INTO _worldorder_meta VALUES ('schema_version', ?), ('created_by', ?)",
                    [str(SCHEMA_VERSION), __version__],
                )
                self.connection.execute(_PROVENANCE_DDL)
            return
        if "_provenance" not in tables:
            raise self.damaged("its _provenance table is missing")
        row = self.connection.execute(
            "SELECT value FROM _worldorder_meta WHERE key = 'schema_version'"
        ).fetchone()
        try:
            found = int(row[0]) if row else 0
        except (TypeError, ValueError):
            raise self.damaged(f"its schema_version is {row[0]!r}, not a whole number") from None
        if found < SCHEMA_VERSION:
            raise StoreError(
                f"The store {self.path} has schema version {found}, older than this worldorder's "
                f"{SCHEMA_VERSION}. Delete the file (it holds only data that can be ingested again) "
                "and run `worldorder data ingest`."
            )
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"The store {self.path} has schema version {found}, written by a newer worldorder. "
                "Upgrade worldorder (`pip install -U worldorder`) or use another --db."
            )

    def _discard_if_empty(self) -> None:
        """Remove a store this process created and could not fill, so that no empty store is left behind.

        Only a store without any data set is removed; it is closed and forgotten,
        and the next :func:`open_store` creates it again.
        """
        if not self._created or self._table_names() - {"_worldorder_meta", "_provenance"}:
            return
        with _open_lock:
            for key in [key for key, store in _open_stores.items() if store is self]:
                del _open_stores[key]
            self.connection.close()
            for leftover in (self.path, self.path.with_name(self.path.name + ".wal")):
                leftover.unlink(missing_ok=True)

    def _table_names(self) -> set[str]:
        rows = self.connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
        return {name for (name,) in rows}

    def _transaction(self):
        store = self

        class _Transaction:
            def __enter__(self):
                store._lock.acquire()
                store.connection.execute("BEGIN TRANSACTION")

            def __exit__(self, kind, value, traceback):
                try:
                    store.connection.execute("COMMIT" if kind is None else "ROLLBACK")
                finally:
                    store._lock.release()
                return False

        return _Transaction()

    # -- reading ------------------------------------------------------------------
    def provenance(self):
        """The provenance table: one row per ingested data set."""
        with self._lock, self._reading():
            return self.connection.execute("SELECT * FROM _provenance ORDER BY name").df()

    def check(self) -> None:
        """Read every value of every table, so that a damaged page raises :class:`StoreDamaged`.

        DuckDB checks each block's checksum when it reads it; a query that
        touches only some columns, as most do, can miss a damaged page.
        """
        with self._lock, self._reading():
            for name in sorted(self._table_names()):
                self.connection.execute(f"SELECT bit_xor(hash(COLUMNS(*))) FROM {_quote(name)}").fetchall()

    def has(self, name: str) -> bool:
        """Whether data set ``name`` is in the store."""
        return self.stamp(name) is not None

    def stamp(self, name: str) -> tuple | None:
        """(sha256, ingested_at) of an ingested data set: changes whenever its table changes.

        Kept in memory after the first read: while this process holds the file,
        only this process can write to it, and :meth:`put` forgets the entry.
        """
        with self._lock:
            if name not in self._stamps:
                with self._reading():
                    self._stamps[name] = self.connection.execute(
                    "SELECT sha256, ingested_at FROM _provenance WHERE name = ?", [name]
                ).fetchone()
            return self._stamps[name]

    def table(self, name: str, columns: Iterable[str] | None = None):
        """Read data set ``name`` as a pandas DataFrame, ingesting it first if needed."""
        self.ensure([name])
        selected = "*" if columns is None else ", ".join(_quote(c) for c in columns)
        with self._lock, self._reading():
            return self.connection.execute(f"SELECT {selected} FROM {_quote(get_dataset(name).name)}").df()

    # -- writing ------------------------------------------------------------------
    def _to_write(self, step: str) -> str:
        """``step`` (what to do to write), after stopping the other process when one holds the file."""
        if self.held_elsewhere:
            return f"Another process (such as `worldorder serve`) is reading the file; stop it, then {step}"
        return step[:1].upper() + step[1:]

    def ensure(self, names: Iterable[str]) -> None:
        """Ingest every data set of ``names`` not yet in the store, with a progress bar."""
        missing = [name for name in names if not self.has(name)]
        if not missing:
            return
        if self.read_only:
            raise StoreError(
                f"The store {self.path} lacks {', '.join(missing)} and is open read-only. "
                + self._to_write(f"run `worldorder data ingest {' '.join(missing)}`.")
            )
        from worldorder._progress import progress_steps

        with progress_steps(len(missing), "Ingesting") as advance:
            for name in missing:
                self.ingest(name)
                advance(name)

    def ingest(self, name: str, path: str | os.PathLike | None = None, force: bool = False) -> str:
        """Load data set ``name`` into the store in one transaction.

        Returns ``"ingested"`` or ``"unchanged"`` (same file and same worldorder
        version already in the store, and ``force`` not set).
        """
        if self.read_only:
            again = " " + self._to_write("run this again.") if self.held_elsewhere else ""
            raise StoreError(f"The store {self.path} is open read-only; cannot ingest {name!r}.{again}")
        dataset = get_dataset(name)
        try:
            resolved = resolve(name, path=path)
        except DataFileError:
            self._discard_if_empty()
            raise
        with self._reading():
            previous = self.connection.execute(
                "SELECT sha256, worldorder_version FROM _provenance WHERE name = ?", [name]
            ).fetchone()
        if not force and previous == (resolved.sha256, __version__):
            return "unchanged"
        frame = dataset.parse_function()(resolved.path)
        self.put(name, frame, sha256=resolved.sha256, origin=resolved.origin, path=str(resolved.path))
        return "ingested"

    def put(self, name: str, frame, sha256: str, origin: str, path: str = "") -> None:
        """Store ``frame`` as data set ``name`` with its provenance, in one transaction.

        :meth:`ingest` calls this after parsing; tests use it to build small stores.
        """
        try:
            with self._transaction():
                self._replace_table(name, frame)
                self._record_provenance(name, sha256=sha256, origin=origin, path=path, rows=len(frame))
        finally:
            self._stamps.pop(name, None)

    def _replace_table(self, name: str, frame) -> None:
        dataset = get_dataset(name)
        self.connection.register("_incoming", frame)
        try:
            self.connection.execute(f"CREATE OR REPLACE TABLE {_quote(name)} AS SELECT * FROM _incoming")
        finally:
            self.connection.unregister("_incoming")
        self.connection.execute(
            f"COMMENT ON TABLE {_quote(name)} IS {_sql_text(f'{dataset.title} {dataset.version}')}"
        )
        for column, description in dataset.columns.items():
            if column in frame.columns:
                self.connection.execute(
                    f"COMMENT ON COLUMN {_quote(name)}.{_quote(column)} IS {_sql_text(description)}"
                )

    def _record_provenance(self, name: str, sha256: str, origin: str, path: str, rows: int) -> None:
        dataset = get_dataset(name)
        self.connection.execute("DELETE FROM _provenance WHERE name = ?", [name])
        self.connection.execute(
            "INSERT INTO _provenance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                name,
                dataset.title,
                dataset.version,
                sha256,
                origin,
                path,
                rows,
                datetime.now(timezone.utc).replace(tzinfo=None),
                __version__,
            ],
        )

    def ingest_many(
        self,
        names: Iterable[str] | None = None,
        force: bool = False,
        on_done: Callable[[str, str], None] | None = None,
    ) -> dict[str, str]:
        """Ingest several data sets (all registered ones by default), each in its own transaction."""
        results = {}
        for name in list(names) if names else list(registry()):
            results[name] = self.ingest(name, force=force)
            if on_done is not None:
                on_done(name, results[name])
        return results

    def close(self) -> None:
        self.connection.close()


_open_stores: dict[tuple[Path, bool], Store] = {}
_open_lock = threading.Lock()


def open_store(path: str | os.PathLike | None = None, read_only: bool = False) -> Store:
    """A shared :class:`Store` for ``path`` in this process (opened once).

    DuckDB allows one configuration per file and process, so when the file is
    already open read-only here (as the web app opens it), that store is
    returned: reads work, and a data set missing from it raises
    :class:`StoreError` instead of being ingested.  The same holds when
    another process reads the file (``worldorder serve`` in another
    terminal): DuckDB then refuses a writer, and the store opens read-only.
    """
    resolved = (Path(path).expanduser() if path is not None else default_db_path()).resolve()
    with _open_lock:
        for key in ((resolved, read_only), (resolved, True)):
            if key in _open_stores:
                return _open_stores[key]
        try:
            store = Store(resolved, read_only=read_only)
        except StoreLocked:
            if read_only:
                raise
            store = Store(resolved, read_only=True, held_elsewhere=True)
        _open_stores[(resolved, store.read_only)] = store
        return store


def load(name: str, db: str | os.PathLike | Store | None = None, columns: Iterable[str] | None = None):
    """Data set ``name`` as a DataFrame from the store, ingesting it first if needed.

    Examples
    --------
    >>> nmc = load("cow_nmc_7")  # doctest: +SKIP
    """
    store = db if isinstance(db, Store) else open_store(db)
    return store.table(name, columns=columns)
