"""A NUL character where no form or serializer reads it: a cookie (a quoted value may spell it
as \\000, which Django's cookie parser turns into NUL; the session lookup handed it to
PostgreSQL, a 500 on every page) or the Authorization header (the token lookup). Both are a 400
before anything looks them up; ordinary cookies and tokens work as before. Under /api/ these
refusals (and those of a NUL in the address) are JSON, as the API documents its errors."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "cookie",
    [
        'sessionid="abcdefgh\\000ijklmnop"',
        'csrftoken="abc\\000"',
        'lang="p\\000l"',
    ],
)
@pytest.mark.parametrize("url", ["/", "/admin/", "/api/v1/courses/", "/register/"])
def test_a_nul_in_a_cookie_is_a_bad_request(client, centre, cookie, url) -> None:
    client.raise_request_exception = False
    response = client.get(url, HTTP_COOKIE=cookie, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    message = "The request contains characters that are not allowed."
    if url.startswith("/api/"):
        assert response.json() == {"detail": message}
    else:
        assert response.content.decode() == message


def test_a_nul_in_the_authorization_header_is_a_bad_request(client, centre) -> None:
    client.raise_request_exception = False
    response = client.get("/api/v1/courses/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 400


def test_ordinary_cookies_and_tokens_still_work(client, staff_user) -> None:
    key = Token.objects.create(user=staff_user).key
    assert client.get("/api/v1/courses/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.force_login(staff_user)
    assert client.get("/register/", HTTP_ACCEPT_LANGUAGE="uk").status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/courses/?centre=a%00b", 400),
        ("/api/v1/sessions/?from=2027-01-01%00", 400),
        ("/api/v1/courses/a%00b/", 404),
    ],
)
def test_the_api_refuses_a_nul_in_the_address_in_json_as_documented(client, url, status) -> None:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_pages_keep_their_plain_text_refusal(client) -> None:
    response = client.get("/centres/?q=a%00b", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
