"""A trainer on a phone adds a walk-in with a mistyped number: the page's script gets the
refusal, puts the name and the number back into the form with the error at the phone field,
and after the number is corrected the walk-in is added once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import Page, expect

from courses.models import Attendance, Participant
from tests.factories import CourseFactory, UserFactory, first_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DURING = datetime(2027, 1, 5, 18, 10, tzinfo=ZoneInfo("Europe/Warsaw"))


def pl(text: str) -> str:
    with translation.override("pl"):
        return translation.gettext(text)


def test_a_mistyped_walk_in_phone_keeps_the_name_and_shows_the_error_at_the_phone(
    live_server: Any, open_page: Callable[..., Page], centre: Any
) -> None:
    trainer = UserFactory(username="trenerka")
    course = CourseFactory(centre=centre, slug="a1", title_pl="Polski A1", trainers=[trainer])
    session = first_session(course)
    with time_machine.travel(DURING, tick=True):
        page = open_page("pl")
        page.goto(f"{live_server.url}/accounts/login/?next=/register/{session.pk}/")
        page.locator("#id_username").fill("trenerka")
        page.locator("#id_password").fill("secret-pass-123")
        page.keyboard.press("Enter")
        expect(page.locator("#register")).to_have_attribute("data-ready", "true")

        form = page.locator("#walk-in-form")
        form.get_by_label(pl("Name")).fill("Nino Beridze")
        form.get_by_label(pl("Mobile phone")).fill("555 12")
        form.get_by_role("button", name=pl("Add and mark present")).click()

        phone = form.get_by_label(pl("Mobile phone"))
        expect(page.locator("#id_phone_error")).to_be_visible()
        expect(phone).to_have_attribute("aria-invalid", "true")
        expect(phone).to_have_value("555 12")
        expect(form.get_by_label(pl("Name"))).to_have_value("Nino Beridze")
        expect(phone).to_be_focused()
        expect(page.locator("#sync-status")).to_have_text("")  # nothing above the list
        assert not Participant.objects.filter(name="Nino Beridze").exists()

        phone.fill("601 555 123")
        form.get_by_role("button", name=pl("Add and mark present")).click()
        expect(page.locator("#register-rows")).to_contain_text("Nino Beridze")
        expect(page.locator("#id_phone_error")).to_have_count(0)
        expect(page.locator("#sync-status")).to_have_text(pl("All marks saved."))
    assert Attendance.objects.filter(participant__name="Nino Beridze", walk_in=True).count() == 1
