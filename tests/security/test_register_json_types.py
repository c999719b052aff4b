"""JSON of the wrong type on the register (the page's script and the API's PUT) is a 400 with a
message: never a 500, and never a write made from a value read the wrong way (a float or a
string taken for a person's id, an object saved as the note, a list as a name)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import Attendance, AuditEntry, EnrolmentSource, Participant
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, first_session

pytestmark = pytest.mark.django_db

DURING = datetime(2027, 1, 5, 18, 30, tzinfo=ZoneInfo("Europe/Warsaw"))


@pytest.fixture(autouse=True)
def during() -> Any:
    with time_machine.travel(DURING, tick=False):
        yield


@pytest.fixture
def world(centre, trainer) -> dict[str, Any]:
    course = CourseFactory(centre=centre, slug="a1", trainers=[trainer])
    olena = ParticipantFactory(centre=centre, name="Olena", phone="+48601000001")
    EnrolmentFactory(course=course, participant=olena, source=EnrolmentSource.STAFF)
    return {"session": first_session(course), "olena": olena, "trainer": trainer}


def _nothing_written(world: dict[str, Any]) -> None:
    assert Attendance.objects.count() == 0
    assert Participant.objects.count() == 1
    world["session"].refresh_from_db()
    assert world["session"].register_note == ""
    assert not AuditEntry.objects.filter(action__startswith="attendance").exists()


# Each case: what is sent, given Olena's id.
PAGE_CASES: dict[str, Any] = {
    "participant as a list": lambda pk: {"participant": [pk], "status": "present"},
    "participant as an object": lambda pk: {"participant": {"id": pk}, "status": "present"},
    "participant as a boolean": lambda pk: {"participant": True, "status": "present"},
    "participant as a float": lambda pk: {"participant": float(pk), "status": "present"},
    "participant as a string": lambda pk: {"participant": str(pk), "status": "present"},
    "status as a number": lambda pk: {"participant": pk, "status": 1},
    "status as a list": lambda pk: {"participant": pk, "status": ["present"]},
    "at as a number": lambda pk: {"participant": pk, "status": "present", "at": 1798822800},
    "at as an object": lambda pk: {"participant": pk, "status": "present", "at": {}},
    "type as a list": lambda pk: {"type": ["mark"], "participant": pk, "status": "present"},
    "note as an object": lambda pk: {"type": "note", "note": {"text": "hello"}},
    "note as a list": lambda pk: {"type": "note", "note": ["hello"]},
    "note as a number": lambda pk: {"type": "note", "note": 12},
    "name as a list": lambda pk: {"type": "walk_in", "name": ["Ivan"], "phone": "601000002"},
    "name as a number": lambda pk: {"type": "walk_in", "name": 7, "phone": "601000002"},
    "phone as a number": lambda pk: {"type": "walk_in", "name": "Ivan", "phone": 601000002},
    "phone as an object": lambda pk: {"type": "walk_in", "name": "Ivan", "phone": {"n": 1}},
    "country as a list": lambda pk: {
        "type": "walk_in",
        "name": "Ivan",
        "phone": "601000002",
        "country": ["PL"],
    },
    "the body as a list": lambda pk: [{"participant": pk, "status": "present"}],
    "the body as a number": lambda pk: pk,
    "the body as a string": lambda pk: "present",
    "the body as null": lambda pk: None,
}


@pytest.mark.parametrize("case", PAGE_CASES)
def test_the_page_refuses_json_of_the_wrong_type(client, world, case: str) -> None:
    client.raise_request_exception = False
    client.force_login(world["trainer"])
    body = PAGE_CASES[case](world["olena"].pk)
    response = client.post(
        f"/register/{world['session'].pk}/marks/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    _nothing_written(world)


def test_the_page_still_takes_what_its_script_sends(client, world) -> None:
    client.force_login(world["trainer"])
    url = f"/register/{world['session'].pk}/marks/"
    sent = {"id": "abc", "type": "mark", "participant": world["olena"].pk, "status": "present"}
    assert client.post(url, json.dumps(sent), content_type="application/json").status_code == 200
    note = {"id": "abd", "type": "note", "note": "Sala 2"}
    assert client.post(url, json.dumps(note), content_type="application/json").status_code == 200
    walk_in = {"type": "walk_in", "name": "Ivan", "phone": "601000002", "country": "PL"}
    walk_in_at = {**walk_in, "at": "2027-01-05T18:20:00+01:00"}
    response = client.post(url, json.dumps(walk_in_at), content_type="application/json")
    assert response.status_code == 200
    assert Attendance.objects.count() == 2


API_CASES: dict[str, Any] = {
    "participant as a list": lambda pk: [{"participant": [pk], "status": "present"}],
    "participant as an object": lambda pk: [{"participant": {"id": pk}, "status": "present"}],
    "participant as a boolean": lambda pk: [{"participant": True, "status": "present"}],
    "participant as a float": lambda pk: [{"participant": float(pk), "status": "present"}],
    "participant as a string": lambda pk: [{"participant": str(pk), "status": "present"}],
    "status as a number": lambda pk: [{"participant": pk, "status": 1}],
    "status as a boolean": lambda pk: [{"participant": pk, "status": True}],
    "at as a number": lambda pk: [{"participant": pk, "status": "present", "at": 1798822800}],
    "at as a list": lambda pk: [{"participant": pk, "status": "present", "at": []}],
    "an entry as a number": lambda pk: [pk],
    "an entry as a string": lambda pk: ["present"],
    "attendance as an object": lambda pk: {"attendance": {"participant": pk}},
    "the body as an object": lambda pk: {"participant": pk, "status": "present"},
    "the body as a number": lambda pk: pk,
    "the body as a string": lambda pk: "present",
    "the body as null": lambda pk: None,
}


@pytest.mark.parametrize("case", API_CASES)
def test_the_api_refuses_json_of_the_wrong_type(api, world, case: str) -> None:
    api.force_authenticate(world["trainer"])
    body = API_CASES[case](world["olena"].pk)
    response = api.put(
        f"/api/v1/sessions/{world['session'].pk}/attendance/",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()
    _nothing_written(world)
