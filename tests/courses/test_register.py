"""The trainers' register: who sees which register, marking (plain forms and the page's
script), walk-ins, the note, the sheet, the attendance API, and refusals that change nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from courses.models import (
    Attendance,
    AuditAction,
    AuditEntry,
    BookingMode,
    EnrolmentSource,
    Participant,
)
from scheduling.models import Session
from scheduling.services import session_cancel
from tests.factories import (
    CentreFactory,
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    UserFactory,
    first_session,
)

WARSAW = ZoneInfo("Europe/Warsaw")
DURING = datetime(2027, 1, 5, 18, 30, tzinfo=WARSAW)  # the first session, Tuesday 18:00–19:30


@pytest.fixture
def world(centre, staff_user, trainer, superuser) -> dict[str, Any]:
    """A centre with a course taught by `trainer`, three people enrolled; another centre with
    its own staff and trainer."""
    other_trainer = UserFactory(username="inny-trener")
    other_staff = UserFactory(username="obcy-staff", is_staff=True)
    other = CentreFactory(slug="cic-lodz", name="CIC Łódź", staff=[other_staff])
    course = CourseFactory(centre=centre, slug="a1", trainers=[trainer], capacity=10)
    CourseFactory(centre=other, slug="a2", trainers=[other_trainer])
    people = [
        ParticipantFactory(centre=centre, name=name, phone=f"+48601000{n:03d}")
        for n, name in enumerate(["Olena", "Taras", "Iryna"], start=1)
    ]
    for person in people:
        EnrolmentFactory(course=course, participant=person, source=EnrolmentSource.STAFF)
    return {
        "trainer": trainer,
        "other_trainer": other_trainer,
        "staff": staff_user,
        "other_staff": other_staff,
        "superuser": superuser,
        "centre": centre,
        "course": course,
        "session": first_session(course),
        "people": people,
    }


@pytest.fixture
def during() -> Any:
    with time_machine.travel(DURING, tick=False):
        yield


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api(user: Any = None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _mark(client: Client, session: Session, **op: Any) -> Any:
    return client.post(
        f"/register/{session.pk}/marks/", json.dumps(op), content_type="application/json"
    )


# --- who sees what -------------------------------------------------------------------------

ALLOWED = {"trainer": True, "staff": True, "superuser": True}
ROLES = ["trainer", "other_trainer", "staff", "other_staff", "superuser", "anonymous"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/register/{id}/", "/register/{id}/sheet/"])
def test_register_pages_only_for_the_trainer_and_the_centre_staff(
    world: dict[str, Any], during: None, role: str, path: str
) -> None:
    client = _client(world.get(role))
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
    response = _mark(
        _client(world.get(role)), world["session"], participant=olena.pk, status="present"
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
    api = _api(world.get(role))
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
    page = _client(world["trainer"]).get("/register/").content.decode()
    assert world["course"].title in page
    assert f"/register/{world['session'].pk}/" in page
    other = _client(world["other_trainer"]).get("/register/").content.decode()
    assert world["course"].title not in other
    assert f"/register/{world['session'].pk}/" not in other
    # Someone who neither teaches nor runs a centre has no register at all.
    assert _client(UserFactory(username="nobody")).get("/register/").status_code == 404


def test_my_sessions_splits_today_from_the_rest_of_the_week(
    world: dict[str, Any], during: None
) -> None:
    thursday = SessionFactory(
        course=world["course"],
        starts_at=DURING.replace(day=7, hour=10, minute=0),
        ends_at=DURING.replace(day=7, hour=11, minute=30),
    )
    page = _client(world["trainer"]).get("/register/").content.decode()
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
    response = _client(world["trainer"]).post(
        f"/register/{session.pk}/marks/",
        {"type": "mark", "participant": olena.pk, "status": "present"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/register/{session.pk}/#p-{olena.pk}"
    assert Attendance.objects.get(session=session, participant=olena).status == "present"
    page = _client(world["trainer"]).get(f"/register/{session.pk}/").content.decode()
    assert 'data-total="present">1<' in page
    assert 'data-total="unmarked">2<' in page


def test_a_tap_from_the_script_answers_with_the_totals_and_rows(
    world: dict[str, Any], during: None
) -> None:
    olena, taras, _iryna = world["people"]
    client = _client(world["trainer"])
    _mark(client, world["session"], participant=olena.pk, status="present")
    body = _mark(client, world["session"], participant=taras.pk, status="excused").json()
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
    client = _client(world["trainer"])
    for _ in range(2):
        assert (
            _mark(client, world["session"], participant=olena.pk, status="absent").status_code
            == 200
        )
    assert Attendance.objects.filter(participant=olena).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.ATTENDANCE_MARKED).count() == 1


def test_a_late_arriving_older_tap_does_not_overwrite_a_newer_one(
    world: dict[str, Any], during: None
) -> None:
    olena = world["people"][0]
    client = _client(world["staff"])
    newer = (DURING - timedelta(minutes=1)).isoformat()
    older = (DURING - timedelta(minutes=5)).isoformat()
    _mark(client, world["session"], participant=olena.pk, status="present", at=newer)
    _mark(client, world["session"], participant=olena.pk, status="absent", at=older)
    assert Attendance.objects.get(participant=olena).status == "present"


def test_a_walk_in_is_added_once_however_often_it_is_sent(
    world: dict[str, Any], during: None
) -> None:
    client = _client(world["trainer"])
    for _ in range(3):
        response = _mark(
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
    _mark(
        _client(world["trainer"]), world["session"], type="walk_in", name="Olena K.",
        phone="601 000 001",
    )  # fmt: skip
    assert Participant.objects.filter(centre=world["centre"]).count() == 3
    mark = Attendance.objects.get(participant=olena)
    assert mark.walk_in is False  # she holds a place: present, not a walk-in


def test_the_note_is_saved_and_shown(world: dict[str, Any], during: None) -> None:
    client = _client(world["trainer"])
    _mark(client, world["session"], type="note", note="Sala 2 zamiast 1.")
    page = client.get(f"/register/{world['session'].pk}/").content.decode()
    assert "Sala 2 zamiast 1." in page


# --- refusals: clear, translated, nothing changed ----------------------------------------------


def test_someone_not_on_the_register_is_refused(world: dict[str, Any], during: None) -> None:
    stranger = ParticipantFactory(centre=world["centre"], name="Obcy", phone="+48601999999")
    response = _client(world["trainer"]).post(
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
    client = _client(world["trainer"])
    response = _mark(client, world["session"], type="walk_in", name="Ktoś", phone="123")
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
    response = _client(world["trainer"]).post(
        f"/register/{world['session'].pk}/marks/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Attendance.objects.exists()


def test_a_bad_status_is_refused(world: dict[str, Any], during: None) -> None:
    olena = world["people"][0]
    response = _mark(_client(world["trainer"]), world["session"], participant=olena.pk, status="x")
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_no_register_for_a_cancelled_session(world: dict[str, Any], during: None) -> None:
    session = session_cancel(session=world["session"], actor=world["staff"])
    olena = world["people"][0]
    response = _mark(_client(world["trainer"]), session, participant=olena.pk, status="present")
    assert response.status_code == 409
    assert response.json()["code"] == "register_closed"
    assert not Attendance.objects.exists()


def test_the_register_opens_on_the_day_of_the_session(world: dict[str, Any]) -> None:
    olena = world["people"][0]
    with time_machine.travel(DURING - timedelta(days=1), tick=False):
        response = _mark(
            _client(world["trainer"]), world["session"], participant=olena.pk, status="present"
        )
    assert response.status_code == 409
    with time_machine.travel(DURING.replace(hour=8), tick=False):
        response = _mark(
            _client(world["trainer"]), world["session"], participant=olena.pk, status="present"
        )
    assert response.status_code == 200


# --- the API --------------------------------------------------------------------------------


def test_api_get_lists_everyone_with_totals(world: dict[str, Any], during: None) -> None:
    olena = world["people"][0]
    _mark(_client(world["trainer"]), world["session"], participant=olena.pk, status="present")
    body = _api(world["trainer"]).get(f"/api/v1/sessions/{world['session'].pk}/attendance/").json()
    assert body["session"] == world["session"].pk
    assert [row["name"] for row in body["attendance"]] == ["Iryna", "Olena", "Taras"]
    assert body["attendance"][1] == {
        "participant": olena.pk, "member": None, "name": "Olena", "status": "present",
        "walk_in": False, "expected": True,
    }  # fmt: skip
    assert body["totals"]["present"] == 1


def test_api_put_is_all_or_nothing(world: dict[str, Any], during: None) -> None:
    olena, taras, _iryna = world["people"]
    stranger = ParticipantFactory(centre=world["centre"], name="Obcy", phone="+48601999999")
    api = _api(world["staff"])
    url = f"/api/v1/sessions/{world['session'].pk}/attendance/"
    response = api.put(
        url,
        [
            {"participant": olena.pk, "status": "present"},
            {"participant": stranger.pk, "status": "present"},
        ],
        format="json",
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()
    twice = [{"participant": olena.pk, "status": "present"}] * 2
    assert api.put(url, twice, format="json").status_code == 400
    bad = [{"participant": olena.pk, "status": "late"}]
    assert api.put(url, bad, format="json").status_code == 400
    assert not Attendance.objects.exists()
    good = [
        {"participant": olena.pk, "status": "present"},
        {"participant": taras.pk, "status": "excused"},
    ]
    first = api.put(url, good, format="json").json()
    again = api.put(url, {"attendance": good}, format="json").json()
    assert first == again
    assert first["totals"] == {"present": 1, "absent": 0, "excused": 1, "unmarked": 1, "total": 3}


# --- the sign-in sheet ------------------------------------------------------------------------


def test_the_sheet_lists_names_without_phone_numbers(world: dict[str, Any], during: None) -> None:
    page = _client(world["trainer"]).get(f"/register/{world['session'].pk}/sheet/")
    text = page.content.decode()
    assert all(name in text for name in ["Olena", "Taras", "Iryna"])
    assert "601000" not in text
    assert "sheet.css" in text


def test_staff_find_the_reports_from_their_sessions_and_the_admin(
    world: dict[str, Any], during: None
) -> None:
    staff = _client(world["staff"])
    course_report = f"/reports/courses/{world['course'].pk}/"
    assert "/reports/" in staff.get("/register/").content.decode()
    assert course_report in staff.get("/register/").content.decode()
    assert course_report in staff.get(f"/register/{world['session'].pk}/").content.decode()
    assert "/reports/" in _client(world["superuser"]).get("/admin/").content.decode()
    trainer = _client(world["trainer"])  # a trainer who is not staff sees no reports
    assert "/reports/" not in trainer.get("/register/").content.decode()
    assert course_report not in trainer.get(f"/register/{world['session'].pk}/").content.decode()


def test_a_session_booked_course_lists_that_sessions_bookings_only(trainer: Any) -> None:
    course = CourseFactory(booking_mode=BookingMode.SESSION, trainers=[trainer], capacity=5)
    first, second = Session.objects.filter(course=course).order_by("starts_at")[:2]
    for name, phone, session in [
        ("Olha First", "+48601000011", first),
        ("Iryna Second", "+48601000012", second),
    ]:
        person = ParticipantFactory(centre=course.centre, name=name, phone=phone)
        EnrolmentFactory(
            course=course, session=session, participant=person, source=EnrolmentSource.STAFF
        )
    with time_machine.travel(DURING, tick=False):
        response = _client(trainer).get(f"/register/{first.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Olha First" in page
    assert "Iryna Second" not in page


def test_a_drop_in_course_starts_with_an_empty_register_for_walk_ins(trainer: Any) -> None:
    course = CourseFactory(booking_mode=BookingMode.OPEN, trainers=[trainer])
    session = first_session(course)
    with time_machine.travel(DURING, tick=False):
        client = _client(trainer)
        page = client.get(f"/register/{session.pk}/").content.decode()
        assert "register-empty" in page  # "Nobody is booked...": walk-ins only
        response = _mark(client, session, type="walk_in", name="Nino", phone="+995555123456")
        assert response.status_code == 200, response.content[:300]
        body = response.json()
    assert body["totals"] == {"present": 1, "absent": 0, "excused": 0, "unmarked": 0, "total": 1}


# --- hostile or odd input: a clear 4xx, nothing changed ----------------------------------------


@pytest.mark.parametrize("at", ["2027-13-45T10:00:00", "2027-02-30T00:00:00", "12:00+25:00", "x"])
def test_an_unreadable_time_of_a_tap_is_a_400(world: dict[str, Any], during: None, at: str) -> None:
    olena = world["people"][0]
    response = _mark(
        _client(world["trainer"]), world["session"], participant=olena.pk, status="present", at=at
    )
    assert response.status_code == 400
    assert response.json()["field"] == "at"
    assert not Attendance.objects.exists()


def test_absurd_bodies_and_ids_are_4xx_not_500(world: dict[str, Any], during: None) -> None:
    client = _client(world["trainer"])
    url = f"/register/{world['session'].pk}/marks/"
    deep = "[" * 100_000 + "]" * 100_000
    assert client.post(url, deep, content_type="application/json").status_code == 400
    huge = _mark(client, world["session"], participant=10**20, status="present")
    assert huge.status_code == 400
    api = _api(world["trainer"])
    api_url = f"/api/v1/sessions/{world['session'].pk}/attendance/"
    assert api.put(api_url, deep, content_type="application/json").status_code == 400
    too_big = [{"participant": 10**20, "status": "present"}]
    assert api.put(api_url, too_big, format="json").status_code == 400
    assert not Attendance.objects.exists()


def test_a_nul_character_in_an_address_is_refused_before_any_view(world: dict[str, Any]) -> None:
    client = _client(world["staff"])
    assert client.get("/me/abc%00def/").status_code == 404
    assert client.get("/me/abc%00def/export/").status_code == 404
    assert client.get("/reports/?network=x%00").status_code == 400
    assert client.get("/reports/?centre=a&centre=b%00").status_code == 400


def test_a_nul_character_in_a_note_is_dropped(world: dict[str, Any], during: None) -> None:
    _mark(_client(world["trainer"]), world["session"], type="note", note="Sala\x00 2")
    world["session"].refresh_from_db()
    assert world["session"].register_note == "Sala 2"


def test_no_note_on_a_cancelled_session(world: dict[str, Any], during: None) -> None:
    session = session_cancel(session=world["session"], actor=world["staff"])
    response = _mark(_client(world["trainer"]), session, type="note", note="?")
    assert response.status_code == 409
    session.refresh_from_db()
    assert session.register_note == ""


def test_a_walk_in_number_known_under_another_name_is_refused_and_reveals_nobody(
    world: dict[str, Any], during: None
) -> None:
    secret = ParticipantFactory(centre=world["centre"], name="Sekretna Osoba", phone="+48601777777")
    response = _mark(
        _client(world["trainer"]), world["session"], type="walk_in", name="Ktoś", phone="601777777"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "phone"
    assert "Sekretna" not in response.content.decode()
    assert not Attendance.objects.filter(participant=secret).exists()


def test_a_walk_in_keeps_the_persons_sms_language(world: dict[str, Any], during: None) -> None:
    known = ParticipantFactory(
        centre=world["centre"], name="Oksana Melnyk", phone="+48601888888", language="uk"
    )
    response = _mark(
        _client(world["trainer"]), world["session"], type="walk_in", name="oksana",
        phone="601 888 888",
    )  # fmt: skip
    assert response.status_code == 200
    known.refresh_from_db()
    assert known.language == "uk"
    assert Attendance.objects.get(participant=known).status == "present"


def test_a_walk_in_for_someone_marked_absent_marks_them_present(
    world: dict[str, Any], during: None
) -> None:
    olena = world["people"][0]
    client = _client(world["trainer"])
    _mark(client, world["session"], participant=olena.pk, status="absent")
    _mark(client, world["session"], type="walk_in", name="Olena", phone="601 000 001")
    assert Attendance.objects.get(participant=olena).status == "present"


def test_what_the_api_gives_can_be_sent_back_as_it_is(world: dict[str, Any], during: None) -> None:
    from courses.services.privacy import participant_erase

    olena, taras, _iryna = world["people"]
    api = _api(world["staff"])
    url = f"/api/v1/sessions/{world['session'].pk}/attendance/"
    api.put(url, [{"participant": olena.pk, "status": "present"}], format="json")
    participant_erase(participant=olena)
    got = api.get(url).json()
    rows = [{"participant": r["participant"], "status": r["status"]} for r in got["attendance"]]
    assert {"participant": olena.pk, "status": "present"} in rows  # erased, still counted
    assert {"participant": taras.pk, "status": ""} in rows  # not marked
    again = api.put(url, rows, format="json")
    assert again.status_code == 200
    assert again.json() == got
