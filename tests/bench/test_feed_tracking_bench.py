"""A feed's 304 in process on Redis: its validator read through client tracking, and without it.

The default cache on Redis (`config.redis_cache.RedisCache`) answers the validator's two keys
from the worker's memory while Redis has not invalidated them (`config.tracked_reads`); with
OPTIONS `{"TRACKED_READS": False}` every 304 makes its Redis round trip (one MGET). Both are
timed in the same run, in ROUNDS interleaved rounds of REQUESTS conditional GETs each, and the
p50s printed with their ratio as `[bench feed tracking]` lines. Skipped without Redis at
127.0.0.1:6379. Run with `make bench`.
"""

from __future__ import annotations

import socket
import statistics
import time
import uuid
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import CentreFactory

REDIS_URL = "redis://127.0.0.1:6379/15"
ROUNDS = 5
REQUESTS = 300


def _redis_runs() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _p50_304_ms(settings: Any, *, tracked: bool) -> float:
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"feedtrack-{uuid.uuid4().hex}",
            "OPTIONS": {"TRACKED_READS": tracked},
        },
    }
    client = Client()
    url = "/calendars/bench-tracking.ics"
    etag = client.get(url)["ETag"]
    client.get(url)  # the row now remembered, and (tracked) its key read once more and kept
    durations = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url, headers={"if-none-match": etag})
        durations.append(time.perf_counter() - started)
        assert response.status_code == 304
    caches["default"].clear()
    return statistics.median(durations) * 1000


@pytest.mark.django_db
def test_bench_a_304_with_and_without_client_tracking(settings) -> None:
    if not _redis_runs():
        pytest.skip("no Redis at 127.0.0.1:6379")
    CentreFactory(slug="bench-tracking")
    rounds = [
        (_p50_304_ms(settings, tracked=False), _p50_304_ms(settings, tracked=True))
        for _ in range(ROUNDS)
    ]
    ratios = [plain / tracked for plain, tracked in rounds]
    print(
        f"[bench feed tracking] in process, Redis, {ROUNDS} rounds of {REQUESTS} 304s: p50 "
        + "/".join(f"{plain:.3f}" for plain, _ in rounds)
        + " ms with a round trip, "
        + "/".join(f"{tracked:.3f}" for _, tracked in rounds)
        + " ms tracked; untracked / tracked "
        + "/".join(f"{r:.2f}" for r in ratios)
        + f" (median {statistics.median(ratios):.2f})"
    )
    assert statistics.median(ratios) > 1.0
