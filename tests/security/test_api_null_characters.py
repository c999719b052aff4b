"""A NUL character anywhere in an API body is a 400 naming the field, for every endpoint and
field, and changes nothing: PostgreSQL refuses NUL in text, so a slug lookup with one (the
`centre` of a venue, a course or a closure) was a 500."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest
from rest_framework import serializers

from courses.models import Centre, Course, Venue
from tests.factories import CourseFactory, EnrolmentFactory, VenueFactory, first_session

pytestmark = pytest.mark.django_db
NUL = "a\x00b"
MESSAGE = "Null characters are not allowed."


@pytest.fixture
def world(centre):
    course = CourseFactory(centre=centre, slug="polski")
    return {
        "course": course,
        "venue": VenueFactory(centre=centre, name="Sala"),
        "session": first_session(course),
        "place": EnrolmentFactory(course=course),
    }


def _cases(world: dict[str, Any]) -> list[tuple[str, str, Any, list[str]]]:
    """(method, url, body, path of the error) for every kind of input the API takes."""
    course, venue, session = world["course"], world["venue"], world["session"]
    person = {"name": "Jan", "phone": "+48601000001", "language": "pl", "sms_consent": True}
    return [
        ("patch", f"/api/v1/courses/{course.pk}/", {"slug": NUL}, ["slug"]),
        ("patch", f"/api/v1/courses/{course.pk}/", {"centre": NUL}, ["centre"]),
        ("patch", f"/api/v1/courses/{course.pk}/", {"title": NUL}, ["title"]),
        ("patch", f"/api/v1/courses/{course.pk}/", {"recurrence": NUL}, ["recurrence"]),
        ("patch", f"/api/v1/courses/{course.pk}/", {"kind": NUL}, ["kind"]),
        ("patch", f"/api/v1/courses/{course.pk}/", {"trainers": [NUL]}, ["trainers", "0"]),
        ("patch", f"/api/v1/courses/{course.pk}/", {NUL: "x"}, ["non_field_errors"]),
        ("patch", f"/api/v1/venues/{venue.pk}/", {"centre": NUL}, ["centre"]),
        ("patch", f"/api/v1/venues/{venue.pk}/", {"name": NUL}, ["name"]),
        ("patch", "/api/v1/centres/cic-poznan/", {"slug": NUL}, ["slug"]),
        ("patch", "/api/v1/centres/cic-poznan/", {"website": NUL}, ["website"]),
        (
            "post",
            "/api/v1/closures/",
            {"centre": NUL, "starts_on": "2027-01-12", "ends_on": "2027-01-12"},
            ["centre"],
        ),
        ("patch", f"/api/v1/sessions/{session.pk}/", {"note": NUL}, ["note"]),
        (
            "post",
            f"/api/v1/sessions/{session.pk}/move/",
            {"starts_at": NUL, "ends_at": "2027-01-05T19:30:00+01:00"},
            ["starts_at"],
        ),
        (
            "post",
            "/api/v1/enrolments/",
            {"course": course.pk, "participant": {**person, "name": NUL}},
            ["participant", "name"],
        ),
        (
            "put",
            f"/api/v1/sessions/{session.pk}/attendance/",
            [{"participant": world["place"].participant_id, "status": NUL}],
            ["0", "status"],
        ),
        (
            "put",
            f"/api/v1/sessions/{session.pk}/attendance/",
            {"attendance": [{"participant": 1, "status": "present", "at": NUL}]},
            ["attendance", "0", "at"],
        ),
    ]


def _snapshot() -> list[Any]:
    return [list(model.objects.order_by("pk").values()) for model in (Centre, Venue, Course)]


def test_a_nul_character_in_any_json_field_is_a_400_naming_it(staff_api, world) -> None:
    staff_api.raise_request_exception = False
    before = _snapshot()
    for method, url, body, path in _cases(world):
        response = getattr(staff_api, method)(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, (url, body, response.content[:300])
        found: Any = response.json()
        for key in path:
            found = found[key]
        assert MESSAGE in found, (url, body, response.json())
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/api/v1/venues/{venue}/", {"centre": NUL}),
        ("/api/v1/courses/{course}/", {"centre": NUL}),
    ],
)
def test_a_nul_character_in_a_form_encoded_slug_is_a_400(staff_api, world, url, fields) -> None:
    """A form body is not read by the JSON parser: the slug field refuses NUL itself."""
    staff_api.raise_request_exception = False
    url = url.format(venue=world["venue"].pk, course=world["course"].pk)
    response = staff_api.patch(url, fields, format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["centre"] == [MESSAGE]


def test_a_nul_character_in_a_form_encoded_closure_centre_is_a_400(staff_api, world) -> None:
    staff_api.raise_request_exception = False
    response = staff_api.post(
        "/api/v1/closures/",
        {"centre": NUL, "starts_on": "2027-01-12", "ends_on": "2027-01-12"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["centre"] == [MESSAGE]


def test_the_message_is_translated(staff_api, world) -> None:
    response = staff_api.patch(
        f"/api/v1/venues/{world['venue'].pk}/",
        {"centre": NUL},
        format="json",
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert response.status_code == 400
    assert response.json()["centre"] != [MESSAGE]


API_MODULES = [
    "courses.api.catalogue",
    "courses.api.enrolments",
    "courses.api.attendance",
    "scheduling.api",
]


def _fields(serializer: Any) -> list[Any]:
    found = []
    for field in serializer.fields.values():
        found.append(field)
        if isinstance(field, serializers.BaseSerializer) and hasattr(field, "fields"):
            found += _fields(field)
        child = getattr(field, "child_relation", None) or getattr(field, "child", None)
        if child is not None:
            found.append(child)
    return found


def test_every_writable_slug_field_of_the_api_refuses_nul_itself() -> None:
    """The class: a related field looked up by text hands its input to the database. Each one
    the API writes through is courses.api.base.SlugRelatedField."""
    modules = [importlib.import_module(name) for name in API_MODULES]
    safe = getattr(importlib.import_module("courses.api.base"), "SlugRelatedField", ())
    plain = []
    for name, module in zip(API_MODULES, modules, strict=True):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, serializers.Serializer) or cls.__module__ != name:
                continue
            for field in _fields(cls()):
                if (
                    isinstance(field, serializers.SlugRelatedField)
                    and not field.read_only
                    and not isinstance(field, safe)
                ):
                    plain.append(f"{name}.{cls.__name__}.{field.field_name}")
    assert plain == []
