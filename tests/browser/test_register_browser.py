"""A trainer on a phone takes the register: logs in, marks three people, loses the connection
for one tap (the page keeps it and says so), gets it back (the tap is sent by itself), adds a
walk-in, and after a reload the register shows all four, each saved once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from playwright.sync_api import Page, expect

from courses.models import Attendance, EnrolmentSource, Participant
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    UserFactory,
    first_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OpenPage = Callable[..., Page]
DURING = datetime(2027, 1, 5, 18, 10, tzinfo=ZoneInfo("Europe/Warsaw"))


def uk(text: str) -> str:
    with translation.override("uk"):
        return translation.gettext(text)


@pytest.fixture
def taught(centre) -> dict[str, Any]:
    trainer = UserFactory(username="trenerka")
    course = CourseFactory(centre=centre, slug="a1", title_pl="Polski A1", trainers=[trainer])
    people = {}
    for n, name in enumerate(["Olena Kovalenko", "Taras Shevchuk", "Iryna Bondar"], start=1):
        person = ParticipantFactory(centre=centre, name=name, phone=f"+48601000{n:03d}")
        EnrolmentFactory(course=course, participant=person, source=EnrolmentSource.STAFF)
        people[name.split()[0]] = person
    return {"trainer": trainer, "session": first_session(course), "people": people}


def _log_in(page: Page, *, by_keyboard: bool) -> None:
    """On the login page, as the trainer; back to the register."""
    page.locator("#id_username").fill("trenerka")
    page.locator("#id_password").fill("secret-pass-123")
    if by_keyboard:
        page.keyboard.press("Enter")
    else:
        page.get_by_role("button", name=uk("Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Polski A1")
    # The page's script has taken over the taps (until then they post plain forms).
    expect(page.locator("#register")).to_have_attribute("data-ready", "true")


def _tap(page: Page, person: Participant, status: str) -> None:
    page.locator(f"#p-{person.pk}").get_by_role("button", name=uk(status)).click()


def _pressed(page: Page, person: Participant, status: str) -> None:
    button = page.locator(f"#p-{person.pk}").get_by_role("button", name=uk(status))
    expect(button).to_have_attribute("aria-pressed", "true")


def test_a_trainer_marks_three_and_a_walk_in_through_a_dropped_connection(
    live_server: Any, open_page: OpenPage, taught: dict[str, Any]
) -> None:
    olena, taras, iryna = (taught["people"][n] for n in ("Olena", "Taras", "Iryna"))
    session = taught["session"]
    with time_machine.travel(DURING, tick=True):
        page = open_page("uk")
        page.goto(f"{live_server.url}/accounts/login/?next=/register/{session.pk}/")
        _log_in(page, by_keyboard=False)

        _tap(page, olena, "Present")
        _tap(page, taras, "Absent")
        expect(page.locator("#sync-status")).to_have_text(uk("All marks saved."))

        page.context.set_offline(True)
        _tap(page, iryna, "Excused")
        _pressed(page, iryna, "Excused")  # shown at once, though not sent
        expect(page.locator("#sync-status")).to_contain_text(
            uk("No connection: marks not sent yet:")
        )
        expect(page.locator('[data-total="excused"]')).to_have_text("1")
        assert not Attendance.objects.filter(participant=iryna).exists()

        page.context.set_offline(False)  # the page sends the queued tap by itself
        expect(page.locator("#sync-status")).to_have_text(uk("All marks saved."))
        assert Attendance.objects.get(participant=iryna).status == "excused"

        form = page.locator("#walk-in-form")
        form.get_by_label(uk("Name")).fill("Nino Beridze")
        form.get_by_label(uk("Country of the phone number")).select_option("GE")
        form.get_by_label(uk("Mobile phone")).fill("555 12 34 56")
        form.get_by_role("button", name=uk("Add and mark present")).click()
        expect(page.locator("#register-rows")).to_contain_text("Nino Beridze")
        expect(page.locator("#sync-status")).to_have_text(uk("All marks saved."))

        page.reload()
        expect(page.locator("#register")).to_have_attribute("data-ready", "true")
        _pressed(page, olena, "Present")
        _pressed(page, taras, "Absent")
        _pressed(page, iryna, "Excused")
        nino = Participant.objects.get(phone="+995555123456")
        _pressed(page, nino, "Present")
        expect(page.locator('[data-total="present"]')).to_have_text("2")
        expect(page.locator('[data-total="unmarked"]')).to_have_text("0")
        assert page.evaluate(f"localStorage.getItem('integra.register.{session.pk}')") == "[]"

    marks = dict(Attendance.objects.values_list("participant__name", "status"))
    assert marks == {
        "Olena Kovalenko": "present",
        "Taras Shevchuk": "absent",
        "Iryna Bondar": "excused",
        "Nino Beridze": "present",
    }
    assert Attendance.objects.get(participant=nino).walk_in is True


def test_a_tap_made_after_the_login_ran_out_is_kept_and_sent_after_logging_in_again(
    live_server: Any, open_page: OpenPage, taught: dict[str, Any]
) -> None:
    from django.contrib.sessions.models import Session as LoginSession

    olena = taught["people"]["Olena"]
    session = taught["session"]
    with time_machine.travel(DURING, tick=True):
        page = open_page("uk")
        page.goto(f"{live_server.url}/accounts/login/?next=/register/{session.pk}/")
        _log_in(page, by_keyboard=True)

        LoginSession.objects.all().delete()  # the login runs out
        button = page.locator(f"#p-{olena.pk}").get_by_role("button", name=uk("Present"))
        button.focus()
        page.keyboard.press("Enter")  # by keyboard
        expect(page.locator("#sync-status")).to_contain_text(
            uk(
                "Your login has run out: reload the page and log in again; marks not sent yet "
                "are kept on this phone:"
            )
        )
        assert not Attendance.objects.exists()

        page.reload()  # to the login page, and back
        _log_in(page, by_keyboard=True)
        expect(page.locator("#sync-status")).to_have_text(uk("All marks saved."))
        _pressed(page, olena, "Present")
    assert Attendance.objects.get(participant=olena).status == "present"


def test_a_saved_tap_leaves_the_other_rows_as_they_are_so_a_tap_on_them_is_not_lost(
    live_server: Any, open_page: OpenPage, taught: dict[str, Any]
) -> None:
    """The server's answer to a tap brings the register's rows back; a row it did not change
    stays the very element the trainer may be touching at that moment (a tap begun on a row
    taken out of the page never becomes a click: found when a second quick tap was lost)."""
    olena, taras = (taught["people"][n] for n in ("Olena", "Taras"))
    session = taught["session"]
    with time_machine.travel(DURING, tick=True):
        page = open_page("uk")
        page.goto(f"{live_server.url}/accounts/login/?next=/register/{session.pk}/")
        _log_in(page, by_keyboard=False)
        page.evaluate(f"document.getElementById('p-{taras.pk}').touched = true")

        _tap(page, olena, "Present")
        expect(page.locator("#sync-status")).to_have_text(uk("All marks saved."))

        assert page.evaluate(f"document.getElementById('p-{taras.pk}').touched === true")
        _tap(page, taras, "Absent")
        expect(page.locator("#sync-status")).to_have_text(uk("All marks saved."))
        _pressed(page, olena, "Present")
        _pressed(page, taras, "Absent")
    assert dict(Attendance.objects.values_list("participant__name", "status")) == {
        "Olena Kovalenko": "present",
        "Taras Shevchuk": "absent",
    }
