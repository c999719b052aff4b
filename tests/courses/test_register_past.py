"""Registers of past sessions from /register/ (the last weeks, any day by a date picker), who
sees which, a past register listing who held a place then, and the walk-in form that keeps
what was typed with the error at its field."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from courses.models import Attendance, EnrolmentSource, Participant
from courses.services.enrolment import enrolment_cancel
from tests.factories import (
    CentreFactory,
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    UserFactory,
)

WARSAW = ZoneInfo("Europe/Warsaw")
# Ten Tuesdays at 18:00 from 5 January 2027; "now" is Wednesday 10 February, 10:00: the sessions
# of 19 January to 9 February are the last four weeks' (from 13 January); 5 and 12 are older.
NOW = datetime(2027, 2, 10, 10, tzinfo=WARSAW)
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(centre, staff_user, trainer) -> dict[str, Any]:
    with time_machine.travel(datetime(2027, 1, 1, 9, tzinfo=WARSAW), tick=False):
        course = CourseFactory(centre=centre, slug="a1", title_pl="Polski A1", trainers=[trainer])
        other = CentreFactory(slug="cic-lodz", name="CIC Łódź")
        other_staff = UserFactory(username="obcy", staff_of=[other])
        other_trainer = UserFactory(username="inny")
        CourseFactory(centre=other, slug="b1", title_pl="Kurs w Łodzi", trainers=[other_trainer])
        person = ParticipantFactory(centre=centre, name="Olena", phone="+48601000001")
        EnrolmentFactory(course=course, participant=person, source=EnrolmentSource.STAFF)
    return {
        "course": course,
        "sessions": list(course.sessions.order_by("starts_at")),
        "staff": staff_user,
        "trainer": trainer,
        "other_staff": other_staff,
        "other_trainer": other_trainer,
        "person": person,
    }


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _register_links(html: str) -> list[str]:
    return re.findall(r'href="/register/(\d+)/"', html)


def test_the_last_four_weeks_are_listed_newest_first_with_their_marks(world) -> None:
    s = world["sessions"]
    Attendance.objects.create(
        session=s[2], participant=world["person"], status="present", marked_at=s[2].starts_at
    )
    for user in (world["trainer"], world["staff"]):
        response = _client(user).get("/register/")
        assert response.status_code == 200
        html = response.content.decode()
        earlier = html.split('id="earlier-title"')[1]
        assert "The last 4 weeks" in html
        # 9 Feb, 2 Feb, 26 Jan, 19 Jan (each linked twice: the title and the button); 5 and
        # 12 January are older than four weeks; 16 February is next week's.
        assert list(dict.fromkeys(_register_links(earlier))) == [
            str(x.pk) for x in (s[5], s[4], s[3], s[2])
        ]
        assert "1 mark on the register" in earlier  # 19 January
        assert earlier.count("Not filled in yet") == 3


def test_any_day_is_found_with_the_date_picker(world) -> None:
    s = world["sessions"]
    response = _client(world["trainer"]).get("/register/?day=2027-01-05")
    assert response.status_code == 200
    html = response.content.decode()
    picked = html.split('id="picked-title"')[1].split('id="earlier-title"')[0]
    assert "Sessions on Tuesday 5 January 2027" in picked
    assert list(dict.fromkeys(_register_links(picked))) == [str(s[0].pk)]
    assert 'value="2027-01-05"' in html
    # The register of that day opens and can be filled in weeks later.
    client = _client(world["trainer"])
    assert client.get(f"/register/{s[0].pk}/").status_code == 200
    client.post(
        f"/register/{s[0].pk}/marks/",
        {"type": "mark", "participant": world["person"].pk, "status": "absent"},
    )
    assert Attendance.objects.get(session=s[0]).status == "absent"


def test_a_day_that_is_no_date_is_a_400_with_the_error_at_the_field(world) -> None:
    response = _client(world["trainer"]).get("/register/?day=5.01.2027")
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split('class="field field--error"')[1].split("</div>")[0]
    assert "is not a date: write it as YYYY-MM-DD" in field
    assert 'value="5.01.2027"' in field
    assert 'id="picked-title"' not in html


def test_each_sees_only_their_own_sessions_and_anonymous_is_sent_to_log_in(world) -> None:
    s = world["sessions"]
    mine = {str(x.pk) for x in s}
    for user in (world["other_staff"], world["other_trainer"]):
        html = _client(user).get("/register/?day=2027-01-05").content.decode()
        assert not mine & set(_register_links(html))
        assert "Polski A1" not in html
        assert _client(user).get(f"/register/{s[0].pk}/").status_code == 404
    assert "Kurs w Łodzi" not in _client(world["staff"]).get("/register/").content.decode()
    response = _client().get("/register/?day=2027-01-05")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    nobody = UserFactory(username="nikt")  # neither staff nor a trainer
    assert _client(nobody).get("/register/").status_code == 404


def test_a_past_register_lists_who_held_a_place_then(world) -> None:
    s = world["sessions"]
    course = world["course"]
    with time_machine.travel(datetime(2027, 1, 20, 9, tzinfo=WARSAW), tick=False):
        late = EnrolmentFactory(course=course, participant__name="Nadia")
    with time_machine.travel(datetime(2027, 1, 11, 9, tzinfo=WARSAW), tick=False):
        early = EnrolmentFactory(course=course, participant__name="Piotr")
    with time_machine.travel(datetime(2027, 1, 13, 9, tzinfo=WARSAW), tick=False):
        enrolment_cancel(enrolment=early)  # held a place for 12 January only
    client = _client(world["trainer"])
    first = client.get(f"/register/{s[0].pk}/").content.decode()
    second = client.get(f"/register/{s[1].pk}/").content.decode()
    later = client.get(f"/register/{s[3].pk}/").content.decode()
    assert "Olena" in first
    assert "Nadia" not in first
    assert "Piotr" not in first
    assert "Piotr" in second
    assert "Nadia" not in second
    assert "Nadia" in later
    assert "Piotr" not in later
    # Someone not on that day's register cannot be marked there.
    response = client.post(
        f"/register/{s[0].pk}/marks/",
        {"participant": late.participant_id, "status": "present"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Attendance.objects.filter(participant=late.participant).exists()


def test_a_walk_in_with_a_mistyped_phone_keeps_what_was_typed_with_the_error_at_the_phone(
    world,
) -> None:
    session = world["sessions"][5]
    response = _client(world["trainer"]).post(
        f"/register/{session.pk}/marks/",
        {"type": "walk_in", "name": "Nino Beridze", "country": "GE", "phone": "555 12"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Nino Beridze"' in html
    assert 'value="555 12"' in html
    assert '<option value="GE" selected>' in html
    phone_field = html.split('class="field field--error"')[1].split("</div>")[0]
    assert 'id="id_phone"' in phone_field
    assert 'id="id_phone_error"' in phone_field
    # Nothing above the list: the only error on the page is at the field.
    rows_at = html.index('id="register-rows"')
    assert 'class="error"' not in html[:rows_at]
    assert html.count('class="error"') == 1
    assert not Participant.objects.filter(name="Nino Beridze").exists()
    assert not Attendance.objects.filter(session=session).exists()


def test_a_walk_in_without_a_name_shows_the_error_at_the_name(world) -> None:
    session = world["sessions"][5]
    response = _client(world["trainer"]).post(
        f"/register/{session.pk}/marks/",
        {"type": "walk_in", "name": "", "country": "PL", "phone": "601 999 999"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    name_field = html.split('class="field field--error"')[1].split("</div>")[0]
    assert 'id="id_name"' in name_field
    assert 'value="601 999 999"' in html
    assert html.count('class="error"') == 1
