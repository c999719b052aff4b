"""A mother on a phone, in Ukrainian: she books herself into a Polish class and her two children
into its childcare in one form (the parent's consent, the SMS code), sees both bookings on her
personal page, then gives up one child's place through its confirmation page.

Interface texts are looked up through the catalogue the server uses (see test_enrol_browser)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from courses.models import Course, Enrolment, MemberStatus, Participant, PhoneVerification
from courses.selectors.seats import seats_taken
from tests.factories import CourseFactory
from tests.verification import sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OpenPage = Callable[..., Page]
UKRAINE = "Україна (+380)"


def uk(text: str) -> str:
    with translation.override("uk"):
        return translation.gettext(text)


def uk_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("uk"):
        return translation.ngettext(singular, plural, count) % {"places": count}


@pytest.fixture
def polish(centre) -> Course:
    care = CourseFactory(
        centre=centre,
        slug="opieka",
        title_pl="Opieka nad dziećmi",
        title_uk="Догляд за дітьми",
        capacity=6,
        max_party=3,
        max_age=10,
        start_date=date(2027, 1, 5),
    )
    return CourseFactory(
        centre=centre,
        slug="polski-dla-mam",
        title_pl="Polski dla mam",
        title_uk="Польська для мам",
        capacity=10,
        childcare=care,
        start_date=date(2027, 1, 5),
    )


def test_a_mother_books_the_class_and_its_childcare_then_gives_up_one_childs_place(
    live_server, open_page: OpenPage, polish: Course
) -> None:
    care = polish.childcare
    assert care is not None
    page = open_page("uk")
    page.goto(f"{live_server.url}/centres/cic-poznan/courses/polski-dla-mam/enrol/")

    expect(page.locator("html")).to_have_attribute("lang", "uk")
    page.get_by_label(uk("Your name"), exact=True).fill("Олена Коваленко")
    page.get_by_label(uk("Country of your phone number"), exact=True).select_option(label=UKRAINE)
    page.get_by_label(uk("Mobile phone"), exact=True).fill("050 123 4567")
    childcare = page.get_by_role("group", name=uk("Childcare during the class"))
    expect(childcare).to_contain_text("Догляд за дітьми")
    childcare.get_by_label(uk("Name of child %(number)s") % {"number": 1}).fill("Софія")
    childcare.get_by_label(uk("Year of birth")).select_option("2020")

    # A second child: one more row, what was typed stays, nothing is booked yet.
    childcare.get_by_role("button", name=re.compile(re.escape(uk("Add another child")))).click()
    second = page.get_by_label(uk("Name of child %(number)s") % {"number": 2})
    expect(second).to_be_focused()
    expect(page.get_by_label(uk("Name of child %(number)s") % {"number": 1})).to_have_value("Софія")
    assert not Enrolment.objects.exists()
    second.fill("Максим")
    page.locator('select[name="child_1_birth_year"]').select_option("2022")
    page.get_by_label(
        uk("I agree to receive SMS about my enrolment and the sessions."), exact=True
    ).check()
    page.get_by_label(
        uk(
            "I am the parent or legal guardian of the children I add, and I agree that "
            "their names and years of birth are kept with this booking."
        )
    ).check()
    page.locator("main form button[type=submit]:not([name])").last.click()

    # The SMS code proves the phone; only then are the places taken.
    expect(page.get_by_role("heading", level=1)).to_have_text(uk("Confirm your phone number"))
    assert not Enrolment.objects.exists()
    public_id = PhoneVerification.objects.latest("created_at").public_id
    page.get_by_label(uk("Code from the SMS"), exact=True).fill(sms_code(public_id))
    page.get_by_role("button", name=uk("Confirm and enrol"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/me/[^/]+/\?enrolled=\d+#enrolment-\d+$"))
    mother = Participant.objects.get(phone="+380501234567")
    own = Enrolment.objects.get(participant=mother, course=polish)
    children = Enrolment.objects.get(participant=mother, course=care)
    assert (own.places, children.places, children.childcare_of_id) == (1, 2, own.pk)
    class_card = page.locator(f"#enrolment-{own.pk}")
    expect(class_card.get_by_role("heading", level=2)).to_have_text("Польська для мам")
    care_card = page.locator(f"#enrolment-{children.pk}")
    expect(care_card.get_by_role("heading", level=2)).to_have_text("Догляд за дітьми")
    expect(care_card.locator(".my-party-places")).to_have_text(
        uk_plural("%(places)s place", "%(places)s places", 2)
    )
    people = care_card.get_by_role("list", name=uk("People in this booking"))
    expect(people.get_by_role("listitem")).to_have_count(2)
    expect(people).to_contain_text("Софія")
    expect(people).to_contain_text("Максим")

    # Giving up Maksym's place asks first, on its own page.
    give_up = care_card.get_by_role(
        "link", name=re.compile(rf"^{re.escape(uk('Give up this place'))}\W*Максим$")
    )
    give_up.click()
    heading = uk("Give up the place of %(name)s?") % {"name": "Максим"}
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert seats_taken(care) == 2  # looking changes nothing
    yes = uk("Yes, give up the place of %(name)s") % {"name": "Максим"}
    page.get_by_role("button", name=yes, exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(
        uk("Done: the place of %(name)s is given up.") % {"name": "Максим"}
    )
    care_card = page.locator(f"#enrolment-{children.pk}")
    expect(care_card.locator(".my-party-places")).to_have_text(
        uk_plural("%(places)s place", "%(places)s places", 1)
    )
    expect(care_card.locator(".my-party-person--left")).to_contain_text("Максим")
    expect(care_card.locator(".my-party-person--left")).to_contain_text(uk("place given up"))
    assert children.party.get(name="Максим").status == MemberStatus.CANCELLED
    assert (seats_taken(care), seats_taken(polish)) == (1, 1)
    assert Enrolment.objects.get(pk=own.pk).status == "confirmed"  # her own class place stands
