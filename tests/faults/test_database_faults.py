"""What clients see when the database restarts, refuses connections or freezes: the next
request after a restart is served; while it is away, the API answers a JSON 503 with a code
and Retry-After, pages the site's own 503 page in the visitor's language, calendar feeds a 503
with Retry-After; a frozen database is given up within the timeouts instead of holding the
process. A connection that dies in the middle of an enrolment leaves nothing behind, and the
same request sent again enrols the person once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import OperationalError, connection
from rest_framework.test import APIClient

from courses.models import Enrolment, Participant
from courses.services import enrolment_request as requests
from tests.factories import CourseFactory
from tests.faults.conftest import TIMEOUT, serve
from tests.faults.proxy import FaultyProxy
from tests.verification import sms_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MARGIN = 1.5  # seconds of slack on a busy two-core machine


@pytest.fixture
def course(centre: Any) -> Any:
    return CourseFactory(centre=centre, slug="polski-a1", capacity=5)


def test_after_a_database_restart_the_next_request_is_served(
    through_proxy: FaultyProxy, course: Any
) -> None:
    assert serve("/api/v1/courses/").status == 200  # the connection is kept for the next one
    through_proxy.drop()  # the server restarted: every connection it had is gone
    after = serve("/api/v1/courses/")
    assert after.status == 200
    assert [c["slug"] for c in after.json()["results"]] == ["polski-a1"]


def test_without_health_checks_the_request_after_a_restart_fails(
    through_proxy: FaultyProxy, course: Any
) -> None:
    """The control: the kept connection is used unchecked and dies under the request (a 503
    now, no longer a 500; the next one reconnects)."""
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    connection.close()  # read when connecting
    assert serve("/api/v1/courses/").status == 200
    through_proxy.drop()
    after = serve("/api/v1/courses/")
    assert after.status == 503
    assert after.json()["code"] == "unavailable"
    assert serve("/api/v1/courses/").status == 200


def test_while_the_database_refuses_every_answer_is_a_clean_503(
    through_proxy: FaultyProxy, course: Any
) -> None:
    through_proxy.drop()
    through_proxy.refuse()

    api = serve("/api/v1/courses/", HTTP_ACCEPT_LANGUAGE="uk")
    assert api.status == 503
    assert api.headers["Content-Type"] == "application/json"
    assert api.headers["Retry-After"] == "30"
    assert api.json() == {
        "detail": "Сервіс ненадовго недоступний. Будь ласка, спробуйте ще раз за хвилину.",
        "code": "unavailable",
    }

    page = serve("/centres/cic-poznan/courses/polski-a1/", HTTP_ACCEPT_LANGUAGE="uk")
    assert page.status == 503
    assert page.headers["Retry-After"] == "30"
    assert page.headers["Content-Type"].startswith("text/html")
    assert '<html lang="uk">' in page.text
    assert "Тимчасово недоступно" in page.text
    assert 'class="site-header"' in page.text  # the site's own page, not Django's

    feed = serve("/calendars/cic-poznan.ics")
    assert feed.status == 503
    assert feed.headers["Retry-After"] == "30"
    assert feed.headers["Cache-Control"] == "no-store"  # no cache keeps the outage

    health = serve("/healthz")
    assert health.status == 503
    assert health.json()["checks"]["database"] == "unavailable"

    through_proxy.heal()
    assert serve("/centres/cic-poznan/courses/polski-a1/").status == 200
    assert serve("/healthz").status == 200


def test_a_frozen_database_is_given_up_within_the_timeouts(
    through_proxy: FaultyProxy, course: Any
) -> None:
    """The kept connection's check waits the connect timeout, the new connection as long
    again: then a 503, not a process held until gunicorn kills it."""
    assert serve("/api/v1/courses/").status == 200
    through_proxy.freeze()
    frozen = serve("/api/v1/courses/")
    assert frozen.status == 503
    assert frozen.json()["code"] == "unavailable"
    assert frozen.seconds < 2 * TIMEOUT + MARGIN
    page = serve("/centres/cic-poznan/")
    assert page.status == 503
    assert page.seconds < TIMEOUT + MARGIN  # a new connection: the connect timeout alone
    through_proxy.heal()
    assert serve("/api/v1/courses/").status == 200


def test_a_statement_the_frozen_database_never_answers_fails_after_its_timeout(
    through_proxy: FaultyProxy, course: Any
) -> None:
    """The server's statement_timeout cannot fire when the server is frozen: the client gives
    up a second after it (config.postgresql) and closes the connection."""
    connection.ensure_connection()
    through_proxy.freeze()
    started = time.monotonic()
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert time.monotonic() - started < TIMEOUT + 1 + MARGIN
    assert not connection.is_usable()


def test_a_connection_lost_in_the_middle_of_an_enrolment_stores_nothing(
    through_proxy: FaultyProxy, course: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The person is written, then the connection dies before the place is taken: a 503, no
    person, no place; the same verified request sent again enrols them once."""
    asked = APIClient().post(
        "/api/v1/enrolments/",
        {
            "course": course.pk,
            "participant": {
                "name": "Nino",
                "phone": "+48601000077",
                "language": "uk",
                "sms_consent": True,
            },
        },
        format="json",
    )
    assert asked.status_code == 202
    verification = asked.json()["verification"]
    verify = {"verification": verification, "code": sms_code(verification)}
    enrol = requests.booking_create_within

    def connection_lost(**kwargs: Any) -> Any:
        assert Participant.objects.filter(phone="+48601000077").exists()  # written already
        through_proxy.drop()
        return enrol(**kwargs)

    monkeypatch.setattr(requests, "booking_create_within", connection_lost)
    lost = serve("/api/v1/enrolments/verify/", method="POST", body=verify)
    assert lost.status == 503
    assert lost.json()["code"] == "unavailable"
    assert lost.headers["Retry-After"] == "30"
    assert not Participant.objects.filter(phone="+48601000077").exists()
    assert not Enrolment.objects.exists()

    monkeypatch.setattr(requests, "booking_create_within", enrol)
    again = serve("/api/v1/enrolments/verify/", method="POST", body=verify)
    assert again.status == 201, again.text
    assert Participant.objects.filter(phone="+48601000077").count() == 1
    assert Enrolment.objects.filter(participant__phone="+48601000077").count() == 1
