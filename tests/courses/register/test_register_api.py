"""The trainers' register: the attendance API, the sign-in sheet, courses booked per session
or dropped in on, and hostile or odd input (a clear 4xx, nothing changed)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from courses.models import (
    Attendance,
    BookingMode,
    EnrolmentSource,
)
from scheduling.models import Session
from scheduling.services import session_cancel
from tests.courses.register_clients import DURING, api_as, client_as, tap
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    first_session,
)

# --- the API --------------------------------------------------------------------------------


def test_api_get_lists_everyone_with_totals(world: dict[str, Any], during: None) -> None:
    olena = world["people"][0]
    tap(client_as(world["trainer"]), world["session"], participant=olena.pk, status="present")
    body = (
        api_as(world["trainer"]).get(f"/api/v1/sessions/{world['session'].pk}/attendance/").json()
    )
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
    api = api_as(world["staff"])
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
    page = client_as(world["trainer"]).get(f"/register/{world['session'].pk}/sheet/")
    text = page.content.decode()
    assert all(name in text for name in ["Olena", "Taras", "Iryna"])
    assert "601000" not in text
    assert "sheet.css" in text


def test_staff_find_the_reports_from_their_sessions_and_the_admin(
    world: dict[str, Any], during: None
) -> None:
    staff = client_as(world["staff"])
    course_report = f"/reports/courses/{world['course'].pk}/"
    assert "/reports/" in staff.get("/register/").content.decode()
    assert course_report in staff.get("/register/").content.decode()
    assert course_report in staff.get(f"/register/{world['session'].pk}/").content.decode()
    assert "/reports/" in client_as(world["superuser"]).get("/admin/").content.decode()
    trainer = client_as(world["trainer"])  # a trainer who is not staff sees no reports
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
        response = client_as(trainer).get(f"/register/{first.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Olha First" in page
    assert "Iryna Second" not in page


def test_a_drop_in_course_starts_with_an_empty_register_for_walk_ins(trainer: Any) -> None:
    course = CourseFactory(booking_mode=BookingMode.OPEN, trainers=[trainer])
    session = first_session(course)
    with time_machine.travel(DURING, tick=False):
        client = client_as(trainer)
        page = client.get(f"/register/{session.pk}/").content.decode()
        assert "register-empty" in page  # "Nobody is booked...": walk-ins only
        response = tap(client, session, type="walk_in", name="Nino", phone="+995555123456")
        assert response.status_code == 200, response.content[:300]
        body = response.json()
    assert body["totals"] == {"present": 1, "absent": 0, "excused": 0, "unmarked": 0, "total": 1}


# --- hostile or odd input: a clear 4xx, nothing changed ----------------------------------------


@pytest.mark.parametrize("at", ["2027-13-45T10:00:00", "2027-02-30T00:00:00", "12:00+25:00", "x"])
def test_an_unreadable_time_of_a_tap_is_a_400(world: dict[str, Any], during: None, at: str) -> None:
    olena = world["people"][0]
    response = tap(
        client_as(world["trainer"]), world["session"], participant=olena.pk, status="present", at=at
    )
    assert response.status_code == 400
    assert response.json()["field"] == "at"
    assert not Attendance.objects.exists()


def test_absurd_bodies_and_ids_are_4xx_not_500(world: dict[str, Any], during: None) -> None:
    client = client_as(world["trainer"])
    url = f"/register/{world['session'].pk}/marks/"
    deep = "[" * 100_000 + "]" * 100_000
    assert client.post(url, deep, content_type="application/json").status_code == 400
    huge = tap(client, world["session"], participant=10**20, status="present")
    assert huge.status_code == 400
    api = api_as(world["trainer"])
    api_url = f"/api/v1/sessions/{world['session'].pk}/attendance/"
    assert api.put(api_url, deep, content_type="application/json").status_code == 400
    too_big = [{"participant": 10**20, "status": "present"}]
    assert api.put(api_url, too_big, format="json").status_code == 400
    assert not Attendance.objects.exists()


def test_a_nul_character_in_an_address_is_refused_before_any_view(world: dict[str, Any]) -> None:
    client = client_as(world["staff"])
    assert client.get("/me/abc%00def/").status_code == 404
    assert client.get("/me/abc%00def/export/").status_code == 404
    assert client.get("/reports/?network=x%00").status_code == 400
    assert client.get("/reports/?centre=a&centre=b%00").status_code == 400


def test_a_nul_character_in_a_note_is_dropped(world: dict[str, Any], during: None) -> None:
    tap(client_as(world["trainer"]), world["session"], type="note", note="Sala\x00 2")
    world["session"].refresh_from_db()
    assert world["session"].register_note == "Sala 2"


def test_no_note_on_a_cancelled_session(world: dict[str, Any], during: None) -> None:
    session = session_cancel(session=world["session"], actor=world["staff"])
    response = tap(client_as(world["trainer"]), session, type="note", note="?")
    assert response.status_code == 409
    session.refresh_from_db()
    assert session.register_note == ""


def test_a_walk_in_number_known_under_another_name_is_refused_and_reveals_nobody(
    world: dict[str, Any], during: None
) -> None:
    secret = ParticipantFactory(centre=world["centre"], name="Sekretna Osoba", phone="+48601777777")
    response = tap(
        client_as(world["trainer"]),
        world["session"],
        type="walk_in",
        name="Ktoś",
        phone="601777777",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "phone"
    assert "Sekretna" not in response.content.decode()
    assert not Attendance.objects.filter(participant=secret).exists()


def test_a_walk_in_keeps_the_persons_sms_language(world: dict[str, Any], during: None) -> None:
    known = ParticipantFactory(
        centre=world["centre"], name="Oksana Melnyk", phone="+48601888888", language="uk"
    )
    response = tap(
        client_as(world["trainer"]), world["session"], type="walk_in", name="oksana",
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
    client = client_as(world["trainer"])
    tap(client, world["session"], participant=olena.pk, status="absent")
    tap(client, world["session"], type="walk_in", name="Olena", phone="601 000 001")
    assert Attendance.objects.get(participant=olena).status == "present"


def test_what_the_api_gives_can_be_sent_back_as_it_is(world: dict[str, Any], during: None) -> None:
    from courses.services.privacy import participant_erase

    olena, taras, _iryna = world["people"]
    api = api_as(world["staff"])
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
