"""A coordinator, in Polish, on a laptop and on a phone: creates "Polski A2, Tuesdays and
Thursdays 17:30-19:00 from next month until the end of June, skipping the winter break" with the
schedule builder (no rule typed), sees the holidays and the break skipped in the live preview,
publishes it, moves one session and cancels another through the confirmation pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from courses.models import Course
from scheduling.models import SessionStatus
from scheduling.services import closure_save
from tests.browser.conftest import PHONE, TIMEOUT_MS
from tests.factories import CentreFactory, ClosureFactory, EnrolmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=WARSAW)  # "next month" is February
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def centre(transactional_db: None) -> Any:
    with time_machine.travel(NOW, tick=False):
        poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań")
        UserFactory(username="koordynatorka", staff_of=[poznan])
        days = {"starts_on": date(2027, 2, 15), "ends_on": date(2027, 2, 26)}
        winter = ClosureFactory.build(centre=poznan, reason="Ferie zimowe", **days)
        closure_save(closure=winter)
    return poznan


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def _page(browser: Browser, viewport: dict[str, int]) -> Page:
    context = browser.new_context(
        viewport=viewport, locale="pl", extra_http_headers={"Accept-Language": "pl"}
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_coordinator_builds_publishes_moves_and_cancels(
    live_server: Any, browser: Browser, centre: Any, clock: None, viewport: dict[str, int]
) -> None:
    base = live_server.url
    page = _page(browser, viewport)
    page.goto(f"{base}/staff/courses/new/")
    page.locator("#id_username").fill("koordynatorka")
    page.locator("#id_password").fill("secret-pass-123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nowy kurs")

    page.get_by_label("Tytuł (polski)").fill("Polski A2")
    page.locator("#id_slug").fill("polski-a2")
    page.locator("#id_kind").select_option("polish_course")
    page.locator("#id_level").select_option("A2")
    page.locator("#id_start_date").fill("2027-02-02")
    page.locator("#id_start_time").fill("17:30")
    page.locator("#id_duration_minutes").fill("90")
    page.get_by_label("wtorek").check()
    page.get_by_label("czwartek").check()
    page.get_by_label("W dniu", exact=True).check()
    page.locator("#id_until").fill("2027-06-30")

    # The live preview (the API), before anything is saved.
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Bożego Ciała")  # 27 May 2027, a Thursday
    expect(preview).to_contain_text("Ferie zimowe")
    expect(page.locator("#course-form")).to_have_attribute("data-preview-ready", "true")
    assert not Course.objects.exists()
    expect(page.locator("#id_recurrence_text")).to_have_value(
        "RRULE:FREQ=WEEKLY;UNTIL=20270630;BYDAY=TU,TH"
    )

    page.get_by_label("Opublikowany").check()
    page.get_by_role("button", name="Zapisz kurs").click()
    expect(page.locator(".ws-messages")).to_contain_text("Kurs jest zapisany")
    course = Course.objects.get(slug="polski-a2")
    assert course.published
    assert course.sessions.count() == 38
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # Someone holds a place, so the confirmation names her.
    EnrolmentFactory(course=course)
    first, second = list(course.sessions.order_by("starts_at")[:2])

    page.goto(f"{base}/staff/sessions/{first.pk}/")
    page.get_by_role("link", name="Przenieś").click()
    page.locator("#id_day").fill("2027-02-05")
    page.locator("#id_start").fill("16:00")
    page.get_by_role("button", name="Sprawdź, kogo powiadomimy").click()
    expect(page.locator(".ws-notice")).to_contain_text("GSM-7")
    page.get_by_role("button", name="Przenieś zajęcia i powiadom").click()
    expect(page.locator(".ws-messages")).to_contain_text("przeniesione")
    first.refresh_from_db()
    assert first.starts_at == datetime(2027, 2, 5, 16, 0, tzinfo=WARSAW)
    assert first.ends_at.astimezone(UTC) - first.starts_at == timedelta(minutes=90)

    page.goto(f"{base}/staff/sessions/{second.pk}/")
    page.get_by_role("link", name="Odwołaj te zajęcia").click()
    page.get_by_label("Informacja dla uczestników").fill("Zapraszamy w piątek.")
    page.get_by_label("Dołącz informację do SMS").check()
    page.get_by_role("button", name="Odwołaj zajęcia i powiadom").click()
    expect(page.locator(".ws-messages")).to_contain_text("odwołane")
    second.refresh_from_db()
    assert second.status == SessionStatus.CANCELLED
    expect(page.get_by_role("link", name=re.compile("Przywróć"))).to_be_visible()
    page.context.close()
