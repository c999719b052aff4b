"""Project-level promises: API schema and docs without a CDN, tokens, production checks,
the periodic task."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from scheduling import tasks
from tests.factories import CourseFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_openapi_schema_and_docs_page_are_served_without_a_cdn(client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/courses/", "/api/v1/sessions/{id}/move/", "/api/v1/centres/{slug}/"):
        assert path in paths
    docs = client.get("/api/v1/docs/").content.decode()
    assert "drf_spectacular_sidecar" in docs
    assert "cdn." not in docs


@pytest.mark.django_db
def test_drf_create_token_gives_a_token_that_authenticates(api, staff_user) -> None:
    out = StringIO()
    call_command("drf_create_token", staff_user.username, stdout=out)
    key = Token.objects.get(user=staff_user).key
    assert key in out.getvalue()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post(
        "/api/v1/venues/", {"centre": "cic-poznan", "name": "Sala 1", "city": "Poznań"}
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_the_daily_horizon_task_materialises_the_next_weeks(settings) -> None:
    settings.SESSION_HORIZON_DAYS = 70
    with time_machine.travel(datetime(2027, 1, 1, 12, tzinfo=UTC), tick=False):
        course = CourseFactory(start_date=date(2027, 1, 5), rule="RRULE:FREQ=WEEKLY;BYDAY=TU")
    with time_machine.travel(datetime(2027, 1, 29, 12, tzinfo=UTC), tick=False):
        result = tasks.sessions_extend_horizon.apply().get()
    assert result == {"created": 4, "updated": 0, "deleted": 0}
    assert course.sessions.count() == 14


def test_production_settings_pass_check_deploy(tmp_path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "K8s!fj39Fj30f9j3f0j3F0J3f0j3f0J3fj30fJ3f0j",
        "ALLOWED_HOSTS": "cudzoziemcy.example.org",
        "PUBLIC_BASE_URL": "https://cudzoziemcy.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_defaults_need_no_server(tmp_path) -> None:
    env = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]
    assert (tmp_path / "secret_key").exists()
