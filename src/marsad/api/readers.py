"""Read-only connections to the store, one per concurrent request.

A :class:`~marsad.store.sqlite.Store` serialises its calls on one
connection.  The API reads through a small pool of read-only Stores on the
same file instead, so that queries from concurrent requests run side by side
(SQLite in WAL mode lets readers work alongside the writer, and Python's
sqlite3 releases the GIL while a query runs).  Writes go through the app's
one read-write Store.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from marsad.store.sqlite import Store

DEFAULT_SIZE = 4


class ReaderPool:
    """Up to ``size`` read-only Stores on ``path``, opened when first needed."""

    def __init__(self, path: str, size: int = DEFAULT_SIZE) -> None:
        if size < 1:
            raise ValueError("a reader pool needs at least one connection")
        self.path = path
        self.size = size
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        """A read-only Store for the time of one request (waits while all are busy)."""
        store = self._take()
        try:
            yield store
        finally:
            if self._closed:
                store.close()
            else:
                self._idle.put(store)

    def _take(self) -> Store:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._opened) < self.size:
                store = Store(self.path, readonly=True)
                self._opened.append(store)
                return store
        return self._idle.get()

    @property
    def opened(self) -> int:
        """How many connections the pool has opened."""
        return len(self._opened)

    def close(self) -> None:
        """Close every connection (those in use close when given back)."""
        self._closed = True
        with self._lock:
            for store in self._opened:
                store.close()
