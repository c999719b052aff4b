"""The production default cache: Django's Redis cache, with one client per connection pool.

Django's `RedisCacheClient.get_client()` makes a new `redis.Redis` for every cache call, and
each one builds its table of reply callbacks (~170 entries): about 0.1 ms a call, which is most
of what a rate-limit count, a calendar feed's validator read or a 304 costs. A `redis.Redis` is
safe to share (each command takes a connection from the pool), so here one is kept per pool.

Rate limits (`courses.limits.allow`) count with `incr_window()`, one round trip: a transaction
(MULTI/EXEC) of `SET key 0 EX period NX`, which opens a window when there is none, and `INCR`.

A calendar feed's validator (the calendar epoch and the centre's remembered row) is read with
`get_many_tracked()`: from this process's memory while Redis has not invalidated the keys
(`config.tracked_reads`, Redis client tracking on a connection of its own), so a 304 costs no
round trip. Only those reads use it; every write, and every other read, goes through the pool.
OPTIONS `{"TRACKED_READS": False}` turns it off (then it is `get_many()`).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from config.tracked_reads import TrackedReads

# How many validators' unpickled values a worker keeps (one per feed address read).
DECODED_MAX = 10_000


class ReusedClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own attributes (the stubs leave them out): the pool and the client class.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            make = self._client  # type: ignore[attr-defined]
            client = self._clients[id(pool)] = make(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        tracked = options.pop("TRACKED_READS", True)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClients
        servers = self._servers  # type: ignore[attr-defined]
        self._tracked = TrackedReads(servers[0]) if tracked else None
        self._decoded: dict[str, tuple[bytes, Any]] = {}  # key: (the bytes read, unpickled)

    def get_many_tracked(self, keys: list[Any], version: int | None = None) -> dict[Any, Any]:
        """`get_many()`, answered from memory while Redis has not invalidated the keys (for the
        few hot keys of the feed validators; `config.tracked_reads`). The keys are the
        project's own, so they are not checked for memcached (`validate_key` looks at every
        character). A value read from memory is unpickled once, while it stays the same bytes:
        the values are shared, and callers must not change them."""
        if self._tracked is None:
            return self.get_many(keys, version=version)
        made = {self.make_key(key, version=version): key for key in keys}
        values = self._tracked.mget(list(made))
        found = zip(made, values, strict=True)
        return {made[k]: self._loaded(k, v) for k, v in found if v is not None}

    def _loaded(self, key: str, raw: bytes) -> Any:
        seen = self._decoded.get(key)
        if seen is not None and seen[0] is raw:
            return seen[1]
        value = self._cache._serializer.loads(raw)  # type: ignore[attr-defined]
        if len(self._decoded) >= DECODED_MAX:  # keys of feeds since gone: start again
            self._decoded = {}
        self._decoded[key] = (raw, value)
        return value

    def incr_window(self, key: Any, *, period: int, version: int | None = None) -> int:
        """Count one more event under `key` and return the count in its window, which opens
        (for `period` seconds) at the key's first event. Both commands run as one transaction, so
        the key cannot expire between them and leave INCR a count that never expires."""
        made_key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(made_key, write=True)  # type: ignore[attr-defined]
        pipe = client.pipeline(transaction=True)
        pipe.set(made_key, 0, ex=period, nx=True)
        pipe.incr(made_key)
        return int(pipe.execute()[1])
