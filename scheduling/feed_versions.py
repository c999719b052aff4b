"""What identifies a feed's content without building it: its ETag and Last-Modified.

A public feed's version comes from one row (the centre's calendar revision), remembered in the
default cache under the calendar epoch (`courses.calendar_epoch`), so that a cached feed and a
304 cost one cache read and, with Redis, no database query (and, while neither key changed, no
Redis round trip: the two keys are read through Redis client tracking, `config.tracked_reads`).
Private feeds (a trainer's, a participant's) read theirs with one aggregate: their token is looked
up anyway.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Sum
from django.utils import timezone

from courses import calendar_epoch
from courses.models import Centre, Course, Participant
from scheduling import release

# Rises when the same data gives other bytes (2: text values cleaned; 3: unambiguous series).
FORMAT_VERSION = "3"


@dataclass(frozen=True)
class FeedVersion:
    """What identifies a feed's content without building it: read from one row or aggregate.

    `key` changes whenever anything the feed shows changes (the centre's calendar revision
    rises with every change of its courses, sessions, venues and itself)."""

    key: str
    modified: datetime | None
    filename: str

    def etag(self, *, lang: str, now: datetime | None = None) -> str:
        parts = (
            _release(),
            self.key,
            lang,
            timezone.localdate(now or timezone.now()),  # trimming and horizon move daily
        )
        return _digest(parts)

    @property
    def last_modified(self) -> datetime | None:
        """When the feed last changed: its data's last change, or, if later, the moment this
        release first answered a feed (`release_since`), so that a client that asks by date
        alone (If-Modified-Since) fetches again when the words or the format changed."""
        if self.modified is None:
            return None
        return max(self.modified, release_since())


def _release() -> str:
    """What, besides the data, gives a feed its bytes: the format, the words, the settings."""
    return _digest(
        (
            FORMAT_VERSION,
            release.texts_version(),  # the feed's words
            settings.CALENDAR_FEED_PAST_DAYS,
            settings.CALENDAR_FEED_REFRESH_MINUTES,
            settings.SESSION_HORIZON_DAYS,
            settings.PUBLIC_BASE_URL,
        )
    )


def release_since() -> datetime:
    """The moment a feed was first answered with this format, these words and these settings,
    as the default cache remembers it for every process (the first one to ask writes it)."""
    return _first_answered(_release())


@lru_cache(maxsize=16)
def _first_answered(release_digest: str) -> datetime:
    key = f"calendar:release:{release_digest}"
    now = timezone.now()
    cache.add(key, now, timeout=None)  # atomic: every process then reads the first one's
    return cache.get(key) or now


def forget_release_since() -> None:
    """Ask the cache again at the next feed (a test's emptied cache)."""
    _first_answered.cache_clear()


@lru_cache(maxsize=1024)
def _digest(parts: tuple[Any, ...]) -> str:
    """The hash of a version's parts, worked out once per parts (every 304 asks for it)."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def _aware(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):  # SQLite hands raw timestamps back as text
        value = datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


# How long a remembered validator row is kept (it is believed only under its epoch anyway).
VERSION_TIMEOUT = 24 * 3600


def _read_many(keys: list[str]) -> dict[str, Any]:
    """The cache's `get_many()`; on Redis answered from the process's memory while Redis has
    not invalidated the keys (`config.tracked_reads`): a 304 then costs no round trip."""
    read = getattr(cache, "get_many_tracked", None) or cache.get_many
    return dict(read(keys))


def _remembered(name: str, read: Callable[[], tuple[Any, ...] | None]) -> tuple[Any, ...] | None:
    """`read()` (one database row) as remembered in the default cache under the current
    calendar epoch: one cache read (Redis: no database query) while nothing changed, else the
    row is read again. The epoch is established before the row is read, so a row read before a
    change's commit is never believed after it (`courses.calendar_epoch`). An unknown address
    is not remembered (nobody fills the cache with made-up slugs)."""
    key = f"calendar:{name}"
    found = _read_many([calendar_epoch.EPOCH_KEY, key])
    epoch = calendar_epoch.establish(found.get(calendar_epoch.EPOCH_KEY))
    entry = found.get(key)
    if entry is not None and entry[0] == epoch:
        return tuple(entry[1])
    row = read()
    if row is not None:
        cache.set(key, (epoch, row), timeout=VERSION_TIMEOUT)
    return row


def _centre_row(centre_slug: str) -> tuple[Any, ...] | None:
    """One indexed row, read with plain SQL (no queryset, no model instance)."""
    table = connection.ops.quote_name(Centre._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, calendar_revision, calendar_changed_at FROM {table} WHERE slug = %s",  # noqa: S608 - the table name is ours
            [centre_slug],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1], _aware(row[2]))


def centre_version(centre_slug: str) -> FeedVersion | None:
    """The centre feed's version: this runs for every feed request, 304s and cached answers
    included, so it is remembered in the cache (`_remembered`)."""
    row = _remembered(f"centre:{centre_slug}", lambda: _centre_row(centre_slug))
    if row is None:
        return None
    centre_id, revision, changed_at = row
    return FeedVersion(
        key=f"centre:{centre_id}:{revision}",
        modified=changed_at,
        filename=f"{centre_slug}.ics",
    )


def _course_row(centre_slug: str, course_slug: str) -> tuple[Any, ...] | None:
    row = (
        Course.objects.filter(centre__slug=centre_slug, slug=course_slug, published=True)
        .values_list("pk", "centre__calendar_revision", "centre__calendar_changed_at")
        .first()
    )
    return None if row is None else tuple(row)


def course_version(centre_slug: str, course_slug: str) -> tuple[int, FeedVersion] | None:
    row = _remembered(
        f"course:{centre_slug}/{course_slug}", lambda: _course_row(centre_slug, course_slug)
    )
    if row is None:
        return None
    course_id, revision, changed_at = row
    return course_id, FeedVersion(
        key=f"course:{course_id}:{revision}",
        modified=changed_at,
        filename=f"{centre_slug}-{course_slug}.ics",
    )


def trainer_version(user_id: int, *, extra: str = "") -> FeedVersion:
    """`extra`: what else the feed shows changed (its appointments' version key)."""
    facts = Course.objects.filter(trainers=user_id).aggregate(
        n=Count("id"),
        ids=Sum("id"),
        revisions=Sum("centre__calendar_revision"),
        modified=Max("centre__calendar_changed_at"),
    )
    return FeedVersion(
        key=f"trainer:{user_id}:{facts['n']}:{facts['ids']}:{facts['revisions']}:{extra}",
        modified=facts["modified"],
        filename="my-sessions.ics",
    )


def participant_version(participant: Participant) -> FeedVersion:
    facts = participant.enrolments.aggregate(
        n=Count("id"), modified=Max("updated_at"), revision=Max("course__centre__calendar_revision")
    )
    return FeedVersion(
        key=(
            f"participant:{participant.pk}:{participant.language}:{facts['n']}:"
            f"{facts['modified']}:{facts['revision']}"
        ),
        modified=facts["modified"],
        filename="my-sessions.ics",
    )
