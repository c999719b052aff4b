"""Reports: a course's sessions, hours and attendance rates, and funders' figures for a network
of centres over a period, checked against figures worked out by hand; who may see them; what
bad query input answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from courses.models import (
    Attendance,
    BookingMode,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Participant,
)
from courses.selectors.course_report import course_report
from courses.selectors.funder_report import age_band, funder_report
from courses.selectors.periods import Period
from scheduling.models import Session
from scheduling.services import session_cancel
from tests.factories import CentreFactory, CourseFactory, UserFactory

WARSAW = ZoneInfo("Europe/Warsaw")
AFTER = datetime(2027, 3, 1, 12, 0, tzinfo=WARSAW)  # every session below has ended
WINTER = Period(date(2027, 1, 1), date(2027, 2, 28))
pytestmark = pytest.mark.django_db


def _person(centre: Any, name: str, phone: str, **extra: Any) -> Participant:
    return Participant.objects.create(centre=centre, name=name, phone=phone, **extra)


def _mark(session: Session, person: Participant, status: str = "present", **extra: Any) -> None:
    Attendance.objects.create(
        session=session, participant=person, status=status, marked_at=session.starts_at, **extra
    )


def build_world() -> dict[str, Any]:
    """Two centres of the network "CIC", marked by hand (figures worked out in the tests).

    CIC Poznań, "Polski A1" (Polish course, booked as a whole, 90 min), Tuesdays 5 January to
    9 February 2027; 19 January is cancelled, so 5 sessions and 7.5 hours are held:
        Olena (enrolled)  present at all 5 (and on the cancelled one, which does not count)
        Taras (enrolled)  present 5, 12, 26 Jan; excused 2 Feb; absent 9 Feb
        Iryna (enrolled)  present 5 Jan only
        Piotr (walk-in)   present 12 Jan
        an erased person  present 5 Jan
    CIC Konin, "Klub" (language club, open, 60 min), Thursdays 7 to 28 January 2027; 21 January
    is cancelled, so 3 sessions and 3 hours:
        Taras (same phone as in Poznań) present 7 Jan;  Anna present 7 and 14 Jan;
        Zofia present only on the cancelled session.
    Before the period: Olena came to a Poznań workshop on 15 December 2026; Taras and Anna to a
    Konin workshop on 10 December 2026.
    """
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=WARSAW), tick=False):
        staff, other_staff = UserFactory(username="staff"), UserFactory(username="obcy")
        coordinator = UserFactory(username="koordynator")
        poznan = CentreFactory(
            slug="cic-poznan", name="CIC Poznań", network="CIC", staff=[staff, coordinator]
        )
        konin = CentreFactory(
            slug="cic-konin", name="CIC Konin", network="CIC", staff=[coordinator]
        )
        lodz = CentreFactory(slug="cic-lodz", name="CIC Łódź", staff=[other_staff])
        trainer = UserFactory(username="trener")
        course = CourseFactory(
            centre=poznan,
            slug="polski-a1",
            title_pl="Polski A1",
            start_date=date(2027, 1, 5),
            rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6",
            duration_minutes=90,
            trainers=[trainer],
        )
        club = CourseFactory(
            centre=konin,
            slug="klub",
            title_pl="Klub",
            kind=CourseKind.LANGUAGE_CLUB,
            booking_mode=BookingMode.OPEN,
            start_date=date(2027, 1, 7),
            rule="RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=4",
            duration_minutes=60,
        )
        workshop_poznan = CourseFactory(
            centre=poznan,
            slug="warsztat",
            kind=CourseKind.WORKSHOP,
            start_date=date(2026, 12, 15),
            rule="RRULE:FREQ=WEEKLY;COUNT=1",
        )
        workshop_konin = CourseFactory(
            centre=konin,
            slug="warsztat",
            kind=CourseKind.WORKSHOP,
            start_date=date(2026, 12, 10),
            rule="RRULE:FREQ=WEEKLY;COUNT=1",
        )
        CourseFactory(centre=lodz, slug="lodz")
    s = list(course.sessions.order_by("starts_at"))
    k = list(club.sessions.order_by("starts_at"))
    assert len(s) == 6
    assert len(k) == 4
    session_cancel(session=s[2])
    session_cancel(session=k[2])

    olena = _person(poznan, "Olena", "+48601000001", country_of_origin="UA", sex="female",
                    birth_year=1990)  # fmt: skip
    taras = _person(poznan, "Taras", "+48601000002", country_of_origin="UA", sex="male",
                    birth_year=1985)  # fmt: skip
    iryna = _person(poznan, "Iryna", "+48601000003", country_of_origin="UA", sex="female",
                    birth_year=2000)  # fmt: skip
    piotr = _person(poznan, "Piotr", "+48601000004", country_of_origin="PL", sex="male",
                    birth_year=1960)  # fmt: skip
    erased = _person(poznan, "", "", erased_at=AFTER)
    taras_konin = _person(konin, "Taras K.", "+48601000002")
    anna = _person(konin, "Anna", "+48601000005", country_of_origin="BY", sex="female",
                   birth_year=2012)  # fmt: skip
    zofia = _person(konin, "Zofia", "+48601000006", country_of_origin="PL")
    for person in (olena, taras, iryna):
        Enrolment.objects.create(participant=person, course=course, status="confirmed")
    Enrolment.objects.create(participant=piotr, course=course, status=EnrolmentStatus.CANCELLED)

    for session in (s[0], s[1], s[2], s[3], s[4], s[5]):
        _mark(session, olena)
    for session in (s[0], s[1], s[3]):
        _mark(session, taras)
    _mark(s[4], taras, "excused")
    _mark(s[5], taras, "absent")
    _mark(s[0], iryna)
    _mark(s[1], piotr, walk_in=True)
    _mark(s[0], erased)
    _mark(k[0], taras_konin, walk_in=True)
    _mark(k[0], anna)
    _mark(k[1], anna)
    _mark(k[2], zofia)
    _mark(workshop_poznan.sessions.get(), olena)
    _mark(workshop_konin.sessions.get(), taras_konin)
    _mark(workshop_konin.sessions.get(), anna)
    return {
        "staff": staff,
        "other_staff": other_staff,
        "coordinator": coordinator,
        "trainer": trainer,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "poznan": poznan,
        "konin": konin,
        "course": course,
        "club": club,
        "sessions": s,
    }


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    return build_world()


@pytest.fixture
def after() -> Any:
    with time_machine.travel(AFTER, tick=False):
        yield


def _client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


# --- a course's report -----------------------------------------------------------------------


def test_course_report_counts_held_sessions_hours_and_enrolled(world) -> None:
    report = course_report(course=world["course"], now=AFTER)
    assert report.sessions_held == 5  # 19 January was cancelled
    assert report.hours == 7.5
    assert report.enrolled == 3  # Piotr's cancelled enrolment does not count
    assert report.rate_percent == 85  # 11 present of 13 marks


def test_sessions_not_over_yet_are_not_held(world) -> None:
    report = course_report(course=world["course"], now=datetime(2027, 1, 27, tzinfo=WARSAW))
    assert report.sessions_held == 3  # 5, 12 and 26 January
    assert report.hours == 4.5


def test_course_report_within_a_period(world) -> None:
    report = course_report(
        course=world["course"], period=Period(date(2027, 1, 20), date(2027, 2, 2)), now=AFTER
    )
    assert [row.starts_at.astimezone(WARSAW).day for row in report.sessions] == [26, 2]


def test_attendance_rate_per_session_is_present_over_marked(world) -> None:
    report = course_report(course=world["course"], now=AFTER)
    rows = [(r.present, r.marked, r.walk_ins, r.rate_percent) for r in report.sessions]
    assert rows == [(4, 4, 0, 100), (3, 3, 1, 100), (2, 2, 0, 100), (1, 2, 0, 50), (1, 2, 0, 50)]


def test_attendance_rate_per_participant_leaves_out_excused_sessions(world) -> None:
    report = course_report(course=world["course"], now=AFTER)
    rows = {r.name: (r.present, r.expected, r.excused, r.rate_percent) for r in report.participants}
    assert rows == {
        "Olena": (5, 5, 0, 100),  # the mark on the cancelled session is not counted
        "Taras": (3, 5, 1, 75),  # 3 ÷ (5 − 1)
        "Iryna": (1, 5, 0, 20),  # enrolled on the whole course: expected at every session
        "Piotr": (1, 1, 0, 100),  # a walk-in: expected where marked
        "Erased participant": (1, 1, 0, 100),
    }


def test_completion_threshold_defaults_to_the_setting_and_can_be_changed(world, settings) -> None:
    settings.ATTENDANCE_COMPLETION_PERCENT = 80
    report = course_report(course=world["course"], now=AFTER)
    assert report.threshold == 80
    assert sorted(r.name for r in report.completed) == ["Erased participant", "Olena", "Piotr"]
    report = course_report(course=world["course"], threshold=75, now=AFTER)
    assert "Taras" in [r.name for r in report.completed]


def test_erased_participant_appears_without_name_or_phone(world) -> None:
    report = course_report(course=world["course"], now=AFTER)
    erased = [r for r in report.participants if r.erased]
    assert len(erased) == 1
    assert (erased[0].name, erased[0].phone) == ("Erased participant", "")


def test_course_report_page_shows_figures_and_names(world, after) -> None:
    response = _client(world["staff"]).get(f"/reports/courses/{world['course'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="sessions">5<' in html
    assert 'data-figure="enrolled">3<' in html
    assert 'data-figure="completed">3<' in html
    assert "+48601000002" in html
    assert "Erased participant" in html
    assert f"/reports/courses/{world['course'].pk}/attendance.csv?" in html


def test_course_report_page_threshold_from_the_query(world, after) -> None:
    url = f"/reports/courses/{world['course'].pk}/?threshold=75"
    html = _client(world["staff"]).get(url).content.decode()
    assert 'data-figure="completed">4<' in html


# --- funders' figures ------------------------------------------------------------------------


def _network(world: dict[str, Any], **kwargs: Any) -> Any:
    return funder_report(
        centres=[world["poznan"], world["konin"]], period=WINTER, now=AFTER, **kwargs
    )


def test_sessions_and_hours_by_course_kind(world) -> None:
    report = _network(world)
    rows = [(row.kind, row.sessions, row.hours) for row in report.kinds]
    assert rows == [("polish_course", 5, 7.5), ("language_club", 3, 3.0)]
    assert (report.sessions_held, report.hours) == (8, 10.5)


def test_a_person_in_two_centres_of_a_network_is_counted_once(world) -> None:
    poznan = funder_report(centres=[world["poznan"]], period=WINTER, now=AFTER)
    konin = funder_report(centres=[world["konin"]], period=WINTER, now=AFTER)
    network = _network(world)
    # Walk-ins and the erased person count; Zofia, marked only on a cancelled session, does not.
    assert poznan.participants.value == 5
    assert konin.participants.value == 2
    assert network.participants.value == 6  # Taras once, not 5 + 2 = 7
    assert str(network.participants) == "6"


def test_new_participants_first_came_in_the_period_to_these_centres(world) -> None:
    # Network: Olena (December, Poznań), Taras and Anna (December, Konin) came before.
    assert _network(world).new_participants.value == 3
    # Poznań alone: Taras first came to Poznań on 5 January.
    assert (
        funder_report(centres=[world["poznan"]], period=WINTER, now=AFTER).new_participants.value
        == 4
    )
    assert (
        funder_report(centres=[world["konin"]], period=WINTER, now=AFTER).new_participants.value
        == 0
    )


def test_small_counts_are_shown_as_less_than_the_minimum(world, settings) -> None:
    settings.REPORT_MIN_COUNT = 5
    report = _network(world)
    assert str(report.new_participants) == "<5"  # 3
    assert [(row.key, str(row.count)) for row in report.by_country] == [
        ("BY", "<5"),  # suppressed ones by name, not by their hidden size
        ("PL", "<5"),
        ("UA", "<5"),
        ("", "<5"),
    ]
    konin = funder_report(centres=[world["konin"]], period=WINTER, now=AFTER)
    assert str(konin.participants) == "<5"  # totals too
    assert str(konin.new_participants) == "0"  # nothing to hide in a zero


def test_a_cell_below_two_says_one_by_itself_so_nothing_else_is_hidden_for_it(
    world, settings
) -> None:
    settings.REPORT_MIN_COUNT = 2
    report = _network(world)
    assert [(row.key, str(row.count)) for row in report.by_country] == [
        ("UA", "3"),
        ("BY", "<2"),
        ("PL", "<2"),
        ("", "<2"),
    ]
    # female 3 (Olena, Iryna, Anna), male 2 (Taras, Piotr), other 0, unknown 1 (erased): a "*"
    # for the 2 would be the total − 3 − 1 anyway.
    assert [(row.key, str(row.count)) for row in report.by_sex] == [
        ("female", "3"),
        ("male", "2"),
        ("other", "0"),
        ("", "<2"),
    ]
    # Age in 2027: Anna 15, Iryna 27, Olena 37, Taras 42, Piotr 67, the erased one unknown.
    assert [str(row.count) for row in report.by_age] == ["<2", "<2", "2", "0", "<2", "<2"]


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [(2010, "0-17"), (2009, "18-29"), (1998, "18-29"), (1997, "30-44"), (1983, "30-44"),
     (1982, "45-59"), (1968, "45-59"), (1967, "60+"), (None, ""), (2030, "")],
)  # fmt: skip
def test_age_bands_by_age_reached_in_the_year(birth_year: int | None, band: str) -> None:
    assert age_band(birth_year, year=2027) == band


def test_present_marks_per_week(world) -> None:
    report = _network(world)
    assert report.timeline_unit == "week"
    weeks = {row.start: row.present for row in report.timeline}
    assert weeks[date(2026, 12, 28)] == 0  # the week of 1 January
    assert weeks[date(2027, 1, 4)] == 6  # Poznań 4 on the 5th, Konin 2 on the 7th
    assert report.present_marks == 14


def test_longer_periods_are_charted_by_month(world) -> None:
    report = funder_report(
        centres=[world["poznan"], world["konin"]],
        period=Period(date(2026, 12, 1), date(2027, 6, 30)),
        now=AFTER,
    )
    assert report.timeline_unit == "month"
    months = {row.start: row.present for row in report.timeline}
    assert months[date(2026, 12, 1)] == 3
    assert months[date(2027, 1, 1)] == 12
    assert len(months) == 7


def test_funder_page_shows_figures_and_accessible_charts(world, after) -> None:
    response = _client(world["coordinator"]).get(
        "/reports/?network=CIC&from=2027-01-01&to=2027-02-28"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="participants">6<' in html
    assert 'data-figure="new-participants">&lt;5<' in html
    assert html.count('role="img"') == 2
    assert '<title id="attendance-over-time-title">Present marks per week</title>' in html
    assert "Participants by country of origin" in html
    assert "<script" not in html
    assert "/reports/funder.xlsx?network=CIC" in html


def test_funder_page_defaults_to_the_year_to_date_and_the_users_centres(world, after) -> None:
    html = _client(world["staff"]).get("/reports/").content.decode()
    assert 'value="2027-01-01"' in html
    assert 'value="2027-03-01"' in html
    assert 'data-figure="participants">5<' in html  # Poznań only


def test_network_counts_only_the_centres_the_user_manages(world, after) -> None:
    html = _client(world["staff"]).get("/reports/?network=CIC").content.decode()
    assert 'data-figure="participants">5<' in html


def test_query_count_does_not_grow_with_participants_and_sessions(world, after) -> None:
    client = _client(world["coordinator"])
    url = "/reports/?network=CIC&from=2027-01-01&to=2027-02-28"
    course_url = f"/reports/courses/{world['course'].pk}/"
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as course_before:
        assert client.get(course_url).status_code == 200
    poznan, course = world["poznan"], world["course"]
    with time_machine.travel(datetime(2026, 12, 1, tzinfo=WARSAW), tick=False):
        extra = CourseFactory(centre=poznan, slug="b1", start_date=date(2027, 1, 4),
                              rule="RRULE:FREQ=DAILY;COUNT=20")  # fmt: skip
    for n in range(30):
        person = _person(poznan, f"Osoba {n}", f"+48602000{n:03d}", birth_year=1990 + n)
        Enrolment.objects.create(participant=person, course=course, status="confirmed")
        for session in list(course.sessions.all()) + list(extra.sessions.all()[:3]):
            _mark(session, person)
    with CaptureQueriesContext(connection) as later:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as course_later:
        assert client.get(course_url).status_code == 200
    assert len(later) == len(before)
    assert len(course_later) == len(course_before)


# --- who may see reports ---------------------------------------------------------------------


URLS = [
    "/reports/?centre=cic-poznan",
    "/reports/funder.csv?centre=cic-poznan",
    "/reports/funder.xlsx?centre=cic-poznan",
    "/reports/courses/{course}/",
    "/reports/courses/{course}/attendance.csv",
    "/reports/courses/{course}/attendance.xlsx",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("who", "status"),
    [("trainer", 404), ("other_staff", 404), ("staff", 200), ("superuser", 200)],
)
def test_permission_matrix(world, after, url: str, who: str, status: int) -> None:
    response = _client(world[who]).get(url.format(course=world["course"].pk))
    assert response.status_code == status


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_sent_to_log_in(world, url: str) -> None:
    response = _client().get(url.format(course=world["course"].pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/reports/")


def test_nobody_sees_another_network_or_a_course_they_do_not_manage(world, after) -> None:
    client = _client(world["other_staff"])
    assert client.get("/reports/?network=CIC").status_code == 404
    assert client.get(f"/reports/courses/{world['club'].pk}/").status_code == 404
    assert client.get("/reports/courses/999999/").status_code == 404


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2027-13-01", "“2027-13-01” is not a date"),
        ("to=yesterday", "“yesterday” is not a date"),
        ("from=0001-01-01", "is not a date"),
        # Written exactly as YYYY-MM-DD: not the other forms Python's ISO reader takes.
        ("from=2027-1-5", "“2027-1-5” is not a date"),
        ("from=20270105", "“20270105” is not a date"),
        ("to=2027-W09-1", "“2027-W09-1” is not a date"),
        ("from=2020-01-01&to=2027-01-01", "Choose a period of at most five years."),
        ("from=2027-03-01&to=2027-01-01", "The start of the period is after its end."),
        ("centre=nowhere", "There is no centre “nowhere”."),
        ("network=Nowhere", "There is no network called “Nowhere”."),
        ("centre=cic-poznan&network=CIC", "Choose centres or a network, not both."),
    ],
)
@pytest.mark.parametrize("path", ["/reports/", "/reports/funder.csv", "/reports/funder.xlsx"])
def test_bad_funder_query_is_a_400_that_says_why(
    world, after, path: str, query: str, message: str
) -> None:
    response = _client(world["coordinator"]).get(f"{path}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("threshold=0", "from 1 to 100"),
        ("threshold=101", "from 1 to 100"),
        ("threshold=abc", "from 1 to 100"),
        ("threshold=-5", "from 1 to 100"),
        ("threshold=%C2%B2", "from 1 to 100"),  # a superscript two: a digit to isdigit()
        ("threshold=" + "9" * 5000, "from 1 to 100"),
        # Digits 0-9 only: int() would take these.
        ("threshold=75.0", "from 1 to 100"),
        ("threshold=%2B75", "from 1 to 100"),
        ("threshold=7_5", "from 1 to 100"),
        ("threshold=%D9%A7%D9%A5", "from 1 to 100"),  # 75 in Arabic-Indic digits
        ("from=2027-02-30", "is not a date"),
        ("from=2027-02-10&to=2027-02-01", "The start of the period is after its end."),
    ],
)
@pytest.mark.parametrize("suffix", ["", "attendance.csv", "attendance.xlsx"])
def test_bad_course_query_is_a_400_that_says_why(
    world, after, suffix: str, query: str, message: str
) -> None:
    url = f"/reports/courses/{world['course'].pk}/{suffix}?{query}"
    response = _client(world["staff"]).get(url)
    assert response.status_code == 400
    assert message in response.content.decode()


# --- promises of the README checked on their own small worlds ------------------------------------


def test_a_period_covers_whole_local_days_at_both_ends() -> None:
    """A session 00:30 on the first day and one 23:00 on the last day (Warsaw time) count; a
    period a day shorter at either end leaves one of them out."""
    from scheduling.services import session_add

    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=WARSAW), tick=False):
        course = CourseFactory(rule="RRULE:FREQ=WEEKLY;COUNT=1", start_date=date(2027, 6, 1))
        for starts in (datetime(2027, 1, 1, 0, 30), datetime(2027, 1, 31, 23, 0)):
            session_add(
                course=course,
                starts_at=starts.replace(tzinfo=WARSAW),
                ends_at=(starts + timedelta(minutes=30)).replace(tzinfo=WARSAW),
            )
    held = [
        funder_report(centres=[course.centre], period=period, now=AFTER).sessions_held
        for period in (
            Period(date(2027, 1, 1), date(2027, 1, 31)),
            Period(date(2027, 1, 2), date(2027, 1, 31)),
            Period(date(2027, 1, 1), date(2027, 1, 30)),
        )
    ]
    assert held == [2, 1, 1]


def test_enrolled_counts_session_bookings_and_is_zero_for_open_courses() -> None:
    from courses.services.enrolment import enrolment_create
    from courses.services.participants import ParticipantData, participant_upsert

    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=WARSAW), tick=False):
        booked = CourseFactory(booking_mode="session", capacity=5, start_date=date(2027, 1, 5))
        first = booked.sessions.order_by("starts_at").first()
        for n in range(2):
            person = participant_upsert(
                centre=booked.centre, data=ParticipantData(f"Osoba {n}", f"+4860100009{n}")
            )
            enrolment_create(course=booked, session=first, participant=person, source="staff")
        drop_in = CourseFactory(booking_mode="open", centre=booked.centre)
    assert course_report(course=booked, now=AFTER).enrolled == 2
    assert course_report(course=drop_in, now=AFTER).enrolled == 0


def test_erased_people_count_one_each() -> None:
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=WARSAW), tick=False):
        course = CourseFactory(start_date=date(2027, 1, 5))
    session = course.sessions.order_by("starts_at").first()
    erased = timezone.now()
    for n in range(6):
        _mark(session, _person(course.centre, "", "", erased_at=erased, birth_year=1990 + n))
    report = funder_report(centres=[course.centre], period=WINTER, now=AFTER)
    assert str(report.participants) == "6"
