"""The person's appointments on their own page: when, where or how, the language, whether an
interpreter will be there; the video link only there and only to them; cancelling only through
its confirmation; moving to another free slot of the same consultation and language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation

from appointments.models import Appointment, AppointmentStatus
from appointments.services.booking import appointment_book
from courses.models import AppointmentMode, Course
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from tests.appointments.helpers import interpreter, person

pytestmark = pytest.mark.django_db


def uk(text: str) -> str:
    with translation.override("uk"):
        return translation.gettext(text)


@pytest.fixture
def booked(consultation: Course) -> Appointment:
    """A Ukrainian speaker's appointment with the Polish-speaking lawyer: with an interpreter."""
    interpreter(consultation.centre, "uk")
    start = consultation.sessions.order_by("starts_at").first().starts_at  # type: ignore[union-attr]
    return appointment_book(
        course=consultation,
        starts_at=start,
        language="uk",
        person=person(1, language="uk"),
        verified=True,
    )


def me(appointment: Appointment) -> str:
    return appointment.participant.get_absolute_url()


def test_the_personal_page_shows_the_appointment(client: Client, booked: Appointment) -> None:
    page = client.get(me(booked))
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert f'id="appointment-{booked.pk}"' in html
    assert uk("My appointments") in html
    assert "Українська" in html
    assert uk("Yes: an interpreter will be there") in html
    assert "ul. " in html or booked.course.centre.name in html  # where it is
    assert uk("Move to another time") in html
    assert uk("Cancel the appointment") in html
    assert uk("No enrolments yet.") not in html


def test_a_video_link_is_shown_only_on_the_persons_own_page(
    client: Client, booked: Appointment
) -> None:
    Appointment.objects.filter(pk=booked.pk).update(
        mode=AppointmentMode.VIDEO, video_link="https://meet.example.org/abc-def"
    )
    assert "https://meet.example.org/abc-def" in client.get(me(booked)).content.decode()
    public = client.get(booked.course.get_absolute_url()).content.decode()
    assert "meet.example.org" not in public
    texts = OutboundMessage.objects.filter(appointment=booked)
    assert not any("meet.example.org" in str(m.context) for m in texts)


def test_cancelling_asks_first_and_then_frees_the_slot(client: Client, booked: Appointment) -> None:
    url = f"{me(booked)}appointments/{booked.pk}/cancel/"
    asked = client.get(url)
    assert asked.status_code == 200
    assert uk("Cancel the appointment?") in asked.content.decode()
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    not_confirmed = client.post(url)  # a POST without the page's `confirm` changes nothing
    booked.refresh_from_db()
    assert not_confirmed.status_code == 302
    assert booked.status == AppointmentStatus.BOOKED

    done = client.post(url, {"confirm": "1"})

    booked.refresh_from_db()
    assert done.status_code == 302
    assert done["Location"] == f"{me(booked)}#appointment-{booked.pk}"
    assert booked.status == AppointmentStatus.CANCELLED
    reminders = OutboundMessage.objects.filter(
        appointment=booked, kind=MessageKind.APPOINTMENT_REMINDER
    )
    assert reminders.exists()
    assert set(reminders.values_list("status", flat=True)) == {MessageStatus.CANCELLED}
    assert OutboundMessage.objects.filter(
        appointment=booked, kind=MessageKind.APPOINTMENT_CANCELLED, status=MessageStatus.PENDING
    ).exists()


def test_moving_to_another_free_slot(client: Client, booked: Appointment) -> None:
    url = f"{me(booked)}appointments/{booked.pk}/move/"
    page = client.get(url)
    assert page.status_code == 200
    offered = [slot for day in page.context["days"] for slot in day.slots]
    assert booked.starts_at not in [slot.starts_at for slot in offered]
    assert all(slot.language == "uk" for slot in offered)
    target = booked.starts_at + timedelta(minutes=60)
    assert target in [slot.starts_at for slot in offered]

    done = client.post(url, {"at": target.isoformat()})

    booked.refresh_from_db()
    assert done.status_code == 302
    assert booked.starts_at == target
    assert booked.interpreter is not None
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1
    moved = OutboundMessage.objects.filter(appointment=booked, kind=MessageKind.APPOINTMENT_MOVED)
    assert moved.count() == 1
    pending = OutboundMessage.objects.filter(
        appointment=booked, kind=MessageKind.APPOINTMENT_REMINDER, status=MessageStatus.PENDING
    )
    assert {m.context["starts_at"] for m in pending} == {target.isoformat()}


def test_moving_to_a_taken_or_unreadable_time_is_refused_and_changes_nothing(
    client: Client, booked: Appointment
) -> None:
    url = f"{me(booked)}appointments/{booked.pk}/move/"
    taken = booked.starts_at + timedelta(minutes=30)
    appointment_book(
        course=booked.course, starts_at=taken, language="pl", person=person(2), verified=True
    )
    refused = client.post(url, {"at": taken.isoformat()})
    assert refused.status_code == 409
    assert uk("Someone has just booked this slot. Please choose another.") in (
        refused.content.decode()
    )  # in the person's language (Ukrainian), whatever the browser says
    unreadable = client.post(url, {"at": "tomorrow"})
    assert unreadable.status_code == 400
    assert uk("Choose one of the free times.") in unreadable.content.decode()
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    assert booked.starts_at == taken - timedelta(minutes=30)


def test_another_persons_link_gives_nothing(
    client: Client, booked: Appointment, consultation: Course
) -> None:
    other = appointment_book(
        course=consultation,
        starts_at=booked.starts_at + timedelta(minutes=90),
        language="pl",
        person=person(3),
        verified=True,
    )
    for action in ("cancel", "move"):
        url = f"{me(other)}appointments/{booked.pk}/{action}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "1"}).status_code == 404
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    assert client.get(f"/me/{'x' * 43}/appointments/{booked.pk}/cancel/").status_code == 404


def test_a_cancelled_appointment_offers_no_change(client: Client, booked: Appointment) -> None:
    Appointment.objects.filter(pk=booked.pk).update(status=AppointmentStatus.CANCELLED)
    html = client.get(me(booked)).content.decode()
    assert uk("Move to another time") not in html
    move = client.get(f"{me(booked)}appointments/{booked.pk}/move/")
    assert move.status_code == 302
