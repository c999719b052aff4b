"""The project's WSGI application as the feed bench serves it, with the floors its 304 is compared
with answered beside it by the same gunicorn workers, without Django:

- `/floor/304`: a 304 with the feed's headers, nothing read;
- `/floor/304-redis`: the same after one Redis round trip (MGET of two keys, as a feed's
  validator read is), with redis-py and no Django (only when CACHE_URL is a Redis).

Everything else is the project's (`config.wsgi`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

import redis

from config.wsgi import application as project

HEADERS = [
    ("ETag", '"0123456789abcdef0123456789abcdef"'),
    ("Cache-Control", "public, max-age=300"),
    ("Content-Language", "pl"),
]
KEYS = ("feedfloor:epoch", "feedfloor:row")

_url = os.environ.get("CACHE_URL", "")
_redis = redis.Redis.from_url(_url.partition("?")[0]) if _url.startswith("redis://") else None
if _redis is not None:
    _redis.set(KEYS[0], "e" * 32)
    _redis.set(KEYS[1], "r" * 120)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if path == "/floor/304":
        start_response("304 Not Modified", HEADERS)
        return []
    if path == "/floor/304-redis" and _redis is not None:
        _redis.mget(KEYS)
        start_response("304 Not Modified", HEADERS)
        return []
    return project(environ, start_response)
