"""Reports: a course's sessions, hours and attendance rates, and funders' figures for a network
of centres over a period, checked against figures worked out by hand; who may see them; what
bad query input answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import (
    Enrolment,
)
from courses.selectors.course_report import course_report
from courses.selectors.funder_report import age_band, funder_report
from courses.selectors.periods import Period
from tests.courses.report_world import AFTER, WARSAW, WINTER, add_mark, add_person, client_as
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


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
    response = client_as(world["staff"]).get(f"/reports/courses/{world['course'].pk}/")
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
    html = client_as(world["staff"]).get(url).content.decode()
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
    response = client_as(world["coordinator"]).get(
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
    html = client_as(world["staff"]).get("/reports/").content.decode()
    assert 'value="2027-01-01"' in html
    assert 'value="2027-03-01"' in html
    assert 'data-figure="participants">5<' in html  # Poznań only


def test_network_counts_only_the_centres_the_user_manages(world, after) -> None:
    html = client_as(world["staff"]).get("/reports/?network=CIC").content.decode()
    assert 'data-figure="participants">5<' in html


def test_query_count_does_not_grow_with_participants_and_sessions(world, after) -> None:
    client = client_as(world["coordinator"])
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
        person = add_person(poznan, f"Osoba {n}", f"+48602000{n:03d}", birth_year=1990 + n)
        Enrolment.objects.create(participant=person, course=course, status="confirmed")
        for session in list(course.sessions.all()) + list(extra.sessions.all()[:3]):
            add_mark(session, person)
    with CaptureQueriesContext(connection) as later:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as course_later:
        assert client.get(course_url).status_code == 200
    assert len(later) == len(before)
    assert len(course_later) == len(course_before)
