"""Deleting a course while a closure of its centre is deleted (which re-generates the sessions
of the centre's courses): both answer without a 500, whichever comes first, and the course is
gone with all its sessions. The two meet on the course rows, locked in the same order by both.

The threads are made to meet where the race hurts: the closure's re-generation holds a course
and the course's deletion waits for it, or the course is deleted and the closure's
re-generation comes to it before that commits."""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from courses.models import Course
from scheduling import rules
from scheduling.models import Closure, Session
from scheduling.services import closure_save
from tests.factories import CourseFactory
from tests.threads import all_at_once

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WAIT = 3  # seconds one thread gives the other to reach the point where they meet


@pytest.fixture
def world(centre, staff_user):
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=WARSAW), tick=False):
        courses = [
            CourseFactory(centre=centre, slug=f"kurs-{n}", start_date=date(2027, 1, 5))
            for n in range(3)
        ]
        closure = closure_save(
            closure=Closure(centre=centre, starts_on=date(2027, 1, 12), ends_on=date(2027, 1, 19))
        )
    assert all(c.sessions.count() == 8 for c in courses)  # two Tuesdays closed
    return {"courses": courses, "closure": closure, "user": staff_user}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.raise_request_exception = False  # a 500 is an answer to assert on
    return client


def _delete(user, url: str, before: threading.Event | None = None) -> int:
    if before is not None:
        before.wait(WAIT)
    with time_machine.travel(datetime(2026, 12, 1, 9, tzinfo=WARSAW), tick=False):
        return _client(user).delete(url).status_code


def _assert_clean(statuses: list[int], errors: list[BaseException], deleted: Course) -> None:
    assert errors == []
    assert 500 not in statuses, statuses
    assert set(statuses) <= {204, 404, 409, 503}, statuses
    assert not Course.objects.filter(pk=deleted.pk).exists()
    assert not Session.objects.filter(course_id=deleted.pk).exists()


@pytest.mark.parametrize("victim", [0, 1, 2])
def test_the_closure_regenerates_first_while_the_course_is_deleted(
    world, monkeypatch: pytest.MonkeyPatch, victim: int
) -> None:
    """The closure's re-generation holds a course (it is expanding its rule) when the course's
    deletion starts; it goes on after a while, as if the deletion had stopped at the lock."""
    holding = threading.Event()
    real_expand = rules.expand

    def expand_slowly(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not holding.is_set():
            holding.set()
            threading.Event().wait(WAIT)
        return real_expand(*args, **kwargs)

    monkeypatch.setattr(rules, "expand", expand_slowly)
    course = world["courses"][victim]
    statuses, errors = all_at_once(
        [
            lambda: _delete(world["user"], f"/api/v1/closures/{world['closure'].pk}/"),
            lambda: _delete(world["user"], f"/api/v1/courses/{course.pk}/", before=holding),
        ]
    )
    _assert_clean(statuses, errors, course)
    assert not Closure.objects.exists()
    for other in world["courses"]:
        if other != course:
            assert other.sessions.count() == 10  # the closed Tuesdays are back


@pytest.mark.parametrize("victim", [0, 1, 2])
def test_the_course_is_deleted_first_while_the_closure_regenerates(
    world, monkeypatch: pytest.MonkeyPatch, victim: int
) -> None:
    """The course's deletion has deleted its rows and not committed yet when the closure's
    re-generation comes to it."""
    deleted = threading.Event()
    real_delete = Course.delete

    def delete_then_linger(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_delete(self, *args, **kwargs)
        deleted.set()
        threading.Event().wait(WAIT)
        return result

    monkeypatch.setattr(Course, "delete", delete_then_linger)
    course = world["courses"][victim]
    statuses, errors = all_at_once(
        [
            lambda: _delete(world["user"], f"/api/v1/courses/{course.pk}/"),
            lambda: _delete(
                world["user"], f"/api/v1/closures/{world['closure'].pk}/", before=deleted
            ),
        ]
    )
    _assert_clean(statuses, errors, course)
    assert not Closure.objects.exists()
    for other in world["courses"]:
        if other != course:
            assert other.sessions.count() == 10
