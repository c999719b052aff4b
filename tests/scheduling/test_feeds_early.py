"""Calendar feeds are answered ahead of the middleware only pages need (config.feeds): a feed
never asks who is asking, and an address that is not a feed goes through the whole stack."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.factories import CourseFactory


@pytest.fixture
def course(centre: Any) -> Any:
    return CourseFactory(centre=centre, start_date=date(2027, 1, 5))


def test_a_public_feed_is_answered_before_authentication(client: Any, course: Any) -> None:
    response = client.get("/calendars/cic-poznan.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert not hasattr(response.wsgi_request, "user")
    assert response["X-Content-Type-Options"] == "nosniff"  # the security headers still


def test_its_304_too(client: Any, course: Any) -> None:
    etag = client.get("/calendars/cic-poznan.ics")["ETag"]
    response = client.get("/calendars/cic-poznan.ics", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert not hasattr(response.wsgi_request, "user")


def test_an_unknown_feed_is_not_found(client: Any, course: Any) -> None:
    assert client.get("/calendars/nowhere.ics").status_code == 404


def test_a_page_goes_through_the_whole_stack(client: Any, course: Any) -> None:
    response = client.get("/centres/cic-poznan/")
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "user")
    assert response["X-Frame-Options"] == "DENY"
