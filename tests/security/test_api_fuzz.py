"""The API fuzzed with schemathesis (issue 11): every operation of the OpenAPI schema at
/api/v1/schema/ gets generated requests (valid and invalid ones) through the WSGI application,
no server, once anonymously and once with a staff member's token, over demo-like data (a centre
with its staff, a venue, a course with its sessions and a closure, a place taken). No answer is
a server error, and every answer is documented: its status code, its content type and its body
match the schema.

Bounded and reproducible: a few examples per operation (`MAX_EXAMPLES`), derandomized; the
file runs in well under a minute and a half on two cores. The throttled anonymous enrolment
may answer 429 and the verification with a generated code 400: both documented, both fuzzed.

Nothing is left out (`OPEN_FINDINGS` holds operations to leave out, with the reason): the two
found first are fixed (PUT sessions/{id}/ is no longer offered, and a verification without its
code is a refusal whose body keeps its `code`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.factories import ClosureFactory, CourseFactory, EnrolmentFactory, VenueFactory

MAX_EXAMPLES = 10

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema: BaseSchema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
# The coverage phase sends hundreds of boundary cases per operation (minutes): left to the
# generated examples, which are bounded.
schema.config.phases.coverage.enabled = False

OPEN_FINDINGS: list[tuple[str, str]] = []
for method, path in OPEN_FINDINGS:
    schema = schema.exclude(method=method, path=path)

bounded = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the demo data is made once per operation
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture
def _wsgi_in_test_transaction(db: None) -> Iterator[None]:
    """Requests go through the WSGI handler inside the test's transaction, as with Django's
    test client: the handler must not close the connection (and so the transaction) at the end
    of a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def demo(_wsgi_in_test_transaction: None, centre: Any, staff_user: Any) -> dict[str, Any]:
    """Demo-like data: a venue, a course with its sessions (one of them at the venue), a
    closure, a place taken."""
    venue = VenueFactory(centre=centre, name="Sala 1")
    course = CourseFactory(centre=centre, slug="polski-a1", venue=venue)
    ClosureFactory(centre=centre, starts_on=date(2027, 1, 12), ends_on=date(2027, 1, 12))
    EnrolmentFactory(course=course)
    return {"centre": centre, "course": course, "venue": venue, "staff": staff_user}


# Schemathesis asks for gzip as an HTTP client does; its WSGI transport, unlike one, hands the
# compressed bytes over as they came (config.middleware.CompressText): asked for as they are.
PLAIN = {"Accept-Encoding": "identity"}


@schema.parametrize()
@bounded
def test_anonymous(case: schemathesis.Case, demo: dict[str, Any]) -> None:
    case.call_and_validate(checks=CHECKS, headers=PLAIN)


@schema.parametrize()
@bounded
def test_staff(case: schemathesis.Case, demo: dict[str, Any]) -> None:
    token = Token.objects.get_or_create(user=demo["staff"])[0]
    case.call_and_validate(checks=CHECKS, headers={**PLAIN, "Authorization": f"Token {token.key}"})
