"""Limits that hold: self-enrolment is counted per real client address, in a cache every process
shares, with counters that parallel requests cannot slip past."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from config.cache import DatabaseCache
from courses.limits import allow
from courses.throttles import EnrolmentThrottle, client_address
from tests.factories import CourseFactory

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1/enrolments/"
FORM = "/centres/cic-poznan/courses/polski-a1/enrol/"


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, slug="polski-a1", capacity=50, start_date=date(2027, 1, 5))


def api_body(course, n: int) -> dict:
    return {
        "course": course.pk,
        "participant": {
            "name": "Olena",
            "phone": f"+4860100{n:04d}",
            "language": "uk",
            "sms_consent": True,
        },
    }


def form_body(n: int) -> dict:
    return {
        "name": "Olena Kowalenko",
        "country": "PL",
        "phone": f"601 1{n:02d} 000",
        "language": "uk",
        "sms_consent": "on",
        "website": "",
    }


def request_from(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().post("/", REMOTE_ADDR=remote, **headers)
    request.user = AnonymousUser()
    return request


# --- Who the client is -------------------------------------------------------------------------


def test_by_default_x_forwarded_for_is_ignored(settings) -> None:
    assert settings.TRUSTED_PROXIES == 0
    assert client_address(request_from("198.51.100.9", "203.0.113.1")) == "198.51.100.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (None, "10.0.0.2"),  # not through the proxy: its own address
        ("203.0.113.7", "203.0.113.7"),
        ("1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the client's own claim (left) is ignored
        (" 1.2.3.4 ,5.6.7.8,  203.0.113.7 ", "203.0.113.7"),
    ],
)
def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(
    settings, forwarded, expected
) -> None:
    settings.TRUSTED_PROXIES = 1
    assert client_address(request_from("10.0.0.2", forwarded)) == expected


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(settings) -> None:
    settings.TRUSTED_PROXIES = 2
    request = request_from("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.1")
    assert client_address(request) == "203.0.113.7"


@pytest.mark.parametrize("proxies", [0, 1, 2])
@pytest.mark.parametrize(
    "forwarded", [None, "203.0.113.7", "1.2.3.4, 203.0.113.7", "9.9.9.9, 1.2.3.4, 203.0.113.7"]
)
def test_drf_reads_the_client_as_the_throttles_and_logins_do(settings, proxies, forwarded) -> None:
    """REST_FRAMEWORK["NUM_PROXIES"] follows TRUSTED_PROXIES, so any DRF throttle agrees."""
    settings.TRUSTED_PROXIES = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    request = request_from("10.0.0.2", forwarded)
    assert BaseThrottle().get_ident(request) == client_address(request)


def test_the_settings_wire_trusted_proxies_into_drf(settings) -> None:
    assert api_settings.NUM_PROXIES == settings.TRUSTED_PROXIES == 0


# --- The enrolment limit -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_spoofed_x_forwarded_for_does_not_get_around_the_limit(anonymous_api, course, settings):
    settings.ENROLMENT_RATE = "3/hour"
    codes = [
        anonymous_api.post(
            API, api_body(course, n), format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(5)
    ]
    assert [code == 429 for code in codes] == [False, False, False, True, True]


@pytest.mark.django_db
def test_a_spoofed_x_forwarded_for_does_not_get_around_the_form_limit(client, course, settings):
    settings.ENROLMENT_RATE = "2/hour"
    codes = [
        client.post(FORM, form_body(n), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]
    assert [code == 429 for code in codes] == [False, False, True, True]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(anonymous_api, course, settings):
    settings.ENROLMENT_RATE = "2/hour"
    settings.TRUSTED_PROXIES = 1

    def post(n: int, forwarded: str) -> int:
        return anonymous_api.post(
            API, api_body(course, n), format="json",
            REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code  # fmt: skip

    first = [post(n, f"198.51.100.{n}, 203.0.113.7") for n in range(3)]  # spoofed left part
    other = [post(10 + n, "203.0.113.8") for n in range(2)]
    assert [code == 429 for code in first] == [False, False, True]
    assert [code == 429 for code in other] == [False, False]


@pytest.mark.django_db
def test_the_form_and_the_api_count_one_client_once(client, anonymous_api, course, settings):
    settings.ENROLMENT_RATE = "2/hour"
    assert anonymous_api.post(API, api_body(course, 1), format="json").status_code != 429
    assert client.post(FORM, form_body(2)).status_code != 429
    assert client.post(FORM, form_body(3)).status_code == 429
    assert anonymous_api.post(API, api_body(course, 4), format="json").status_code == 429


@pytest.mark.django_db
def test_the_limit_opens_again_after_its_window(anonymous_api, course, settings) -> None:
    settings.ENROLMENT_RATE = "1/hour"
    with time_machine.travel("2026-11-02 10:00 +00:00", tick=False) as traveller:
        assert anonymous_api.post(API, api_body(course, 1), format="json").status_code != 429
        traveller.shift(timedelta(minutes=59))
        assert anonymous_api.post(API, api_body(course, 2), format="json").status_code == 429
        traveller.shift(timedelta(minutes=2))
        assert anonymous_api.post(API, api_body(course, 3), format="json").status_code != 429


# --- allow(): the per-key limit (one-time SMS codes) -------------------------------------------


@pytest.mark.django_db
def test_allow_counts_per_key_within_the_rate() -> None:
    rate = "3/hour"
    assert [allow("sms:+48601000001", rate=rate) for _ in range(4)] == [True, True, True, False]
    assert allow("sms:+48601000002", rate=rate)


@pytest.mark.django_db
def test_allow_opens_a_new_window_after_the_period() -> None:
    with time_machine.travel("2026-11-02 10:00 +00:00", tick=False) as traveller:
        assert [allow("k", rate="2/minute") for _ in range(3)] == [True, True, False]
        traveller.shift(timedelta(seconds=30))
        assert not allow("k", rate="2/minute")  # refused attempts do not move the window
        traveller.shift(timedelta(seconds=31))
        assert [allow("k", rate="2/minute") for _ in range(3)] == [True, True, False]


def test_the_verification_code_limits_are_settings(settings) -> None:
    assert settings.VERIFICATION_CODES_PER_NUMBER == "3/hour"
    assert settings.VERIFICATION_CODES_PER_CLIENT == "10/hour"


# --- One cache for every process ---------------------------------------------------------------


def test_the_default_cache_is_shared_and_feeds_stay_in_memory(settings) -> None:
    assert isinstance(caches["default"], DatabaseCache)  # the embedded default; Redis: CACHE_URL
    assert settings.CACHES["feeds"]["BACKEND"].endswith("LocMemCache")


@pytest.mark.django_db
def test_the_test_database_has_the_cache_table() -> None:
    assert "integra_cache" in connection.introspection.table_names()


def test_two_processes_share_one_count(tmp_path) -> None:
    """Two web processes on the embedded defaults (the database cache, SQLite) see one count."""
    env = {
        "PATH": os.environ["PATH"],
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ENROLMENT_RATE": "3/hour",
        "TESTING": "1",
        "LOG_LEVEL": "WARNING",
    }
    code = (
        "from django.contrib.auth.models import AnonymousUser\n"
        "from django.test import RequestFactory\n"
        "from courses.throttles import EnrolmentThrottle\n"
        "request = RequestFactory().post('/', REMOTE_ADDR='203.0.113.5')\n"
        "request.user = AnonymousUser()\n"
        "print(*[EnrolmentThrottle().allow_request(request, None) for _ in range(2)])\n"
    )

    def run(*args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""

    run("createcachetable")
    assert run("shell", "-c", code) == "True True"
    assert run("shell", "-c", code) == "True False"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_cannot_slip_past_the_limit() -> None:
    """Twelve threads (each its own database connection) count at once: exactly the rate's
    number are allowed. Django's own DatabaseCache.incr() (read, then write) lets more through."""
    assert isinstance(caches["default"], DatabaseCache)
    threads = 12
    barrier = threading.Barrier(threads)
    answers: list[bool] = []
    lock = threading.Lock()

    def attempt() -> None:
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(3):
                allowed = allow("parallel", rate="10/hour")
                with lock:
                    answers.append(allowed)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(answers) == 36
    assert answers.count(True) == 10


def test_enrolment_throttle_counts_with_allow(monkeypatch, settings) -> None:
    settings.ENROLMENT_RATE = "7/day"
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "courses.throttles.allow", lambda key, *, rate: seen.append((key, rate)) or True
    )
    assert EnrolmentThrottle().allow_request(request_from("203.0.113.5"), None)
    assert seen == [("throttle_enrol_203.0.113.5", "7/day")]
