"""The centre timetable: a week or a month of every session of her centres, filtered by course,
kind, trainer and venue, in a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from courses.models import CourseKind
from tests.factories import CourseFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

TUESDAYS = "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6"


def _titles(response) -> set[str]:
    return {s.course.title for day in response.context["page"].days for s in day.sessions}


def test_the_week_holds_her_centres_sessions_by_day(
    coordinator_client: Client, poznan, konin
) -> None:
    CourseFactory(centre=poznan, title_pl="Polski A1", rule=TUESDAYS)
    CourseFactory(centre=konin, title_pl="Konin A1", rule=TUESDAYS)
    response = coordinator_client.get("/staff/timetable/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.start == date(2027, 1, 4)
    assert len(page.days) == 7
    assert [len(d.sessions) for d in page.days] == [0, 1, 0, 0, 0, 0, 0]
    assert _titles(response) == {"Polski A1"}
    assert "Konin A1" not in response.content.decode()


def test_the_month_shows_whole_weeks_and_counts_the_months_sessions(
    coordinator_client: Client, poznan
) -> None:
    CourseFactory(centre=poznan, title_pl="Polski A1", rule=TUESDAYS)
    page = coordinator_client.get("/staff/timetable/?view=month&date=2027-01-20").context["page"]
    assert page.start == date(2026, 12, 28)
    assert page.end == date(2027, 2, 1)
    assert page.count == 4  # 5, 12, 19, 26 January
    assert "date=2027-02-01" in page.next
    assert "date=2026-12-01" in page.previous


def test_filters_by_course_kind_trainer_and_venue(coordinator_client: Client, poznan) -> None:
    anna = UserFactory(username="anna")
    room = VenueFactory(centre=poznan, name="Sala 2")
    a1 = CourseFactory(centre=poznan, title_pl="Polski A1", rule=TUESDAYS, trainers=[anna])
    CourseFactory(centre=poznan, title_pl="Klub", rule=TUESDAYS, kind=CourseKind.LANGUAGE_CLUB,
                  venue=room)  # fmt: skip
    url = "/staff/timetable/?date=2027-01-05&"
    assert _titles(coordinator_client.get(url + f"course={a1.pk}")) == {"Polski A1"}
    assert _titles(coordinator_client.get(url + "kind=language_club")) == {"Klub"}
    assert _titles(coordinator_client.get(url + f"trainer={anna.pk}")) == {"Polski A1"}
    assert _titles(coordinator_client.get(url + f"venue={room.pk}")) == {"Klub"}


def test_a_course_of_another_centre_is_not_a_filter_she_can_use(
    coordinator_client: Client, poznan, konin
) -> None:
    other = CourseFactory(centre=konin, rule=TUESDAYS)
    response = coordinator_client.get(f"/staff/timetable/?course={other.pk}")
    assert response.status_code == 400
    assert _titles(response) == set()
    assert 'role="alert"' in response.content.decode()


def test_a_trainer_sees_only_their_own_courses(
    trainer_client: Client, trainer_user, poznan
) -> None:
    CourseFactory(centre=poznan, title_pl="Mój", rule=TUESDAYS, trainers=[trainer_user])
    CourseFactory(centre=poznan, title_pl="Cudzy", rule=TUESDAYS)
    assert _titles(trainer_client.get("/staff/timetable/?view=month")) == {"Mój"}


@pytest.mark.parametrize("courses", [10, 100])
def test_the_timetable_costs_the_same_queries_for_10_and_100_courses(
    coordinator_client: Client, poznan, courses: int, django_assert_num_queries
) -> None:
    anna = UserFactory(username="anna")
    room = VenueFactory(centre=poznan)
    for i in range(courses):
        CourseFactory(centre=poznan, rule=TUESDAYS, slug=f"k{i}", trainers=[anna], venue=room)
    with django_assert_num_queries(9):
        response = coordinator_client.get("/staff/timetable/?view=month")
    assert response.context["page"].count == 4 * courses
