"""Feeds over HTTP: content, languages, caching headers, 304s, trimming, private links."""

from __future__ import annotations

import gzip
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core.cache import caches
from django.utils import timezone
from django.utils.http import parse_http_date

from courses.models import Venue
from courses.services.catalogue import course_save
from scheduling import feeds, release, services
from scheduling.models import Closure
from tests.factories import CalendarTokenFactory, CourseFactory, UserFactory, VenueFactory

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(datetime(2027, 1, 2, 12, tzinfo=WARSAW), tick=False):
        yield


@pytest.fixture
def course(centre):
    return CourseFactory(
        centre=centre,
        slug="polski-a1",
        title_pl="Język polski A1",
        title_uk="Польська мова A1",
        description_pl="Dla początkujących.",
        start_date=date(2027, 1, 5),
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10",
    )


def vevents(response) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_course_feed_is_one_series_in_local_time_with_a_timezone(client, course) -> None:
    response = client.get("/calendars/cic-poznan/polski-a1.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert "DTSTART;TZID=Europe/Warsaw:20270105T180000" in text
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270309T225959Z;BYDAY=TU" in text
    assert "BEGIN:VTIMEZONE" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "X-WR-CALNAME:" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text
    assert "X-PUBLISHED-TTL:PT1H" in text
    [event] = vevents(response)
    assert str(event["UID"]) == f"course-{course.pk}@127.0.0.1"
    assert str(event["SUMMARY"]) == "Język polski A1"
    assert str(event["URL"]).endswith("/centres/cic-poznan/courses/polski-a1/")
    assert "ul. Nowowiejskiego 25" not in str(event.get("LOCATION", ""))  # no venue set


def test_summary_follows_the_lang_parameter(client, course) -> None:
    [event] = vevents(client.get("/calendars/cic-poznan/polski-a1.ics?lang=uk"))
    assert str(event["SUMMARY"]) == "Польська мова A1"
    [event] = vevents(client.get("/calendars/cic-poznan/polski-a1.ics?lang=xx"))
    assert str(event["SUMMARY"]) == "Język polski A1"


def test_identical_data_gives_identical_bytes_and_etag(client, course) -> None:
    first = client.get("/calendars/cic-poznan.ics")
    with time_machine.travel(datetime(2027, 1, 2, 18, tzinfo=WARSAW), tick=False):
        second = client.get("/calendars/cic-poznan.ics")
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]


@pytest.mark.parametrize(
    "accepts",
    ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "GZIP", "x-gzip", "gzip;level=1"],
)
def test_a_client_that_takes_gzip_gets_the_same_feed_compressed_with_its_own_etag(
    client, course, accepts
) -> None:
    plain = client.get("/calendars/cic-poznan.ics")
    packed = client.get("/calendars/cic-poznan.ics", HTTP_ACCEPT_ENCODING=accepts)
    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 1.5
    assert packed["Vary"] == plain["Vary"] == "Accept-Encoding"
    assert packed["ETag"] != plain["ETag"]  # RFC 9110: one validator per content coding
    # Its usual poll is answered 304 with its own validator; the plain copy's is not its own.
    polled = client.get(
        "/calendars/cic-poznan.ics",
        HTTP_ACCEPT_ENCODING=accepts,
        HTTP_IF_NONE_MATCH=packed["ETag"],
    )
    assert polled.status_code == 304
    assert polled["ETag"] == packed["ETag"]
    assert polled["Vary"] == "Accept-Encoding"
    other = client.get(
        "/calendars/cic-poznan.ics", HTTP_ACCEPT_ENCODING=accepts, HTTP_IF_NONE_MATCH=plain["ETag"]
    )
    assert other.status_code == 200
    # The same bytes each time (a compressed copy is made once per version, no time in it).
    again = client.get("/calendars/cic-poznan.ics", HTTP_ACCEPT_ENCODING=accepts)
    assert again.content == packed.content


@pytest.mark.parametrize("accepts", ["", "identity", "gzip;q=0", "gzip; q=0.0", "deflate, br"])
def test_a_client_that_does_not_take_gzip_gets_the_feed_as_it_is(client, course, accepts) -> None:
    response = client.get("/calendars/cic-poznan.ics", HTTP_ACCEPT_ENCODING=accepts)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"BEGIN:VCALENDAR")


@pytest.fixture
def catalogue(settings, tmp_path):
    """The release's compiled translations, as one file a test writes (b"one" to start with);
    after a write, `release.forget()` stands for the next release's processes."""
    path = tmp_path / "locale" / "uk" / "LC_MESSAGES" / "django.mo"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"one")
    settings.BASE_DIR = tmp_path
    release.forget()
    yield path
    release.forget()


def test_a_release_with_other_translations_gives_the_feeds_another_etag(
    client, course, catalogue
) -> None:
    """The feeds' words come from the compiled translations: a release whose translations
    changed answers the calendar's usual poll with the feed, not a 304 for its older words."""
    first = client.get("/calendars/cic-poznan.ics")
    polled = client.get("/calendars/cic-poznan.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert polled.status_code == 304
    catalogue.write_bytes(b"two")
    release.forget()  # the next release's processes
    after = client.get("/calendars/cic-poznan.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_a_client_asking_by_date_alone_fetches_again_when_the_words_changed(
    client, course, catalogue
) -> None:
    """A calendar that polls with If-Modified-Since only: the feed's Last-Modified is no earlier
    than the moment its release first answered, so new words (or a new format) reach it once,
    although no course changed, and it is then answered 304 again."""
    first = client.get("/calendars/cic-poznan.ics")
    since = first["Last-Modified"]
    assert client.get("/calendars/cic-poznan.ics", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    with time_machine.travel(timezone.now() + timedelta(hours=5), tick=False):
        catalogue.write_bytes(b"two")
        release.forget()  # the next release, hours later
        after = client.get("/calendars/cic-poznan.ics", HTTP_IF_MODIFIED_SINCE=since)
        assert after.status_code == 200
        assert parse_http_date(after["Last-Modified"]) > parse_http_date(since)
        again = client.get(
            "/calendars/cic-poznan.ics", HTTP_IF_MODIFIED_SINCE=after["Last-Modified"]
        )
        assert again.status_code == 304


def test_a_change_later_than_the_release_is_the_feeds_last_modified(client, course) -> None:
    first = client.get("/calendars/cic-poznan.ics")
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        course.title = "Polish A2, evenings"
        course_save(course=course)
        changed = client.get(
            "/calendars/cic-poznan.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
        assert changed.status_code == 200
        assert parse_http_date(changed["Last-Modified"]) == int(timezone.now().timestamp())


def test_conditional_requests_get_304_without_building_the_feed(
    client, course, django_assert_max_num_queries
) -> None:
    first = client.get("/calendars/cic-poznan.ics")
    with mock.patch.object(feeds.Feed, "render", side_effect=AssertionError("built")):
        with django_assert_max_num_queries(1):
            by_etag = client.get("/calendars/cic-poznan.ics", HTTP_IF_NONE_MATCH=first["ETag"])
        with django_assert_max_num_queries(1):
            by_date = client.get(
                "/calendars/cic-poznan.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
            )
    assert by_etag.status_code == 304
    assert by_date.status_code == 304


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"if-none-match": "{etag}"}, 304),
        ({"if-none-match": '"older", {etag}'}, 304),
        ({"if-none-match": "W/{etag}"}, 304),  # If-None-Match compares weakly
        ({"if-none-match": "*"}, 304),
        ({"if-none-match": '"older"', "if-modified-since": "{later}"}, 200),  # ETag first
        ({"if-none-match": "{etag}", "if-match": '"older"'}, 412),
        ({"if-none-match": "{etag}", "if-unmodified-since": "{earlier}"}, 412),
    ],
    ids=["current", "in a list", "weak", "any", "other etag", "if-match", "unmodified-since"],
)
def test_a_feed_answers_each_precondition_as_rfc_9110_says(client, course, headers, status):
    """A calendar's usual poll (exactly the current ETag) is answered at once; any other
    precondition, alone or beside it, is weighed in RFC 9110's order."""
    first = client.get("/calendars/cic-poznan.ics")
    values = {
        "etag": first["ETag"],
        "later": "Fri, 01 Jan 2100 00:00:00 GMT",
        "earlier": "Sat, 01 Jan 2000 00:00:00 GMT",
    }
    sent = {name: value.format(**values) for name, value in headers.items()}

    answer = client.get("/calendars/cic-poznan.ics", headers=sent)

    assert answer.status_code == status
    if status == 304:
        assert answer["ETag"] == first["ETag"]
        assert answer["Cache-Control"] == "public, max-age=300"
        assert answer.content == b""
    if status == 412:  # no cache may keep a refusal
        assert "public" not in answer.get("Cache-Control", "")


def test_a_change_gives_a_new_etag_a_higher_sequence_and_an_override(client, course) -> None:
    first = client.get("/calendars/cic-poznan/polski-a1.ics")
    [master] = vevents(first)
    session = course.sessions.order_by("starts_at")[1]
    services.session_move(
        session=session,
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.ends_at + timedelta(hours=1),
    )
    second = client.get("/calendars/cic-poznan/polski-a1.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    new_master, override = vevents(second)
    assert new_master["SEQUENCE"] > master["SEQUENCE"]
    assert str(override["UID"]) == str(master["UID"])
    assert override.decoded("RECURRENCE-ID") == datetime(2027, 1, 12, 18, tzinfo=WARSAW)
    assert override.decoded("DTSTART") == datetime(2027, 1, 12, 19, tzinfo=WARSAW)


def test_cancelled_sessions_become_exdates(client, course) -> None:
    services.session_cancel(session=course.sessions.order_by("starts_at")[2])
    text = client.get("/calendars/cic-poznan/polski-a1.ics").content.decode()
    assert "EXDATE;TZID=Europe/Warsaw:20270119T180000" in text


def test_unpublished_courses_never_appear_in_public_feeds(client, centre, course) -> None:
    CourseFactory(centre=centre, slug="draft", title_pl="Szkic", published=False)
    assert "Szkic" not in client.get("/calendars/cic-poznan.ics").content.decode()
    assert client.get("/calendars/cic-poznan/draft.ics").status_code == 404
    assert client.get("/calendars/nowhere.ics").status_code == 404


def test_old_past_sessions_are_trimmed(client, course, settings) -> None:
    settings.CALENDAR_FEED_PAST_DAYS = 15
    with time_machine.travel(datetime(2027, 2, 10, 12, tzinfo=WARSAW), tick=False):
        [event] = vevents(client.get("/calendars/cic-poznan/polski-a1.ics"))
    # Sessions that ended before 26 January (15 days before 10 February) are left out.
    assert event.decoded("DTSTART") == datetime(2027, 1, 26, 18, tzinfo=WARSAW)


def test_download_link_is_an_attachment(client, course) -> None:
    response = client.get("/calendars/cic-poznan.ics?download=1")
    assert response["Content-Disposition"] == 'attachment; filename="cic-poznan.ics"'


def test_feeds_accept_get_and_head_only(client, course) -> None:
    assert client.head("/calendars/cic-poznan.ics").status_code == 200
    assert client.post("/calendars/cic-poznan.ics").status_code == 405


def test_trainer_private_feed_shows_their_courses_and_a_revoked_link_is_404(client, centre) -> None:
    trainer = UserFactory(username="anna", first_name="Anna", last_name="Nowak")
    CourseFactory(centre=centre, title_pl="Kurs Anny", published=False, trainers=[trainer])
    CourseFactory(centre=centre, title_pl="Kurs innej osoby")
    token = CalendarTokenFactory(user=trainer)
    response = client.get(f"/calendars/private/{token.token}.ics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kurs Anny" in text
    assert "Kurs innej osoby" not in text
    token.revoked_at = timezone.now()
    token.save()
    assert client.get(f"/calendars/private/{token.token}.ics").status_code == 404
    assert client.get("/calendars/private/guess.ics").status_code == 404
    assert len(token.token) >= 40


def test_a_cached_feed_costs_one_query_the_database_caches_read(
    client, course, django_assert_num_queries
) -> None:
    """On the embedded defaults the validator is remembered in the database cache: reading it
    is the one query (with Redis or in memory: none, tests/scheduling/test_feed_validators.py)."""
    first = client.get("/calendars/cic-poznan.ics")
    with django_assert_num_queries(1) as captured:
        again = client.get("/calendars/cic-poznan.ics")
    assert again.content == first.content
    assert "integra_cache" in captured.captured_queries[0]["sql"]


@pytest.mark.parametrize(
    "change",
    ["venue address", "centre name", "course unpublished", "course deleted", "closure"],
)
def test_every_change_a_feed_shows_gives_it_a_new_etag(client, api, staff_user, course, change):
    venue = VenueFactory(centre=course.centre, name="Sala A", address="ul. Stara 1")
    course.venue = venue
    course_save(course=course)
    before = client.get("/calendars/cic-poznan.ics")
    api.force_authenticate(staff_user)
    if change == "venue address":
        assert (
            api.patch(f"/api/v1/venues/{venue.pk}/", {"address": "ul. Nowa 2"}).status_code == 200
        )
    elif change == "centre name":
        centre = course.centre
        centre.name = "CIC Poznań (nowa siedziba)"
        centre.save()
    elif change == "course unpublished":
        assert api.patch(f"/api/v1/courses/{course.pk}/", {"published": False}).status_code == 200
    elif change == "course deleted":
        assert api.delete(f"/api/v1/courses/{course.pk}/").status_code == 204
    else:
        services.closure_save(
            closure=Closure(
                centre=course.centre, starts_on=date(2027, 1, 12), ends_on=date(2027, 1, 12)
            )
        )
    after = client.get("/calendars/cic-poznan.ics", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content
    assert Venue.objects.filter(pk=venue.pk).exists()


def test_content_language_is_the_feeds_language(client, course) -> None:
    assert client.get("/calendars/cic-poznan.ics")["Content-Language"] == "pl"
    ukrainian = client.get("/calendars/cic-poznan/polski-a1.ics?lang=uk")
    assert ukrainian["Content-Language"] == "uk"
    again = client.get(
        "/calendars/cic-poznan/polski-a1.ics?lang=uk", HTTP_IF_NONE_MATCH=ukrainian["ETag"]
    )
    assert again.status_code == 304
    assert again["Content-Language"] == "uk"


def test_a_participants_feed_says_it_is_in_their_language(client, course) -> None:
    from courses.models import EnrolmentSource
    from tests.factories import EnrolmentFactory, ParticipantFactory

    person = ParticipantFactory(centre=course.centre, phone="+48601000002", language="uk")
    EnrolmentFactory(course=course, participant=person, source=EnrolmentSource.STAFF)
    response = client.get(f"/calendars/private/{person.token}.ics")
    assert response.status_code == 200
    assert response["Content-Language"] == "uk"
    assert "private" in response["Cache-Control"]


def test_a_moved_sessions_note_and_where_it_moved_from_lead_its_description(client, course) -> None:
    session = course.sessions.order_by("starts_at")[1]
    services.session_move(
        session=session,
        starts_at=session.starts_at + timedelta(days=1),
        ends_at=session.ends_at + timedelta(days=1),
        note="Sala 2 jest zajęta: spotykamy się w środę.",
    )
    (override,) = [
        e for e in vevents(client.get("/calendars/cic-poznan.ics")) if "RECURRENCE-ID" in e
    ]
    description = str(override["DESCRIPTION"])
    assert description.startswith("Przeniesione z ")
    assert "12 stycznia 2027" in description
    assert "Sala 2 jest zajęta: spotykamy się w środę." in description
    assert "Dla początkujących." in description


def test_a_feed_over_the_size_limit_is_built_again_shorter(client, course, monkeypatch) -> None:
    full = client.get("/calendars/cic-poznan/polski-a1.ics").content
    assert b"Dla pocz" in full
    monkeypatch.setattr(feeds, "FEED_MAX_BYTES", len(full) - 1)
    caches["feeds"].clear()
    shorter = client.get("/calendars/cic-poznan/polski-a1.ics")
    assert shorter.status_code == 200
    assert len(shorter.content) <= len(full) - 1
    assert b"Dla pocz" not in shorter.content  # the description is left to the course page
    assert b"/centres/cic-poznan/courses/polski-a1/" in shorter.content
    assert shorter.content.count(b"BEGIN:VEVENT") == full.count(b"BEGIN:VEVENT")
