"""A URL under /api/ that no route matches (an id that is not a number, found by the fuzzer:
/api/v1/courses/1.5/) answers 404 in JSON, as the schema documents, not Django's HTML page;
other pages keep the HTML 404 page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/v1/courses/1.5/", "/api/v1/sessions/-2.5e-16/cancel/", "/api/v1/nothing/"]
)
def test_unmatched_api_url_is_json_404(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_other_pages_keep_html_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
