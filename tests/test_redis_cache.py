"""The production cache on Redis keeps one client per connection pool (Django makes one per
call, ~0.1 ms each: most of a rate-limit count or a calendar validator read)."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from config.redis_cache import RedisCache


def test_every_cache_call_uses_the_same_client_of_its_pool() -> None:
    cache = RedisCache("redis://127.0.0.1:6379/15", {})  # no connection is made by this
    client = cache._cache.get_client("limit:a")
    assert cache._cache.get_client("limit:b") is client
    assert cache._cache.get_client("limit:a", write=True) is client  # one server: one pool
    assert client.connection_pool is cache._cache._get_connection_pool(False)


def test_django_s_own_makes_a_client_per_call() -> None:
    """Control: what the subclass changes."""
    cache = DjangoRedisCache("redis://127.0.0.1:6379/15", {})
    assert cache._cache.get_client("limit:a") is not cache._cache.get_client("limit:a")
