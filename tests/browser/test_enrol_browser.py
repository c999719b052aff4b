"""Enrolling from a phone in Ukrainian: the course page, the form (its privacy notice and the
optional statistics questions, with a mistake first), the personal page with the waitlist
position, the schedule, the next session and its address, leaving the waitlist and giving up
the place only through their confirmation pages; and the form by keyboard alone.

Interface texts are looked up through the same catalogue the server uses, so the locators follow
locale/uk as its translations are completed (an untranslated text is still the English one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from courses.models import Course, Enrolment, EnrolmentStatus, Participant, PhoneVerification
from courses.services.enrolment import enrolment_cancel
from courses.services.participants import PRIVACY_NOTICE_VERSION
from tests.factories import CourseFactory, EnrolmentFactory
from tests.verification import sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OpenPage = Callable[..., Page]
UKRAINE = "Україна (+380)"  # Babel's name of the country in Ukrainian, with its calling code
PHONE = "050 123 4567"
PHONE_E164 = "+380501234567"


def uk(text: str) -> str:
    """What the Ukrainian page shows for an interface text."""
    with translation.override("uk"):
        return translation.gettext(text)


@pytest.fixture
def full_course(centre) -> Course:
    """One seat, already taken by somebody else: the next person joins the waitlist."""
    course = CourseFactory(
        centre=centre,
        slug="polski-a1",
        title_pl="Język polski A1",
        title_uk="Польська мова A1",
        capacity=1,
        start_date=date(2027, 1, 5),
    )
    seat = EnrolmentFactory(
        course=course, participant__name="Marta Nowak", participant__phone="601 000 001"
    )
    assert seat.status == EnrolmentStatus.CONFIRMED
    return course


def latest_code() -> str:
    """The code of the newest request, as the person reads it in the SMS."""
    return sms_code(PhoneVerification.objects.latest("created_at").public_id)


def enrol_url(live_server) -> str:
    return f"{live_server.url}/centres/cic-poznan/courses/polski-a1/enrol/"


def test_enrol_on_a_phone_in_ukrainian_wait_get_the_seat_and_give_it_up_through_a_confirmation(
    live_server, open_page: OpenPage, full_course: Course
) -> None:
    page = open_page("uk")
    page.goto(f"{live_server.url}/centres/cic-poznan/courses/polski-a1/")

    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Польська мова A1")
    join = page.get_by_role("link", name=uk("Join the waitlist"), exact=True)
    expect(join).to_have_attribute("href", "/centres/cic-poznan/courses/polski-a1/enrol/")
    join.click()

    expect(page).to_have_url(enrol_url(live_server))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Польська мова A1")
    name = page.get_by_label(uk("Your name"), exact=True)
    country = page.get_by_label(uk("Country of your phone number"), exact=True)
    phone = page.get_by_label(uk("Mobile phone"), exact=True)
    language = page.get_by_label(uk("Language of your SMS"), exact=True)
    consent = page.get_by_label(
        uk("I agree to receive SMS about my enrolment and the sessions."), exact=True
    )
    submit = page.get_by_role("button", name=uk("Join the waitlist"), exact=True)  # it is full
    expect(country).to_have_value("PL")
    expect(country.locator('option[value="UA"]')).to_have_text(UKRAINE)
    expect(language).to_have_value("uk")
    expect(page.locator('input[name="website"]')).not_to_be_in_viewport()  # the bots' field

    # The privacy notice is one tap away, in Ukrainian, from the form itself.
    notice = page.locator('main form a[href="/centres/cic-poznan/privacy/"]')
    expect(notice).to_have_text("повідомлення про конфіденційність")
    notice.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(uk("Privacy notice"))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator(".privacy-controller")).to_contain_text(full_course.centre.name)
    expect(page.get_by_role("heading", name=uk("Your rights"))).to_be_visible()
    page.go_back()
    expect(page).to_have_url(enrol_url(live_server))

    # The statistics questions: optional, "prefer not to say" until answered, and why.
    statistics = page.get_by_role("group", name=uk("For statistics (optional)"))
    expect(statistics).to_contain_text(
        uk(
            "These answers are used only for anonymous statistics for the funders of our "
            "activities. Skip any question you prefer not to answer."
        )
    )
    origin = statistics.get_by_label(uk("Country of origin"), exact=True)
    birth_year = statistics.get_by_label(uk("Year of birth"), exact=True)
    sex = statistics.get_by_label(uk("Sex"), exact=True)
    for question in (origin, birth_year, sex):
        expect(question).to_have_value("")
        expect(question.locator("option:checked")).to_have_text(uk("Prefer not to say"))

    # A mistake first: a phone number far too short.
    name.fill("Олена Коваленко")
    country.select_option(label=UKRAINE)
    phone.fill("12")
    consent.check()
    origin.select_option(label="Україна")
    birth_year.select_option("1990")
    sex.select_option("female")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit.click()

    assert posted.value.status == 400
    expect(page).to_have_url(enrol_url(live_server))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(uk("Please correct the fields marked below."))
    phone_error = page.locator("#id_phone_error")
    expect(phone_error).to_be_visible()
    expect(phone_error).to_have_text(
        uk("Enter a mobile phone number, e.g. 601 234 567, or +380 50 123 4567.")
    )
    assert Participant.objects.count() == 1
    assert Enrolment.objects.count() == 1
    # What was typed is kept; only the phone needs correcting.
    expect(name).to_have_value("Олена Коваленко")
    expect(country).to_have_value("UA")
    expect(consent).to_be_checked()
    expect(origin).to_have_value("UA")
    expect(birth_year).to_have_value("1990")
    expect(sex).to_have_value("female")

    phone.fill(PHONE)
    submit.click()

    # The phone is proven on the same page with the code from the SMS; nothing is booked before.
    expect(page.get_by_role("heading", level=1)).to_have_text(uk("Confirm your phone number"))
    assert Enrolment.objects.count() == 1
    code = page.get_by_label(uk("Code from the SMS"), exact=True)
    expect(code).to_be_focused()
    code.fill(latest_code())
    page.get_by_role("button", name=uk("Confirm and enrol"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/me/[^/]+/\?enrolled=\d+#enrolment-\d+$"))
    participant = Participant.objects.get(phone=PHONE_E164)
    enrolment = Enrolment.objects.get(participant=participant)
    assert enrolment.status == EnrolmentStatus.WAITLISTED
    assert participant.language == "uk"
    assert participant.sms_consent
    # The answers came with the enrolment, through the code step; with the notice's version.
    assert (participant.country_of_origin, participant.birth_year, participant.sex) == (
        "UA",
        1990,
        "female",
    )
    assert participant.privacy_notice_version == PRIVACY_NOTICE_VERSION
    me = participant.get_absolute_url()
    expect(page).to_have_url(
        f"{live_server.url}{me}?enrolled={enrolment.pk}#enrolment-{enrolment.pk}"
    )
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    card = page.locator(f"#enrolment-{enrolment.pk}")
    expect(card.get_by_role("heading", level=2)).to_have_text("Польська мова A1")
    status = card.locator(".status")
    expect(status).to_have_class(re.compile(r"\bstatus--waitlisted\b"))
    expect(status).to_have_text(uk("On the waitlist: number %(position)s") % {"position": 1})
    expect(status).to_contain_text("1")
    # The personal link to keep.
    expect(page.locator(f'.notice a[href$="{me}"]')).to_be_visible()

    # Where and when, in words and the next session with its address.
    expect(card.locator(".my-place-centre")).to_have_text("CIC Poznań")
    expect(card.locator(".my-place-schedule")).to_have_text(
        "Вт 18:00–19:30, з 5 січня до 9 березня"
    )
    expect(card.locator(".my-place-next")).to_have_text("Вівторок 5 січня 2027, 18:00–19:30")
    expect(card.locator(".my-place-address")).to_have_text(
        "CIC Poznań, ul. Nowowiejskiego 25, Poznań"
    )

    # Leaving the waitlist asks first; "no" keeps the place in the line.
    cancel_url = reverse(
        "me-action",
        kwargs={"token": participant.token, "enrolment_id": enrolment.pk, "action": "cancel"},
    )
    leave = card.get_by_role("link", name=uk("Leave the waitlist"), exact=True)
    expect(leave).to_have_attribute("href", cancel_url)
    leave.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(uk("Leave the waitlist?"))
    expect(page.locator("main")).to_contain_text(
        uk(
            "You are number %(position)s on the waitlist. If you leave, you lose this place in "
            "the line: enrolling again puts you at the end."
        )
        % {"position": 1}
    )
    page.get_by_role("link", name=uk("No, stay on the waitlist"), exact=True).click()
    expect(page).to_have_url(f"{live_server.url}{me}#enrolment-{enrolment.pk}")
    expect(status).to_have_class(re.compile(r"\bstatus--waitlisted\b"))
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.WAITLISTED

    # Marta gives up her seat: it is Olena's, and the page says when and where it starts.
    marta = Enrolment.objects.get(participant__name="Marta Nowak")
    enrolment_cancel(enrolment=marta)
    page.reload()
    expect(status).to_have_class(re.compile(r"\bstatus--confirmed\b"))
    expect(card.locator(".my-place-next")).to_have_text("Вівторок 5 січня 2027, 18:00–19:30")

    # Giving the place up: explained with its date, done only by the page's button.
    card.get_by_role("link", name=uk("Cancel my place"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(uk("Give up your place?"))
    expect(page.locator(".my-confirm-place")).to_contain_text("Вівторок 5 січня 2027, 18:00")
    expect(page.locator(".my-confirm-place")).to_contain_text("ul. Nowowiejskiego 25")
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.CONFIRMED
    with page.expect_response(lambda r: r.request.method == "POST") as given_up:
        page.get_by_role("button", name=uk("Yes, give up my place"), exact=True).click()
    assert given_up.value.status == 302  # the page's own form passes the CSRF check

    expect(page).to_have_url(f"{live_server.url}{me}#enrolment-{enrolment.pk}")
    expect(status).to_have_class(re.compile(r"\bstatus--cancelled\b"))
    expect(status).to_have_text(uk("Cancelled"))
    expect(page.get_by_role("status")).to_have_text(uk("Done: your place is given up."))
    expect(card.get_by_role("link", name=uk("Cancel my place"))).to_have_count(0)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED


def test_the_form_can_be_filled_and_sent_with_the_keyboard_alone(
    live_server, open_page: OpenPage, full_course: Course
) -> None:
    page = open_page("uk")
    page.goto(enrol_url(live_server))
    name = page.get_by_label(uk("Your name"), exact=True)
    country = page.get_by_label(uk("Country of your phone number"), exact=True)
    phone = page.get_by_label(uk("Mobile phone"), exact=True)
    language = page.get_by_label(uk("Language of your SMS"), exact=True)
    consent = page.get_by_label(
        uk("I agree to receive SMS about my enrolment and the sessions."), exact=True
    )
    submit = page.get_by_role("button", name=uk("Join the waitlist"), exact=True)  # it is full

    # Past the skip link, the header and the breadcrumb to the first field.
    for _ in range(12):
        page.keyboard.press("Tab")
        if name.evaluate("field => field === document.activeElement"):
            break
    expect(name).to_be_focused()
    page.keyboard.type("Олена Коваленко")
    page.keyboard.press("Tab")
    expect(country).to_be_focused()
    page.keyboard.press("ArrowDown")  # Poland, then Ukraine: the countries most people come from
    expect(country).to_have_value("UA")
    page.keyboard.press("Tab")
    expect(phone).to_be_focused()
    page.keyboard.type(PHONE)
    page.keyboard.press("Tab")
    expect(language).to_be_focused()
    expect(language).to_have_value("uk")
    for question in ("Country of origin", "Year of birth", "Sex"):  # optional: passed by
        page.keyboard.press("Tab")
        expect(page.get_by_label(uk(question), exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(consent).to_be_focused()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    page.keyboard.press("Tab")  # the hidden honeypot field is skipped
    expect(page.locator('main form a[href$="/privacy/"]')).to_be_focused()
    page.keyboard.press("Tab")
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")

    code = page.get_by_label(uk("Code from the SMS"), exact=True)
    expect(code).to_be_focused()  # the code page starts at the code
    page.keyboard.type(latest_code())
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/me/[^/]+/\?enrolled=\d+#enrolment-\d+$"))
    participant = Participant.objects.get(phone=PHONE_E164)
    assert participant.name == "Олена Коваленко"
    enrolment = Enrolment.objects.get(participant=participant)
    assert enrolment.status == EnrolmentStatus.WAITLISTED
    expect(page.locator(f"#enrolment-{enrolment.pk} .status")).to_have_class(
        re.compile(r"\bstatus--waitlisted\b")
    )


def test_a_code_typed_in_persian_digits_is_sent_and_enrols(
    live_server, open_page: OpenPage, full_course: Course
) -> None:
    """A phone set to Persian shows its number pad in Persian digits: the page lets the code
    typed so through (its pattern takes them) and the server reads it as the code sent."""
    page = open_page("uk")
    page.goto(enrol_url(live_server))
    page.get_by_label(uk("Your name"), exact=True).fill("Zahra Ahmadi")
    page.get_by_label(uk("Country of your phone number"), exact=True).select_option("UA")
    page.get_by_label(uk("Mobile phone"), exact=True).fill(PHONE)
    page.get_by_label(
        uk("I agree to receive SMS about my enrolment and the sessions."), exact=True
    ).check()
    page.get_by_role("button", name=uk("Join the waitlist"), exact=True).click()

    code = page.get_by_label(uk("Code from the SMS"), exact=True)
    code.fill(latest_code().translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    assert code.evaluate("field => field.validity.valid")
    page.get_by_role("button", name=uk("Confirm and enrol"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/me/[^/]+/\?enrolled=\d+#enrolment-\d+$"))
    enrolment = Enrolment.objects.get(participant__phone=PHONE_E164)
    assert enrolment.status == EnrolmentStatus.WAITLISTED
