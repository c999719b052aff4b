"""The outbox: what is planned by which change, and what the dispatcher sends (memory backend)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from courses.models import Enrolment
from courses.services import enrolment as enrolments
from courses.services.participants import ParticipantData, participant_upsert
from notifications.backends import memory
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services import dispatch, optout, planning
from scheduling import services as sessions
from tests.factories import CourseFactory, UserFactory

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2027, 1, 1, 12, tzinfo=WARSAW)  # the course starts on Tuesday 5 January, 18:00
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_backend(settings):
    settings.SMS_BACKEND = "memory"
    settings.SMS_QUIET_HOURS = "08:00-21:00"
    memory.outbox.clear()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def course(centre):
    return CourseFactory(
        centre=centre, capacity=1, start_date=date(2027, 1, 5), title_uk="Польська A1"
    )


def enrol(course, n: int, language: str = "uk", consent: bool = True) -> Enrolment:
    """Self-enrolment with SMS consent; without consent, staff enrol the person at the desk."""
    person = participant_upsert(
        centre=course.centre,
        data=ParticipantData(
            name=f"Osoba {n}", phone=f"+4860100{n:04d}", language=language, sms_consent=consent
        ),
    )
    if consent:
        return enrolments.enrolment_create(course=course, participant=person)
    desk = UserFactory(username=f"desk{n}")
    course.centre.staff.add(desk)
    return enrolments.enrolment_create(
        course=course, participant=person, source="staff", actor=desk
    )


def kinds(enrolment: Enrolment) -> list[str]:
    return sorted(
        OutboundMessage.objects.filter(enrolment=enrolment)
        .exclude(kind=MessageKind.REMINDER)
        .values_list("kind", flat=True)
    )


def test_each_enrolment_change_plans_exactly_one_notice(course) -> None:
    first, second = enrol(course, 1), enrol(course, 2)
    assert kinds(first) == ["enrolment_confirmed"]
    assert kinds(second) == ["waitlisted"]
    assert OutboundMessage.objects.get(enrolment=second).context["position"] == 1
    enrolments.enrolment_cancel(enrolment=first)
    assert kinds(second) == ["promoted", "waitlisted"]


def test_notices_are_written_in_the_same_transaction_as_the_change(course) -> None:
    def enrol_then_fail() -> None:
        with transaction.atomic():
            enrol(course, 1)
            raise RuntimeError("the request failed after enrolling")

    with pytest.raises(RuntimeError):
        enrol_then_fail()
    assert not Enrolment.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_reminders_24h_and_2h_before_each_coming_session(course) -> None:
    made = enrol(course, 1)
    reminders = OutboundMessage.objects.filter(enrolment=made, kind=MessageKind.REMINDER).order_by(
        "due_at"
    )
    first_session = course.sessions.order_by("starts_at").first()
    assert [r.due_at for r in reminders[:2]] == [
        first_session.starts_at - timedelta(hours=24),
        first_session.starts_at - timedelta(hours=2),
    ]
    assert {r.expires_at for r in reminders if r.session == first_session} == {
        first_session.starts_at
    }
    assert planning.reminders_plan() == 0  # already planned: nothing twice


def test_quiet_hours_move_an_early_reminder_earlier_into_the_window(centre) -> None:
    early = CourseFactory(
        centre=centre,
        start_date=date(2027, 1, 5),
        start_time=datetime(2027, 1, 1, 9).time(),
        reminder_hours="2",
    )
    made = enrol(early, 1)
    reminder = (
        OutboundMessage.objects.filter(enrolment=made, kind=MessageKind.REMINDER)
        .order_by("due_at")
        .first()
    )
    assert reminder.due_at == datetime(2027, 1, 4, 20, 59, tzinfo=WARSAW)  # not 07:00


def test_no_reminders_for_drop_in_courses_or_people_without_consent(centre) -> None:
    drop_in = CourseFactory(centre=centre, booking_mode="open", start_date=date(2027, 1, 5))
    assert planning.reminders_plan() == 0
    assert not OutboundMessage.objects.filter(session__course=drop_in).exists()
    course = CourseFactory(centre=centre, start_date=date(2027, 1, 5))
    silent = enrol(course, 5, consent=False)
    assert not OutboundMessage.objects.filter(enrolment=silent).exists()


def test_moving_a_session_replans_its_reminders_and_tells_people(course) -> None:
    made = enrol(course, 1)
    session = course.sessions.order_by("starts_at").first()
    new_start = session.starts_at + timedelta(days=1)
    sessions.session_move(
        session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )
    reminders = OutboundMessage.objects.filter(
        enrolment=made, session=session, kind=MessageKind.REMINDER
    )
    assert sorted(r.due_at for r in reminders) == [
        new_start - timedelta(hours=24),
        new_start - timedelta(hours=2),
    ]
    assert kinds(made) == ["enrolment_confirmed", "session_moved"]


def test_each_moved_reminder_keeps_its_own_offset_even_when_quiet_hours_merged_them(
    centre,
) -> None:
    """12 h and 2 h before a 09:00 class both go at 20:59 the evening before: their times alone
    cannot tell them apart, so each keeps its offset from planning and follows the move."""
    early = CourseFactory(
        centre=centre,
        start_date=date(2027, 1, 5),
        start_time=datetime(2027, 1, 1, 9).time(),
        reminder_hours="12,2",
    )
    made = enrol(early, 1)
    session = early.sessions.order_by("starts_at").first()
    reminders = OutboundMessage.objects.filter(
        enrolment=made, session=session, kind=MessageKind.REMINDER
    )
    evening = datetime(2027, 1, 4, 20, 59, tzinfo=WARSAW)
    assert [r.due_at for r in reminders] == [evening, evening]

    new_start = datetime(2027, 1, 6, 18, tzinfo=WARSAW)
    sessions.session_move(
        session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )

    assert sorted(r.due_at for r in reminders.all()) == [
        datetime(2027, 1, 5, 20, 59, tzinfo=WARSAW),  # 12 h before is 06:00: moved earlier
        new_start - timedelta(hours=2),
    ]
    assert sorted(r.context["hours_before"] for r in reminders.all()) == [2, 12]


def test_reminders_planned_without_their_offset_follow_a_move_by_the_course_hours(
    course,
) -> None:
    """Reminders planned before the offset was kept in the context: told by their due time."""
    made = enrol(course, 1)
    session = course.sessions.order_by("starts_at").first()
    reminders = OutboundMessage.objects.filter(
        enrolment=made, session=session, kind=MessageKind.REMINDER
    )
    for reminder in reminders:
        del reminder.context["hours_before"]
        reminder.save(update_fields=["context"])

    new_start = session.starts_at + timedelta(days=1)
    sessions.session_move(
        session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1)
    )

    assert sorted(r.due_at for r in reminders.all()) == [
        new_start - timedelta(hours=24),
        new_start - timedelta(hours=2),
    ]


def test_cancelling_a_session_cancels_its_reminders_and_tells_people(course) -> None:
    made = enrol(course, 1)
    session = course.sessions.order_by("starts_at").first()
    sessions.session_cancel(session=session)
    statuses = set(
        OutboundMessage.objects.filter(session=session, kind=MessageKind.REMINDER).values_list(
            "status", flat=True
        )
    )
    assert statuses == {MessageStatus.CANCELLED}
    assert "session_cancelled" in kinds(made)


def test_the_dispatcher_sends_what_is_due_once_in_the_persons_language(course) -> None:
    enrol(course, 1, language="uk")
    result = dispatch.dispatch_pass()
    assert result.sent == 1
    [sms] = memory.outbox
    assert sms.to == "+48601000001"
    assert "Польська A1" in sms.body
    message = OutboundMessage.objects.get(kind=MessageKind.ENROLMENT_CONFIRMED)
    assert (message.status, message.encoding, message.segments) == (
        "sent",
        "UCS-2",
        message.segments,
    )
    assert message.segments >= 1
    assert dispatch.dispatch_pass().sent == 0
    assert len(memory.outbox) == 1


def test_only_the_latest_overdue_reminder_goes(course) -> None:
    enrol(course, 1)
    assert dispatch.dispatch_pass().sent == 1  # the confirmation notice
    first = course.sessions.order_by("starts_at").first()
    memory.outbox.clear()
    with time_machine.travel(first.starts_at - timedelta(hours=1), tick=False):
        result = dispatch.dispatch_pass()
    reminders = OutboundMessage.objects.filter(session=first, kind=MessageKind.REMINDER)
    assert sorted(reminders.values_list("status", flat=True)) == ["sent", "skipped"]
    assert reminders.get(status="skipped").error_code == "a later reminder is due"
    assert result.sent == 1
    assert len(memory.outbox) == 1


def test_nothing_goes_to_an_opted_out_phone_or_after_the_session_started(course) -> None:
    made = enrol(course, 1)
    optout.phone_opt_out(phone=made.participant.phone)
    assert dispatch.dispatch_pass().skipped == 1
    assert memory.outbox == []
    optout.phone_opt_in(phone=made.participant.phone)
    first = course.sessions.order_by("starts_at").first()
    with time_machine.travel(first.starts_at + timedelta(minutes=5), tick=False):
        dispatch.dispatch_pass()
    assert not OutboundMessage.objects.filter(session=first, status="sent").exists()


def test_messages_stuck_in_flight_are_recovered_without_blind_resends(course, settings) -> None:
    enrol(course, 1)
    message = OutboundMessage.objects.get(kind=MessageKind.ENROLMENT_CONFIRMED)
    lease = timedelta(seconds=settings.SMS_CLAIM_LEASE_SECONDS)
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="claimed", claimed_at=NOW - lease + timedelta(seconds=1)
    )
    assert dispatch.recover_stuck() == 0  # its dispatcher may still be at work
    OutboundMessage.objects.filter(pk=message.pk).update(claimed_at=NOW - lease)
    assert dispatch.recover_stuck() == 1
    message.refresh_from_db()
    assert message.status == "pending"
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", claimed_at=NOW - lease - timedelta(seconds=1), body="Tekst"
    )
    dispatch.dispatch_pass()
    message.refresh_from_db()
    assert message.status == "unknown"  # the provider is asked first, not resent at once
    assert memory.outbox == []


def test_sensitive_courses_are_never_named(centre) -> None:
    course = CourseFactory(
        centre=centre, title_pl="Dyżur psychologa", sensitive=True, start_date=date(2027, 1, 5)
    )
    enrol(course, 1, language="pl")
    dispatch.dispatch_pass()
    assert memory.outbox
    assert all("psycholog" not in sms.body.lower() for sms in memory.outbox)


def test_dispatch_command_runs_one_pass(course, capsys) -> None:
    from django.core.management import call_command

    enrol(course, 1)
    call_command("dispatch_notifications")
    assert "sent 1" in capsys.readouterr().out


def test_the_personal_page_stops_and_restarts_sms(client, course) -> None:
    made = enrol(course, 1)
    token = made.participant.token
    client.post(f"/me/{token}/sms/stop/")
    made.participant.refresh_from_db()
    assert made.participant.sms_consent is False
    assert dispatch.dispatch_pass().sent == 0
    optout.phone_opt_out(phone=made.participant.phone)  # also said STOP by SMS
    client.post(f"/me/{token}/sms/start/")
    made.participant.refresh_from_db()
    assert made.participant.sms_consent is True
    assert not optout.is_opted_out(made.participant.phone)


def test_staff_see_each_texts_encoding_and_segments(client, staff_user) -> None:
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    html = client.get("/admin/notifications/outboundmessage/texts/").content.decode()
    assert html.count('<tr class="sms-text">') == len(MessageKind) * 4
    assert "UCS-2" in html
    assert "Нагадування" in html


def test_cancelling_a_course_tells_everyone_once(staff_api, course) -> None:
    confirmed, waiting = enrol(course, 1), enrol(course, 2)
    response = staff_api.post(f"/api/v1/courses/{course.pk}/cancel/")
    assert response.status_code == 200
    assert course.sessions.filter(status="scheduled").count() == 0
    for enrolment in (confirmed, waiting):
        assert kinds(enrolment).count("course_cancelled") == 1
        assert "session_cancelled" not in kinds(enrolment)
    assert not OutboundMessage.objects.filter(kind=MessageKind.REMINDER, status="pending").exists()
    course.refresh_from_db()
    assert course.enrolment_open is False
