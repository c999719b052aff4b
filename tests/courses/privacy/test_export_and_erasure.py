"""A person's data: exported whole (by staff or from their own page), erased on request (seats
pass on, SMS texts go, nothing more is sent)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import time_machine
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
from notifications.models import MessageStatus, OutboundMessage
from notifications.services import dispatch as outbox
from tests.courses.privacy.people import UK_SMS, WARSAW
from tests.factories import (
    ParticipantFactory,
    PhoneOptOutFactory,
)

pytestmark = pytest.mark.django_db


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
