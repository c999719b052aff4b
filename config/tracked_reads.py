"""Reads of a few hot keys answered from this process's memory, kept current by Redis itself.

A calendar feed's 304 reads two keys (the calendar epoch and the centre's remembered row,
`scheduling.feed_versions`): one Redis round trip, a third of the 304's time. Here those reads go
through one connection of their own with client tracking on (RESP3, `CLIENT TRACKING ON`): Redis
remembers which keys this connection read and, when any client changes or deletes one of them (or
it expires, or is evicted), pushes an invalidation down this connection. A value read once is
answered from memory until then.

Every read first takes whatever invalidations are waiting on the socket (a non-blocking poll, no
round trip), so a value is never answered after its invalidation has reached this process: it can
lag a change only by the push's flight time (well under a millisecond on one machine). A read
that misses asks Redis (one MGET, which also starts tracking the keys); a push that arrives while
its reply is awaited is applied in order, before the reply's values are kept.

What would leave a value stale for longer is a connection that delivers nothing. So:
- every (re)connection forgets every value before tracking starts again, and a connection error
  forgets them too (the read is then asked of Redis once more, on a new connection);
- a value is kept at most `MAX_AGE` seconds however quiet the connection is;
- a forked process (gunicorn's workers) never uses its parent's connection or values.

Nothing is written here: the keys are written through the cache's ordinary pool, and other keys
(the rate limits' counters) never come here. redis-py's own client-side cache
(`cache_config=`) does the same, but refuses servers older than Redis 7.4; tracking itself is in
Redis since 6.0.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from redis.connection import ConnectionPool
from redis.exceptions import ConnectionError, TimeoutError

# The longest a value is answered from memory without asking Redis again, even with no push.
MAX_AGE = 1.0


class TrackedReads:
    """MGET of a few keys, answered from memory while Redis has not invalidated them."""

    def __init__(self, url: str, *, max_age: float = MAX_AGE, **options: Any) -> None:
        self._url, self._options = url, options
        self._pool = ConnectionPool.from_url(url, protocol=3, **options)
        self._max_age = max_age
        self._lock = threading.Lock()
        self._conn: Any = None
        self._pid = os.getpid()
        self._values: dict[bytes, bytes] = {}
        self._since = 0.0  # when the values were last all forgotten

    def mget(self, keys: list[str]) -> list[bytes | None]:
        """The keys' raw values (None: missing), in order."""
        wanted = [key.encode() for key in keys]
        with self._lock:
            try:
                return self._mget(wanted)
            except (ConnectionError, TimeoutError, OSError):
                self._drop()
                return self._mget(wanted)  # once more, on a new connection

    def forget(self) -> None:
        with self._lock:
            self._forget()

    def _mget(self, keys: list[bytes]) -> list[bytes | None]:
        conn = self._connection()
        while conn.can_read(timeout=0):  # invalidations waiting on the socket: apply them first
            conn.read_response(push_request=True, timeout=0, disconnect_on_error=False)
        if time.monotonic() - self._since > self._max_age:
            self._forget()
        values = self._values
        if all(key in values for key in keys):
            return [values[key] for key in keys]
        conn.send_command("MGET", *keys)
        found: list[bytes | None] = conn.read_response()  # pushes before it are applied first
        values = self._values  # (a new dict if that reconnected)
        for key, value in zip(keys, found, strict=True):
            if value is not None:  # a missing key is asked again (it is not worth tracking)
                values[key] = value
        return found

    def _connection(self) -> Any:
        if self._pid != os.getpid():  # forked: the parent's socket and values are not ours
            self._pool = ConnectionPool.from_url(self._url, protocol=3, **self._options)
            self._conn, self._pid = None, os.getpid()
            self._forget()
        if self._conn is None:
            conn = self._pool.make_connection()
            conn.register_connect_callback(self._track)
            conn.connect()
            self._conn = conn
        return self._conn

    def _track(self, conn: Any) -> None:
        """Run on every (re)connection: nothing read before it is believed after it."""
        self._forget()
        conn.send_command("CLIENT", "TRACKING", "ON")
        conn.read_response()
        conn._parser.set_invalidation_push_handler(self._invalidated)

    def _invalidated(self, push: list[Any]) -> None:
        keys = push[1]
        if keys is None:  # FLUSHDB / FLUSHALL
            self._forget()
        else:
            for key in keys:
                self._values.pop(key, None)

    def _forget(self) -> None:
        self._values = {}
        self._since = time.monotonic()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.disconnect()
        self._conn = None
        self._forget()
