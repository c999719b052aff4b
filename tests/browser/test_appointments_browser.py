"""Appointments in a browser. A person on a phone, in Ukrainian, books a lawyer's slot who
consults in Polish only, so an interpreter is booked with it: the language first, the free
times (marked "an interpreter will be there"), the form, the SMS code, the personal page with
the appointment; then moves it to another free time and sees it moved. A coordinator on a
phone opens the day view: booked (language, interpreter), free and blocked slots, and blocks a
slot.

Interface texts are looked up through the same catalogue the server uses (an untranslated text
is still the English one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from appointments.models import Appointment, AppointmentStatus, BlockedSlot
from appointments.services.booking import appointment_book
from appointments.services.slots import slot_block
from courses.models import Course, PhoneVerification
from courses.services.participants import ParticipantData
from tests.appointments.helpers import interpreter, slot_course, specialist
from tests.browser.conftest import PHONE
from tests.factories import UserFactory
from tests.verification import sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OpenPage = Callable[..., Page]
UKRAINE = "UA"


def uk(text: str) -> str:
    with translation.override("uk"):
        return translation.gettext(text)


@pytest.fixture
def lawyer_hours(centre: Any) -> Course:
    """A lawyer who consults in Polish only, Tuesdays 10:00-13:00 in 30-minute slots; a
    Ukrainian interpreter is at the centre on Tuesdays 9:00-14:00."""
    course = slot_course(
        centre,
        trainers=[specialist("prawniczka", "pl")],
        slug="dyzur-prawnika",
        title_pl="Dyżur prawnika",
        title_uk="Консультації юриста",
        published=True,
    )
    interpreter(centre, "uk", name="Oleksandra Petrenko")
    return course


def first_day(course: Course) -> Any:
    first = course.sessions.order_by("starts_at").first()
    assert first is not None
    return first


def at(course: Course, day: Any, hour: int, minute: int = 0) -> datetime:
    local = day.starts_at.astimezone(course.centre.tz).date()
    return datetime.combine(local, time(hour, minute), tzinfo=course.centre.tz)


def test_book_a_lawyer_with_an_interpreter_on_a_phone_in_ukrainian_and_move_it(
    live_server: Any, open_page: OpenPage, lawyer_hours: Course
) -> None:
    base = live_server.url
    page = open_page("uk")
    page.goto(f"{base}{lawyer_hours.get_absolute_url()}")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Консультації юриста")

    # The language first: Ukrainian, which the lawyer does not speak.
    need = page.get_by_label(uk("Language you need for the consultation"), exact=True)
    expect(need.locator('option[value="uk"]')).to_have_text("Українська")
    need.select_option("uk")
    page.get_by_role("button", name=uk("Show free times"), exact=True).click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Українська"))).to_be_visible()
    day = first_day(lawyer_hours)
    slots = page.locator(f"#day-{day.pk} ~ ul .slot")
    expect(slots).to_have_count(6)
    expect(slots.first).to_contain_text("10:00")
    expect(slots.first).to_contain_text(uk("An interpreter will be there"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    slots.first.click()

    # The form: who books, then the code by SMS.
    expect(page.locator(".slot-chosen")).to_contain_text("10:00")
    expect(page.locator(".slot-chosen")).to_contain_text(uk("An interpreter will be there"))
    page.get_by_label(uk("Your name"), exact=True).fill("Олена Коваленко")
    page.get_by_label(uk("Country of your phone number"), exact=True).select_option(UKRAINE)
    page.get_by_label(uk("Mobile phone"), exact=True).fill("050 123 4567")
    page.locator("#id_sms_consent").check()
    page.get_by_role("button", name=uk("Book this time"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(uk("Confirm your phone number"))
    assert not Appointment.objects.exists()  # nothing before the code
    code = sms_code(PhoneVerification.objects.latest("created_at").public_id)
    page.get_by_label(uk("Code from the SMS"), exact=True).fill(code)
    page.get_by_role("button", name=uk("Confirm"), exact=True).click()

    # The personal page: the appointment, in Ukrainian, with the interpreter.
    page.wait_for_url(re.compile(r"/me/[^/]+/\?booked=\d+"))
    booked = Appointment.objects.get()
    assert booked.interpreter is not None
    assert booked.starts_at == at(lawyer_hours, day, 10)
    card = page.locator(f"#appointment-{booked.pk}")
    expect(card).to_contain_text("Консультації юриста")
    expect(card.locator(".appointment-when")).to_contain_text("10:00–10:30")
    expect(card.locator(".appointment-language")).to_have_text("Українська")
    expect(card.locator(".appointment-interpreter")).to_have_text(
        uk("Yes: an interpreter will be there")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Moved to 11:30 the same day: the interpreter comes along.
    card.get_by_role("link", name=uk("Move to another time"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(uk("Move the appointment"))
    later = page.locator("button.slot", has_text="11:30").first
    expect(later).to_contain_text(uk("An interpreter will be there"))
    later.click()
    expect(page.locator(".notice")).to_contain_text(uk("Done: your appointment has a new time."))
    card = page.locator(f"#appointment-{booked.pk}")
    expect(card.locator(".appointment-when")).to_contain_text("11:30–12:00")
    expect(card.locator(".appointment-interpreter")).to_have_text(
        uk("Yes: an interpreter will be there")
    )
    booked.refresh_from_db()
    assert (booked.starts_at, booked.status) == (
        at(lawyer_hours, day, 11, 30),
        AppointmentStatus.BOOKED,
    )
    assert booked.interpreter is not None
    assert Appointment.objects.count() == 1  # moved, not booked twice


def test_the_day_view_on_a_phone_shows_booked_free_and_blocked_slots_and_blocks_one(
    live_server: Any, open_page: OpenPage, centre: Any, lawyer_hours: Course
) -> None:
    staff_user = UserFactory(username="koordynatorka", staff_of=[centre])
    day = first_day(lawyer_hours)
    appointment_book(
        course=lawyer_hours,
        starts_at=at(lawyer_hours, day, 10),
        language="uk",
        person=ParticipantData(name="Olena Kovalenko", phone="+48698000001", sms_consent=True),
        actor=staff_user,
        channel="desk",
    )
    appointment_book(
        course=lawyer_hours,
        starts_at=at(lawyer_hours, day, 10, 30),
        language="pl",
        person=ParticipantData(name="Anna Kowalska", phone="+48698000002", sms_consent=True),
        actor=staff_user,
        channel="desk",
    )
    slot_block(session=day, starts_at=at(lawyer_hours, day, 12, 30), actor=staff_user)
    local_day = day.starts_at.astimezone(lawyer_hours.centre.tz).date()

    page = open_page("uk")
    base = live_server.url
    then = f"/staff/appointments/?day={local_day.isoformat()}"
    page.goto(f"{base}/accounts/login/?next={then}")
    page.locator("#id_username").fill("koordynatorka")
    page.locator("#id_password").fill("secret-pass-123")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/appointments/\?day="))
    with translation.override("uk"):
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            date_format(local_day, "j E Y")
        )

    section = page.locator(f"#session-{day.pk}").locator("xpath=..")
    expect(section).to_contain_text("Консультації юриста")
    first = page.locator(f"#slot-{day.pk}-1000")
    expect(first).to_have_class(re.compile("ws-slot--booked"))
    expect(first).to_contain_text("Olena Kovalenko")
    expect(first).to_contain_text("Українська")
    expect(first).to_contain_text("Oleksandra Petrenko")
    second = page.locator(f"#slot-{day.pk}-1030")
    expect(second).to_contain_text("Anna Kowalska")
    expect(second).to_contain_text(uk("no interpreter"))
    expect(page.locator(f"#slot-{day.pk}-1230")).to_have_class(re.compile("ws-slot--blocked"))
    free = page.locator(f"#slot-{day.pk}-1100")
    expect(free).to_have_class(re.compile("ws-slot--free"))
    expect(free).to_contain_text("Українська")  # an interpreter is free for it then
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Block the 11:00 slot, with a reason.
    free.locator("summary").click()
    free.get_by_label(uk("Reason (optional)"), exact=True).fill("Rozprawa w sądzie")
    free.get_by_role("button", name=uk("Block the slot"), exact=True).click()
    page.wait_for_url(re.compile(r"#slot-\d+-1100$"))
    expect(page.locator(".ws-messages, .notice").first).to_contain_text("11:00")
    expect(page.locator(f"#slot-{day.pk}-1100")).to_have_class(re.compile("ws-slot--blocked"))
    blocked = BlockedSlot.objects.get(starts_at=at(lawyer_hours, day, 11))
    assert blocked.reason == "Rozprawa w sądzie"
