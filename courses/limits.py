"""Counting limits: `allow(key, rate=...)`, a fixed-window counter in the default cache.

Below the services in the layering, so a service (one-time SMS codes) and a throttle (enrolment)
may both count with it. The default cache is shared by every web process: the database cache on
the embedded defaults (config/cache.py, whose add() and incr() hold across processes), Redis
with CACHE_URL. Counted in one store, the count holds however many web processes there are.
"""

from __future__ import annotations

from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """A rate such as "3/hour" as (3, 3600): events per second, minute, hour or day."""
    number, period = rate.split("/")
    return int(number), _PERIODS[period.strip()[0]]


def hits(key: str, *, period: int) -> int:
    """Count one more event under `key` and return the count in its window: the window opens at
    the key's first event and lasts `period` seconds. Atomic in every process: `cache.incr()`
    counts (Redis INCR; the database cache compares and swaps) and, when there is no window yet
    or it closed, `cache.add()` opens one (only one process's add succeeds). So a request costs
    one incr(), and the first of a window one add() more."""
    counter = f"limit:{key}"
    for _attempt in range(3):
        try:
            return int(cache.incr(counter))
        except ValueError:  # no window yet, or it closed: open one (or count in another's)
            cache.add(counter, 0, timeout=period)
    return 1  # a cache that cannot count (DummyCache) limits nothing


def allow(key: str, *, rate: str) -> bool:
    """Whether one more event under `key` (e.g. "code-number:+48600100200") is within `rate`
    ("3/hour"). Every call counts, allowed or not: a client refused keeps being refused until
    the window that opened at its first event closes."""
    limit, period = parse_rate(rate)
    return hits(key, period=period) <= limit
