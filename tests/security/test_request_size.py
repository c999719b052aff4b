"""A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE: the API (and the register's script) get a JSON
400 with a `detail`, other pages Django's 400 page; never a 500, never a write."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import Attendance, Enrolment
from tests.factories import CourseFactory, first_session

pytestmark = pytest.mark.django_db

DURING = datetime(2027, 1, 5, 18, 30, tzinfo=ZoneInfo("Europe/Warsaw"))
LIMIT = 1_000


@pytest.fixture(autouse=True)
def small_limit(settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT


@pytest.fixture
def course(centre, trainer):
    return CourseFactory(centre=centre, slug="a1", trainers=[trainer])


BIG_JSON = json.dumps({"participant": {"name": "x" * (2 * LIMIT), "phone": "601000001"}})
BIG_FORM = "name=" + "x" * (2 * LIMIT)


def _json_detail(response) -> str:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body["detail"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(BIG_JSON, "application/json"), (BIG_FORM, "application/x-www-form-urlencoded")],
)
def test_a_too_large_enrolment_is_a_json_400(client, course, body, content_type) -> None:
    response = client.post("/api/v1/enrolments/", body, content_type=content_type)
    _json_detail(response)
    assert Enrolment.objects.count() == 0


def test_the_message_speaks_the_request_language(client, course) -> None:
    response = client.post(
        "/api/v1/enrolments/", BIG_JSON, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert _json_detail(response) == "The request is too large."


@pytest.mark.parametrize("method", ["put", "patch"])
def test_staff_writes_that_are_too_large_are_json_400s(staff_client, course, method) -> None:
    response = getattr(staff_client, method)(
        f"/api/v1/courses/{course.pk}/", BIG_JSON, content_type="application/json"
    )
    _json_detail(response)


@time_machine.travel(DURING, tick=False)
def test_a_too_large_attendance_put_is_a_json_400(client, course, trainer) -> None:
    client.force_login(trainer)
    session = first_session(course)
    response = client.put(
        f"/api/v1/sessions/{session.pk}/attendance/", BIG_JSON, content_type="application/json"
    )
    _json_detail(response)
    assert Attendance.objects.count() == 0


@time_machine.travel(DURING, tick=False)
def test_the_registers_script_gets_json_too(client, course, trainer) -> None:
    client.force_login(trainer)
    session = first_session(course)
    response = client.post(
        f"/register/{session.pk}/marks/", BIG_JSON, content_type="application/json"
    )
    _json_detail(response)


def test_too_many_fields_is_a_json_400(client, course, settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{n}=1" for n in range(20))
    response = client.post(
        "/api/v1/enrolments/", body, content_type="application/x-www-form-urlencoded"
    )
    _json_detail(response)


def test_other_pages_keep_djangos_400_page(client, course) -> None:
    response = client.post(
        "/centres/cic-poznan/courses/a1/enrol/",
        BIG_FORM,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
