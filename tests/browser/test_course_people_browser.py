"""A coordinator on a phone, in Polish, at the desk: finds a person of the centre by the last
digits of her phone and enrols her (the course is full: she waits), then moves her up the
waitlist with a reason, and tells the course's people "zajęcia odwołane dziś" after reading the
preview; the SMS goes through the outbox once, to the person with a place."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, expect

from courses.models import EnrolmentStatus
from notifications.models import MessageKind, OutboundMessage
from tests.browser.conftest import PHONE, TIMEOUT_MS
from tests.factories import (
    CentreFactory,
    CourseFactory,
    EnrolmentRowFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=ZoneInfo("Europe/Warsaw"))


@pytest.fixture
def course(transactional_db: None) -> Any:
    with time_machine.travel(NOW, tick=False):
        poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań")
        UserFactory(username="koordynatorka", staff_of=[poznan])
        course = CourseFactory(centre=poznan, capacity=1, title_pl="Polski A1")
        EnrolmentRowFactory(course=course, participant__name="Olena Siedzi")
        EnrolmentRowFactory(
            course=course, status=EnrolmentStatus.WAITLISTED, participant__name="Anna Czeka"
        )
        ParticipantFactory(centre=poznan, name="Iryna Bondar", phone="601 234 567")
    return course


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def test_the_desk_finds_by_phone_enrols_and_moves_up_with_a_reason(
    live_server: Any, browser: Browser, course: Any, clock: None
) -> None:
    base = live_server.url
    context = browser.new_context(
        viewport=PHONE, locale="pl", extra_http_headers={"Accept-Language": "pl"}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{base}/staff/courses/{course.pk}/people/")
    page.locator("#id_username").fill("koordynatorka")
    page.locator("#id_password").fill("secret-pass-123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Polski A1")

    page.get_by_label("Znajdź osobę z centrum").fill("234 567")
    page.get_by_role("button", name="Szukaj").click()
    page.get_by_role("button", name=re.compile(r"^Zapisz\W+Iryna Bondar$")).click()
    expect(page.get_by_role("status")).to_contain_text("Iryna Bondar: miejsce 2")

    waitlist = page.locator("ol.ws-waitlist > li")
    expect(waitlist.nth(1)).to_contain_text("Iryna Bondar")
    waitlist.nth(1).get_by_text("Zmień miejsce w kolejce").click()
    waitlist.nth(1).get_by_label("Powód").fill("Skierowana przez MOPS")
    waitlist.nth(1).get_by_role("button", name="Przesuń w górę").click()

    expect(page.get_by_role("status")).to_contain_text("Iryna Bondar: miejsce 1")
    expect(waitlist.nth(0)).to_contain_text("Iryna Bondar")
    expect(waitlist.nth(0)).to_contain_text("Skierowana przez MOPS")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="Wyślij wiadomość do tych osób").click()
    page.get_by_label("Wiadomość po polsku").fill("zajęcia odwołane dziś")
    page.get_by_role("button", name="Podgląd").click()
    preview = page.locator(".ws-message-preview")
    expect(preview).to_contain_text("Sprawdź przed wysłaniem")
    expect(preview).to_contain_text("zajęcia odwołane dziś")
    expect(preview).to_contain_text("1 część")
    page.get_by_role("button", name=re.compile(r"^Wyślij do 1")).click()
    expect(page.get_by_role("status")).to_contain_text("1")
    sent = OutboundMessage.objects.filter(kind=MessageKind.STAFF_MESSAGE)
    assert [m.participant.name for m in sent] == ["Olena Siedzi"]  # not the people waiting
    assert sent.get().context["texts"]["pl"] == "zajęcia odwołane dziś"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
