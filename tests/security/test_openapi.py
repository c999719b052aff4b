"""The OpenAPI schema says what the API really answers: every value the API returns matches
the schema declared for it (formats and patterns included: `start_time` is "HH:MM", not an
OpenAPI `time`), and the error answers (400, 401, 403, 404, 409, 429, 503) are documented on
the operations that give them, with the bodies they have."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.core.management import call_command

from courses.errors import Busy
from scheduling import services
from scheduling.models import Closure
from tests.factories import CourseFactory, EnrolmentFactory, UserFactory, first_session

pytestmark = pytest.mark.django_db

FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    return not isinstance(value, str) or (bool(date.fromisoformat(value)) and len(value) == 10)


@FORMATS.checks("time")
def _time(value: object) -> bool:
    """JSON Schema's (RFC 3339) full-time: with seconds."""
    pattern = r"\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"
    return not isinstance(value, str) or re.fullmatch(pattern, value) is not None


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    return not isinstance(value, str) or bool(urlsplit(value).scheme and urlsplit(value).netloc)


@FORMATS.checks("email")
def _email(value: object) -> bool:
    return not isinstance(value, str) or "@" in value


def _inline(node: Any, components: dict[str, Any]) -> Any:
    """The OpenAPI 3.0 schema `node` as plain JSON Schema: $refs inlined, `nullable` as null."""
    if isinstance(node, list):
        return [_inline(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _inline(components[node["$ref"].rsplit("/", 1)[1]], components)
    plain = {k: _inline(v, components) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [plain, {"type": "null"}]}
    return plain


@pytest.fixture
def schema(client) -> dict[str, Any]:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _response_schema(schema: dict[str, Any], path: str, method: str, status: int) -> Any:
    responses = schema["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path}: {status} is not documented"
    body = responses[str(status)]["content"]["application/json"]["schema"]
    return _inline(body, schema["components"]["schemas"])


def _check(schema: dict[str, Any], path: str, method: str, response: Any) -> None:
    declared = _response_schema(schema, path, method, response.status_code)
    jsonschema.validate(response.json(), declared, format_checker=FORMATS)


def test_the_schema_is_valid_and_generated_without_warnings(tmp_path) -> None:
    out = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=StringIO()
    )
    assert "openapi: 3.0" in out.read_text()


def test_start_time_is_declared_as_it_is_returned(schema) -> None:
    for name in ("Course", "CourseRequest", "PatchedCourseRequest"):
        declared = schema["components"]["schemas"][name]["properties"]["start_time"]
        assert "format" not in declared, name
        assert re.fullmatch(declared["pattern"].strip("^$"), "18:00"), name


@pytest.fixture
def world(centre, staff_user):
    trainer = UserFactory(username="trener")
    course = CourseFactory(centre=centre, slug="polski", trainers=[trainer])
    place = EnrolmentFactory(course=course)
    services.closure_save(
        closure=Closure(centre=centre, starts_on=date(2027, 1, 12), ends_on=date(2027, 1, 12))
    )
    return {"course": course, "session": first_session(course), "place": place}


def test_every_answer_matches_its_declared_schema(schema, staff_api, world) -> None:
    course, session = world["course"], world["session"]
    reads = [
        ("/api/v1/centres/", "/api/v1/centres/"),
        ("/api/v1/centres/{slug}/", "/api/v1/centres/cic-poznan/"),
        ("/api/v1/venues/", "/api/v1/venues/"),
        ("/api/v1/courses/", "/api/v1/courses/"),
        ("/api/v1/courses/{id}/", f"/api/v1/courses/{course.pk}/"),
        ("/api/v1/sessions/", "/api/v1/sessions/"),
        ("/api/v1/sessions/{id}/", f"/api/v1/sessions/{session.pk}/"),
        ("/api/v1/closures/", "/api/v1/closures/"),
        ("/api/v1/enrolments/", f"/api/v1/enrolments/?course={course.pk}"),
        ("/api/v1/sessions/{id}/attendance/", f"/api/v1/sessions/{session.pk}/attendance/"),
    ]
    for path, url in reads:
        response = staff_api.get(url)
        assert response.status_code == 200, url
        _check(schema, path, "get", response)


def test_every_operation_documents_its_error_answers(schema) -> None:
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            wanted = {"401"}
            if "{" in path:
                wanted.add("404")
            if method in ("post", "put", "patch"):
                wanted |= {"400", "409", "503"}
            if method == "delete":
                wanted |= {"409", "503"}
            if wanted - documented:
                missing.append(f"{method.upper()} {path}: {sorted(wanted - documented)}")
    assert missing == []
    throttled = schema["paths"]["/api/v1/enrolments/"]["post"]["responses"]
    assert "429" in throttled
    assert "403" in schema["paths"]["/api/v1/courses/"]["post"]["responses"]
    assert "403" not in schema["paths"]["/api/v1/courses/"]["get"]["responses"]


def test_error_answers_have_the_documented_bodies(
    schema, api, anonymous_api, world, other_centre, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    course, session = world["course"], world["session"]
    staff = UserFactory(username="staff-of-poznan-too", staff_of=[course.centre])
    outsider = UserFactory(username="nobodys-staff")

    api.force_authenticate(staff)
    bad = api.post("/api/v1/courses/", {"centre": "cic-poznan"}, format="json")
    assert bad.status_code == 400
    _check(schema, "/api/v1/courses/", "post", bad)
    bad_rule = api.patch(
        f"/api/v1/courses/{course.pk}/", {"recurrence": "RRULE:FREQ=HOURLY"}, format="json"
    )
    assert bad_rule.status_code == 400
    _check(schema, "/api/v1/courses/{id}/", "patch", bad_rule)

    wrong_token = anonymous_api.get("/api/v1/courses/", HTTP_AUTHORIZATION="Token nonsense")
    assert wrong_token.status_code == 401
    _check(schema, "/api/v1/courses/", "get", wrong_token)
    anonymous = anonymous_api.post("/api/v1/courses/", {}, format="json")
    assert anonymous.status_code == 401
    _check(schema, "/api/v1/courses/", "post", anonymous)

    api.force_authenticate(outsider)
    forbidden = api.post("/api/v1/courses/", {}, format="json")
    assert forbidden.status_code == 403
    _check(schema, "/api/v1/courses/", "post", forbidden)
    api.force_authenticate(UserFactory(username="staff-elsewhere", staff_of=[other_centre]))
    not_found = api.patch(f"/api/v1/courses/{course.pk}/", {"capacity": 3}, format="json")
    assert not_found.status_code == 404
    _check(schema, "/api/v1/courses/{id}/", "patch", not_found)

    api.force_authenticate(staff)
    api.post(f"/api/v1/sessions/{session.pk}/cancel/")
    refused = api.post(
        f"/api/v1/sessions/{session.pk}/move/",
        {"starts_at": "2027-01-05T19:00:00+01:00", "ends_at": "2027-01-05T20:00:00+01:00"},
        format="json",
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "session_cancelled"
    _check(schema, "/api/v1/sessions/{id}/move/", "post", refused)

    def busy(**kwargs: Any) -> Any:
        raise Busy("Many people are enrolling right now. Please try again.")

    monkeypatch.setattr("courses.api.enrolments.enrolment_request", busy)
    person = {"name": "Jan", "phone": "+48601000009", "language": "pl", "sms_consent": True}
    busy_answer = api.post(
        "/api/v1/enrolments/", {"course": course.pk, "participant": person}, format="json"
    )
    assert busy_answer.status_code == 503
    _check(schema, "/api/v1/enrolments/", "post", busy_answer)

    settings.ENROLMENT_RATE = "1/hour"
    for _ in range(2):
        throttled = anonymous_api.post(
            "/api/v1/enrolments/", {"course": course.pk, "participant": person}, format="json"
        )
    assert throttled.status_code == 429
    _check(schema, "/api/v1/enrolments/", "post", throttled)
