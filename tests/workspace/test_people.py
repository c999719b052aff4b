"""People: staff find a person of their centres by name or by a phone written any way; nobody
of another centre is found; a person's page shows their places, attendance and every SMS."""

from __future__ import annotations

import pytest
from django.test import Client

from courses.models import AuditEntry, EnrolmentStatus
from notifications.models import MessageStatus
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    EnrolmentFactory,
    OutboundMessageFactory,
    ParticipantFactory,
    first_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(poznan):
    return ParticipantFactory(
        centre=poznan, name="Olena Kovalenko", phone="601 234 567", sms_consent=True
    )


@pytest.mark.parametrize(
    "typed", ["601 234 567", "+48 601-234-567", "0048601234567", "234567", "olena", "KOVAL"]
)
def test_staff_find_a_person_by_name_or_phone(coordinator_client: Client, olena, typed) -> None:
    response = coordinator_client.get("/staff/people/", {"q": typed})
    assert response.status_code == 200
    assert response.context["found"] == [olena]
    assert f'href="/staff/people/{olena.pk}/"' in response.content.decode()


def test_no_one_of_another_centre_is_found(coordinator_client: Client, konin) -> None:
    ParticipantFactory(centre=konin, name="Olena Kovalenko", phone="601 234 567")
    response = coordinator_client.get("/staff/people/", {"q": "601234567"})
    assert response.context["found"] == []
    assert "Kovalenko" not in response.content.decode()
    assert coordinator_client.get("/staff/people/", {"q": "Olena"}).context["found"] == []


def test_an_empty_search_lists_nobody(coordinator_client: Client, olena) -> None:
    assert coordinator_client.get("/staff/people/").context["found"] is None
    assert coordinator_client.get("/staff/people/", {"q": "  "}).context["found"] == []


def test_erased_people_are_not_found(coordinator_client: Client, olena) -> None:
    from courses.services.privacy import participant_erase

    participant_erase(participant=olena)
    assert coordinator_client.get("/staff/people/", {"q": "Olena"}).context["found"] == []


def test_the_page_shows_places_queue_attendance_and_every_sms(
    coordinator_client: Client, poznan, olena
) -> None:
    full = CourseFactory(centre=poznan, title_pl="Polski A2", capacity=1)
    EnrolmentFactory(course=full)  # the only seat
    waiting = EnrolmentFactory(course=full, participant=olena)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    confirmed = EnrolmentFactory(
        course=CourseFactory(centre=poznan, title_pl="Klub"), participant=olena
    )
    AttendanceFactory(session=first_session(confirmed.course), participant=olena)
    got = OutboundMessageFactory(
        participant=olena, status=MessageStatus.DELIVERED, body="Do zobaczenia"
    )
    lost = OutboundMessageFactory(
        participant=olena, status=MessageStatus.FAILED, error_code="30003"
    )
    response = coordinator_client.get(f"/staff/people/{olena.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Polski A2" in body
    assert "nr 1 w kolejce" in body or "no. 1 in the queue" in body
    assert "Klub" in body
    assert "Obecny" in body or "Present" in body
    assert "Do zobaczenia" in body
    assert "30003" in body
    shown = response.context["page"].messages
    assert {got, lost} <= set(shown)  # with those the enrolments planned (confirmation, reminders)
    assert all(m.participant_id == olena.pk for m in shown)


def test_the_page_says_nothing_was_changed_when_nothing_was(
    coordinator_client: Client, olena
) -> None:
    data = {"name": olena.name, "phone": olena.phone, "language": "pl"}
    response = coordinator_client.post(f"/staff/people/{olena.pk}/", data, follow=True)
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="participant.changed").exists()
