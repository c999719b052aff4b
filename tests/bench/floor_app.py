"""The floor the enrolment bench compares with: a minimal Django view doing the same locking
transaction as an enrolment, served by the same gunicorn with the project's settings and
middleware (only the URLconf is this one): lock the course row (SELECT ... FOR UPDATE), count
its seats, insert the place, commit. Nothing else: no person found or added, no event, no
audit, no notice, no serializer.

`DJANGO_SETTINGS_MODULE=tests.bench.floor_app`, application `tests.bench.timed_app:application`
(which times its course lock as it times the project's).
"""

from __future__ import annotations

import json

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


def ready(request: HttpRequest) -> JsonResponse:
    return JsonResponse({})


urlpatterns = [path("floor/enrol/", enrol), path("floor/ready/", ready)]
