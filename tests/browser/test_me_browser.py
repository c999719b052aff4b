"""The personal page in Chromium with `Referrer-Policy: no-referrer`: the browser sends
`Origin: null` with the page's own forms, and cancelling a place, stopping SMS and changing
the language still work (those POSTs are authorized by the token in the address), the first
through its confirmation page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from courses.models import Enrolment, EnrolmentStatus, Participant
from tests.factories import CourseFactory, EnrolmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OpenPage = Callable[..., Page]


def test_cancel_a_place_and_stop_sms_from_a_no_referrer_page(
    live_server, open_page: OpenPage, centre
) -> None:
    course = CourseFactory(centre=centre, slug="polski-a1", title_pl="Język polski A1")
    enrolment = EnrolmentFactory(
        course=course, participant__name="Olena", participant__language="en"
    )
    person = enrolment.participant
    assert person.sms_consent
    me = f"{live_server.url}{person.get_absolute_url()}"

    page = open_page("en")
    origins: list[str | None] = []
    page.on(
        "request",
        lambda request: (
            origins.append(request.headers.get("origin")) if request.method == "POST" else None
        ),
    )
    response = page.goto(me)
    assert response is not None
    assert response.headers["referrer-policy"] == "no-referrer"

    card = page.locator(f"#enrolment-{enrolment.pk}")
    card.get_by_role("link", name="Cancel my place").click()  # explained first
    expect(page.get_by_role("heading", level=1)).to_have_text("Give up your place?")
    with page.expect_response(lambda r: r.request.method == "POST") as cancelled:
        page.get_by_role("button", name="Yes, give up my place").click()
    assert cancelled.value.status == 302  # not 403: no CSRF check refuses "Origin: null"
    expect(card.locator(".status")).to_have_class(re.compile(r"\bstatus--cancelled\b"))
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.CANCELLED

    with page.expect_response(lambda r: r.request.method == "POST") as stopped:
        page.get_by_role("button", name="Stop SMS").click()
    assert stopped.value.status == 302
    expect(page.get_by_role("status")).to_have_text("You will get no more SMS from us.")
    assert not Participant.objects.get(pk=person.pk).sms_consent

    # The header's language switcher works on this page too.
    page.get_by_label("Language").select_option("pl")
    with page.expect_response(lambda r: r.request.method == "POST") as switched:
        page.get_by_role("button", name="Change").click()
    assert switched.value.status == 302
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page).to_have_url(me)

    # What made this hard: the browser sent no origin to check, only "null".
    assert origins == ["null", "null", "null"]
