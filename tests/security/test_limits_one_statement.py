"""A rate limit counts in one statement on the database cache (one round trip on Redis): the count
is exact when many processes count at once, a window lasts its period from its first event, and
the cache's other uses (get, incr, culling, clear) still work on a key that is counted."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.cache import SIZE_CHECK_EVERY, DatabaseCache
from config.redis_cache import RedisCache
from courses import limits
from tests.threads import all_at_once

REDIS = ("127.0.0.1", 6379)
START = "2026-11-02 10:00 +00:00"


def _rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM integra_cache")
        return cursor.fetchone()[0]


# --- One statement ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_count_in_an_open_window_is_one_statement(django_assert_num_queries) -> None:
    assert isinstance(caches["default"], DatabaseCache)
    assert limits.hits("enrol:203.0.113.5", period=3600) == 1
    with django_assert_num_queries(1) as captured:
        assert limits.hits("enrol:203.0.113.5", period=3600) == 2
    assert "ON CONFLICT" in captured.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_the_first_window_opened_and_one_in_sixteen_check_the_table_size() -> None:
    """So that the table is culled past MAX_ENTRIES, as Django's add() and set() do at each
    write, without a COUNT(*) of the whole table for every new visitor's first count."""
    cache = DatabaseCache("integra_cache", {})
    statements = []
    for n in range(2 * SIZE_CHECK_EVERY + 1):
        with CaptureQueriesContext(connection) as captured:
            assert cache.incr_window(f"enrol:203.0.113.{n}", period=3600) == 1
            assert cache.incr_window(f"enrol:203.0.113.{n}", period=3600) == 2  # window open
        statements.append(len(captured))
    checked = [n for n, count in enumerate(statements) if count == 3]
    assert checked == [0, SIZE_CHECK_EVERY, 2 * SIZE_CHECK_EVERY]
    assert set(statements) == {2, 3}


@pytest.mark.parametrize("every", [0, -1, "16", 1.5, True])
def test_a_size_check_that_is_not_a_whole_number_from_1_is_refused_at_start(every) -> None:
    """Not a 500 at the first new visitor: the cache is not made at all."""
    with pytest.raises(ImproperlyConfigured, match="SIZE_CHECK_EVERY"):
        DatabaseCache("integra_cache", {"OPTIONS": {"SIZE_CHECK_EVERY": every}})


@pytest.mark.django_db
def test_a_window_past_max_entries_is_culled_at_the_next_check() -> None:
    small = DatabaseCache(
        "integra_cache", {"OPTIONS": {"MAX_ENTRIES": 5, "CULL_FREQUENCY": 2, "SIZE_CHECK_EVERY": 4}}
    )
    sizes = []
    for n in range(13):
        small.incr_window(f"limit:{n}", period=60)
        sizes.append(_rows())
    # Checked at the 1st, 5th, 9th and 13th window: at the 9th and the 13th the table holds 9
    # rows, past 5, and half of them go; in between it never holds more than 5 + 4 - 1.
    assert sizes == [1, 2, 3, 4, 5, 6, 7, 8, 5, 6, 7, 8, 5]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_count_does_not_wait_for_the_disk() -> None:
    """The statement sets synchronous_commit off for its own transaction, in a CTE the
    INSERT ... SELECT ... ON CONFLICT reads from: run in an open transaction, the setting is
    seen off after it, and on again after that transaction."""
    cache = caches["default"]
    assert isinstance(cache, DatabaseCache)
    with CaptureQueriesContext(connection) as captured:
        cache.incr_window("limit:disk", period=60)
    assert "set_config('synchronous_commit', 'off', true)" in captured.captured_queries[0]["sql"]
    statement = cache._window_sql(connection)  # as built outside a transaction
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, ["limit:disk2", *_window_params(60)])
        assert cursor.fetchone() == ("1",)
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("off",)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)


def _window_params(period: int) -> list[Any]:
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    return [adapt(now + timedelta(seconds=period)), adapt(now), adapt(now)]


# --- Windows -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_window_closes_and_the_next_event_opens_one_at_1() -> None:
    with time_machine.travel(START, tick=False) as traveller:
        assert [limits.hits("k", period=60) for _ in range(3)] == [1, 2, 3]
        traveller.shift(timedelta(seconds=61))
        assert limits.hits("k", period=60) == 1
        assert limits.hits("k", period=60) == 2


@pytest.mark.django_db
def test_later_events_do_not_move_the_end_of_the_window() -> None:
    with time_machine.travel(START, tick=False) as traveller:
        assert limits.hits("k", period=60) == 1
        traveller.shift(timedelta(seconds=50))
        assert limits.hits("k", period=60) == 2  # had this moved the end, 61 s would be open
        traveller.shift(timedelta(seconds=11))
        assert limits.hits("k", period=60) == 1


@pytest.mark.django_db
def test_keys_count_apart() -> None:
    assert [limits.hits("a", period=60) for _ in range(2)] == [1, 2]
    assert limits.hits("b", period=60) == 1


# --- Exact under concurrency (PostgreSQL) ------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_counts_at_once_are_each_counted_once() -> None:
    """Ten processes counting five times each, all at once (the window opening among them):
    the counts they are told are 1 to 50, each once, and the key holds 50. No count is lost or
    told twice."""

    def five() -> list[int]:
        return [limits.hits("rush", period=3600) for _ in range(5)]

    results, errors = all_at_once([five] * 10)
    assert errors == []
    assert sorted(n for counts in results for n in counts) == list(range(1, 51))
    assert caches["default"].get("limit:rush") == 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_a_read_then_write_loses_counts_at_once(monkeypatch) -> None:
    """Control: the same rush counted by Django's own DatabaseCache (incr() reads, then writes)
    loses counts: processes read the same count and write the same count + 1."""
    django_cache = DjangoDatabaseCache("integra_cache", {})
    monkeypatch.setattr(limits, "cache", django_cache)
    assert limits.hits("rush", period=3600) == 1  # the window open: the rush only counts

    def five() -> list[int]:
        return [limits.hits("rush", period=3600) for _ in range(5)]

    results, errors = all_at_once([five] * 10)
    assert errors == []
    told = [n for counts in results for n in counts]
    assert len(set(told)) < len(told)  # some counts told twice
    assert django_cache.get("limit:rush") < 51


# --- The cache's other uses ---------------------------------------------------------------------


@pytest.mark.django_db
def test_get_and_incr_read_a_counted_key() -> None:
    cache = caches["default"]
    assert limits.hits("k", period=60) == 1
    assert cache.get("limit:k") == 1
    assert cache.get_many(["limit:k", "limit:none"]) == {"limit:k": 1}
    assert cache.incr("limit:k") == 2
    assert limits.hits("k", period=60) == 3  # incr() kept the count as a count


@pytest.mark.django_db
def test_a_key_holding_something_else_opens_a_window() -> None:
    """A value the cache stored otherwise (a pickle: e.g. a count from before counts were one
    statement) is not added to: the key's next event opens a window at 1."""
    cache = caches["default"]
    cache.set("limit:k", 7, timeout=60)
    cache.set("other", {"a": 1}, timeout=60)
    assert limits.hits("k", period=60) == 1
    assert limits.hits("k", period=60) == 2
    assert cache.get("other") == {"a": 1}
    cache.set("plain", 5, timeout=60)
    assert cache.incr("plain") == 6  # a pickled number stays one
    assert cache.get("plain") == 6


@pytest.mark.django_db
def test_counted_keys_are_culled_past_max_entries_and_cleared() -> None:
    small = DatabaseCache(
        "integra_cache", {"OPTIONS": {"MAX_ENTRIES": 5, "CULL_FREQUENCY": 2, "SIZE_CHECK_EVERY": 1}}
    )
    for n in range(12):
        assert small.incr_window(f"limit:{n}", period=60) == 1
        assert _rows() <= 6
    small.clear()
    assert _rows() == 0
    assert small.incr_window("limit:0", period=60) == 1


@pytest.mark.django_db
def test_expired_counts_are_culled_first() -> None:
    small = DatabaseCache(
        "integra_cache", {"OPTIONS": {"MAX_ENTRIES": 4, "CULL_FREQUENCY": 2, "SIZE_CHECK_EVERY": 1}}
    )
    with time_machine.travel(START, tick=False) as traveller:
        small.incr_window("limit:live", period=3600)
        small.incr_window("limit:live", period=3600)
        for n in range(3):
            small.incr_window(f"limit:old{n}", period=1)
        traveller.shift(timedelta(seconds=2))
        small.incr_window("limit:new", period=60)  # 5 rows > 4: the 3 closed windows go
        assert _rows() == 2
        assert small.incr_window("limit:live", period=3600) == 3


def test_other_caches_count_with_incr_and_add(monkeypatch) -> None:
    """A cache without incr_window (local memory, in some tests) counts as before."""
    monkeypatch.setattr(limits, "cache", LocMemCache(f"limits-{uuid.uuid4().hex}", {}))
    assert [limits.hits("k", period=60) for _ in range(3)] == [1, 2, 3]


# --- Redis -------------------------------------------------------------------------------------


@pytest.fixture
def redis_cache() -> Iterator[RedisCache]:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            pass
    except OSError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    cache = RedisCache(f"redis://{REDIS[0]}:{REDIS[1]}/15", {"KEY_PREFIX": uuid.uuid4().hex})
    yield cache
    cache.delete_many(["limit:k", "limit:other"])


def test_redis_counts_in_one_round_trip_and_keeps_the_window(redis_cache, monkeypatch) -> None:
    client = redis_cache._cache.get_client(write=True)
    key = redis_cache.make_key("limit:k")
    monkeypatch.setattr(limits, "cache", redis_cache)
    round_trips: list[int] = []
    execute = type(client.pipeline()).execute

    def counted(pipe: Any, *args: Any, **kwargs: Any) -> Any:
        round_trips.append(len(pipe.command_stack))
        return execute(pipe, *args, **kwargs)

    monkeypatch.setattr(type(client.pipeline()), "execute", counted)
    assert [limits.hits("k", period=60) for _ in range(3)] == [1, 2, 3]
    assert round_trips == [2, 2, 2]  # SET NX EX and INCR, sent together
    assert 0 < client.pttl(key) <= 60_000  # opened by the first, not moved by the others
    assert redis_cache.get("limit:k") == 3
    client.pexpire(key, 1)  # the window closes
    time.sleep(0.01)
    assert limits.hits("k", period=60) == 1
    assert limits.hits("other", period=60) == 1
