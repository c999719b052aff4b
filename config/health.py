"""`/healthz`: is this web process able to serve, for a load balancer and for monitoring.

Answered before everything else (host names, the HTTPS redirect, sessions, languages), so that
a load balancer may ask by address over plain HTTP. It says only whether the database, the
cache and the broker answer and how far the outbox is behind: no addresses, no error texts, no
personal data. 200 while the database answers (a cache or broker outage is reported as
"degraded": every process shares them, and taking web processes out would not help); 503
when it does not."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from notifications.selectors import outbox_backlog

logger = logging.getLogger(__name__)

PATH = "/healthz"
BROKER_TIMEOUT_SECONDS = 3


def _check(name: str, probe: Callable[[], Any]) -> bool:
    try:
        probe()
    except Exception as exc:  # any failure means "not reachable"; the log says which and why
        logger.warning("Health check: the %s is not reachable: %r", name, exc)
        return False
    return True


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    caches["default"].get("healthz")


def _broker() -> None:
    with current_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
        broker.default_channel  # noqa: B018  (opening the channel talks to the server)


def health(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    checks = {
        "database": _check("database", _database),
        "cache": _check("cache", _cache),
        "broker": _check("broker", _broker),
    }
    body: dict[str, Any] = {
        "status": "ok" if all(checks.values()) else "degraded",
        "checks": {name: "ok" if up else "unavailable" for name, up in checks.items()},
        "outbox": None,
    }
    if checks["database"]:
        try:
            backlog = outbox_backlog(now=now)
        except Exception as exc:  # the database went away meanwhile: reported as not reachable
            logger.warning("Health check: the outbox could not be read: %r", exc)
            checks["database"] = False
            body["checks"]["database"] = "unavailable"
        else:
            oldest = backlog.oldest_due_at
            body["outbox"] = {
                "due": backlog.count,
                "oldest_due_seconds": int((now - oldest).total_seconds()) if oldest else 0,
            }
    if not checks["database"]:
        body["status"] = "unavailable"
        connection.close()  # the next request connects afresh
    response = JsonResponse(body, status=200 if checks["database"] else 503)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheck:
    """First in MIDDLEWARE: GET or HEAD /healthz is answered here and goes no further."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") == PATH and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)
