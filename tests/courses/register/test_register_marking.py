"""The trainers' register: who sees which register, marking (plain forms and the page's
script), walk-ins, the note, and refusals that change nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from courses.models import (
    Attendance,
    AuditAction,
    AuditEntry,
    Participant,
)
from scheduling.services import session_cancel
from tests.courses.register_clients import DURING, api_as, client_as, tap
from tests.factories import (
    ParticipantFactory,
    SessionFactory,
    UserFactory,
)

# --- who sees what -------------------------------------------------------------------------

ALLOWED = {"trainer": True, "staff": True, "superuser": True}
ROLES = ["trainer", "other_trainer", "staff", "other_staff", "superuser", "anonymous"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/register/{id}/", "/register/{id}/sheet/"])
def test_register_pages_only_for_the_trainer_and_the_centre_staff(
    world: dict[str, Any], during: None, role: str, path: str
) -> None:
    client = client_as(world.get(role))
    response = client.get(path.format(id=world["session"].pk))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/register/")
    elif ALLOWED.get(role):
        assert response.status_code == 200
        assert "Olena" in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_marking_only_for_the_trainer_and_the_centre_staff(
    world: dict[str, Any], during: None, role: str
) -> None:
    olena = world["people"][0]
    response = tap(
        client_as(world.get(role)), world["session"], participant=olena.pk, status="present"
    )
    marked = Attendance.objects.filter(participant=olena).exists()
    if role == "anonymous":
        assert response.status_code == 302
    elif ALLOWED.get(role):
        assert response.status_code == 200
        assert marked
        return
    else:
        assert response.status_code == 404
    assert not marked


@pytest.mark.parametrize("role", ROLES)
def test_attendance_api_only_for_the_trainer_and_the_centre_staff(
    world: dict[str, Any], during: None, role: str
) -> None:
    api = api_as(world.get(role))
    url = f"/api/v1/sessions/{world['session'].pk}/attendance/"
    olena = world["people"][0]
    got = api.get(url)
    put = api.put(url, [{"participant": olena.pk, "status": "absent"}], format="json")
    if ALLOWED.get(role):
        assert got.status_code == 200
        assert put.status_code == 200
        assert Attendance.objects.get(participant=olena).status == "absent"
    else:
        assert got.status_code == 404
        assert put.status_code == 404
        assert not Attendance.objects.exists()


def test_my_sessions_lists_only_the_trainers_own(world: dict[str, Any], during: None) -> None:
    page = client_as(world["trainer"]).get("/register/").content.decode()
    assert world["course"].title in page
    assert f"/register/{world['session'].pk}/" in page
    other = client_as(world["other_trainer"]).get("/register/").content.decode()
    assert world["course"].title not in other
    assert f"/register/{world['session'].pk}/" not in other
    # Someone who neither teaches nor runs a centre has no register at all.
    assert client_as(UserFactory(username="nobody")).get("/register/").status_code == 404


def test_my_sessions_splits_today_from_the_rest_of_the_week(
    world: dict[str, Any], during: None
) -> None:
    thursday = SessionFactory(
        course=world["course"],
        starts_at=DURING.replace(day=7, hour=10, minute=0),
        ends_at=DURING.replace(day=7, hour=11, minute=30),
    )
    page = client_as(world["trainer"]).get("/register/").content.decode()
    today, week = page.split('id="week-title"')
    assert 'datetime="2027-01-05T18:00:00+01:00"' in today
    assert f"/register/{thursday.pk}/" not in today
    assert 'datetime="2027-01-07T10:00:00+01:00"' in week
    assert f"/register/{world['session'].pk}/" not in week
    assert "2027-01-12" not in page  # next Tuesday is beyond the week


# --- marking --------------------------------------------------------------------------------


def test_a_tap_without_script_saves_and_comes_back_to_the_person(
    world: dict[str, Any], during: None
) -> None:
    olena = world["people"][0]
    session = world["session"]
    response = client_as(world["trainer"]).post(
        f"/register/{session.pk}/marks/",
        {"type": "mark", "participant": olena.pk, "status": "present"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/register/{session.pk}/#p-{olena.pk}"
    assert Attendance.objects.get(session=session, participant=olena).status == "present"
    page = client_as(world["trainer"]).get(f"/register/{session.pk}/").content.decode()
    assert 'data-total="present">1<' in page
    assert 'data-total="unmarked">2<' in page


def test_a_tap_from_the_script_answers_with_the_totals_and_rows(
    world: dict[str, Any], during: None
) -> None:
    olena, taras, _iryna = world["people"]
    client = client_as(world["trainer"])
    tap(client, world["session"], participant=olena.pk, status="present")
    body = tap(client, world["session"], participant=taras.pk, status="excused").json()
    assert body["totals"] == {
        "present": 1, "absent": 0, "excused": 1, "unmarked": 1, "total": 3
    }  # fmt: skip
    assert f'id="p-{taras.pk}"' in body["rows"]
    entry = AuditEntry.objects.get(action=AuditAction.ATTENDANCE_MARKED, participant=taras)
    assert entry.actor == world["trainer"]
    assert entry.detail == {"session": world["session"].pk, "from": "", "to": "excused"}
    assert "Taras" not in json.dumps(entry.detail)


def test_the_same_tap_sent_twice_changes_nothing(world: dict[str, Any], during: None) -> None:
    olena = world["people"][0]
    client = client_as(world["trainer"])
    for _ in range(2):
        assert (
            tap(client, world["session"], participant=olena.pk, status="absent").status_code == 200
        )
    assert Attendance.objects.filter(participant=olena).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.ATTENDANCE_MARKED).count() == 1


def test_a_late_arriving_older_tap_does_not_overwrite_a_newer_one(
    world: dict[str, Any], during: None
) -> None:
    olena = world["people"][0]
    client = client_as(world["staff"])
    newer = (DURING - timedelta(minutes=1)).isoformat()
    older = (DURING - timedelta(minutes=5)).isoformat()
    tap(client, world["session"], participant=olena.pk, status="present", at=newer)
    tap(client, world["session"], participant=olena.pk, status="absent", at=older)
    assert Attendance.objects.get(participant=olena).status == "present"


def test_a_walk_in_is_added_once_however_often_it_is_sent(
    world: dict[str, Any], during: None
) -> None:
    client = client_as(world["trainer"])
    for _ in range(3):
        response = tap(
            client, world["session"], type="walk_in", name="Nino", phone="+995 555 12 34 56",
            country="GE",
        )  # fmt: skip
        assert response.status_code == 200
    nino = Participant.objects.get(phone="+995555123456")
    mark = Attendance.objects.get(participant=nino)
    assert (mark.status, mark.walk_in) == ("present", True)
    assert response.json()["totals"]["total"] == 4
    rows = response.json()["rows"]
    assert '<span class="badge">' in rows[rows.index("Nino") :].split("</li>")[0]
    actions = set(AuditEntry.objects.filter(participant=nino).values_list("action", flat=True))
    assert actions == {AuditAction.PARTICIPANT_CREATED, AuditAction.ATTENDANCE_WALK_IN}


def test_a_walk_in_already_known_at_the_centre_is_found_not_added(
    world: dict[str, Any], during: None
) -> None:
    olena = world["people"][0]
    tap(
        client_as(world["trainer"]), world["session"], type="walk_in", name="Olena K.",
        phone="601 000 001",
    )  # fmt: skip
    assert Participant.objects.filter(centre=world["centre"]).count() == 3
    mark = Attendance.objects.get(participant=olena)
    assert mark.walk_in is False  # she holds a place: present, not a walk-in


def test_the_note_is_saved_and_shown(world: dict[str, Any], during: None) -> None:
    client = client_as(world["trainer"])
    tap(client, world["session"], type="note", note="Sala 2 zamiast 1.")
    page = client.get(f"/register/{world['session'].pk}/").content.decode()
    assert "Sala 2 zamiast 1." in page


# --- refusals: clear, translated, nothing changed ----------------------------------------------


def test_someone_not_on_the_register_is_refused(world: dict[str, Any], during: None) -> None:
    stranger = ParticipantFactory(centre=world["centre"], name="Obcy", phone="+48601999999")
    response = client_as(world["trainer"]).post(
        f"/register/{world['session'].pk}/marks/",
        json.dumps({"participant": stranger.pk, "status": "present"}),
        content_type="application/json",
        headers={"accept-language": "uk"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_on_register"
    assert "не" in response.json()["detail"]  # in Ukrainian
    assert not Attendance.objects.exists()


def test_an_invalid_walk_in_phone_is_refused_and_nothing_is_added(
    world: dict[str, Any], during: None
) -> None:
    client = client_as(world["trainer"])
    response = tap(client, world["session"], type="walk_in", name="Ktoś", phone="123")
    assert response.status_code == 400
    assert response.json()["field"] == "phone"
    page = client.post(
        f"/register/{world['session'].pk}/marks/",
        {"type": "walk_in", "name": "Ktoś", "phone": "123", "country": "PL"},
    )
    assert page.status_code == 400
    assert "mobile" in page.content.decode() or "komórk" in page.content.decode()
    assert Participant.objects.count() == 3
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "body", ["not json", "[1, 2]", '{"participant": "x", "status": "present"}', '{"type": "x"}']
)
def test_garbage_gets_a_400_not_a_500(world: dict[str, Any], during: None, body: str) -> None:
    response = client_as(world["trainer"]).post(
        f"/register/{world['session'].pk}/marks/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Attendance.objects.exists()


def test_a_bad_status_is_refused(world: dict[str, Any], during: None) -> None:
    olena = world["people"][0]
    response = tap(client_as(world["trainer"]), world["session"], participant=olena.pk, status="x")
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_no_register_for_a_cancelled_session(world: dict[str, Any], during: None) -> None:
    session = session_cancel(session=world["session"], actor=world["staff"])
    olena = world["people"][0]
    response = tap(client_as(world["trainer"]), session, participant=olena.pk, status="present")
    assert response.status_code == 409
    assert response.json()["code"] == "register_closed"
    assert not Attendance.objects.exists()


def test_the_register_opens_on_the_day_of_the_session(world: dict[str, Any]) -> None:
    olena = world["people"][0]
    with time_machine.travel(DURING - timedelta(days=1), tick=False):
        response = tap(
            client_as(world["trainer"]), world["session"], participant=olena.pk, status="present"
        )
    assert response.status_code == 409
    with time_machine.travel(DURING.replace(hour=8), tick=False):
        response = tap(
            client_as(world["trainer"]), world["session"], participant=olena.pk, status="present"
        )
    assert response.status_code == 200
