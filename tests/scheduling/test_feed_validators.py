"""A cached feed costs no database query, and still never outlives a change of what it shows.

The feeds' validators (ETag, Last-Modified) come from the centre's calendar revision, remembered
in the default cache under the calendar epoch (`courses.calendar_epoch`). With a cache in memory
or Redis a cached feed and a 304 cost no query; every change of a course, a session, a venue, a
closure or the centre renews the epoch, so the next request reads the row again. Most tests here
use an in-memory default cache (as Redis behaves: one store, no query); the database cache's
read is its one query (tests/scheduling/test_feeds_http.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache, caches
from django.db import connections, transaction
from django.test import Client

from courses import calendar_epoch
from courses.models import Course
from courses.services.catalogue import centre_save, course_update, venue_save
from scheduling import services
from scheduling.models import Closure
from tests.factories import CourseFactory, VenueFactory

WARSAW = ZoneInfo("Europe/Warsaw")
CENTRE_FEED = "/calendars/cic-poznan.ics"
COURSE_FEED = "/calendars/cic-poznan/polski-a1.ics"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(datetime(2027, 1, 2, 12, tzinfo=WARSAW), tick=False):
        yield


@pytest.fixture
def memory_cache(settings):
    """The default cache in this process's memory: one store for every thread, as Redis is for
    every process, and no database query to read it."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "v"},
    }
    caches["default"].clear()
    caches["feeds"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def course(centre):
    venue = VenueFactory(centre=centre, name="Sala A", address="ul. Stara 1")
    return CourseFactory(
        centre=centre,
        slug="polski-a1",
        title_pl="Język polski A1",
        venue=venue,
        start_date=date(2027, 1, 5),
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CENTRE_FEED, COURSE_FEED])
def test_a_cached_feed_and_its_304_cost_no_query(
    client, memory_cache, course, django_assert_num_queries, url
) -> None:
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
        not_modified = client.get(url, headers={"if-none-match": first["ETag"]})
        since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert not_modified.status_code == since.status_code == 304
    for response in (again, not_modified):
        assert response["Cache-Control"] == "public, max-age=300"
        assert response["Content-Language"] == "pl"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CENTRE_FEED, COURSE_FEED])
def test_a_cached_compressed_feed_and_its_304_cost_no_query(
    client, memory_cache, course, django_assert_num_queries, url
) -> None:
    """A calendar client that takes gzip (most do) is served from the kept compressed copy."""
    gzip = {"accept-encoding": "gzip"}
    first = client.get(url, headers=gzip)
    assert first["Content-Encoding"] == "gzip"
    with django_assert_num_queries(0):
        again = client.get(url, headers=gzip)
        not_modified = client.get(url, headers={**gzip, "if-none-match": first["ETag"]})
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert not_modified.status_code == 304


@pytest.mark.django_db
def test_the_validator_is_the_same_whichever_cache_holds_it(client, course, settings) -> None:
    """The ETag names the content (the centre's revision), not the cache's epoch: a Redis
    restart or a switch of cache sends no calendar client a new download."""
    on_database = client.get(CENTRE_FEED)["ETag"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "w"},
    }
    assert client.get(CENTRE_FEED)["ETag"] == on_database
    cache.delete(calendar_epoch.EPOCH_KEY)  # evicted: a new epoch, the same row
    assert client.get(CENTRE_FEED)["ETag"] == on_database


def _cancel(course: Course) -> str:
    session = course.sessions.order_by("starts_at")[2]
    services.session_cancel(session=session)
    return session.starts_at.astimezone(WARSAW).strftime("%Y%m%dT%H%M%S")  # its EXDATE


def _move(course: Course) -> str:
    session = course.sessions.order_by("starts_at")[3]
    services.session_move(
        session=session,
        starts_at=session.starts_at + timedelta(days=1),
        ends_at=session.ends_at + timedelta(days=1),
    )
    return "RECURRENCE-ID"


def _course_edit(course: Course) -> str:
    course_update(course=course, title_pl="Język polski A1 (wieczorem)")
    return "Język polski A1 (wieczorem)"


def _venue_edit(course: Course) -> str:
    assert course.venue is not None
    venue_save(venue=course.venue, address="ul. Nowa 2")
    return "ul. Nowa 2"


def _centre_edit(course: Course) -> str:
    centre_save(centre=course.centre, name="CIC Poznań Jeżyce")
    return "CIC Poznań Jeżyce"


def _closure(course: Course) -> str:
    services.closure_save(
        closure=Closure(
            centre=course.centre,
            starts_on=date(2027, 1, 12),
            ends_on=date(2027, 1, 12),
            reason="Przerwa",
        )
    )
    return "20270112T"  # the second Tuesday is closed: its EXDATE


CHANGES: dict[str, Callable[[Course], str]] = {
    "course edit": _course_edit,
    "session cancelled": _cancel,
    "session moved": _move,
    "venue edit": _venue_edit,
    "centre edit": _centre_edit,
    "closure": _closure,
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CENTRE_FEED, COURSE_FEED])
@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_shows_in_the_cached_feed_at_once(
    client, memory_cache, course, django_assert_num_queries, url, change
) -> None:
    before = client.get(url)
    with django_assert_num_queries(0):  # cached: the change must get past this
        assert client.get(url).content == before.content
    shown = CHANGES[change](course)
    assert shown not in before.content.decode()
    after = client.get(url, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert shown in after.content.decode()
    with django_assert_num_queries(0):  # and cached again
        assert client.get(url).content == after.content


@pytest.mark.django_db
def test_a_feed_whose_address_changed_or_was_unpublished_is_gone_at_once(
    client, memory_cache, course
) -> None:
    assert client.get(CENTRE_FEED).status_code == 200
    assert client.get(COURSE_FEED).status_code == 200
    course_update(course=course, published=False)
    assert client.get(COURSE_FEED).status_code == 404
    centre_save(centre=course.centre, slug="cic-poznan-jezyce")
    assert client.get(CENTRE_FEED).status_code == 404
    assert client.get("/calendars/cic-poznan-jezyce.ics").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_read_just_before_a_changes_commit_is_not_believed_after_it(memory_cache, course):
    """On Redis the epoch renewed inside the change's transaction is seen at once, before the
    commit: a request in that moment reads the old row and remembers it under the new epoch.
    The epoch renewed again after the commit makes that row stale (without it the old feed would
    be served until the next change)."""
    client = Client()
    before = client.get(CENTRE_FEED)
    seen: list[str] = []

    def meanwhile() -> None:
        try:
            seen.append(Client().get(CENTRE_FEED)["ETag"])
        finally:
            connections.close_all()

    with transaction.atomic():
        _cancel(course)
        reader = threading.Thread(target=meanwhile)
        reader.start()
        reader.join()
    assert seen == [before["ETag"]]  # the change was not committed yet
    after = client.get(CENTRE_FEED)
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content
