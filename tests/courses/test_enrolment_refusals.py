"""A refused enrolment request changes nothing, whichever way it comes: the public form, the API
or staff at the admin desk. No person is stored, an existing person keeps their SMS consent and
language, and no enrolment, history, audit row or SMS is written."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from courses.errors import Busy
from courses.models import AuditEntry, Course, Enrolment, EnrolmentEvent, Participant
from courses.services.enrolment_request import enrolment_request
from courses.services.participants import ParticipantData, participant_upsert
from notifications.models import OutboundMessage
from scheduling.models import Session
from scheduling.services import session_cancel
from tests.factories import CourseFactory
from tests.verification import api_enrol, form_enrol

pytestmark = pytest.mark.django_db

KNOWN = "+48601000009"  # a person the centre already knows, without SMS consent, in Polish


def snapshot() -> dict[str, Any]:
    return {
        "people": sorted(
            Participant.objects.values_list(
                "pk", "name", "phone", "language", "sms_consent", "sms_consent_at"
            )
        ),
        "enrolments": sorted(Enrolment.objects.values_list("pk", "status", "priority")),
        "events": EnrolmentEvent.objects.count(),
        "audit": AuditEntry.objects.count(),
        # SMS to people (the code that proves a number is no message to a person)
        "sms": OutboundMessage.objects.exclude(kind="verification_code").count(),
    }


def via_form(client: Client, course: Course, person: dict[str, Any], session: Session | None):
    data = {
        "name": person["name"],
        "country": "PL",
        "phone": person["phone"],
        "language": person["language"],
        "website": "",
        **({"sms_consent": "on"} if person["sms_consent"] else {}),
        **({"session": session.pk} if session else {}),
    }
    url = f"/centres/{course.centre.slug}/courses/{course.slug}/enrol/"
    return form_enrol(Client(), url, data).status_code


def via_api(client: Client, course: Course, person: dict[str, Any], session: Session | None):
    body = {"course": course.pk, "session": session.pk if session else None, "participant": person}
    return api_enrol(APIClient(), body).status_code


def via_desk(client: Client, course: Course, person: dict[str, Any], session: Session | None):
    data = {
        "course": course.pk,
        "session": session.pk if session else "",
        "name": person["name"],
        "country": "PL",
        "phone": person["phone"],
        "language": person["language"],
        "priority": "0",
        **({"sms_consent": "on"} if person["sms_consent"] else {}),
    }
    response = client.post("/admin/courses/enrolment/add/", data)
    # A refusal is shown on the form (200), never saved and redirected.
    shown = any(
        mark in response.content.decode() for mark in ('class="errorlist', 'class="errornote')
    )
    return 400 if response.status_code == 200 and shown else response.status_code


ENTRY_POINTS: dict[str, Callable[..., int]] = {
    "form": via_form,
    "api": via_api,
    "desk": via_desk,
}


@pytest.fixture
def desk_client(client: Client, staff_user) -> Client:
    staff_user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="courses",
            codename__in=["add_enrolment", "view_enrolment", "change_enrolment"],
        )
    )
    client.force_login(staff_user)
    return client


@pytest.fixture
def known(centre) -> Participant:
    return participant_upsert(
        centre=centre, data=ParticipantData(name="Olena", phone=KNOWN, language="pl")
    )


def person(phone: str = "+48601000001", **changes: Any) -> dict[str, Any]:
    return {"name": "Iryna", "phone": phone, "language": "ru", "sms_consent": True, **changes}


def per_session(centre, **changes: Any) -> tuple[Course, Session]:
    course = CourseFactory(centre=centre, booking_mode="session", capacity=3, **changes)
    return course, course.sessions.order_by("starts_at").first()


def closed(centre) -> tuple[Course, None]:
    return CourseFactory(centre=centre, enrolment_open=False), None


def finished(centre) -> tuple[Course, None]:
    start = timezone.localdate() - timedelta(days=70)
    rule = "RRULE:FREQ=WEEKLY;COUNT=3"
    return CourseFactory(centre=centre, start_date=start, rule=rule), None


def drop_in(centre) -> tuple[Course, None]:
    return CourseFactory(centre=centre, booking_mode="open"), None


def cancelled_session(centre) -> tuple[Course, Session]:
    course, session = per_session(centre)
    session_cancel(session=session)
    return course, session


def started_session(centre) -> tuple[Course, Session]:
    yesterday = timezone.localdate() - timedelta(days=1)
    return per_session(centre, start_date=yesterday, rule="RRULE:FREQ=DAILY;COUNT=3")


def already_enrolled(centre) -> tuple[Course, None]:
    course = CourseFactory(centre=centre, capacity=5, start_date=date(2027, 1, 5))
    enrolment_request(
        course=course,
        person=ParticipantData(name="Olena", phone=KNOWN, language="pl"),
        channel="desk",
        actor=course.centre.staff.first(),
    )
    return course, None


def open_course(centre) -> tuple[Course, None]:
    return CourseFactory(centre=centre, capacity=5, start_date=date(2027, 1, 5)), None


# (what is wrong, the course it is wrong for, who asks, where it is refused)
REFUSALS = [
    ("closed for enrolment", closed, person(KNOWN), ["form", "api"]),
    ("finished", finished, person(KNOWN), ["form", "api", "desk"]),
    ("drop-in", drop_in, person(KNOWN), ["form", "api", "desk"]),
    ("session cancelled", cancelled_session, person(KNOWN), ["form", "api", "desk"]),
    ("session started", started_session, person(KNOWN), ["form", "api", "desk"]),
    ("already enrolled", already_enrolled, person(KNOWN), ["form", "api", "desk"]),
    ("no SMS consent, new person", open_course, person(sms_consent=False), ["form", "api"]),
    (
        "no SMS consent, known person",
        open_course,
        person(KNOWN, sms_consent=False),
        ["form", "api"],
    ),
    ("landline", open_course, person("+48221234567"), ["form", "api", "desk"]),
    ("unreadable phone", open_course, person("12"), ["form", "api", "desk"]),
    ("no name", open_course, person(name=" "), ["form", "api", "desk"]),
]
CASES = [
    pytest.param(make, who, entry, id=f"{what}-{entry}")
    for what, make, who, entries in REFUSALS
    for entry in entries
]


@pytest.mark.parametrize(("make", "who", "entry"), CASES)
def test_a_refused_request_stores_nothing(
    desk_client, centre, known, staff_user, make, who, entry
) -> None:
    course, session = make(centre)
    before = snapshot()

    status = ENTRY_POINTS[entry](desk_client, course, who, session)

    assert status != 201  # (a proven person already enrolled is shown their page: a 302)
    assert snapshot() == before


def test_a_refused_request_of_a_known_person_keeps_their_consent_and_language(
    centre, known, staff_user
) -> None:
    """The request gave consent and Russian; the refusal keeps neither."""
    course, _none = already_enrolled(centre)
    via_api(Client(), course, person(KNOWN, language="ru", sms_consent=True), None)
    known.refresh_from_db()
    assert (known.language, known.sms_consent, known.sms_consent_at) == ("pl", False, None)


def test_an_accepted_request_records_the_person_and_the_place_together(centre, known) -> None:
    course, _none = open_course(centre)
    assert via_api(Client(), course, person(KNOWN, language="uk"), None) == 201
    known.refresh_from_db()
    assert (known.language, known.sms_consent) == ("uk", True)
    assert Enrolment.objects.get(participant=known).status == "confirmed"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_busy_stores_nothing(centre, settings) -> None:
    """While another transaction holds the course, a new person's request is "busy" (503) and
    leaves no person behind, although the person was written before the lock was asked for."""
    assert connection.vendor == "postgresql"
    settings.ENROLMENT_LOCK_TIMEOUT_SECONDS = 0.3
    course, _none = open_course(centre)
    locked, release = threading.Event(), threading.Event()

    def hold_the_course() -> None:
        with transaction.atomic():
            Course.objects.select_for_update().get(pk=course.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_the_course)
    holder.start()
    try:
        assert locked.wait(10)
        before = snapshot()
        with pytest.raises(Busy):
            enrolment_request(
                course=course,
                person=ParticipantData(name="Nino", phone="+48601000077", sms_consent=True),
                channel="api",
                verified=True,  # as after the SMS code
            )
        assert snapshot() == before
    finally:
        release.set()
        holder.join()
