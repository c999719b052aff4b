"""A seat lock held by others is waited for ENROLMENT_LOCK_TIMEOUT_SECONDS at most in all, then
"busy" (503, code busy, Retry-After), storing nothing; the same request later enrols once.

The wait that used to last twice the setting: another request queues on the course row first,
so ours waits for the row's tuple lock behind it, and when the holder commits and the other
request takes the row, waits again for that one's transaction. lock_timeout starts afresh at
each of those locks; the statement timeout around the locking statement does not."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction
from rest_framework.test import APIClient

from courses.errors import Busy
from courses.models import Course, Enrolment, Participant
from courses.services import enrolment as services
from courses.services import locking
from tests.factories import CourseFactory
from tests.faults.conftest import serve
from tests.verification import sms_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LIMIT = 2.0  # ENROLMENT_LOCK_TIMEOUT_SECONDS in these tests
MARGIN = 0.6
PHONE = "+48601000077"


@pytest.fixture
def course(centre: Any, settings: Any) -> Course:
    settings.ENROLMENT_LOCK_TIMEOUT_SECONDS = LIMIT
    return CourseFactory(centre=centre, slug="polski-a1", capacity=5)


@pytest.fixture
def verify(course: Course) -> dict[str, str]:
    """A self-enrolment asked for, its code read from the SMS: what the verify step sends."""
    asked = APIClient().post(
        "/api/v1/enrolments/",
        {
            "course": course.pk,
            "participant": {"name": "Nino", "phone": PHONE, "language": "uk", "sms_consent": True},
        },
        format="json",
    )
    assert asked.status_code == 202
    verification = asked.json()["verification"]
    return {"verification": verification, "code": sms_code(verification)}


def _hold(course: Course, locked: threading.Event, release: threading.Event) -> None:
    try:
        with transaction.atomic():
            Course.objects.select_for_update().get(pk=course.pk)
            locked.set()
            release.wait(30)
    finally:
        connections.close_all()


@pytest.fixture
def queue_on_the_course(course: Course) -> Iterator[None]:
    """One transaction holds the course row and lets go LIMIT * 0.6 s after the test goes on;
    a second one waits for the row before ours and, once it has it, holds it to the end."""
    first_locked, first_release = threading.Event(), threading.Event()
    second_locked, second_release = threading.Event(), threading.Event()
    first = threading.Thread(target=_hold, args=(course, first_locked, first_release))
    second = threading.Thread(target=_hold, args=(course, second_locked, second_release))
    first.start()
    assert first_locked.wait(10)
    second.start()
    time.sleep(0.3)  # the second one is waiting on the row now
    threading.Timer(LIMIT * 0.6, first_release.set).start()
    try:
        yield
        assert second_locked.is_set()  # the row passed on to the second one while we waited
    finally:
        first_release.set()
        second_release.set()
        first.join(30)
        second.join(30)


def test_busy_after_the_lock_limit_in_all_with_retry_after_and_nothing_stored(
    verify: dict[str, str], queue_on_the_course: None
) -> None:
    busy = serve("/api/v1/enrolments/verify/", method="POST", body=verify)
    assert busy.status == 503
    assert busy.json()["code"] == "busy"
    assert busy.headers["Retry-After"] == "5"
    assert LIMIT - 0.1 < busy.seconds < LIMIT + MARGIN
    assert not Participant.objects.filter(phone=PHONE).exists()
    assert not Enrolment.objects.exists()


def test_the_same_request_after_a_busy_answer_enrols_once(
    verify: dict[str, str], course: Course
) -> None:
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold, args=(course, locked, release))
    holder.start()
    assert locked.wait(10)
    try:
        assert serve("/api/v1/enrolments/verify/", method="POST", body=verify).status == 503
    finally:
        release.set()
        holder.join(30)
    again = serve("/api/v1/enrolments/verify/", method="POST", body=verify)
    assert again.status == 201, again.text
    assert Enrolment.objects.filter(participant__phone=PHONE).count() == 1


@contextmanager
def _lock_timeout_per_lock() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = {int(LIMIT * 1000)}")
    try:
        yield
    except OperationalError as exc:
        raise Busy("busy") from exc


def test_control_lock_timeout_alone_waits_longer_than_the_limit(
    course: Course, queue_on_the_course: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: with lock_timeout instead of the statement's limit, the same queue makes
    the request wait well past the setting before it is busy."""
    monkeypatch.setattr(locking, "locking", _lock_timeout_per_lock)
    person = Participant.objects.create(
        centre=course.centre, name="Nino", phone=PHONE, sms_consent=True
    )
    started = time.monotonic()
    with pytest.raises(Busy):
        services.enrolment_create(course=course, participant=person)
    assert time.monotonic() - started > LIMIT + MARGIN
