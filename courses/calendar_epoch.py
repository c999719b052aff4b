"""The calendar epoch: one token in the default cache that changes whenever any feed's content does.

A public feed's validator (ETag, Last-Modified) comes from its centre's calendar revision, one
database row. So that a cached feed and a 304 cost no database query, that row is remembered in
the default cache (`scheduling.feeds`), stamped with the epoch it was read under, and believed
only while the epoch is still the same: `Centre.calendar_touch()`, through which every change of
a course, a session, a venue, a closure or a centre passes, renews the epoch, and with it every
remembered row is stale at once (a renewal costs each centre one row read, not a rebuilt feed:
the feed's bytes stay cached under an ETag that did not change).

The epoch is renewed twice: at once, inside the change's transaction (on the database cache the
new token commits with the change; in tests that never commit it is still seen), and again after
the commit (on Redis the first token is visible before the commit, so a reader may have stamped
the row it read just before the commit with it: the second token, new and never used, makes that
row stale). Tokens are random, so an epoch evicted from the cache comes back as a new one, never
as an old one.

The default cache is shared by every web process (the database cache on the embedded defaults,
Redis with CACHE_URL): with Redis a feed request costs no query, and no round trip while the
epoch and its row are unchanged (each worker keeps them in memory until Redis pushes their
invalidation: `config.tracked_reads`); with the database cache it costs the one query of that
cache's read.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

EPOCH_KEY = "calendar:epoch"


def _new_token() -> str:
    return uuid.uuid4().hex


def renew(*, using: str | None = None) -> None:
    """Make every remembered feed validator stale: now and once more after the commit."""
    cache.set(EPOCH_KEY, _new_token(), timeout=None)
    transaction.on_commit(lambda: cache.set(EPOCH_KEY, _new_token(), timeout=None), using=using)


def establish(seen: str | None) -> str:
    """The current epoch, given what a read found (`None`: missing or evicted). A reader must
    hold the epoch before it reads the database, so a missing one is created first."""
    if seen is not None:
        return seen
    token = _new_token()
    if cache.add(EPOCH_KEY, token, timeout=None):
        return token
    return cache.get(EPOCH_KEY) or token
