"""The SMS about appointments: planned with the change, sent once, in the person's language,
neutral for a sensitive consultation, reminders that follow a move and stop with a cancel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import translation

from appointments.models import Appointment
from appointments.services.booking import appointment_book, appointment_cancel, appointment_move
from courses.models import Course
from courses.services.catalogue import course_update
from notifications import receivers, texts
from notifications.backends import memory
from notifications.models import APPOINTMENT_KINDS, MessageKind, MessageStatus, OutboundMessage
from notifications.segments import sms_size
from notifications.services import dispatch
from notifications.texts_appointments import MAX_APPOINTMENT_SEGMENTS
from notifications.texts_sample import SAMPLE_CONTEXT
from tests.appointments.helpers import interpreter, person, slot_course

pytestmark = pytest.mark.django_db


def uk(text: str) -> str:
    with translation.override("uk"):
        return translation.gettext(text)


@pytest.fixture(autouse=True)
def _memory_backend(settings: Any) -> None:
    settings.SMS_BACKEND = "memory"
    settings.SMS_QUIET_HOURS = ""  # whenever the tests run
    memory.outbox.clear()


def book(course: Course, minutes: int = 0, language: str = "uk") -> Appointment:
    start = course.sessions.order_by("starts_at").first().starts_at  # type: ignore[union-attr]
    return appointment_book(
        course=course,
        starts_at=start + timedelta(minutes=minutes),
        language=language,
        person=person(1, language="uk"),
        verified=True,
    )


def sent(appointment: Appointment) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(appointment=appointment, status=MessageStatus.SENT))


def test_the_confirmation_goes_once_in_the_persons_language(consultation: Course) -> None:
    interpreter(consultation.centre, "uk")
    appointment = book(consultation)
    receivers.on_appointment_booked(sender=Appointment, appointment=appointment)  # planned twice

    assert dispatch.dispatch_pass().sent == 1
    assert dispatch.dispatch_pass().sent == 0
    [sms] = memory.outbox
    assert sms.to == appointment.participant.phone
    assert uk("an interpreter will be there") in sms.body
    assert "Porady prawne" in sms.body
    assert f"{appointment.participant.get_absolute_url()}?lang=uk" in sms.body
    reminders = OutboundMessage.objects.filter(
        appointment=appointment, kind=MessageKind.APPOINTMENT_REMINDER
    )
    assert sorted(m.context["hours_before"] for m in reminders) == [2, 24]


def test_a_sensitive_consultation_never_names_its_topic_nor_its_place(
    centre: Any, lawyer: Any
) -> None:
    psychologist = slot_course(centre, trainers=[lawyer], title_pl="Dyżur psychologa")
    psychologist.sensitive = True
    psychologist.save()
    appointment = book(psychologist, language="pl")
    dispatch.dispatch_pass()
    [sms] = memory.outbox
    assert (uk("your appointment at %(centre)s") % {"centre": centre.name}) in sms.body
    assert "psycholog" not in sms.body.lower()
    assert "Nowowiejskiego" not in sms.body
    assert appointment.pk


def test_a_psychological_consultation_is_neutral_by_default(centre: Any, lawyer: Any) -> None:
    """Nobody ticked `sensitive`: choosing the psychological kind is enough."""
    course = slot_course(centre, trainers=[lawyer], title_pl="Wsparcie psychologiczne")
    course_update(course=course, specialty="psychological")
    book(course, language="pl")
    dispatch.dispatch_pass()
    [sms] = memory.outbox
    assert (uk("your appointment at %(centre)s") % {"centre": centre.name}) in sms.body
    assert "psycholog" not in sms.body.lower()


def test_a_reminder_follows_a_move_and_goes_once(consultation: Course) -> None:
    appointment = book(consultation, language="pl")
    dispatch.dispatch_pass()
    later = appointment.starts_at + timedelta(minutes=60)
    appointment_move(appointment=appointment, starts_at=later, by_person=True)
    old = OutboundMessage.objects.filter(
        appointment=appointment,
        kind=MessageKind.APPOINTMENT_REMINDER,
        context__starts_at=(later - timedelta(minutes=60)).isoformat(),
    )
    assert set(old.values_list("status", flat=True)) == {MessageStatus.CANCELLED}
    dispatch.dispatch_pass()  # the notice of the new time
    moved = [m for m in sent(appointment) if m.kind == MessageKind.APPOINTMENT_MOVED]
    assert len(moved) == 1
    assert later.astimezone(consultation.centre.tz).strftime("%H:%M") in moved[0].body
    memory.outbox.clear()

    with time_machine.travel(later - timedelta(hours=2), tick=False):
        assert dispatch.dispatch_pass().sent == 1  # the 24-hour one is late: only the latest
        assert dispatch.dispatch_pass().sent == 0
    [sms] = memory.outbox
    assert sms.body.startswith(uk("Reminder: %(what)s. %(link)s").split("%")[0])


def test_no_reminder_after_a_cancel_and_the_cancel_is_told(consultation: Course) -> None:
    appointment = book(consultation, language="pl")
    dispatch.dispatch_pass()
    appointment_cancel(appointment=appointment, by_person=True)
    dispatch.dispatch_pass()
    with time_machine.travel(appointment.starts_at - timedelta(hours=2), tick=False):
        dispatch.dispatch_pass()
    kinds = [m.kind for m in sent(appointment)]
    assert kinds.count(MessageKind.APPOINTMENT_CANCELLED) == 1
    assert MessageKind.APPOINTMENT_REMINDER not in kinds


def test_a_reminder_planned_before_a_cancel_is_skipped_when_due(consultation: Course) -> None:
    """Even one the cancel missed (planned meanwhile) is not sent: the dispatcher checks."""
    appointment = book(consultation, language="pl")
    Appointment.objects.filter(pk=appointment.pk).update(status="cancelled")
    with time_machine.travel(appointment.starts_at - timedelta(hours=2), tick=False):
        dispatch.dispatch_pass()
    reminder = OutboundMessage.objects.filter(
        appointment=appointment, kind=MessageKind.APPOINTMENT_REMINDER
    ).latest("due_at")
    assert reminder.status == MessageStatus.SKIPPED
    assert reminder.error_code == "appointment not on"


@pytest.mark.parametrize("language", ["pl", "uk", "en", "ru"])
@pytest.mark.parametrize("kind", sorted(APPOINTMENT_KINDS))
@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"mode": "video", "interpreter": True},
        {"mode": "phone", "sensitive": True, "interpreter": True},
    ],
)
def test_every_appointment_text_fits_and_links_in_the_persons_language(
    kind: str, language: str, variant: dict[str, Any]
) -> None:
    text = texts.render(kind, {**SAMPLE_CONTEXT, **variant}, language)
    assert sms_size(text).segments <= MAX_APPOINTMENT_SEGMENTS
    assert text.endswith(f"/?lang={language}")
    if variant.get("sensitive"):
        assert SAMPLE_CONTEXT["title"][language] not in text  # type: ignore[index]
        assert "Nowowiejskiego" not in text
    if language == "uk":
        with translation.override("uk"):
            head = {
                MessageKind.APPOINTMENT_BOOKED: "Booked: %(what)s. To change or cancel: %(link)s",
                MessageKind.APPOINTMENT_CANCELLED: "Cancelled: %(what)s. %(link)s",
            }.get(kind)
            if head:
                assert text.startswith(translation.gettext(head).split("%")[0])
