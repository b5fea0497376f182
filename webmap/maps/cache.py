"""The cache of rendered maps, kept in the Flask app's ``extensions``: a map is built once per (page, filters,
basemap)."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app

_CACHE_KEY = "govmap.maps"


class MapCache:
    """A small thread-safe LRU of rendered maps, kept in ``app.extensions``: a map is built once per
    (page, filters, basemap) and then served from here."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        #: How many values were built, by the first element of their key (``"planner"``, ``"town"`` …).
        self.builds: Counter[Any] = Counter()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self.builds[key[0] if isinstance(key, tuple) and key else key] += 1
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value (the state they were built from was replaced)."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def init_cache(app: Flask, *, size: int = 128) -> MapCache:
    """Attach the map cache to ``app`` (idempotent)."""
    return app.extensions.setdefault(_CACHE_KEY, MapCache(size))


def map_cache() -> MapCache:
    """The current app's map cache."""
    return init_cache(current_app)
