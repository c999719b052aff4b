"""What one enrolment costs the database: the statements of the request, and those run while
the course row is locked (from its SELECT ... FOR NO KEY UPDATE to the COMMIT), for staff at
the desk (with a token) and for a person proving their phone (POST verify/), confirmed and
waitlisted. The rate limit's own statements (the cache table) are left out: they are the
throttle's, measured with it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from courses.models import Course
from tests.factories import CourseFactory
from tests.verification import sms_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# While the row is locked (COMMIT not counted): one message, with every write of the enrolment
# (courses.writes); before, each was a round trip of its own.
IN_THE_LOCK = 1
WRITES = ('"courses_enrolment"', '"courses_enrolmentevent"', '"notifications_outboundmessage"')


def _statements(run: Any) -> tuple[Any, list[str]]:
    """The request's statements, but for the rate limit's (its transactions on the cache)."""
    with CaptureQueriesContext(connection) as captured:
        response = run()
    kept: list[str] = []
    current: list[str] = []
    for sql in (q["sql"] for q in captured.captured_queries):
        if sql == "BEGIN" or current:
            current.append(sql)
            if sql in ("COMMIT", "ROLLBACK"):
                if not any("integra_cache" in s for s in current):
                    kept += current
                current = []
        elif "integra_cache" not in sql:
            kept.append(sql)
    return response, kept + current


def _in_the_lock(statements: list[str]) -> list[str]:
    start = next(
        i
        for i, sql in enumerate(statements)
        if 'FROM "courses_course"' in sql and "FOR NO KEY UPDATE" in sql
    )
    end = next(i for i in range(start, len(statements)) if statements[i] == "COMMIT")
    return statements[start + 1 : end]


def _ahead_of_the_lock(statements: list[str], write: str) -> bool:
    """Whether `write` is in the lock's message, before its locking read."""
    message = next(sql for sql in statements if "FOR NO KEY UPDATE" in sql)
    return write in message.split("FOR NO KEY UPDATE")[0].split('FROM "courses_course"')[0]


def _person(course: Course, phone: str) -> dict[str, Any]:
    return {
        "course": course.pk,
        "participant": {"name": "Olena", "phone": phone, "language": "uk", "sms_consent": True},
    }


@pytest.fixture
def course(centre: Any) -> Any:
    return CourseFactory(centre=centre, capacity=1, start_date=date(2027, 1, 5))


def _verified(course: Course, phone: str) -> tuple[Any, list[str]]:
    api = APIClient()
    asked = api.post("/api/v1/enrolments/", _person(course, phone), format="json")
    assert asked.status_code == 202
    code = {"verification": asked.json()["verification"]}
    code["code"] = sms_code(code["verification"])
    return _statements(lambda: api.post("/api/v1/enrolments/verify/", code, format="json"))


@pytest.mark.parametrize("status", ["confirmed", "waitlisted"])
def test_a_verified_enrolment_writes_in_one_message_while_the_course_is_locked(
    course: Course, status: str
) -> None:
    if status == "waitlisted":
        assert _verified(course, "+48601000001")[0].json()["status"] == "confirmed"
    response, statements = _verified(course, "+48601000002")
    assert response.status_code == 201
    assert response.json()["status"] == status
    locked = _in_the_lock(statements)
    assert len(locked) == IN_THE_LOCK, "\n".join(locked)
    assert all(f"INSERT INTO {table}" in locked[0] for table in WRITES), locked[0]
    # BEGIN, the code's request locked, the person added or found (one statement), the
    # sessions the texts tell, the lock and the count (one message, with the code marked used
    # ahead of it, the lock's statement timeout and the enrolment's id), the writes (the
    # enrolment, its event, its SMS) with the COMMIT: 6 round trips (11 before the writes were
    # one), 5 statements but BEGIN and COMMIT (Django's COMMIT is logged, psycopg sends none).
    assert len(statements) <= 7, "\n".join(statements)
    assert locked[0].rstrip().endswith("; COMMIT"), locked[0]
    # The code marked used does not wait for the decision: it goes ahead of the lock, in the
    # lock's own message.
    assert 'UPDATE "courses_phoneverification"' not in locked[0], locked[0]
    assert _ahead_of_the_lock(statements, 'UPDATE "courses_phoneverification"')


@pytest.mark.parametrize("status", ["confirmed", "waitlisted"])
def test_staff_enrolment_at_the_desk_writes_in_one_message_while_the_course_is_locked(
    course: Course, staff_user: Any, status: str
) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user).key}")

    def enrol(phone: str) -> Any:
        return api.post("/api/v1/enrolments/", _person(course, phone), format="json")

    if status == "waitlisted":
        assert enrol("+48601000001").json()["status"] == "confirmed"
    response, statements = _statements(lambda: enrol("+48601000002"))
    assert response.status_code == 201
    assert response.json()["status"] == status
    locked = _in_the_lock(statements)
    assert len(locked) == IN_THE_LOCK, "\n".join(locked)
    assert all(f"INSERT INTO {table}" in locked[0] for table in WRITES), locked[0]
    assert 'INSERT INTO "courses_auditentry"' in locked[0], locked[0]
    # Also: the token with the centres the user is staff of (one query, for the throttle, the
    # view and the service) and the course; the person's audit entry goes with the enrolment's
    # writes: 6 statements but BEGIN and COMMIT, 7 round trips (14 before the writes were one).
    assert len(statements) <= 8, "\n".join(statements)
    assert locked[0].rstrip().endswith("; COMMIT"), locked[0]
    # The enrolment's audit entry under the lock; the person's (added at the desk) ahead of it.
    assert locked[0].count('INSERT INTO "courses_auditentry"') == 1, locked[0]
    assert _ahead_of_the_lock(statements, 'INSERT INTO "courses_auditentry"')
