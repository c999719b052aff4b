"""Fixtures of the fault tests: requests through the whole WSGI stack as a web process serves
them, and the database reached through a proxy that fails on purpose."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from tests.faults.proxy import FaultyProxy


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


def serve(path: str, *, method: str = "GET", body: Any = None, **headers: str) -> Answer:
    """One request through Django's WSGI handler in this thread, as gunicorn hands it over:
    with the request_started/finished signals that check, keep or close the database
    connection (the test client leaves those out), and no exception re-raised."""
    factory = RequestFactory()
    if body is None:
        request = factory.generic(method, path, **headers)
    else:
        request = factory.generic(
            method, path, json.dumps(body), content_type="application/json", **headers
        )
    status: list[str] = []
    header_list: list[tuple[str, str]] = []

    def start_response(line: str, given: list[tuple[str, str]], exc_info: Any = None) -> None:
        status.append(line)
        header_list.extend(given)

    started = time.monotonic()
    chunks = WSGIHandler()(request.environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        chunks.close()  # request_finished
    return Answer(int(status[0].split()[0]), dict(header_list), content, time.monotonic() - started)


@pytest.fixture
def proxy() -> Iterator[FaultyProxy]:
    settings_dict = connection.settings_dict
    running = FaultyProxy(
        (settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    )
    yield running
    running.close()


TIMEOUT = 1  # seconds: connecting and each statement, in these tests


@pytest.fixture
def through_proxy(
    proxy: FaultyProxy, transactional_db: None, settings: Any
) -> Iterator[FaultyProxy]:
    """This thread's default connection reaches the test database through `proxy` from now
    on, kept between requests (CONN_MAX_AGE) and checked before reuse, with a connect and a
    statement timeout of TIMEOUT; the real server again afterwards."""
    settings.DATABASE_CONNECT_TIMEOUT_SECONDS = TIMEOUT
    settings.DATABASE_STATEMENT_TIMEOUT_SECONDS = TIMEOUT
    settings_dict = connection.settings_dict
    saved = {
        key: settings_dict[key]
        for key in ("HOST", "PORT", "OPTIONS", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
    }
    connection.close()
    settings_dict.update(
        HOST="127.0.0.1",
        PORT=str(proxy.port),
        OPTIONS={
            **saved["OPTIONS"],
            "connect_timeout": TIMEOUT,
            "options": f"-c statement_timeout={TIMEOUT * 1000}",
        },
        CONN_MAX_AGE=60,
        CONN_HEALTH_CHECKS=True,
    )
    try:
        yield proxy
    finally:
        proxy.heal()
        connection.close()
        settings_dict.update(saved)
