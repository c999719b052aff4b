"""The specialist's private feed (the trainer's, behind a token) lists their appointments by the
person's initials only, with the language and the interpreter; the consultation's public feed
keeps showing the duty hours only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from appointments.feeds import initials
from appointments.services.booking import appointment_book, appointment_cancel
from courses.services.participants import ParticipantData
from tests.appointments.helpers import interpreter, local, slot_course, specialist
from tests.factories import CalendarTokenFactory, CentreFactory, UserFactory, first_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań")
    coordinator = UserFactory(username="koordynator", staff_of=[poznan])
    lawyer = specialist("prawnik")
    course = slot_course(poznan, trainers=[lawyer], slug="porady-prawne")
    day = first_session(course).starts_at.astimezone(poznan.tz).date()
    interpreter(poznan, "uk", name="Anna Tłumacz")
    booked = appointment_book(
        course=course,
        starts_at=local(course, day, 11),
        language="uk",
        person=ParticipantData(name="Olena Kowalenko", phone="+48601000001", sms_consent=True),
        actor=coordinator,
        channel="desk",
    )
    return {
        "coordinator": coordinator,
        "lawyer": lawyer,
        "course": course,
        "booked": booked,
        "token": CalendarTokenFactory(user=lawyer).token,
    }


def _feed(client: Client, token: str, **headers: str) -> Any:
    return client.get(f"/calendars/private/{token}.ics", **headers)


def _unfolded(response: Any) -> str:
    return response.content.decode().replace("\r\n ", "")


def test_the_specialists_feed_lists_the_appointment_by_initials(
    client: Client, world: dict[str, Any]
) -> None:
    text = _unfolded(_feed(client, world["token"]))
    assert "SUMMARY:O. K. · Porady prawne" in text
    assert f"UID:appointment-{world['booked'].pk}@" in text


def test_the_feed_names_the_language_and_the_interpreter(
    client: Client, world: dict[str, Any]
) -> None:
    text = _unfolded(_feed(client, world["token"]))
    assert "Українська" in text
    assert "Anna Tłumacz" in text


def test_the_feed_never_carries_the_persons_name_or_phone(
    client: Client, world: dict[str, Any]
) -> None:
    text = _unfolded(_feed(client, world["token"]))
    assert "Kowalenko" not in text
    assert "601000001" not in text


def test_a_cancelled_appointment_leaves_the_feed_with_a_new_etag(
    client: Client, world: dict[str, Any]
) -> None:
    before = _feed(client, world["token"])
    appointment_cancel(appointment=world["booked"], actor=world["coordinator"], reason="x")
    after = _feed(client, world["token"], HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "appointment-" not in _unfolded(after)


def test_another_specialists_feed_does_not_list_it(client: Client, world: dict[str, Any]) -> None:
    other = specialist("psycholog")
    slot_course(world["course"].centre, trainers=[other], slug="psycholog")
    text = _unfolded(_feed(client, CalendarTokenFactory(user=other).token))
    assert "appointment-" not in text


def test_the_public_feed_of_the_consultation_shows_duty_hours_only(
    client: Client, world: dict[str, Any]
) -> None:
    text = _unfolded(client.get("/calendars/cic-poznan/porady-prawne.ics"))
    assert "Porady prawne" in text
    assert "appointment-" not in text
    assert "O. K." not in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Olena Kowalenko", "O. K."), ("Jean-Pierre Dubois", "J. P. D."), ("", "–")],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected
