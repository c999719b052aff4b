"""A real Celery worker on a real broker runs the periodic task (CI: Redis)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from scheduling import rules, tasks
from scheduling.services import ClosedDays
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker():
    if not django_settings.CELERY_BROKER_URL.startswith(("redis://", "amqp://")):
        pytest.skip(
            "needs a broker server (CELERY_BROKER_URL=redis://127.0.0.1:6379/0; CI sets it): "
            "starts a real worker"
        )
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def test_worker_extends_the_horizon_through_the_broker(settings, worker) -> None:
    settings.SESSION_HORIZON_DAYS = 30
    today = timezone.localdate()
    next_tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    course = CourseFactory(start_date=next_tuesday, rule="RRULE:FREQ=WEEKLY;BYDAY=TU")
    before = course.sessions.count()
    settings.SESSION_HORIZON_DAYS = 90
    expected = len(
        rules.expand(
            course.schedule(),
            until=course.centre.horizon_end(),
            excluded_dates=ClosedDays([], public_holidays=True),
        )
    )
    assert expected > before

    tasks.sessions_extend_horizon.delay()
    deadline = time.monotonic() + 30
    while course.sessions.count() < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert course.sessions.count() == expected
