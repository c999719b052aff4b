"""Two generations of one course at once (a course save and the daily horizon task, say) never
duplicate a session nor fail: the course row is locked before the rule is expanded."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection, connections

from courses.models import Course
from scheduling import rules, services
from scheduling.models import Session
from tests.factories import CourseRowFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _course_without_sessions() -> Course:
    # Ten Tuesdays at 18:00 from 5 January 2027, saved without generating them.
    return CourseRowFactory(slug="a1", title_pl="A1", published=False)


def _race(course: Course, *, lock: bool, monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Run two syncs so that, unless something serialises them, both expand before either writes."""
    # With the lock, one writer waits for the other and the barrier times out; without it both
    # reach it, however slow a busy machine makes them (a short timeout there broke the race).
    barrier = threading.Barrier(2, timeout=2 if lock else 30)
    real_expand = rules.expand

    def expand_then_wait(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_expand(*args, **kwargs)
        # When the other one is blocked on the lock, the barrier breaks: go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return result

    monkeypatch.setattr(rules, "expand", expand_then_wait)
    if not lock:
        monkeypatch.setattr(Course.objects, "select_for_update", lambda: Course.objects)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            services.course_sessions_sync(
                course=Course.objects.select_related("centre").get(pk=course.pk)
            )
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_concurrent_generation_makes_each_session_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert connection.vendor == "postgresql"
    course = _course_without_sessions()
    errors = _race(course, lock=True, monkeypatch=monkeypatch)
    assert errors == []
    assert Session.objects.filter(course=course).count() == 10


def test_without_the_lock_the_race_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: with the course lock removed, the second writer hits the unique constraint."""
    course = _course_without_sessions()
    errors = _race(course, lock=False, monkeypatch=monkeypatch)
    assert len(errors) == 1
    assert "session_one_per_rule_occurrence" in str(errors[0])
    assert Session.objects.filter(course=course).count() == 10
