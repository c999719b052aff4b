"""Today: what a coordinator sees first, only of her centres, in a constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from courses.models import EnrolmentStatus
from notifications.models import MessageStatus
from scheduling.services import closure_save
from tests.factories import (
    ClosureFactory,
    CourseFactory,
    EnrolmentFactory,
    EnrolmentRowFactory,
    OutboundMessageFactory,
    ParticipantFactory,
)
from tests.workspace.conftest import NOW

pytestmark = pytest.mark.django_db

DAILY = "RRULE:FREQ=DAILY;COUNT=3"


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/")


def test_someone_neither_staff_nor_trainer_finds_nothing(client: Client, db: None) -> None:
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get("/staff/").status_code == 404


def test_today_shows_todays_and_the_weeks_sessions_of_her_centre_only(
    coordinator_client: Client, poznan, konin
) -> None:
    CourseFactory(centre=poznan, title_pl="Polski A2", start_date=date(2027, 1, 5), rule=DAILY)
    CourseFactory(centre=konin, title_pl="Klub w Koninie", start_date=date(2027, 1, 5), rule=DAILY)
    response = coordinator_client.get("/staff/")
    assert response.status_code == 200
    page = response.context["page"]
    assert [s.course.title for s in page.today] == ["Polski A2"]
    # 6 January is Epiphany, a public holiday: no session
    assert [s.starts_at.date() for s in page.week] == [date(2027, 1, 7)]
    body = response.content.decode()
    assert "Klub w Koninie" not in body
    assert f"/register/{page.today[0].pk}/" in body
    assert response["Cache-Control"].startswith("max-age=0")


def test_panels_show_waiting_offers_failed_sms_no_trainer_and_closures(
    coordinator_client: Client, poznan, konin
) -> None:
    full = CourseFactory(centre=poznan, title_pl="Pełny kurs", capacity=1)
    EnrolmentFactory(course=full)
    EnrolmentFactory(course=full)  # waits
    offered = EnrolmentRowFactory(
        course=full, status=EnrolmentStatus.OFFERED, offer_expires_at=NOW + timedelta(hours=3)
    )
    later = CourseFactory(centre=poznan, title_pl="Oferta za tydzień")
    EnrolmentRowFactory(
        course=later, status=EnrolmentStatus.OFFERED, offer_expires_at=NOW + timedelta(days=5)
    )
    olena = ParticipantFactory(centre=poznan, name="Olena", sms_consent=True)
    OutboundMessageFactory(participant=olena, status=MessageStatus.FAILED, error_code="30003")
    stranger = ParticipantFactory(centre=konin, name="Obca", sms_consent=True)
    OutboundMessageFactory(participant=stranger, status=MessageStatus.FAILED)
    winter = ClosureFactory.build(
        centre=poznan, reason="Ferie zimowe", starts_on=date(2027, 1, 18), ends_on=date(2027, 1, 29)
    )
    closure_save(closure=winter)
    ClosureFactory(
        centre=konin,
        reason="Remont w Koninie",
        starts_on=date(2027, 1, 20),
        ends_on=date(2027, 1, 20),
    )

    page = coordinator_client.get("/staff/").context["page"]
    assert [(c.title, c.waiting_count) for c in page.waiting] == [("Pełny kurs", 1)]
    assert page.offers == [offered]
    assert [m.participant.name for m in page.failed_sms] == ["Olena"]
    assert {c.title for c in page.without_trainer} == {"Pełny kurs", "Oferta za tydzień"}
    assert [c.reason for c in page.closures] == ["Ferie zimowe"]


def test_a_trainer_sees_only_the_sessions_of_the_courses_they_teach(
    trainer_client: Client, trainer_user, poznan
) -> None:
    CourseFactory(centre=poznan, title_pl="Mój kurs", start_date=date(2027, 1, 5), rule=DAILY,
                  trainers=[trainer_user])  # fmt: skip
    CourseFactory(centre=poznan, title_pl="Cudzy kurs", start_date=date(2027, 1, 5), rule=DAILY)
    response = trainer_client.get("/staff/")
    assert response.status_code == 200
    page = response.context["page"]
    assert {s.course.title for s in page.today + page.week} == {"Mój kurs"}
    assert page.failed_sms == []
    assert page.closures == []
    assert "/staff/closures/" not in response.content.decode()


def _world(poznan, n: int) -> None:
    for i in range(n):
        course = CourseFactory(centre=poznan, start_date=date(2027, 1, 5), rule=DAILY,
                               capacity=1, slug=f"k{i}")  # fmt: skip
        EnrolmentRowFactory(course=course)
        EnrolmentRowFactory(course=course, status=EnrolmentStatus.WAITLISTED)
        EnrolmentRowFactory(
            course=course, status=EnrolmentStatus.OFFERED, offer_expires_at=NOW + timedelta(hours=1)
        )
        OutboundMessageFactory(participant=ParticipantFactory(centre=poznan, sms_consent=True),
                               status=MessageStatus.FAILED)  # fmt: skip


@pytest.mark.parametrize("courses", [10, 100])
def test_today_costs_the_same_queries_for_10_and_100_courses(
    coordinator_client: Client, poznan, courses: int, django_assert_num_queries
) -> None:
    _world(poznan, courses)
    with django_assert_num_queries(11):  # the appointments panel: one
        response = coordinator_client.get("/staff/")
    assert response.status_code == 200
    assert len(response.context["page"].today) == courses
