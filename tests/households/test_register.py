"""The register of a booking for several people: a row per person, the whole booking present in
one tap, then each person corrected; the API lists and marks each person."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from courses.models import Attendance, Enrolment, PartyMember
from courses.selectors.register import register_for
from scheduling.models import Session
from tests.factories import (
    CourseFactory,
    EnrolmentRowFactory,
    ParticipantFactory,
    first_session,
)

WARSAW = ZoneInfo("Europe/Warsaw")
DURING = datetime(2027, 1, 5, 18, 30, tzinfo=WARSAW)  # the first session, Tuesday 18:00–19:30


@pytest.fixture
def during() -> Any:
    with time_machine.travel(DURING, tick=False):
        yield


def _family(course: Any, name: str, phone: str, children: list[str], *, attending: bool = True):
    mother = ParticipantFactory(centre=course.centre, name=name, phone=phone)
    booking = EnrolmentRowFactory(
        course=course,
        participant=mother,
        places=len(children) + (1 if attending else 0),
        attending=attending,
    )
    members = [
        PartyMember.objects.create(enrolment=booking, name=child, birth_year=2018, position=i)
        for i, child in enumerate(children)
    ]
    return booking, members


@pytest.fixture
def world(centre, trainer, during) -> dict[str, Any]:
    course = CourseFactory(centre=centre, slug="rodzinne", trainers=[trainer], max_party=4)
    family, children = _family(course, "Olena", "+48601000001", ["Ola", "Max"])
    alone = EnrolmentRowFactory(
        course=course,
        participant=ParticipantFactory(centre=centre, name="Taras", phone="+48601000002"),
    )
    return {
        "course": course,
        "session": first_session(course),
        "trainer": trainer,
        "family": family,
        "children": children,
        "alone": alone,
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _mark(client: Client, session: Session, **op: Any) -> Any:
    return client.post(
        f"/register/{session.pk}/marks/", json.dumps(op), content_type="application/json"
    )


def test_the_register_lists_each_person_of_a_booking(world: dict[str, Any]) -> None:
    rows = register_for(world["session"]).rows
    assert [row.name for row in rows] == ["Olena", "Ola", "Max", "Taras"]


def test_the_page_shows_each_child_and_one_button_for_the_booking(world: dict[str, Any]) -> None:
    page = _client(world["trainer"]).get(f"/register/{world['session'].pk}/").content.decode()
    assert page.count('value="family"') == 1
    assert f'id="m-{world["children"][1].pk}"' in page


def test_one_tap_marks_the_whole_booking_present(world: dict[str, Any]) -> None:
    family: Enrolment = world["family"]
    response = _mark(
        _client(world["trainer"]),
        world["session"],
        type="family",
        participant=family.participant_id,
        status="present",
    )
    assert response.status_code == 200
    assert response.json()["totals"]["present"] == 3


def test_then_one_child_is_corrected_to_absent(world: dict[str, Any]) -> None:
    family: Enrolment = world["family"]
    client = _client(world["trainer"])
    _mark(client, world["session"], type="family", participant=family.participant_id,
          status="present")  # fmt: skip
    max_ = world["children"][1]
    _mark(client, world["session"], participant=family.participant_id, member=max_.pk,
          status="absent")  # fmt: skip
    marks = {
        (a.member.name if a.member else a.participant.name): a.status
        for a in Attendance.objects.filter(session=world["session"])
    }
    assert marks == {"Olena": "present", "Ola": "present", "Max": "absent"}


def test_a_child_marked_under_another_booking_is_refused_and_nothing_stored(
    world: dict[str, Any],
) -> None:
    response = _mark(
        _client(world["trainer"]),
        world["session"],
        participant=world["alone"].participant_id,
        member=world["children"][0].pk,
        status="present",
    )
    assert (response.status_code, Attendance.objects.count()) == (400, 0)


def test_a_booking_person_who_does_not_attend_has_no_row(world: dict[str, Any]) -> None:
    _family(world["course"], "Iryna", "+48601000003", ["Zoja"], attending=False)
    names = [row.name for row in register_for(world["session"]).rows]
    assert names == ["Zoja", "Olena", "Ola", "Max", "Taras"]  # by the booking person: Iryna


def test_the_api_lists_each_person_with_member(world: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(world["trainer"])
    body = api.get(f"/api/v1/sessions/{world['session'].pk}/attendance/").json()
    assert [(row["name"], row["member"]) for row in body["attendance"]] == [
        ("Olena", None),
        ("Ola", world["children"][0].pk),
        ("Max", world["children"][1].pk),
        ("Taras", None),
    ]


def test_the_api_marks_a_child(world: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(world["trainer"])
    ola = world["children"][0]
    response = api.put(
        f"/api/v1/sessions/{world['session'].pk}/attendance/",
        [{"participant": world["family"].participant_id, "member": ola.pk, "status": "present"}],
        format="json",
    )
    assert response.status_code == 200
    assert Attendance.objects.get(member=ola).status == "present"
