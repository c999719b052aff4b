"""Counting limits: `allow(key, rate=...)`, a fixed-window counter in the default cache.

Below the services in the layering, so a service (one-time SMS codes) and a throttle (enrolment)
may both count with it. The default cache is shared by every web process: the database cache on
the embedded defaults (config/cache.py: its incr_window() counts in one statement), Redis with
CACHE_URL (config/redis_cache.py). Counted in one store, the count holds however many web
processes there are.
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
    the key's first event and lasts `period` seconds. One call to the store, atomic in every
    process: the cache's `incr_window()` (the database cache: one INSERT ... ON CONFLICT DO
    UPDATE statement; Redis: SET NX EX and INCR in one transaction). Any other cache counts
    with `incr()` and, when there is no window yet or it closed, `add()` opens one (only one
    process's add succeeds)."""
    counter = f"limit:{key}"
    incr_window = getattr(cache, "incr_window", None)
    if incr_window is not None:
        return int(incr_window(counter, period=period))
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
