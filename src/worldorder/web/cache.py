"""The web app's memory: a bounded least-recently-used memo that computes each key once under concurrency."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class Memo:
    """A bounded least-recently-used memo with one lock per key (compute once under concurrency)."""

    def __init__(self, size: int = 512):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], object]):
        with self._guard:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._values:
                    return self._values[key]
            try:
                value = compute()
            except BaseException:
                with self._guard:
                    self._locks.pop(key, None)
                raise
            with self._guard:
                self._values[key] = value
                self._values.move_to_end(key)
                while len(self._values) > self.size:
                    old, _ = self._values.popitem(last=False)
                    self._locks.pop(old, None)
                self._locks.pop(key, None)
            return value

    def peek(self, key: Hashable):
        with self._guard:
            return self._values.get(key)

    def put(self, key: Hashable, value) -> None:
        with self._guard:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._guard:
            self._values.clear()
