"""Every workspace page has its "Log out" button in the page's header, beside the language; it
logs out (a POST, as Django asks) and the workspace then asks to log in again."""

from __future__ import annotations

import re

from django.test import Client


def _header(page: str) -> str:
    found = re.search(r'<header class="site-header">(.*?)</header>', page, re.S)
    assert found, "no page header"
    return found.group(1)


def test_the_log_out_button_is_in_the_header_and_logs_out(coordinator_client: Client) -> None:
    for path in ("/staff/", "/staff/timetable/", "/staff/courses/"):
        header = _header(coordinator_client.get(path).content.decode())
        assert 'action="/accounts/logout/"' in header, path
        assert "Wyloguj się" in header  # the coordinator's Polish

    out = coordinator_client.post("/accounts/logout/")

    assert out.status_code == 302
    assert coordinator_client.get("/staff/")["Location"].startswith("/accounts/login/")


def test_public_pages_have_no_log_out_button(client: Client, db: None) -> None:
    assert "/accounts/logout/" not in _header(client.get("/").content.decode())
