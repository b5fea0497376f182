"""Login attempts, rate-limited per account and per address: a small in-process limiter of failures.

Only failed attempts count, in a sliding window; a success clears the account's failures. The limiter lives in the
app (one per process): ``govmap serve`` is one waitress process with threads, so one lock is enough. Flask-Limiter
was not chosen because it counts every request rather than failures, needs a storage backend to be right across
processes anyway, and adds a dependency for two counters.

>>> limiter = AttemptLimiter(limit=2, window=60.0, clock=iter([0.0, 1.0, 2.0, 3.0, 70.0]).__next__)
>>> limiter.fail("xyh"); limiter.fail("xyh")
>>> limiter.blocked("xyh"), limiter.blocked("other")
(58.0, 0.0)
>>> limiter.blocked("xyh")
0.0
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class AttemptLimiter:
    """At most ``limit`` failures per key within ``window`` seconds."""

    def __init__(self, *, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        with self._lock:
            now = self._clock()
            failures = self._prune(key, now)
            if len(failures) < self.limit:
                return 0.0
            return max(failures[0] + self.window - now, 0.0)

    def fail(self, key: str) -> None:
        """Count a failed attempt of ``key``."""
        with self._lock:
            now = self._clock()
            self._failures[key] = self._prune(key, now)
            self._failures[key].append(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _prune(self, key: str, now: float) -> deque[float]:
        """The failures of ``key`` still in the window; a key with none left is forgotten."""
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures
