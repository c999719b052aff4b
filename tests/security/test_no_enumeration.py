"""Knowing a phone number tells a stranger nothing: a known and an unknown number get the same
answer, by the same work (the same database queries, so no timing to tell them apart)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Participant
from tests.factories import CourseFactory
from tests.verification import api_enrol

pytestmark = pytest.mark.django_db
KNOWN, UNKNOWN = "+48601000001", "+48601000002"
ADDRESS = {KNOWN: "192.0.2.1", UNKNOWN: "192.0.2.2"}  # two strangers, each on their own


def body(course, phone: str) -> dict:
    person = {"name": "Olena", "phone": phone, "language": "uk", "sms_consent": True}
    return {"course": course.pk, "participant": person}


# The rate limits' cache checks its own size at one window opened in 16 (config.cache), whoever
# the person is: its housekeeping, not the request's work.
CACHE_SIZE_CHECK = 'SELECT COUNT(*) FROM "integra_cache"'


def queries(call) -> list[str]:
    """The statements a request runs, with the values that differ between requests removed."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return [
        re.sub(
            r'"s\d+_x\d+"',
            '"savepoint"',
            q["sql"].split(" WHERE ")[0].split(" VALUES ")[0].split(" SET ")[0],
        )
        for q in captured.captured_queries
        if q["sql"] != CACHE_SIZE_CHECK
    ]


@pytest.fixture
def course(centre):
    course = CourseFactory(centre=centre, capacity=5, start_date=date(2027, 1, 5))
    assert api_enrol_known(course).status_code == 201
    cache.clear()  # rate-limit counters of an hour ago are not what is compared here
    return course


def api_enrol_known(course):
    from rest_framework.test import APIClient

    return api_enrol(APIClient(), body(course, KNOWN))


def test_the_api_does_the_same_work_for_a_known_and_an_unknown_number(api, course) -> None:
    answers = {}

    def ask(phone: str):
        def call():
            answers[phone] = api.post(
                "/api/v1/enrolments/",
                body(course, phone),
                format="json",
                REMOTE_ADDR=ADDRESS[phone],
            )

        return call

    known, unknown = queries(ask(KNOWN)), queries(ask(UNKNOWN))
    assert known == unknown
    assert answers[KNOWN].status_code == answers[UNKNOWN].status_code == 202
    assert set(answers[KNOWN].json()) == set(answers[UNKNOWN].json())
    assert not any("courses_participant" in q for q in known)  # nobody is looked up


def test_the_form_does_the_same_work_for_a_known_and_an_unknown_number(client, course) -> None:
    url = f"/centres/{course.centre.slug}/courses/{course.slug}/enrol/"
    pages = {}

    def ask(phone: str):
        data = {
            "name": "Olena",
            "country": "PL",
            "phone": phone,
            "language": "uk",
            "sms_consent": "on",
            "website": "",
        }

        def call():
            pages[phone] = client.post(url, data, REMOTE_ADDR=ADDRESS[phone])

        return call

    known, unknown = queries(ask(KNOWN)), queries(ask(UNKNOWN))
    assert known == unknown
    assert pages[KNOWN].status_code == pages[UNKNOWN].status_code == 200
    assert Participant.objects.filter(phone=UNKNOWN).count() == 0
