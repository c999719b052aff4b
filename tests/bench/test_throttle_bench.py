"""The rate limit's first count for a new visitor, on the embedded database cache near its 10,000
keys: what every person costs when registration opens (each first request opens a window for
their address, and the code step one for their number).

In interleaved rounds, through `EnrolmentThrottle.allow_request` with a new client address for
each call: the window opened with the table's size checked at one window in SIZE_CHECK_EVERY
(the default), the same with the size checked at every window (`SIZE_CHECK_EVERY: 1`, Django's
way and this project's before), a count in a window already open, and one read of the same
store (the floor: one round trip). Fails when the default's first count is not under 0.3 ms.
PostgreSQL with DATABASE_URL, else SQLite. Prints `[bench throttle]` lines. Run with
`make bench`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from config.cache import SIZE_CHECK_EVERY
from courses.throttles import EnrolmentThrottle
from tests.bench.counting import seconds_per_call

KEYS = 9_000  # below MAX_ENTRIES (10,000): nothing is culled while measuring
ROUNDS = 5
CALLS = 400
TARGET_MS = 0.3


def _fill(keys: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM integra_cache")
        cursor.executemany(
            "INSERT INTO integra_cache (cache_key, value, expires) VALUES (%s, %s, %s)",
            [(f":1:bench:kept:{n}", "1", "9999-12-31 00:00:00") for n in range(keys)],
        )


def _forget_new() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM integra_cache WHERE cache_key NOT LIKE %s", [":1:bench:kept:%"])


def _with_size_checked(settings: Any, every: int) -> None:
    options = {**settings.CACHES["default"].get("OPTIONS", {}), "SIZE_CHECK_EVERY": every}
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "OPTIONS": options},
    }


def _first_counts(round_: int, label: str) -> Callable[[], float]:
    """Seconds per call of CALLS first counts, each from an address never seen."""
    throttle = EnrolmentThrottle()
    requests = []
    for n in range(CALLS):
        request = RequestFactory().post(
            "/api/v1/enrolments/", REMOTE_ADDR=f"2001:db8:{label}:{round_}::{n:x}"
        )
        request.user = AnonymousUser()
        requests.append(request)

    def run() -> float:
        started = time.perf_counter()
        for request in requests:
            assert throttle.allow_request(request, None)  # type: ignore[arg-type]
        return (time.perf_counter() - started) / CALLS

    return run


def test_bench_a_new_visitors_first_count_near_a_full_table(settings) -> None:
    settings.ENROLMENT_RATE = "1000000/hour"
    _fill(KEYS)
    figures: dict[str, list[float]] = {
        "opened": [],
        "opened, checked each": [],
        "live": [],
        "read": [],
    }
    live = RequestFactory().post("/api/v1/enrolments/", REMOTE_ADDR="203.0.113.9")
    live.user = AnonymousUser()
    throttle = EnrolmentThrottle()
    for round_ in range(ROUNDS):  # interleaved, so that a busy moment weighs on all alike
        for name, every in (("opened", SIZE_CHECK_EVERY), ("opened, checked each", 1)):
            _with_size_checked(settings, every)
            figures[name].append(_first_counts(round_, "a" if every > 1 else "b")())
            _forget_new()
        _with_size_checked(settings, SIZE_CHECK_EVERY)
        throttle.allow_request(live, None)  # type: ignore[arg-type]
        count = partial(throttle.allow_request, live, None)
        figures["live"].append(seconds_per_call(count, CALLS))
        read = partial(caches["default"].get, "bench:no-such-key")
        figures["read"].append(seconds_per_call(read, CALLS))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM integra_cache")
        rows = cursor.fetchone()[0]
    ms = {name: statistics.median(values) * 1000 for name, values in figures.items()}

    def rounds(name: str) -> str:
        return "/".join(f"{v * 1000:.3f}" for v in figures[name])

    print(
        f"\n[bench throttle] {connection.vendor}, database cache holding {KEYS:,} keys, "
        f"{ROUNDS} rounds of {CALLS} calls: a new visitor's first count {ms['opened']:.3f} ms "
        f"({rounds('opened')}; its size checked at one window in {SIZE_CHECK_EVERY}), "
        f"{ms['opened, checked each']:.3f} ms with the size checked at every window "
        f"({rounds('opened, checked each')}; ratio "
        f"{ms['opened, checked each'] / ms['opened']:.2f}), a count in an open window "
        f"{ms['live']:.3f} ms, one read of the same store {ms['read']:.3f} ms "
        f"(target < {TARGET_MS} ms for the first count)"
    )
    assert rows == KEYS + 1  # only the live window's key is left beside the kept ones
    assert ms["opened"] < TARGET_MS
