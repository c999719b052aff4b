"""The API's token (`courses.api.authentication.StaffTokenAuthentication`): who the caller is
and the centres they are staff of, read together; refused as DRF refuses; the centres as they
are at each request."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from courses.models import Centre, Enrolment
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _desk(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return api


def _enrol(api: APIClient, course: Any, phone: str) -> Any:
    person = {"name": "Olena", "phone": phone, "language": "uk", "sms_consent": True}
    return api.post("/api/v1/enrolments/", {"course": course.pk, "participant": person}, "json")


def test_an_unknown_token_and_an_inactive_users_are_refused(staff_user: Any) -> None:
    assert _desk("0" * 40).get("/api/v1/enrolments/").json()["detail"] == "Invalid token."
    key = Token.objects.create(user=staff_user).key
    staff_user.is_active = False
    staff_user.save()
    answer = _desk(key).get("/api/v1/enrolments/")
    assert answer.status_code == 401
    assert answer.json()["detail"] == "User inactive or deleted."


def test_staff_enrol_with_a_token_only_in_their_centres_as_they_are_now(
    centre: Centre, other_centre: Centre
) -> None:
    staff = UserFactory(username="desk-two", is_staff=True, staff_of=[centre, other_centre])
    api = _desk(Token.objects.create(user=staff).key)
    here, there = (
        CourseFactory(centre=c, start_date=date(2027, 1, 5)) for c in (centre, other_centre)
    )
    assert _enrol(api, here, "+48601000011").status_code == 201
    assert _enrol(api, there, "+48601000012").status_code == 201
    other_centre.staff.remove(staff)  # no longer staff there: the next request knows it
    asked = _enrol(api, there, "+48601000013")
    # As anyone else: the person must prove the phone with a code first.
    assert asked.status_code == 202, asked.content
    assert "verification" in asked.json()
    assert not Enrolment.objects.filter(participant__phone="+48601000013").exists()
