"""axe-core checks every important page, as a phone shows it, against WCAG 2.0 and 2.1, levels A
and AA: the public pages (home, a centre, a course, its form, the personal page and its erasure
page), the trainers' (login, their sessions, a register, its sign-in sheet), the staff's
reports, every page of the coordinators' workspace (/staff/); the appointments' pages are in
test_accessibility_appointments.py. Each page is checked in Ukrainian and in Polish, with data
on it (the reports' test world), after its own script has run.

axe-core comes from tests/js (`make test` installs it with `npm ci`); without it the tests skip."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from courses.models import BookingMode, Participant, PhoneVerification
from tests.courses.report_world import AFTER, build_world
from tests.factories import CourseFactory
from tests.verification import sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OpenPage = Callable[..., Page]
AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WARSAW = ZoneInfo("Europe/Warsaw")
BEFORE = datetime(2026, 12, 20, 12, 0, tzinfo=WARSAW)  # the Poznań course is still to come
LANGS = ["uk", "pl"]


@pytest.fixture(scope="module", autouse=True)
def _axe_installed() -> None:
    if not AXE.exists():
        pytest.skip("needs axe-core: cd tests/js && npm ci (make test installs it)")


@pytest.fixture
def world(transactional_db: None) -> dict[str, Any]:
    return build_world()


def violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds wrong on the page as it is now, by the WCAG 2.0/2.1 A and AA rules."""
    # Evaluated by the browser's DevTools, which the pages' Content-Security-Policy does not
    # govern (an injected <script> tag would be refused, as any script the page did not list).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return result["violations"]


def describe(url: str, found: list[dict[str, Any]]) -> str:
    lines = [f"{url}: {len(found)} accessibility violation(s)"]
    for v in found:
        nodes = v["nodes"]
        target = nodes[0]["target"] if nodes else "?"
        lines.append(
            f"  {v['id']} ({v['impact']}): {v['help']} — {target}"
            + (f" and {len(nodes) - 1} more" if len(nodes) > 1 else "")
        )
    return "\n".join(lines)


def check(page: Page, url: str) -> None:
    """Opens `url` (a path on the live server) unless the page is already there, then axe."""
    if url:
        response = page.goto(url)
        assert response is not None, url
        assert response.ok, f"{url}: {response.status}"
    page.wait_for_load_state("load")
    found = violations(page)
    assert not found, describe(page.url, found)


def log_in(page: Page, base: str, username: str, then: str) -> None:
    page.goto(f"{base}/accounts/login/?next={then}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("secret-pass-123")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{then}")


@pytest.fixture
def before() -> Iterator[None]:
    with time_machine.travel(BEFORE, tick=True):
        yield


@pytest.mark.parametrize("lang", LANGS)
def test_public_pages(
    live_server: Any, open_page: OpenPage, world: dict[str, Any], before: None, lang: str
) -> None:
    base = live_server.url
    olena = Participant.objects.get(phone="+48601000001")
    me = f"{base}/me/{olena.token}/"
    CourseFactory(
        centre=world["konin"],
        slug="warsztaty",
        booking_mode=BookingMode.SESSION,
        start_date=date(2027, 1, 8),
        rule="RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=4",
    )
    page = open_page(lang)
    for path in [
        "/",
        "/?city=Poznań",  # the home page for one city
        "/centres/cic-poznan/",
        "/centres/cic-poznan/?view=week&kind=polish_course",  # the agenda week, filtered
        "/centres/cic-poznan/courses/polski-a1/",
        "/centres/cic-poznan/courses/polski-a1/enrol/",
        "/centres/cic-konin/courses/klub/",  # no booking: "just come"
        "/centres/cic-konin/courses/warsztaty/",  # booked session by session
        "/centres/cic-konin/courses/warsztaty/enrol/",  # with a choice of date
        "/centres/cic-poznan/privacy/",  # the privacy notice
        "/privacy/",  # the list of notices, for pages of no centre
    ]:
        check(page, f"{base}{path}")
    # The site's own error page (not "ok", so opened here rather than by check).
    missing = page.goto(f"{base}/no-such-page/")
    assert missing is not None
    assert missing.status == 404
    check(page, "")
    check(page, me)
    check(page, f"{me}erase/")
    place = olena.enrolments.filter(status__in=["confirmed", "waitlisted"]).first()
    assert place is not None
    check(page, f"{me}enrolments/{place.pk}/cancel/")  # giving a place up, explained

    # The form sent empty: its errors are shown by the fields.
    page.goto(f"{base}/centres/cic-poznan/courses/polski-a1/enrol/")
    submit = page.locator("main form button[type=submit]")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit.click()
    assert posted.value.status == 400
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "")

    # Sent right: the personal page, with the link to keep, then erasing it all.
    page.locator("#id_name").fill("Nino Beridze")
    page.locator("#id_phone").fill("601 000 099")
    page.locator("#id_sms_consent").check()
    submit.click()
    # The code page, checked too, then the code from the SMS.
    page.locator("#id_code").wait_for()
    check(page, "")
    page.locator("#id_code").fill(
        sms_code(PhoneVerification.objects.latest("created_at").public_id)
    )
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/me/[^/]+/\?enrolled="))
    expect(page.locator(".notice")).to_be_visible()
    check(page, "")
    page.locator('a[href$="/erase/"]').click()
    page.wait_for_url(re.compile(r"/erase/$"))
    with page.expect_response(lambda r: r.request.method == "POST") as erased:
        page.locator("main form button[type=submit]").click()
    assert erased.value.ok
    check(page, "")


@pytest.mark.parametrize("lang", LANGS)
def test_login_page(live_server: Any, open_page: OpenPage, lang: str) -> None:
    base = live_server.url
    page = open_page(lang)
    check(page, f"{base}/accounts/login/?next=/register/")
    page.locator("#id_username").fill("trener")
    page.locator("#id_password").fill("not-the-password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "")


@pytest.mark.parametrize("lang", LANGS)
def test_trainer_pages(
    live_server: Any, open_page: OpenPage, world: dict[str, Any], lang: str
) -> None:
    base = live_server.url
    session = world["sessions"][4]  # Olena is marked present, Taras excused, Iryna not yet
    iryna = Participant.objects.get(phone="+48601000003")
    with time_machine.travel(session.starts_at + timedelta(minutes=10), tick=True):
        page = open_page(lang)
        log_in(page, base, "trener", "/register/")
        check(page, "")
        page.goto(f"{base}/register/{session.pk}/")
        expect(page.locator("#register")).to_have_attribute("data-ready", "true")
        check(page, "")
        # Every kind of mark shown pressed, and the line that says they are saved.
        row = page.locator(f"#p-{iryna.pk}")
        row.locator(".mark--absent").click()
        expect(row.locator(".mark--absent")).to_have_attribute("aria-pressed", "true")
        expect(page.locator('[data-total="unmarked"]')).to_have_text("0")
        page.wait_for_function(  # a function, not a string: the CSP forbids eval in the page
            "key => localStorage.getItem(key) === '[]'", arg=f"integra.register.{session.pk}"
        )
        expect(page.locator("#sync-status")).not_to_be_empty()
        check(page, "")
        check(page, f"{base}/register/{session.pk}/sheet/")
        check(page, f"{base}/register/?day=2027-01-05")  # a day picked: past registers
        page.goto(f"{base}/register/?day=5.01.2027")  # not a date: a 400, the error at the field
        check(page, "")


@pytest.mark.parametrize("lang", LANGS)
def test_staff_reports(
    live_server: Any, open_page: OpenPage, world: dict[str, Any], lang: str
) -> None:
    base = live_server.url
    with time_machine.travel(AFTER, tick=True):
        page = open_page(lang)
        log_in(page, base, "koordynator", "/reports/")
        check(page, "")
        check(page, f"{base}/reports/?network=CIC&from=2026-12-01&to=2027-02-28")
        check(page, f"{base}/reports/courses/{world['course'].pk}/")


@pytest.mark.parametrize("lang", LANGS)
def test_workspace_pages(
    live_server: Any, open_page: OpenPage, world: dict[str, Any], before: None, lang: str
) -> None:
    """Every page of the coordinators' workspace, with the reports' world on it: Today, the
    timetable (week, month), a session and its cancel, move (with its confirmation), restore and
    add pages, the courses, the editor (new, a course, a preview with skipped days), copying into
    a new term, the closures and their form and deletion."""
    from scheduling.services import closure_save
    from tests.factories import ClosureFactory

    base = live_server.url
    course = world["course"]
    sessions = list(course.sessions.order_by("starts_at"))
    on, cancelled = sessions[0], sessions[2]
    days = {"starts_on": BEFORE.date().replace(day=28), "ends_on": BEFORE.date().replace(day=30)}
    closure = closure_save(
        closure=ClosureFactory.build(centre=course.centre, reason="Ferie", **days)
    )
    page = open_page(lang)
    log_in(page, base, "koordynator", "/staff/")
    check(page, "")
    for path in [
        "/staff/timetable/",
        "/staff/registers/",
        "/staff/registers/?day=2027-01-05",
        "/staff/timetable/?view=month&date=2027-01-05",
        f"/staff/sessions/{on.pk}/",
        f"/staff/sessions/{on.pk}/cancel/",
        f"/staff/sessions/{on.pk}/move/",
        f"/staff/sessions/{cancelled.pk}/restore/",
        f"/staff/courses/{course.pk}/sessions/new/",
        "/staff/courses/",
        "/staff/courses/new/",
        f"/staff/courses/{course.pk}/",
        f"/staff/courses/{course.pk}/copy/",
        "/staff/closures/",
        "/staff/closures/new/",
        f"/staff/closures/{closure.pk}/",
        f"/staff/closures/{closure.pk}/delete/",
    ]:
        check(page, f"{base}{path}")
    # The move's confirmation: who is told (and their SMS, when they agreed to SMS).
    page.goto(f"{base}/staff/sessions/{on.pk}/move/")
    page.locator("#id_start").fill("16:00")
    page.locator("button[name=preview]").click()
    expect(page.locator(".ws-notice")).to_be_visible()
    check(page, "")
    # The editor's preview from the server (the Preview button), and a refused form.
    page.goto(f"{base}/staff/courses/{course.pk}/")
    page.locator("button[name=preview]").click()
    expect(page.locator("#preview li").first).to_be_visible()
    check(page, "")
    page.locator("#id_title_pl").fill("")
    page.locator("button[name=save]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "")


@pytest.mark.parametrize("lang", LANGS)
def test_workspace_message_pages(
    live_server: Any, open_page: OpenPage, world: dict[str, Any], before: None, lang: str
) -> None:
    """Messages to people: the course's and a session's form, the preview (recipients per
    language, each text with its segments, encoding and cost), a refused form, the sent list."""
    from tests.factories import EnrolmentRowFactory, ParticipantRowFactory

    base = live_server.url
    course = world["course"]
    on = course.sessions.order_by("starts_at").first()
    for phone, language in [("+48601000091", "uk"), ("+48601000092", "pl")]:
        person = ParticipantRowFactory(
            centre=course.centre, phone=phone, language=language, sms_consent=True
        )
        EnrolmentRowFactory(course=course, participant=person)
    page = open_page(lang)
    log_in(page, base, "koordynator", f"/staff/courses/{course.pk}/messages/")
    check(page, "")
    check(page, f"{base}/staff/sessions/{on.pk}/messages/")
    page.goto(f"{base}/staff/courses/{course.pk}/messages/")
    page.locator("button[name=preview]").click()  # nothing written: the error at the field
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "")
    page.locator("#id_text").fill("Zajęcia dziś odwołane.")
    page.locator("#id_text_uk").fill("Заняття сьогодні скасовано.")
    page.locator("button[name=preview]").click()
    expect(page.locator(".ws-message-preview")).to_be_visible()
    check(page, "")
    page.locator("button[name=send]").click()
    expect(page.locator(".ws-messages")).to_be_visible()
    check(page, "")


@pytest.mark.parametrize("lang", LANGS)
def test_workspace_course_people_pages(
    live_server: Any, open_page: OpenPage, world: dict[str, Any], before: None, lang: str
) -> None:
    """A course's people: the lists with a waitlist and its move form open, a search, a refused
    move, the cancel confirmation, a course booked per session and one of its sessions."""
    from courses.models import BookingMode, EnrolmentStatus
    from tests.factories import CourseFactory, EnrolmentRowFactory

    base = live_server.url
    course = world["course"]
    waiting = [
        EnrolmentRowFactory(
            course=course, status=EnrolmentStatus.WAITLISTED, participant__name=name
        )
        for name in ("Anna Czeka", "Borys Czeka")
    ]
    per_session = CourseFactory(centre=course.centre, booking_mode=BookingMode.SESSION)
    session = per_session.sessions.order_by("starts_at").first()
    people = f"/staff/courses/{course.pk}/people/"
    page = open_page(lang)
    log_in(page, base, "koordynator", people)
    check(page, "")
    page.locator(f"#place-{waiting[1].pk} summary").click()
    check(page, "")
    page.locator(f"#place-{waiting[1].pk} button[value=up]").click()  # no reason: refused
    expect(page.locator(f"#reason-{waiting[1].pk}")).to_be_visible()
    check(page, "")
    check(page, f"{base}{people}?q=601")
    check(page, f"{base}/staff/places/{waiting[0].pk}/cancel/")
    check(page, f"{base}/staff/courses/{per_session.pk}/people/")
    check(page, f"{base}/staff/sessions/{session.pk}/people/")


@pytest.mark.parametrize("lang", LANGS)
def test_workspace_people_and_sms_pages(
    live_server: Any, open_page: OpenPage, world: dict[str, Any], before: None, lang: str
) -> None:
    """People: the search with a result, a person's page (places, SMS, details with the
    pickers), a refused change, the erase confirmation; the SMS log, filtered."""
    from notifications.models import MessageStatus
    from tests.factories import EnrolmentFactory, OutboundMessageFactory, ParticipantFactory

    base = live_server.url
    course = world["course"]
    person = ParticipantFactory(
        centre=course.centre, name="Olena Kovalenko", phone="601 234 567", sms_consent=True
    )
    EnrolmentFactory(course=course, participant=person)
    OutboundMessageFactory(participant=person, status=MessageStatus.DELIVERED, body="Do zobaczenia")
    OutboundMessageFactory(participant=person, status=MessageStatus.FAILED, error_code="30003")
    page = open_page(lang)
    log_in(page, base, "koordynator", "/staff/people/")
    check(page, "")
    check(page, f"{base}/staff/people/?q=601234567")
    check(page, f"{base}/staff/people/{person.pk}/")
    page.locator("#id_phone").fill("12")
    page.locator("form.ws-form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "")
    check(page, f"{base}/staff/people/{person.pk}/erase/")
    check(page, f"{base}/staff/sms/")
    check(page, f"{base}/staff/sms/?status=failed&q=Olena")
