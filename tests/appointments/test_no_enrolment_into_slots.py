"""A slot-booked consultation is booked by appointment only: no way into it as an enrolment (a
place in the course), neither at the desk, nor with an SMS code asked for an appointment and
then sent again through the enrolments' resend, nor through the enrolment API (the same service)."""

from __future__ import annotations

from typing import Any

import pytest

from appointments.services.requests import appointment_request_start
from courses.errors import EnrolmentClosed
from courses.models import Course, Enrolment, Participant
from courses.services.enrolment_request import enrolment_request
from courses.services.verification import verification_resend
from notifications.models import OutboundMessage
from tests.appointments.helpers import local, person
from tests.factories import first_session


def test_staff_cannot_enrol_anyone_into_a_slot_booked_consultation(
    consultation: Course, staff_user: Any
) -> None:
    with pytest.raises(EnrolmentClosed):
        enrolment_request(course=consultation, person=person(1), channel="desk", actor=staff_user)
    assert not Enrolment.objects.filter(course=consultation).exists()
    assert not Participant.objects.filter(phone=person(1).phone).exists()


def test_an_appointments_code_asked_again_through_the_enrolments_resend_is_refused(
    consultation: Course,
) -> None:
    """The appointment's request is a phone verification too: sent again through the
    enrolments' resend, it would make an enrolment code for the consultation."""
    day = first_session(consultation).starts_at.astimezone(consultation.centre.tz).date()
    asked = appointment_request_start(
        course=consultation,
        starts_at=local(consultation, day, 10, 0),
        language="pl",
        person=person(2),
        channel="web",
        client="192.0.2.1",
    )
    codes = OutboundMessage.objects.count()
    with pytest.raises(EnrolmentClosed):
        verification_resend(verification=asked.public_id, client="192.0.2.1")
    assert OutboundMessage.objects.count() == codes  # no enrolment code went out
    assert not Enrolment.objects.filter(course=consultation).exists()
