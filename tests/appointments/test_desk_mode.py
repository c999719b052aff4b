"""How an appointment is held, per slot: the desk books in the course's way (in person here) or
another for this one (by phone, by video); the person's page says how; a way that is not one of
the three is refused and nothing is booked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from appointments.models import Appointment
from courses.models import AppointmentMode
from tests.appointments.helpers import local, slot_course, specialist
from tests.factories import CentreFactory, ParticipantFactory, UserFactory, first_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db: None) -> dict[str, Any]:
    poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań")
    staff = UserFactory(username="koordynator", staff_of=[poznan])
    course = slot_course(poznan, trainers=[specialist("prawnik")])
    session = first_session(course)
    client = Client()
    client.force_login(staff)
    return {
        "client": client,
        "course": course,
        "session": session,
        "at": local(course, session.starts_at.astimezone(poznan.tz).date(), 11),
        "olena": ParticipantFactory(
            centre=poznan, name="Olena Kowalenko", phone="601000001", language="en"
        ),
    }


def _book(desk: dict[str, Any], **data: Any) -> Any:
    return desk["client"].post(
        f"/staff/appointments/sessions/{desk['session'].pk}/book/",
        {"at": desk["at"].isoformat(), "participant": desk["olena"].pk, "language": "pl", **data},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_desk_books_in_the_courses_way_by_default(desk: dict[str, Any]) -> None:
    assert _book(desk).status_code == 302
    assert Appointment.objects.get().mode == AppointmentMode.IN_PERSON


def test_the_desk_books_one_slot_by_phone(desk: dict[str, Any]) -> None:
    assert _book(desk, mode="phone").status_code == 302

    booked = Appointment.objects.get()
    assert booked.mode == AppointmentMode.PHONE
    page = Client().get(booked.participant.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "By phone: the specialist calls you at" in page.content.decode()


def test_the_book_page_offers_the_three_ways_with_the_courses_chosen(
    desk: dict[str, Any],
) -> None:
    page = desk["client"].get(
        f"/staff/appointments/sessions/{desk['session'].pk}/book/", {"at": desk["at"].isoformat()}
    )

    form = page.context["language_form"]
    assert [code for code, _label in form.fields["mode"].choices] == list(AppointmentMode.values)
    assert form["mode"].value() == AppointmentMode.IN_PERSON


def test_an_unknown_way_is_refused_and_nothing_booked(desk: dict[str, Any]) -> None:
    assert _book(desk, mode="carrier-pigeon").status_code == 400
    assert not Appointment.objects.exists()
