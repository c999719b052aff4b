"""How the site answers what it cannot do: an outage of the database, cache or broker is a 503
with Retry-After (JSON with a code under /api/, the site's own translated page elsewhere, plain
text for feeds); "busy" carries Retry-After too; a bug is the site's own 500 page; a broker
that cannot be reached does not fail a request whose SMS is in the outbox; /healthz."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient

from config.errors import server_error
from courses.errors import Busy
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from tests.factories import CourseFactory, OutboundMessageFactory

pytestmark = pytest.mark.django_db

COURSE_PAGE = "/centres/cic-poznan/courses/polski-a1/"


@pytest.fixture
def course(centre: Any) -> Any:
    return CourseFactory(centre=centre, slug="polski-a1", capacity=5)


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="uk")


def _fail(monkeypatch: pytest.MonkeyPatch, target: str, exc: BaseException) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exc

    monkeypatch.setattr(target, fail)


def test_a_bug_shows_the_sites_own_500_page_in_the_visitors_language(
    browser: Client, course: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail(monkeypatch, "courses.views.public.seats_left", ZeroDivisionError("a bug"))
    page = browser.get(COURSE_PAGE)
    assert page.status_code == 500
    text = page.content.decode()
    assert '<html lang="uk">' in text
    assert "Щось пішло не так" in text
    assert 'class="site-header"' in text
    assert "Retry-After" not in page.headers  # a bug is not "try again"


def test_a_bug_in_the_api_is_a_json_500(course: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _fail(monkeypatch, "courses.api.catalogue.CourseViewSet.get_queryset", KeyError("a bug"))
    answer = APIClient(raise_request_exception=False).get(
        "/api/v1/courses/", HTTP_ACCEPT_LANGUAGE="pl"
    )
    assert answer.status_code == 500
    assert answer.json() == {"detail": "Wystąpił błąd serwera."}


def test_the_500_page_needs_no_database(django_assert_num_queries: Any) -> None:
    request = RequestFactory().get(COURSE_PAGE)
    with django_assert_num_queries(0):
        try:
            raise ZeroDivisionError("a bug")
        except ZeroDivisionError:
            page = server_error(request)
    assert page.status_code == 500
    assert 'class="site-header"' in page.content.decode()


def test_a_database_outage_on_a_page_is_the_sites_translated_503(
    browser: Client, course: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail(monkeypatch, "courses.views.public.seats_left", OperationalError("connection lost"))
    page = browser.get(COURSE_PAGE)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    text = page.content.decode()
    assert "Тимчасово недоступно" in text
    assert "Сервіс ненадовго недоступний" in text


def test_a_database_outage_in_the_api_is_a_json_503_with_a_code(
    course: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail(
        monkeypatch,
        "courses.api.catalogue.CourseViewSet.get_queryset",
        OperationalError("server closed the connection unexpectedly"),
    )
    answer = APIClient(raise_request_exception=False).get(
        "/api/v1/courses/", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "30"
    assert answer.json() == {
        "detail": "Сервис ненадолго недоступен. Пожалуйста, попробуйте ещё раз через минуту.",
        "code": "unavailable",
    }


def test_a_database_outage_on_a_feed_is_a_503_calendar_clients_retry(
    course: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail(monkeypatch, "scheduling.feeds.centre_version", OperationalError("timeout"))
    feed = Client(raise_request_exception=False).get("/calendars/cic-poznan.ics")
    assert feed.status_code == 503
    assert feed.headers["Retry-After"] == "30"
    assert feed.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert feed.headers["Cache-Control"] == "no-store"


def test_a_cache_outage_on_the_enrolment_form_is_a_503(
    browser: Client, course: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rate limits are counted in the shared cache (Redis in production)."""
    _fail(
        monkeypatch,
        "courses.views.enrol.EnrolmentThrottle.allow_request",
        RedisConnectionError("Connection refused"),
    )
    page = browser.post(f"{COURSE_PAGE}enrol/", {"name": "Nino"})
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"


def test_busy_on_the_form_says_when_to_try_again(
    browser: Client, course: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail(
        monkeypatch,
        "courses.views.enrol.verification_start",
        Busy(gettext_lazy("Many people are enrolling right now. Please try again.")),
    )
    data = {
        "name": "Nino",
        "country": "PL",
        "phone": "+48601000077",
        "language": "uk",
        "sms_consent": "on",
        "website": "",
    }
    page = browser.post(f"{COURSE_PAGE}enrol/", data)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert "Зараз записується багато людей" in page.content.decode()


def test_a_broker_outage_does_not_fail_asking_for_a_code(
    course: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """The code is in the outbox: the dispatcher's next pass sends it, the request succeeds."""
    sent: list[str] = []

    def broker_down(name: str, *args: Any, **kwargs: Any) -> None:
        sent.append(name)
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("celery.current_app.send_task", broker_down)
    body = {
        "course": course.pk,
        "participant": {
            "name": "Nino",
            "phone": "+48601000077",
            "language": "uk",
            "sms_consent": True,
        },
    }
    with django_capture_on_commit_callbacks(execute=True):
        asked = APIClient(raise_request_exception=False).post(
            "/api/v1/enrolments/", body, format="json"
        )
    assert asked.status_code == 202
    assert sent == ["notifications.tasks.dispatch"]  # the broker was asked, and failed
    assert OutboundMessage.objects.filter(
        kind=MessageKind.VERIFICATION_CODE, status=MessageStatus.PENDING
    ).exists()


def test_healthz_reports_each_service_and_the_outbox_backlog(
    client: Client, course: Any, settings: Any
) -> None:
    now = timezone.now()
    OutboundMessageFactory(due_at=now - timedelta(minutes=7))
    OutboundMessageFactory(due_at=now - timedelta(minutes=1))
    OutboundMessageFactory(due_at=now + timedelta(hours=1))  # not due yet
    OutboundMessageFactory(due_at=now - timedelta(hours=2), status=MessageStatus.SENT)
    settings.SECURE_SSL_REDIRECT = True  # a load balancer asks over plain HTTP, by address
    answer = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}
    assert body["outbox"]["due"] == 2
    assert 7 * 60 <= body["outbox"]["oldest_due_seconds"] < 8 * 60
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers


def test_healthz_is_degraded_but_200_while_the_broker_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broker every process shares: taking web processes out would not help."""
    _fail(monkeypatch, "config.health._broker", BrokerError("Connection refused"))
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "degraded"
    assert answer.json()["checks"]["broker"] == "unavailable"


def test_healthz_is_503_while_the_database_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail(monkeypatch, "config.health._database", OperationalError("Connection refused"))
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "unavailable"
    assert answer.json()["outbox"] is None


def test_healthz_is_not_rate_limited(client: Client) -> None:
    assert {client.get("/healthz").status_code for _ in range(30)} == {200}
