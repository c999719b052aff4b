"""One count for every web process: two cache clients on the same store (as two gunicorn workers
have) count one client's attempts together, on the database cache and on Redis."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from itertools import cycle
from typing import Any

import pytest

from config.cache import DatabaseCache
from config.redis_cache import RedisCache
from courses import limits

REDIS = ("127.0.0.1", 6379)


class Workers:
    """The default cache as seen by one worker after another: each call goes to the next of
    several independent clients of one store."""

    def __init__(self, *clients: Any) -> None:
        self._next = cycle(clients)

    def __getattr__(self, name: str) -> Any:
        return getattr(next(self._next), name)


def _redis_runs() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_clients() -> Iterator[tuple[RedisCache, RedisCache]]:
    if not _redis_runs():
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"  # apart from anything else in that Redis
    clients = tuple(
        RedisCache(f"redis://{REDIS[0]}:{REDIS[1]}/15", {"KEY_PREFIX": prefix}) for _ in range(2)
    )
    yield clients  # type: ignore[misc]
    clients[0].delete_many([f"limit:{key}" for key in ("enrol", "window")])


def _attempts(monkeypatch: pytest.MonkeyPatch, clients: tuple[Any, ...], n: int) -> list[bool]:
    monkeypatch.setattr(limits, "cache", Workers(*clients))
    return [limits.allow("enrol", rate="3/hour") for _ in range(n)]


@pytest.mark.django_db
def test_two_workers_on_the_database_cache_share_one_count(monkeypatch) -> None:
    clients = (DatabaseCache("integra_cache", {}), DatabaseCache("integra_cache", {}))
    assert clients[0] is not clients[1]
    assert _attempts(monkeypatch, clients, 5) == [True, True, True, False, False]
    assert clients[0].get("limit:enrol") == clients[1].get("limit:enrol") == 5


def test_two_workers_on_redis_share_one_count(monkeypatch, redis_clients) -> None:
    assert _attempts(monkeypatch, redis_clients, 5) == [True, True, True, False, False]
    assert redis_clients[1].get("limit:enrol") == 5
    client = redis_clients[0]._cache.get_client(write=False)
    assert 0 < client.ttl(redis_clients[0].make_key("limit:enrol")) <= 3600  # kept by INCR


@pytest.mark.django_db
def test_a_window_opened_by_one_worker_is_counted_by_the_other(monkeypatch) -> None:
    first, second = DatabaseCache("integra_cache", {}), DatabaseCache("integra_cache", {})
    monkeypatch.setattr(limits, "cache", first)
    assert limits.hits("window", period=60) == 1
    monkeypatch.setattr(limits, "cache", second)
    assert limits.hits("window", period=60) == 2
    assert first.get("limit:window") == 2


@pytest.mark.django_db
def test_incr_counts_only_what_it_read(monkeypatch) -> None:
    """Another worker counting between this one's read and its write: the write matches
    nothing, the round is tried again, and neither count is lost."""
    mine, other = DatabaseCache("integra_cache", {}), DatabaseCache("integra_cache", {})
    mine.add("limit:race", 0, timeout=60)
    original = DatabaseCache._expiry
    interfered: list[int] = []
    rounds: list[None] = []

    def read_then_other_counts(connection: Any, expires: Any) -> Any:
        rounds.append(None)
        if len(rounds) == 1:  # once, right after this worker first read the value
            interfered.append(other._incr_locked(other.make_key("limit:race"), "limit:race", 1))
        return original(connection, expires)

    monkeypatch.setattr(DatabaseCache, "_expiry", staticmethod(read_then_other_counts))
    assert mine.incr("limit:race") == 2
    assert interfered == [1]
    assert other.get("limit:race") == 2
    assert len(rounds) == 3  # mine read 0 (lost), other's locked count read 0, mine read 1
