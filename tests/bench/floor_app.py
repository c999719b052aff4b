"""The floors the enrolment bench compares with, served by the same gunicorn with the project's
settings and middleware (only the URLconf is this one):

- `floor/enrol/`: a minimal Django view doing the same locking transaction as an enrolment:
  lock the course row (SELECT ... FOR UPDATE), count its seats, insert the place, commit.
  Nothing else: no person found or added, no event, no audit, no notice, no serializer.
- `floor/enrol-one-message/`: the same transaction with the decision taken by the database, as
  one message (BEGIN, the lock, the place inserted waiting, made confirmed when the count of
  seats taken, a statement of its own and so its own snapshot, leaves one, COMMIT): the course
  row is held for no round trip at all, only for the server's work. Its lock is timed by the
  server's clock (`clock_timestamp()`) from when the lock was had to right after the COMMIT
  (a last statement of the message, outside the transaction), and logged as `timed_app`
  logs.

`DJANGO_SETTINGS_MODULE=tests.bench.floor_app`, application `tests.bench.timed_app:application`
(which times its course lock as it times the project's).
"""

from __future__ import annotations

import json
import os

from config.settings import *  # noqa: F403 - the project's settings, another URLconf

ROOT_URLCONF = "tests.bench.floor_app"

from django.db import transaction  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402


@csrf_exempt
def enrol(request: HttpRequest) -> JsonResponse:
    from courses.models import SEAT_STATUSES, Course, Enrolment, EnrolmentStatus

    body = json.loads(request.body)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=body["course"])
        taken = Enrolment.objects.filter(
            course=course, session=None, status__in=SEAT_STATUSES
        ).count()
        enrolment = Enrolment.objects.create(
            course=course,
            participant_id=body["participant"],
            status=EnrolmentStatus.CONFIRMED
            if taken < course.capacity
            else EnrolmentStatus.WAITLISTED,
        )
    return JsonResponse({"id": enrolment.pk, "status": enrolment.status}, status=201)


def _one_message(course: int, participant: int) -> tuple[str, list[object]]:
    """`enrol_in_one_message`'s message and its parameters: the place's INSERT as Django makes
    it, between the lock and the UPDATE that decides."""
    from courses import writes
    from courses.models import SEAT_STATUSES, Enrolment, EnrolmentStatus

    row = Enrolment(course_id=course, participant_id=participant, status=EnrolmentStatus.WAITLISTED)
    ((insert, params),) = writes._insert_sql([row], ignore_conflicts=False)
    table = Enrolment._meta.db_table
    taken = ", ".join(f"'{status}'" for status in SEAT_STATUSES)
    # The table, the statuses and the INSERT are the project's own; the values are parameters.
    sql = (
        "BEGIN; "  # noqa: S608
        "SELECT extract(epoch FROM clock_timestamp()) FROM courses_course WHERE id = %s "
        "FOR NO KEY UPDATE; "
        f"{insert} RETURNING id; "
        f"UPDATE {table} SET status = 'confirmed' WHERE id = currval("
        f"pg_get_serial_sequence('{table}', 'id')) AND (SELECT count(*) FROM {table} "
        f"WHERE course_id = %s AND session_id IS NULL AND status IN ({taken})) "
        "< (SELECT capacity FROM courses_course WHERE id = %s) RETURNING status; "
        "COMMIT; "
        "SELECT extract(epoch FROM clock_timestamp())"  # the lock let go: right after COMMIT
    )
    return sql, [course, *params, course, course]


@csrf_exempt
def enrol_in_one_message(request: HttpRequest) -> JsonResponse:
    from django.db import connection

    from courses.models import EnrolmentStatus

    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(*_one_message(body["course"], body["participant"]))
        cursor.nextset()  # past BEGIN, to the lock's row
        (locked_at,) = cursor.fetchone()
        cursor.nextset()
        (place,) = cursor.fetchone()
        cursor.nextset()
        confirmed = cursor.fetchone() is not None
        cursor.nextset()  # past COMMIT
        cursor.nextset()
        (let_go_at,) = cursor.fetchone()
    held = float(let_go_at) - float(locked_at)
    if LOG:
        with open(LOG, "a") as log:  # as tests.bench.timed_app logs: all of it the database's
            log.write(f"{request.path_info} {held:.6f} 1 1 {held:.6f} 0\n")
    status = EnrolmentStatus.CONFIRMED if confirmed else EnrolmentStatus.WAITLISTED
    return JsonResponse({"id": place, "status": status}, status=201)


def ready(request: HttpRequest) -> JsonResponse:
    return JsonResponse({})


LOG = os.environ.get("BENCH_LOCK_LOG", "")

urlpatterns = [
    path("floor/enrol/", enrol),
    path("floor/enrol-one-message/", enrol_in_one_message),
    path("floor/ready/", ready),
]
