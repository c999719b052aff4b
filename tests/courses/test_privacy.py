"""A person's data: exported whole (by staff or from their own page), erased on request (seats
pass on, SMS texts go, nothing more is sent), and anonymised after long inactivity."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client

from courses.models import (
    Attendance,
    AuditAction,
    AuditEntry,
    Enrolment,
    EnrolmentStatus,
    Participant,
)
from courses.services import privacy
from notifications.backends import memory
from notifications.models import MessageStatus, OutboundMessage, PhoneOptOut
from notifications.services import dispatch as outbox
from notifications.services import optout
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    PhoneOptOutFactory,
    UserFactory,
)

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2027, 1, 1, 12, tzinfo=WARSAW)  # the course starts on Tuesday 5 January, 18:00
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_backend(settings):
    settings.SMS_BACKEND = "memory"
    settings.SMS_QUIET_HOURS = ""
    memory.outbox.clear()
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def course(centre):
    return CourseFactory(
        centre=centre, capacity=1, start_date=date(2027, 1, 5), title_pl="Język polski A1"
    )


UK_SMS = {"language": "uk", "sms_consent": True}  # how everyone here wants their SMS


@pytest.fixture
def olena(centre, course) -> Participant:
    """Confirmed in the course (the only seat), with an attendance mark and a sent SMS."""
    olena = ParticipantFactory(
        centre=centre, name="Olena Kowalenko", phone="+48601000001", **UK_SMS,
        country_of_origin="UA", sex="female", birth_year=1985,
    )  # fmt: skip
    EnrolmentFactory(course=course, participant=olena)
    outbox.dispatch_pass()  # the confirmation goes out
    AttendanceFactory(session=course.sessions.first(), participant=olena, marked_at=NOW)
    return olena


@pytest.fixture
def ivan(centre, course, olena) -> Participant:
    """Next on the waitlist."""
    ivan = ParticipantFactory(centre=centre, name="Ivan Petrenko", phone="+48601000002", **UK_SMS)
    EnrolmentFactory(course=course, participant=ivan)
    return ivan


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(
        content_type__app_label="courses",
        codename__in=["view_participant", "change_participant"],
    )


# --- export ------------------------------------------------------------------------------------


def test_the_export_holds_the_persons_details_enrolments_attendance_and_sms(olena, ivan) -> None:
    data = privacy.participant_export(participant=olena)
    assert data["participant"]["name"] == "Olena Kowalenko"
    assert data["participant"]["phone"] == "+48601000001"
    assert data["participant"]["country_of_origin"] == "UA"
    [enrolment] = data["enrolments"]
    assert enrolment["course"] == "Język polski A1"
    assert enrolment["status"] == "confirmed"
    assert [e["to"] for e in enrolment["events"]] == ["confirmed"]
    [mark] = data["attendance"]
    assert mark["status"] == "present"
    assert mark["course"] == "Język polski A1"
    assert mark["walk_in"] is False
    kinds = {m["kind"]: m for m in data["sms_messages"]}
    assert kinds["enrolment_confirmed"]["status"] == "sent"
    assert "Język polski A1" in kinds["enrolment_confirmed"]["text"]
    assert kinds["enrolment_confirmed"]["sent_at"]
    assert data["sms_opt_out"] == {"opted_out": False, "reason": None, "since": None}
    json.dumps(data)  # plain JSON


def test_the_export_never_shows_another_persons_data(olena, ivan) -> None:
    data = privacy.participant_export(participant=olena)
    text = json.dumps(data, ensure_ascii=False)
    assert "Ivan" not in text
    assert "+48601000002" not in text
    assert olena.token not in json.dumps(data["participant"])  # the link is not a field


def test_the_export_shows_an_opt_out(olena) -> None:
    PhoneOptOutFactory(phone=olena.phone, reason="stop")
    data = privacy.participant_export(participant=olena)
    assert data["sms_opt_out"]["opted_out"] is True
    assert data["sms_opt_out"]["reason"] == "stop"


def test_a_person_downloads_their_data_from_their_page(client, olena) -> None:
    page = client.get(f"/me/{olena.token}/").content.decode()
    assert f"/me/{olena.token}/export/" in page
    assert f"/me/{olena.token}/erase/" in page
    response = client.get(f"/me/{olena.token}/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["participant"]["name"] == "Olena Kowalenko"
    assert "sms_messages" in data
    assert not AuditEntry.objects.exists()  # only staff actions are audited
    assert client.get("/me/no-such-token/export/").status_code == 404


def test_staff_export_one_person_from_the_admin_and_it_is_audited(staff_client, olena) -> None:
    response = staff_client.post(
        "/admin/courses/participant/",
        {"action": "export_data", "_selected_action": [olena.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="participant-{olena.pk}.json"'
    assert json.loads(response.content)["participant"]["phone"] == "+48601000001"
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.PARTICIPANT_EXPORTED
    assert entry.actor_name == "staff-poznan"
    assert entry.participant == olena
    assert "Olena" not in json.dumps(entry.detail)


def test_staff_cannot_export_another_centres_participant(staff_client) -> None:
    stranger = ParticipantFactory(name="Obca Osoba", phone="+48601000009", **UK_SMS)
    response = staff_client.post(
        "/admin/courses/participant/",
        {"action": "export_data", "_selected_action": [stranger.pk]},
    )
    assert "Obca Osoba" not in response.content.decode()
    assert not AuditEntry.objects.exists()


# --- erasure -----------------------------------------------------------------------------------


def test_erasure_removes_the_personal_data_and_kills_the_link(client, olena) -> None:
    old_token = olena.token
    privacy.participant_erase(participant=olena)
    olena.refresh_from_db()
    assert (olena.name, olena.phone, olena.email) == ("", "", "")
    assert olena.sms_consent is False
    assert olena.erased_at is not None
    assert olena.token != old_token
    # anonymous statistics stay
    assert (olena.country_of_origin, olena.sex, olena.birth_year) == ("UA", "female", 1985)
    assert Attendance.objects.filter(participant=olena).count() == 1
    assert client.get(f"/me/{old_token}/").status_code == 404
    assert client.get(f"/me/{old_token}/export/").status_code == 404


def test_erasure_frees_the_seat_for_the_first_person_on_the_waitlist(olena, ivan) -> None:
    privacy.participant_erase(participant=olena)
    assert Enrolment.objects.get(participant=olena).status == EnrolmentStatus.CANCELLED
    assert Enrolment.objects.get(participant=ivan).status == EnrolmentStatus.CONFIRMED


def test_erasure_redacts_the_sms_and_nothing_more_is_sent(olena, ivan, course) -> None:
    sent = OutboundMessage.objects.get(participant=olena, status=MessageStatus.SENT)
    assert sent.body
    pending = OutboundMessage.objects.filter(participant=olena, status=MessageStatus.PENDING)
    assert pending.exists()  # reminders before the first session
    memory.outbox.clear()

    privacy.participant_erase(participant=olena)

    for message in OutboundMessage.objects.filter(participant=olena):
        assert (message.body, message.context, message.phone) == ("", {}, "")
        assert message.status != MessageStatus.PENDING
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT  # cost reports keep what was sent
    assert sent.segments > 0
    with time_machine.travel(datetime(2027, 1, 5, 17, tzinfo=WARSAW), tick=False):
        outbox.dispatch_pass()
    assert memory.outbox  # Ivan hears about his place and his reminders ...
    assert all(m.to == "+48601000002" for m in memory.outbox)  # ... Olena nothing


def test_a_message_the_dispatcher_took_just_before_the_erasure_is_not_sent(
    olena, monkeypatch
) -> None:
    """The dispatcher claimed Olena's reminder and is rendering it when she is erased."""
    memory.outbox.clear()
    render = outbox.texts.render

    def erased_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        privacy.participant_erase(participant=Participant.objects.get(pk=olena.pk))
        return render(*args, **kwargs)

    monkeypatch.setattr(outbox.texts, "render", erased_meanwhile)
    with time_machine.travel(datetime(2027, 1, 5, 17, tzinfo=WARSAW), tick=False):
        result = outbox.dispatch_pass()
    assert result.sent == 0
    assert memory.outbox == []
    for message in OutboundMessage.objects.filter(participant=olena):
        assert (message.body, message.phone) == ("", "")  # not written back with its text
        assert message.status in {
            MessageStatus.CANCELLED,
            MessageStatus.SKIPPED,
            MessageStatus.SENT,
        }


def test_staff_erase_after_a_confirmation_page_and_the_audit_holds_no_personal_data(
    staff_client, olena, ivan
) -> None:
    url = "/admin/courses/participant/"
    page = staff_client.post(url, {"action": "erase_participants", "_selected_action": [olena.pk]})
    assert page.status_code == 200
    assert "Olena Kowalenko" in page.content.decode()
    olena.refresh_from_db()
    assert olena.erased_at is None  # not before it is confirmed

    response = staff_client.post(
        url, {"action": "erase_participants", "_selected_action": [olena.pk], "post": "yes"}
    )
    assert response.status_code == 302
    olena.refresh_from_db()
    assert olena.erased_at is not None
    entry = AuditEntry.objects.get(action=AuditAction.PARTICIPANT_ERASED)
    assert entry.actor_name == "staff-poznan"
    assert entry.participant == olena
    recorded = json.dumps(entry.detail) + str(entry)
    assert "Olena" not in recorded
    assert "601000001" not in recorded
    listing = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Erased participant" in listing
    # the enrolment change was the staff's doing
    event = Enrolment.objects.get(participant=olena).events.last()
    assert event.actor_kind == "staff"


def test_erasing_twice_is_harmless(olena, ivan) -> None:
    first = privacy.participant_erase(participant=olena)
    token, erased_at = first.token, first.erased_at
    again = privacy.participant_erase(participant=olena)
    assert (again.token, again.erased_at) == (token, erased_at)
    assert Enrolment.objects.get(participant=ivan).status == EnrolmentStatus.CONFIRMED


def test_a_person_erases_themselves_after_a_confirmation_page(olena) -> None:
    client = Client(enforce_csrf_checks=True)
    url = f"/me/{olena.token}/erase/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<form" in html

    # Authorized by the token in the address, not by a cookie (the page is no-referrer, so
    # browsers send "Origin: null" and a CSRF check would refuse the page's own form): without
    # the person's token nothing happens.
    assert client.post("/me/not-the-token/erase/").status_code == 404
    olena.refresh_from_db()
    assert olena.erased_at is None

    done = client.post(url)
    assert done.status_code == 200
    assert 'role="status"' in done.content.decode()
    olena.refresh_from_db()
    assert olena.erased_at is not None
    assert client.get(url).status_code == 404
    assert not AuditEntry.objects.exists()  # the person's own act, not a staff action


# --- retention ---------------------------------------------------------------------------------


def _age(participant: Participant, days: int) -> None:
    """Everything about the person happened `days` ago."""
    then = NOW - timedelta(days=days)
    Participant.objects.filter(pk=participant.pk).update(created_at=then)
    Enrolment.objects.filter(participant=participant).update(updated_at=then)
    Attendance.objects.filter(participant=participant).update(marked_at=then)


def test_retention_erases_people_inactive_for_longer_than_the_period(
    settings, centre, olena, django_assert_num_queries
) -> None:
    settings.PRIVACY_RETENTION_MONTHS = 24
    idle = ParticipantFactory(centre=centre, name="Dawno Temu", phone="+48601000003", **UK_SMS)
    _age(idle, 800)
    _age(olena, 800)
    Attendance.objects.filter(participant=olena).update(marked_at=NOW - timedelta(days=30))
    with django_assert_num_queries(1):
        found = list(privacy.participants_inactive(before=NOW - timedelta(days=730)))
    assert found == [idle]

    assert privacy.participants_retention() == 1
    idle.refresh_from_db()
    olena.refresh_from_db()
    assert idle.erased_at is not None
    assert idle.name == ""
    assert olena.erased_at is None
    assert privacy.participants_retention() == 0  # the erased are not erased again
    entry = AuditEntry.objects.get(action=AuditAction.PARTICIPANT_ERASED, participant=idle)
    assert (entry.actor, entry.actor_name, entry.detail["reason"]) == (None, "system", "retention")


def test_a_recent_enrolment_change_keeps_a_person(settings, olena) -> None:
    settings.PRIVACY_RETENTION_MONTHS = 24
    _age(olena, 800)
    Enrolment.objects.filter(participant=olena).update(updated_at=NOW - timedelta(days=10))
    assert privacy.participants_retention() == 0


def test_retention_zero_erases_nobody(settings, olena) -> None:
    settings.PRIVACY_RETENTION_MONTHS = 0
    _age(olena, 5000)
    assert privacy.participants_retention() == 0
    olena.refresh_from_db()
    assert olena.erased_at is None


def test_the_retention_task_returns_the_count(settings, centre) -> None:
    from courses.tasks import participants_retention

    settings.PRIVACY_RETENTION_MONTHS = 1
    _age(ParticipantFactory(centre=centre, name="Dawno Temu", phone="+48601000003", **UK_SMS), 60)
    assert participants_retention() == 1


def test_retention_keeps_someone_who_still_holds_a_place(settings, centre) -> None:
    """Enrolled long ago in a course that has not started yet: the place is still to be used."""
    settings.PRIVACY_RETENTION_MONTHS = 1
    later = CourseFactory(centre=centre, capacity=5, start_date=date(2027, 3, 2))
    waiting = ParticipantFactory(centre=centre, name="Czeka Długo", phone="+48601000009", **UK_SMS)
    EnrolmentFactory(course=later, participant=waiting, source="staff")
    _age(waiting, 400)
    assert privacy.participants_retention() == 0
    waiting.refresh_from_db()
    assert waiting.erased_at is None


def test_erasure_removes_the_name_from_the_admins_history(staff_client, olena) -> None:
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    enrolment = Enrolment.objects.get(participant=olena)
    clerk = UserFactory(username="clerk")
    for obj in (olena, enrolment):
        LogEntry.objects.create(
            user=clerk,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
            change_message="",
        )
    assert LogEntry.objects.filter(object_repr__contains="Kowalenko").count() == 2
    privacy.participant_erase(participant=olena)
    assert not LogEntry.objects.filter(object_repr__contains="Kowalenko").exists()
    assert not LogEntry.objects.filter(object_repr__contains="+48601000001").exists()
    assert "Kowalenko" not in staff_client.get("/admin/").content.decode()


def test_superusers_add_an_enrolment_at_the_desk(client, centre, superuser) -> None:
    client.force_login(superuser)
    course = CourseFactory(centre=centre, capacity=5, start_date=date(2027, 1, 5))
    response = client.post(
        "/admin/courses/enrolment/add/",
        {
            "course": course.pk,
            "name": "Ivan Petrenko",
            "country": "PL",
            "phone": "601 000 002",
            "language": "uk",
            "priority": "0",
        },
    )
    assert response.status_code == 302
    assert Enrolment.objects.get().participant.name == "Ivan Petrenko"


def test_a_late_failure_report_about_an_erased_persons_sms_lists_no_empty_number(olena) -> None:
    message = OutboundMessage.objects.filter(participant=olena, status=MessageStatus.SENT).first()
    assert message is not None
    privacy.participant_erase(participant=olena)
    message.refresh_from_db()
    optout.phone_opt_out(phone=message.phone, reason="invalid", detail="provider error 30006")
    assert not PhoneOptOut.objects.filter(phone="").exists()
