"""A list filtered by a row's id (`?course=`, `?session=`) takes a whole number the database
can hold: anything else (found by the fuzzer: `?course=-1.7976931348623155e+308`, which the
database could not take, a 500) is a 400 that names the filter, and a right one still filters."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import CourseFactory, EnrolmentFactory, first_session

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/enrolments/", "/api/v1/appointments/", "/api/v1/sessions/"]
WRONG = ["-1.7976931348623155e+308", "99999999999999999999", "1.5", "0", "x", "1_0", "+1", "0_1"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("value", WRONG)
def test_an_id_filter_that_is_no_id_is_a_400_naming_it(
    staff_client: Client, path: str, value: str
) -> None:
    response = staff_client.get(path, {"course": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert list(response.json()) == ["course"]


def test_a_right_id_still_filters(staff_client: Client, centre) -> None:
    kept, other = (CourseFactory(centre=centre, slug=slug) for slug in ("a1", "a2"))
    EnrolmentFactory(course=kept)
    EnrolmentFactory(course=other)
    found = staff_client.get("/api/v1/enrolments/", {"course": kept.pk}).json()
    assert [row["course"] for row in found["results"]] == [kept.pk]
    sessions = staff_client.get("/api/v1/sessions/", {"course": kept.pk}).json()
    assert sessions["results"]
    assert {row["id"] for row in sessions["results"]} >= {first_session(kept).pk}
    assert staff_client.get("/api/v1/enrolments/", {"session": "1e400"}).status_code == 400
    # written as int() reads it but not in decimal digits alone: refused, not another course
    assert staff_client.get("/api/v1/enrolments/", {"course": f"+{kept.pk}"}).status_code == 400
    spaced = staff_client.get("/api/v1/enrolments/", {"course": f" {kept.pk} "}).json()
    assert [row["course"] for row in spaced["results"]] == [kept.pk]
