"""On Redis a feed's validator is answered from the worker's memory, and still never outlives a
change made by another worker (`config.tracked_reads`: Redis client tracking).

Worker A is this process's default cache (a Redis cache); worker B is a second, independent
client of the same Redis (as another gunicorn worker is) through which the change's epoch renewal
goes. Rather than sleeping, each test waits (at most 0.2 s) until Redis's invalidation has reached
A's socket, unread: the next request must then take it before answering.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.cache import caches

from config.redis_cache import RedisCache
from config.tracked_reads import TrackedReads
from courses import calendar_epoch, limits
from courses.services.catalogue import course_update
from tests.factories import CourseFactory, VenueFactory

REDIS_URL = "redis://127.0.0.1:6379/15"
COURSE_FEED = "/calendars/cic-poznan/polski-a1.ics"


def _redis_runs() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_workers(settings) -> Iterator[tuple[Any, RedisCache]]:
    """(A, B): this process's default cache on Redis, and another worker's client of it."""
    if not _redis_runs():
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"  # apart from anything else in that Redis
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    worker_a = caches["default"]
    worker_b = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    caches["feeds"].clear()
    yield worker_a, worker_b
    worker_b.delete_many([calendar_epoch.EPOCH_KEY, "calendar:course:cic-poznan/polski-a1"])
    worker_a._tracked.forget()
    caches["feeds"].clear()


@pytest.fixture
def course(centre):
    venue = VenueFactory(centre=centre, name="Sala A", address="ul. Stara 1")
    return CourseFactory(
        centre=centre,
        slug="polski-a1",
        venue=venue,
        start_date=date(2027, 1, 5),
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10",
    )


def _round_trips(monkeypatch, tracked: TrackedReads) -> list[tuple[Any, ...]]:
    sent: list[tuple[Any, ...]] = []
    conn = tracked._conn
    send = conn.send_command
    monkeypatch.setattr(
        conn, "send_command", lambda *args, **kw: sent.append(args) or send(*args, **kw)
    )
    return sent


def _change_by_worker_b(monkeypatch, worker_b: RedisCache, course) -> None:
    """A change of the course as the application makes it, its epoch renewed through B."""
    with monkeypatch.context() as patch:
        patch.setattr(calendar_epoch, "cache", worker_b)
        course_update(course=course, title_pl="Język polski A1 (wieczorem)")


def _push_arrives(tracked: TrackedReads) -> bool:
    """Wait until something (the invalidation) is on A's socket, without reading it."""
    return bool(tracked._conn.can_read(timeout=0.2))


@pytest.mark.django_db
def test_a_304_costs_no_redis_round_trip_and_a_change_by_another_worker_ends_it(
    client, redis_workers, course, monkeypatch
) -> None:
    worker_a, worker_b = redis_workers
    first = client.get(COURSE_FEED)
    assert first.status_code == 200
    client.get(COURSE_FEED)  # the row, remembered by the first, now read (and tracked) too
    sent = _round_trips(monkeypatch, worker_a._tracked)
    assert client.get(COURSE_FEED, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert sent == []  # answered from A's memory

    _change_by_worker_b(monkeypatch, worker_b, course)
    assert _push_arrives(worker_a._tracked)
    changed = client.get(COURSE_FEED, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "(wieczorem)" in changed.content.decode()
    assert [args[0] for args in sent][:1] == ["MGET"]  # the invalidated keys were read again


@pytest.mark.django_db
def test_without_the_invalidations_the_remembered_validator_would_be_stale(
    client, redis_workers, course, monkeypatch
) -> None:
    """The control: the same, with A's invalidations ignored, answers the old 304."""
    worker_a, worker_b = redis_workers
    monkeypatch.setattr(TrackedReads, "_invalidated", lambda self, push: None)
    first = client.get(COURSE_FEED)
    client.get(COURSE_FEED)
    _change_by_worker_b(monkeypatch, worker_b, course)
    assert _push_arrives(worker_a._tracked)
    assert client.get(COURSE_FEED, headers={"if-none-match": first["ETag"]}).status_code == 304


def _tracked_pair() -> tuple[TrackedReads, RedisCache, str]:
    if not _redis_runs():
        pytest.skip("no Redis at 127.0.0.1:6379")
    key = f"test-{uuid.uuid4().hex}:value"
    writer = RedisCache(REDIS_URL, {})._cache.get_client(write=True)
    writer.set(key, b"old")
    return TrackedReads(REDIS_URL), writer, key


def test_a_dropped_connection_forgets_what_it_read() -> None:
    """A change made while the connection was down sends no invalidation: nothing read before
    the reconnection is believed after it."""
    tracked, writer, key = _tracked_pair()
    assert tracked.mget([key]) == [b"old"]
    tracked._conn.send_command("CLIENT", "ID")
    writer.client_kill_filter(_id=tracked._conn.read_response())
    writer.set(key, b"new")  # no push: Redis forgot the killed connection's keys
    assert tracked.mget([key]) == [b"new"]
    assert tracked.mget([key]) == [b"new"]  # and tracked again on the new connection
    writer.set(key, b"newer")
    assert _push_arrives(tracked)
    assert tracked.mget([key]) == [b"newer"]
    writer.delete(key)


def test_a_value_is_kept_no_longer_than_its_max_age_even_without_a_push(monkeypatch) -> None:
    tracked, writer, key = _tracked_pair()
    tracked._max_age = 0.05
    monkeypatch.setattr(TrackedReads, "_invalidated", lambda self, push: None)
    assert tracked.mget([key]) == [b"old"]
    writer.set(key, b"new")
    assert tracked.mget([key]) == [b"old"]  # (the push ignored)
    time.sleep(0.06)
    assert tracked.mget([key]) == [b"new"]
    writer.delete(key)


def test_rate_limits_never_use_the_tracked_reads(redis_workers, monkeypatch) -> None:
    worker_a, _ = redis_workers
    monkeypatch.setattr(limits, "cache", worker_a)
    assert [limits.allow("tracked", rate="2/hour") for _ in range(3)] == [True, True, False]
    assert worker_a._tracked._conn is None  # never even connected
    worker_a.delete("limit:tracked")


def test_the_unpickled_values_a_worker_keeps_are_bounded_and_follow_a_change(
    redis_workers, monkeypatch
) -> None:
    """Each validator is unpickled once while Redis keeps it unchanged; a changed one is read
    anew; however many feed addresses were asked for, at most DECODED_MAX are kept."""
    worker_a, worker_b = redis_workers
    monkeypatch.setattr("config.redis_cache.DECODED_MAX", 3)
    keys = [f"calendar:centre:c{n}" for n in range(5)]
    for n, key in enumerate(keys):
        worker_b.set(key, ("epoch", n))
    try:
        for key in keys:
            worker_a.get_many_tracked([key])
        assert len(worker_a._decoded) <= 3
        first = worker_a.get_many_tracked([keys[0]])[keys[0]]
        assert worker_a.get_many_tracked([keys[0]])[keys[0]] is first  # not unpickled again

        worker_b.set(keys[0], ("epoch", "changed"))
        assert _push_arrives(worker_a._tracked)
        assert worker_a.get_many_tracked([keys[0]]) == {keys[0]: ("epoch", "changed")}
    finally:
        worker_b.delete_many(keys)
