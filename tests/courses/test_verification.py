"""What the SMS-code step promises beyond the happy path: codes limited per client, requests
not kept past a day, the code sent as soon as the request is saved."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from courses.models import PhoneVerification
from courses.services import verification
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def body(course, phone: str) -> dict:
    person = {"name": "Olena", "phone": phone, "language": "uk", "sms_consent": True}
    return {"course": course.pk, "participant": person}


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, capacity=5, start_date=date(2027, 1, 5))


def test_codes_asked_for_by_one_client_are_limited(api, course, settings) -> None:
    settings.VERIFICATION_CODES_PER_CLIENT = "2/hour"
    statuses = [
        api.post("/api/v1/enrolments/", body(course, f"+4860100000{n}"), format="json").status_code
        for n in range(3)
    ]
    assert statuses == [202, 202, 429]
    assert PhoneVerification.objects.count() == 2  # no code for the refused one


def test_requests_are_deleted_a_day_after_they_were_made(api, course) -> None:
    api.post("/api/v1/enrolments/", body(course, "+48601000001"), format="json")
    assert verification.verifications_purge() == 0
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert verification.verifications_purge() >= 1
    assert not PhoneVerification.objects.exists()


def test_the_code_is_sent_as_soon_as_the_request_is_saved(
    api, course, django_capture_on_commit_callbacks
) -> None:
    with (
        mock.patch("notifications.services.planning.current_app.send_task") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        api.post("/api/v1/enrolments/", body(course, "+48601000001"), format="json")
    send.assert_called_once_with("notifications.tasks.dispatch")
