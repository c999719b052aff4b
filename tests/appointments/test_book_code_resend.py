"""The booking's code page: "Send a new code" sends another code for the same request (the old
one stops working), within the limits per number, with the same neutral answers as the
enrolment's: an unknown or expired request says only "ask for a new code", and nothing is
booked until a code comes back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from appointments.models import Appointment, AppointmentRequest, DayWaitlistEntry
from appointments.services.booking import appointment_book
from courses.models import Course, PhoneVerification
from notifications.models import MessageKind, OutboundMessage
from tests.appointments.helpers import person, slot_course
from tests.appointments.test_public_booking import FORM, ask, book_url, first_start, uk
from tests.verification import sms_code

pytestmark = pytest.mark.django_db


def resend(client: Client, course: Course, verification: str, **extra: str) -> Any:
    return client.post(
        book_url(course),
        {"verification": verification, "resend": "1", "consultation": "uk", **extra},
        HTTP_ACCEPT_LANGUAGE="uk",
    )


def codes_sent() -> int:
    return OutboundMessage.objects.filter(kind=MessageKind.VERIFICATION_CODE).count()


def test_the_code_page_offers_a_new_code(client: Client, consultation: Course) -> None:
    asked = ask(client, consultation, first_start(consultation), consultation="pl")

    html = asked.content.decode()
    assert 'name="resend"' in html
    assert uk("Send a new code") in html


def test_a_new_code_books_the_same_slot_and_the_old_one_stops(
    client: Client, consultation: Course
) -> None:
    start = first_start(consultation)
    asked = ask(client, consultation, start, consultation="pl")
    old = asked.context["form"].initial["verification"]

    again = resend(client, consultation, old, consultation="pl")

    assert again.status_code == 200
    assert again.templates[0].name == "appointments/book_code.html"
    assert uk("A new code is on its way.") in again.content.decode()
    new = again.context["form"].initial["verification"]
    assert new != old
    assert codes_sent() == 2
    assert not Appointment.objects.exists()
    stale = client.post(
        book_url(consultation),
        {"verification": old, "code": sms_code(old), "consultation": "pl"},
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert stale.status_code == 400
    assert not Appointment.objects.exists()
    done = client.post(
        book_url(consultation),
        {"verification": new, "code": sms_code(new), "consultation": "pl"},
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert done.status_code == 302
    booked = Appointment.objects.get()
    assert (booked.starts_at, booked.language) == (start, "pl")


def test_new_codes_keep_to_the_limit_per_number(
    client: Client, consultation: Course, settings: Any
) -> None:
    settings.VERIFICATION_CODES_PER_NUMBER = "2/hour"
    asked = ask(client, consultation, first_start(consultation), consultation="pl")
    verification = asked.context["form"].initial["verification"]
    again = resend(client, consultation, verification)
    assert again.status_code == 200

    refused = resend(client, consultation, again.context["form"].initial["verification"])

    assert refused.status_code == 429
    assert uk("Too many codes were sent to this number. Please try again in an hour.") in (
        refused.content.decode()
    )
    assert codes_sent() == 2
    # The code sent last still works: a refused new code changes nothing.
    last = again.context["form"].initial["verification"]
    assert PhoneVerification.objects.filter(public_id=last, used_at__isnull=True).exists()


@pytest.mark.parametrize("verification", ["", "no-such-request", "x" * 200])
def test_an_unknown_request_learns_nothing(
    client: Client, consultation: Course, verification: str
) -> None:
    answer = resend(client, consultation, verification)

    assert answer.status_code == 400
    assert answer.templates[0].name == "appointments/book_code.html"
    if verification == "no-such-request":
        assert uk("This code has expired or was tried too often. Ask for a new code.") in (
            answer.content.decode()
        )
    assert codes_sent() == 0
    assert not AppointmentRequest.objects.exists()


def test_an_expired_request_gets_no_new_code(client: Client, consultation: Course) -> None:
    asked = ask(client, consultation, first_start(consultation), consultation="pl")
    verification = asked.context["form"].initial["verification"]
    PhoneVerification.objects.update(expires_at=first_start(consultation) - timedelta(days=30))

    answer = resend(client, consultation, verification)

    assert answer.status_code == 400
    assert codes_sent() == 1


def test_the_answer_is_the_same_for_a_known_number(client: Client, consultation: Course) -> None:
    """A number that already has an appointment gets the same new-code page as any other."""
    start = first_start(consultation)
    appointment_book(
        course=consultation,
        starts_at=start + timedelta(hours=2),
        language="pl",
        person=person(1),
        verified=True,
    )
    known = ask(client, consultation, start, consultation="pl", phone=person(1).phone, country="PL")
    fresh = ask(client, consultation, start + timedelta(minutes=30), consultation="pl")

    answers = [
        resend(client, consultation, asked.context["form"].initial["verification"])
        for asked in (known, fresh)
    ]

    assert [a.status_code for a in answers] == [200, 200]
    assert [a.templates[0].name for a in answers] == ["appointments/book_code.html"] * 2
    assert person(1).name not in answers[0].content.decode()


def test_a_day_waitlist_request_gets_a_new_code_of_its_own(
    client: Client, centre: Any, lawyer: Any
) -> None:
    course = slot_course(centre, trainers=[lawyer], weeks=1, duration_minutes=30)  # one slot
    appointment_book(
        course=course, starts_at=first_start(course), language="pl", person=person(0), verified=True
    )
    session = course.sessions.get()
    asked = client.post(
        book_url(course),
        {**FORM, "consultation": "pl", "day": session.pk},
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    old = asked.context["form"].initial["verification"]

    again = resend(client, course, old, for_day="True", consultation="pl")

    assert again.status_code == 200
    new = again.context["form"].initial["verification"]
    assert again.context["form"].initial["for_day"] is True
    done = client.post(
        book_url(course),
        {"verification": new, "code": sms_code(new), "for_day": "True"},
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert done.status_code == 302
    assert DayWaitlistEntry.objects.get().session == session
