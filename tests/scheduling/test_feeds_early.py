"""Calendar feeds are answered ahead of the middleware only pages need (config.feeds): a feed
never asks who is asking, and an address that is not a feed goes through the whole stack."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

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


FEED = "/calendars/cic-poznan.ics"


def test_a_feed_over_plain_http_is_sent_to_https_first(client: Any, course: Any, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(FEED + "?lang=uk")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver" + FEED + "?lang=uk"


def test_a_feed_and_its_304_over_https_carry_hsts(client: Any, course: Any, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    feed = client.get(FEED, secure=True)
    assert feed.status_code == 200
    again = client.get(FEED, secure=True, HTTP_IF_NONE_MATCH=feed["ETag"])
    assert again.status_code == 304
    for response in (feed, again):
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_304_names_the_copy_that_is_current(client: Any, course: Any) -> None:
    etag = client.get(FEED)["ETag"]
    again = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag


def test_a_feed_speaks_its_lang_whatever_the_browser_says(course: Any) -> None:
    """Calendar clients send no language: the browser's is not the feed's, so a shared cache
    need not keep a copy per Accept-Language, and nothing is remembered."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="uk")
    response = browser.get(FEED)
    assert response["Content-Language"] == "pl"
    assert "Accept-Language" not in response.get("Vary", "")
    assert not response.cookies
    assert browser.get(FEED + "?lang=uk")["Content-Language"] == "uk"


def test_an_unknown_feed_is_not_found_in_the_askers_language(course: Any) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="uk").get("/calendars/nowhere.ics")
    assert response.status_code == 404
    assert "Сторінку не знайдено" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/calendars/private/abc%00def.ics", 404),
        ("/calendars/cic-poznan/a%00b.ics", 404),
        ("/calendars/cic-poznan.ics?lang=%00", 400),
        ("/calendars/cic-poznan.ics?download=1%00", 400),
    ],
)
def test_a_nul_in_a_feeds_address_is_refused_as_anywhere(
    client: Any, course: Any, url: str, status: int
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "text/plain; charset=utf-8"  # RejectNullCharacters'
