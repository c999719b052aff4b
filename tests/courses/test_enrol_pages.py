"""The enrolment form and the participant's own page, as a person on a phone uses them."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest

from courses.models import Enrolment, Participant
from tests.appointments.helpers import slot_course, specialist
from tests.factories import CourseFactory
from tests.verification import form_enrol

pytestmark = pytest.mark.django_db
URL = "/centres/cic-poznan/courses/polski-a1/enrol/"


@pytest.fixture
def course(centre):
    return CourseFactory(
        centre=centre,
        slug="polski-a1",
        title_pl="Język polski A1",
        title_uk="Польська мова A1",
        capacity=1,
        start_date=date(2027, 1, 5),
    )


def form(phone: str = "601 000 001", **changes: str) -> dict:
    return {
        "name": "Olena Kowalenko",
        "country": "PL",
        "phone": phone,
        "language": "uk",
        "sms_consent": "on",
        "website": "",
        **changes,
    }


def test_enrolling_leads_to_the_personal_page_with_status_and_link(client, course) -> None:
    response = form_enrol(client, URL, form(), HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert response["Location"].startswith(f"/me/{participant.token}/")
    page = client.get(response["Location"]).content.decode()
    assert "Польська мова A1" in page
    assert f"/me/{participant.token}/" in page  # the personal link to keep
    assert '<html lang="uk">' in page


def test_a_full_course_puts_the_next_person_on_the_waitlist_with_a_position(client, course) -> None:
    form_enrol(client, URL, form())
    response = form_enrol(client, URL, form("601 000 002", country="PL"), follow=True)
    enrolment = Enrolment.objects.get(participant__phone="+48601000002")
    assert enrolment.status == "waitlisted"
    assert "1" in response.content.decode().split(f'id="enrolment-{enrolment.pk}"')[1][:800]


@pytest.mark.parametrize(
    ("changes", "field_text"),
    [
        ({"phone": "22 123 45 67"}, "SMS"),
        ({"phone": "abc"}, "+380"),
        ({"sms_consent": ""}, "SMS"),
        ({"name": ""}, "name"),
        ({"website": "http://spam.example"}, "empty"),
    ],
)
def test_bad_input_shows_a_clear_error_and_changes_nothing(client, course, changes, field_text):
    response = client.post(URL, form(**changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert field_text in html
    assert not Enrolment.objects.exists()


def test_errors_are_in_the_visitors_language(client, course) -> None:
    html = client.post(URL, form(phone="abc"), HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "мобільн" in html.lower()


def test_enrolling_twice_shows_the_proven_person_their_place(client, course) -> None:
    """ "Already enrolled" comes only after the code: then the person sees their own page."""
    form_enrol(client, URL, form())
    again = form_enrol(client, URL, form(), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert again.redirect_chain[-1][0].startswith(f"/me/{Participant.objects.get().token}/")
    assert "already enrolled" in again.content.decode()
    assert Enrolment.objects.count() == 1


def test_a_known_number_gets_the_same_code_page_as_an_unknown_one(client, course) -> None:
    """A stranger typing someone's number sees nothing of them and changes nothing."""
    form_enrol(client, URL, form(language="uk"))
    known = client.post(URL, form(language="ru"), HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.post(URL, form("601 000 002"), HTTP_ACCEPT_LANGUAGE="en")
    assert known.status_code == unknown.status_code == 200
    assert known.templates[0].name == unknown.templates[0].name == "courses/enrol_code.html"
    assert Participant.objects.get().language == "uk"
    assert "/me/" not in known.content.decode()


def test_a_wrong_code_is_explained_on_the_same_page(client, course) -> None:
    asked = client.post(URL, form(), HTTP_ACCEPT_LANGUAGE="en")
    verification = asked.context["form"].initial["verification"]
    wrong = client.post(
        URL, {"verification": verification, "code": "12"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert wrong.status_code == 400
    assert "Tries left: 4" in wrong.content.decode()
    assert not Enrolment.objects.exists()


def test_a_new_code_can_be_asked_for_and_the_old_one_stops(client, course) -> None:
    from tests.verification import sms_code

    asked = client.post(URL, form(), HTTP_ACCEPT_LANGUAGE="en")
    old = asked.context["form"].initial["verification"]
    again = client.post(URL, {"verification": old, "resend": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    new = again.context["form"].initial["verification"]
    assert new != old
    stale = client.post(URL, {"verification": old, "code": sms_code(old)})
    assert stale.status_code == 400
    done = client.post(URL, {"verification": new, "code": sms_code(new)})
    assert done.status_code == 302
    assert Enrolment.objects.count() == 1


def test_the_form_is_rate_limited_per_client(client, course, settings) -> None:
    settings.ENROLMENT_RATE = "2/hour"
    codes = [form_enrol(client, URL, form(f"601 000 00{n}")).status_code for n in range(4)]
    assert codes == [302, 302, 429, 429]
    assert Enrolment.objects.count() == 2


def test_the_form_needs_a_csrf_token(course) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, form()).status_code == 403
    assert not Enrolment.objects.exists()


def test_per_session_courses_ask_for_a_date(client, centre) -> None:
    course = CourseFactory(
        centre=centre, slug="warsztat", booking_mode="session", start_date=date(2027, 1, 5)
    )
    second = course.sessions.order_by("starts_at")[1]
    page = client.get(f"/centres/cic-poznan/courses/warsztat/enrol/?session={second.pk}")
    assert f'value="{second.pk}" selected' in page.content.decode()
    response = form_enrol(
        client, "/centres/cic-poznan/courses/warsztat/enrol/", form(session=str(second.pk))
    )
    assert response.status_code == 302
    assert Enrolment.objects.get().session == second


def test_open_courses_say_just_come_and_have_no_form_to_succeed(client, centre) -> None:
    CourseFactory(centre=centre, slug="klub", booking_mode="open", start_date=date(2027, 1, 5))
    page = client.get("/centres/cic-poznan/courses/klub/", HTTP_ACCEPT_LANGUAGE="en")
    assert "just come" in page.content.decode()
    response = client.post("/centres/cic-poznan/courses/klub/enrol/", form())
    assert response.status_code == 409
    assert not Enrolment.objects.exists()


def test_an_old_link_to_the_form_of_an_activity_without_places_leads_to_its_page(
    client, centre
) -> None:
    """A club people just come to, or duty hours booked by appointment: no form that could
    only fail."""
    CourseFactory(centre=centre, slug="klub", booking_mode="open", start_date=date(2027, 1, 5))
    duty = slot_course(centre, trainers=[specialist("prawnik")])
    for slug in ("klub", duty.slug):
        url = f"/centres/cic-poznan/courses/{slug}/enrol/"
        for response in (client.get(url), client.head(url)):  # a link checker asks HEAD
            assert response.status_code == 302
            assert response["Location"] == f"/centres/cic-poznan/courses/{slug}/"


@pytest.mark.parametrize("dates", [2, 40])
def test_the_form_costs_the_same_queries_for_few_and_many_dates(
    client, centre, dates, django_assert_num_queries
) -> None:
    """The form of a course booked date by date: the course and its dates."""
    CourseFactory(
        centre=centre,
        slug="warsztaty",
        booking_mode="session",
        start_date=date(2027, 1, 5),
        rule=f"RRULE:FREQ=DAILY;COUNT={dates}",
    )
    with django_assert_num_queries(2):
        page = client.get("/centres/cic-poznan/courses/warsztaty/enrol/")
    assert page.content.decode().count('<option value="') > dates + 240  # dates and countries


def test_personal_page_cancels_and_the_next_person_moves_up(client, course) -> None:
    form_enrol(client, URL, form())
    form_enrol(client, URL, form("601 000 002"))
    first = Enrolment.objects.get(participant__phone="+48601000001")
    token = first.participant.token
    response = client.post(f"/me/{token}/enrolments/{first.pk}/cancel/", {"confirm": "1"})
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=first.pk).status == "cancelled"
    assert Enrolment.objects.get(participant__phone="+48601000002").status == "confirmed"


def test_personal_page_accepts_an_offer(client, centre) -> None:
    course = CourseFactory(
        centre=centre, slug="oferta", capacity=1, waitlist_mode="offer", start_date=date(2027, 1, 5)
    )
    url = "/centres/cic-poznan/courses/oferta/enrol/"
    form_enrol(client, url, form())
    form_enrol(client, url, form("601 000 002"))
    first = Enrolment.objects.get(participant__phone="+48601000001")
    client.post(f"/me/{first.participant.token}/enrolments/{first.pk}/cancel/", {"confirm": "1"})
    offered = Enrolment.objects.get(participant__phone="+48601000002")
    assert offered.status == "offered"
    page = client.get(f"/me/{offered.participant.token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert f"/enrolments/{offered.pk}/accept/" in page.content.decode()
    client.post(f"/me/{offered.participant.token}/enrolments/{offered.pk}/accept/")
    assert Enrolment.objects.get(pk=offered.pk).status == "confirmed"
    assert course.enrolments.filter(status="confirmed").count() == 1


def test_someone_elses_enrolment_and_unknown_links_are_404(client, course) -> None:
    form_enrol(client, URL, form())
    form_enrol(client, URL, form("601 000 002"))
    mine, theirs = Enrolment.objects.order_by("pk")
    token = mine.participant.token
    assert client.post(f"/me/{token}/enrolments/{theirs.pk}/cancel/").status_code == 404
    assert client.get(f"/me/{token}/enrolments/{theirs.pk}/cancel/").status_code == 404
    assert client.get("/me/not-a-token/").status_code == 404
    assert client.get(f"/me/{token}/enrolments/{mine.pk}/accept/").status_code == 404
    assert Enrolment.objects.get(pk=theirs.pk).status == "waitlisted"


def test_personal_page_is_private(client, course) -> None:
    form_enrol(client, URL, form())
    token = Participant.objects.get().token
    response = client.get(f"/me/{token}/")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_personal_calendar_has_my_confirmed_sessions(client, centre, course) -> None:
    per_session = CourseFactory(
        centre=centre, slug="warsztat", booking_mode="session", start_date=date(2027, 1, 5)
    )
    chosen = per_session.sessions.order_by("starts_at")[2]
    form_enrol(client, URL, form())
    form_enrol(client, "/centres/cic-poznan/courses/warsztat/enrol/", form(session=str(chosen.pk)))
    token = Participant.objects.get().token
    assert f"/calendars/private/{token}.ics" in client.get(f"/me/{token}/").content.decode()
    feed = client.get(f"/calendars/private/{token}.ics")
    assert feed.status_code == 200
    events = list(icalendar.Calendar.from_ical(feed.content).walk("VEVENT"))
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == sorted([per_session.title_pl, "Польська мова A1"])
    assert next(e for e in events if "RRULE" not in e).decoded("DTSTART") == chosen.starts_at


def test_countries_are_listed_in_the_readers_alphabetical_order(client, course) -> None:
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert html.index("Україна") < html.index("Австралія")  # the usual countries come first
    assert (
        html.index("Австралія")
        < html.index("Єгипет")
        < html.index("Ізраїль")
        < html.index("Японія")
    )
