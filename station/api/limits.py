"""The rate limit on failed authentications: a program guessing tokens is shut out for a while.

Counted per client address and, because a local program can speak from many loopback addresses
(127.0.0.0/8), over all addresses too. A shut-out address is refused before its token is even looked at,
so while it lasts a right token does not help either: guessing gains nothing.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

ALL_ADDRESSES = "*"


class FailedAuthLimiter:
    """At most ``per_address`` failures per address and ``overall`` in total within ``window_s``
    seconds; past that, :meth:`retry_after` says how long the address must wait."""

    def __init__(
        self,
        per_address: int = 10,
        overall: int = 100,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_address = per_address
        self.overall = overall
        self.window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times and key != ALL_ADDRESSES:
            del self._failures[key]  # keep the table small: only addresses failing right now
            return deque()
        return times

    def failed(self, address: str) -> None:
        now = self._clock()
        with self._lock:
            self._recent(address, now)
            for key in (address, ALL_ADDRESSES):
                self._failures.setdefault(key, deque()).append(now)

    def retry_after(self, address: str) -> int:
        """Whole seconds until ``address`` may try again; 0 when it may now."""
        now = self._clock()
        with self._lock:
            wait = 0.0
            for key, limit in ((address, self.per_address), (ALL_ADDRESSES, self.overall)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    # Free again when enough of the failures have aged out of the window.
                    wait = max(wait, times[len(times) - limit] + self.window_s - now)
            return math.ceil(wait) if wait > 0 else 0
