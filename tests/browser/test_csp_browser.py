"""Every key page works under the site's Content-Security-Policy in Chromium: no violation is
reported (the `securitypolicyviolation` event, or a console error) on the public pages, the
embed, the personal page, the register, the admin and the API docs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from playwright.sync_api import Page

from tests.factories import CourseFactory, EnrolmentFactory, UserFactory, first_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OpenPage = Callable[..., Page]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _logged_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _violations(page: Page, url: str, console: list[str]) -> list[str]:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    assert "content-security-policy" in response.headers, url
    page.wait_for_load_state("networkidle")
    # Fields to copy from (feed address, embed snippet) select themselves when focused: an
    # inline handler would be refused only then, so each is focused, and must be selected.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    for field in page.locator("input[readonly], textarea[readonly]").all():
        if field.is_visible():
            field.focus()
            assert field.evaluate("f => f.selectionEnd - f.selectionStart === f.value.length")
    return [*page.evaluate("window.__csp"), *console]


def test_no_page_breaks_the_content_security_policy(live_server, open_page: OpenPage, centre):
    trainer = UserFactory(username="trener")
    admin = UserFactory(username="root", superuser=True)
    course = CourseFactory(centre=centre, slug="a1", trainers=[trainer])
    person = EnrolmentFactory(course=course).participant
    session = first_session(course)
    public = [
        "/",
        "/centres/cic-poznan/",
        "/centres/cic-poznan/?view=week&week=2027-01-04",
        "/centres/cic-poznan/courses/a1/",
        "/centres/cic-poznan/courses/a1/enrol/",
        "/embed/cic-poznan/",
        person.get_absolute_url(),
        "/accounts/login/",
        "/admin/login/",
        "/api/v1/docs/",
    ]
    as_trainer = ["/register/", f"/register/{session.pk}/", f"/register/{session.pk}/sheet/"]
    as_admin = [
        "/admin/",
        f"/admin/courses/centre/{centre.pk}/change/",
        f"/admin/courses/course/{course.pk}/change/",
        "/admin/scheduling/session/",
        "/reports/",
        "/api/v1/docs/",
    ]
    found: dict[str, list[str]] = {}
    for user, urls in ((None, public), (trainer, as_trainer), (admin, as_admin)):
        page = open_page("pl")
        page.add_init_script(LISTEN)
        console: list[str] = []
        page.on(
            "console",
            lambda m, console=console: (
                console.append(m.text) if "Content Security Policy" in m.text else None
            ),
        )
        if user is not None:
            _logged_in(page, live_server, user)
        for url in urls:
            console.clear()
            if problems := _violations(page, live_server.url + url, console):
                found[url] = problems
    assert found == {}


def test_the_embed_alone_may_be_framed(client, centre) -> None:
    embed = client.get("/embed/cic-poznan/")
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "script-src 'self'" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    page = client.get("/centres/cic-poznan/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
