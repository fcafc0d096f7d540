"""The web app's memory: least-recently-used memos bounded together in bytes, each key computed once under concurrency.

Every :class:`Memo` of an app charges the bytes of what it keeps to one
:class:`Budget` (by default :func:`default_budget`, sized by
``$WORLDORDER_WEB_CACHE_MB``, 384 MB unless set).  When the memos together
pass the budget, the entries used least recently, in any memo, are dropped
until they fit; a value larger than the whole budget is returned but not kept.
Entry counts stay bounded per memo as well.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

DEFAULT_CACHE_MB = 384


def nbytes(value, _seen: set | None = None, _depth: int = 0) -> int:
    """An estimate of the memory ``value`` holds: tables and arrays by their buffers, containers by their parts.

    pandas objects count their values (object columns deeply), NumPy arrays
    their buffer, bytes and strings their length; mappings, sequences and
    objects with attributes add up what they hold (each object once).
    """
    seen = set() if _seen is None else _seen
    if id(value) in seen or _depth > 12:
        return 0
    seen.add(id(value))
    if isinstance(value, (bytes, bytearray, memoryview, str)):
        return sys.getsizeof(value)
    if hasattr(value, "memory_usage") and hasattr(value, "attrs"):  # a pandas DataFrame or Series
        used = value.memory_usage(deep=True, index=True)
        return int(used.sum() if hasattr(used, "sum") else used)
    if hasattr(value, "nbytes") and hasattr(value, "dtype"):  # a NumPy array
        return int(value.nbytes)
    if hasattr(value, "ecount") and hasattr(value, "vcount"):  # an igraph graph: about 100 bytes per vertex and edge
        return 100 * (value.vcount() + value.ecount())
    total = sys.getsizeof(value)
    if isinstance(value, dict):
        return total + sum(nbytes(k, seen, _depth + 1) + nbytes(v, seen, _depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return total + sum(nbytes(item, seen, _depth + 1) for item in value)
    if hasattr(value, "__dict__"):
        return total + nbytes(vars(value), seen, _depth + 1)
    return total


class Budget:
    """Bytes that a group of memos may hold together, with one least-recently-used order across them.

    Parameters
    ----------
    max_bytes
        The most the memos may hold together.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = int(max_bytes)
        self.nbytes = 0
        self.evictions = 0  # entries dropped, for bytes or for a memo's entry count
        self.lock = threading.RLock()  # guards every memo of the budget: entries move between them on eviction
        self._order: OrderedDict[tuple, int] = OrderedDict()  # (memo, key) -> bytes, least recent first

    def _charge(self, memo: Memo, key: Hashable, size: int) -> None:
        self._order[(memo, key)] = size
        self.nbytes += size
        while self.nbytes > self.max_bytes and self._order:
            (owner, old), freed = self._order.popitem(last=False)
            self.nbytes -= freed
            owner._values.pop(old, None)
            self.evictions += 1

    def _touch(self, memo: Memo, key: Hashable) -> None:
        self._order.move_to_end((memo, key))

    def _release(self, memo: Memo, key: Hashable) -> None:
        self.nbytes -= self._order.pop((memo, key), 0)


_default: Budget | None = None


def default_budget() -> Budget:
    """The process's budget: ``$WORLDORDER_WEB_CACHE_MB`` megabytes (default 384), read once."""
    global _default
    if _default is None:
        _default = Budget(float(os.environ.get("WORLDORDER_WEB_CACHE_MB", DEFAULT_CACHE_MB)) * 2**20)
    return _default


class Memo:
    """A least-recently-used memo with one lock per key (compute once under concurrency).

    Parameters
    ----------
    size
        The most entries this memo keeps.
    budget
        The :class:`Budget` its bytes count against (default :func:`default_budget`).
    """

    def __init__(self, size: int = 512, budget: Budget | None = None):
        self.size = size
        self.budget = budget or default_budget()
        self._values: OrderedDict = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = self.budget.lock

    def get(self, key: Hashable, compute: Callable[[], object]):
        with self._guard:
            if key in self._values:
                return self._hit(key)
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:
                    return self._hit(key)
            try:
                value = compute()
            except BaseException:
                with self._guard:
                    self._locks.pop(key, None)
                raise
            self.put(key, value)
            with self._guard:
                self._locks.pop(key, None)
            return value

    def _hit(self, key: Hashable):
        self._values.move_to_end(key)
        self.budget._touch(self, key)
        return self._values[key]

    def peek(self, key: Hashable):
        with self._guard:
            return self._values.get(key)

    def put(self, key: Hashable, value) -> None:
        size = nbytes(value)
        with self._guard:
            if key in self._values:
                self._values.pop(key)
                self.budget._release(self, key)
            if size > self.budget.max_bytes:
                return  # larger than every cache together: used once, not kept
            self._values[key] = value
            self.budget._charge(self, key, size)
            while len(self._values) > self.size:  # this memo's entry count, beside the shared bytes
                old, _ = self._values.popitem(last=False)
                self.budget._release(self, old)
                self.budget.evictions += 1

    def clear(self) -> None:
        with self._guard:
            for key in list(self._values):
                self.budget._release(self, key)
            self._values.clear()

    @property
    def held_bytes(self) -> int:
        """Bytes this memo holds now (as charged to its budget)."""
        with self._guard:
            return sum(self.budget._order.get((self, key), 0) for key in self._values)
