"""axe-core checks the appointments' pages, as a phone shows them, against WCAG 2.0 and 2.1, levels
A and AA, in Ukrainian and in Polish: booking a slot (the language, the free times, the form, the
code), the personal page's appointment (move, cancel), the day view, the desk booking, the
interpreters and the specialists' languages. The checks are those of test_accessibility.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.browser.test_accessibility import LANGS, OpenPage, _axe_installed, check, log_in

__all__ = ["_axe_installed"]  # its skip without axe-core applies here too

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consultation(transactional_db: None) -> dict[str, Any]:
    """A lawyer's slot-booked duty hours at CIC Poznań (Polish only, a Ukrainian interpreter on
    Tuesdays), one appointment booked with the interpreter, one slot blocked."""
    from appointments.services.booking import appointment_book
    from appointments.services.slots import slot_block
    from courses.services.participants import ParticipantData
    from tests.appointments.helpers import interpreter, slot_course, specialist
    from tests.factories import CentreFactory, UserFactory

    poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań")
    staff = UserFactory(username="koordynator", staff_of=[poznan])
    lawyer = specialist("prawniczka", "pl", "en")
    course = slot_course(
        poznan, trainers=[lawyer], slug="dyzur-prawnika", title_pl="Dyżur prawnika", published=True
    )
    found = interpreter(poznan, "uk,ru", name="Oleksandra Petrenko")
    session = course.sessions.order_by("starts_at").first()
    assert session is not None
    booked = appointment_book(
        course=course,
        starts_at=session.starts_at,
        language="uk",
        person=ParticipantData(name="Olena Kovalenko", phone="+48601000001", sms_consent=True),
        actor=staff,
        channel="desk",
    )
    slot_block(session=session, starts_at=session.starts_at + timedelta(hours=2), actor=staff)
    return {"course": course, "session": session, "appointment": booked, "interpreter": found}


@pytest.mark.parametrize("lang", LANGS)
def test_appointment_pages(
    live_server: Any, open_page: OpenPage, consultation: dict[str, Any], lang: str
) -> None:
    """Booking a slot (the language, the free times, the form, the code), the personal page
    with the appointment, moving and cancelling it; the day view, the desk booking, the
    interpreters and the specialists' languages."""
    base = live_server.url
    course, session = consultation["course"], consultation["session"]
    booked = consultation["appointment"]
    book = f"/centres/cic-poznan/courses/{course.slug}/book/"
    free_at = (session.starts_at + timedelta(minutes=30)).isoformat()
    page = open_page(lang)
    for path in [
        f"/centres/cic-poznan/courses/{course.slug}/",
        book,
        f"{book}?language=uk",
        f"{book}?language=uk&at={free_at.replace('+', '%2B')}",
    ]:
        check(page, f"{base}{path}")
    page.locator("#id_name").fill("Nino Beridze")
    page.locator("#id_phone").fill("601 000 099")
    page.locator("#id_sms_consent").check()
    page.locator("main form button[type=submit]").click()
    page.locator("#id_code").wait_for()
    check(page, "")
    me = f"{base}{booked.participant.get_absolute_url()}"
    check(page, me)
    check(page, f"{me}appointments/{booked.pk}/move/")
    check(page, f"{me}appointments/{booked.pk}/cancel/")

    day = session.starts_at.astimezone(course.centre.tz).date().isoformat()
    staff = open_page(lang)
    log_in(staff, base, "koordynator", "/staff/appointments/")
    for path in [
        f"/staff/appointments/?day={day}",
        f"/staff/appointments/sessions/{session.pk}/book/?at={free_at.replace('+', '%2B')}",
        f"/staff/appointments/{booked.pk}/cancel/",
        "/staff/interpreters/",
        "/staff/interpreters/new/",
        f"/staff/interpreters/{consultation['interpreter'].pk}/",
        "/staff/specialists/",
    ]:
        check(staff, f"{base}{path}")
