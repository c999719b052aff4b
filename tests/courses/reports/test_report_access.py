"""Reports: who may see them (the permission matrix, the networks and courses a user manages),
what bad query input answers, and figures at the edges of a period."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from courses.selectors.course_report import course_report
from courses.selectors.funder_report import funder_report
from courses.selectors.periods import Period
from tests.courses.report_world import AFTER, WARSAW, WINTER, add_mark, add_person, client_as
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


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
    response = client_as(world[who]).get(url.format(course=world["course"].pk))
    assert response.status_code == status


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_sent_to_log_in(world, url: str) -> None:
    response = client_as().get(url.format(course=world["course"].pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/reports/")


def test_nobody_sees_another_network_or_a_course_they_do_not_manage(world, after) -> None:
    client = client_as(world["other_staff"])
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
    response = client_as(world["coordinator"]).get(f"{path}?{query}")
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
    response = client_as(world["staff"]).get(url)
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
        add_mark(session, add_person(course.centre, "", "", erased_at=erased, birth_year=1990 + n))
    report = funder_report(centres=[course.centre], period=WINTER, now=AFTER)
    assert str(report.participants) == "6"
