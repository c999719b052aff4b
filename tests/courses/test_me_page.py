"""The personal page as a participant reads it: per place the centre, the schedule in words, the
next session's date, time and address (or the booked date), the status; giving up a place,
leaving the waitlist or declining an offer only through a page that explains it first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Enrolment, EnrolmentStatus
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(centre):
    venue = VenueFactory(
        centre=centre, name="Sala 12", address="ul. Mostowa 3", postal_code="61-854"
    )
    return CourseFactory(
        centre=centre,
        slug="polski-a1",
        title_pl="Język polski A1",
        title_uk="Польська мова A1",
        venue=venue,
        capacity=1,
        start_date=date(2027, 1, 5),
        start_time="17:30",
        rule="RRULE:FREQ=WEEKLY;UNTIL=20270629;BYDAY=TU,TH",
    )


def page(client, enrolment: Enrolment) -> str:
    return client.get(enrolment.participant.get_absolute_url()).content.decode()


def card(html: str, enrolment: Enrolment) -> str:
    return html.split(f'id="enrolment-{enrolment.pk}"')[1].split("</li>\n")[0]


def test_a_place_says_the_centre_when_the_next_session_and_where_in_ukrainian(
    client, course
) -> None:
    enrolment = EnrolmentFactory(course=course, participant__language="uk")
    html = card(page(client, enrolment), enrolment)
    assert "Польська мова A1" in html
    assert "CIC Poznań" in html  # the centre
    assert "Вт і Чт 17:30–19:00, з 5 січня до 29 червня" in html  # the schedule in words
    assert "Вівторок 5 січня 2027, 17:30–19:00" in html  # the next session
    assert "Sala 12, ul. Mostowa 3, 61-854 Poznań" in html  # and its address
    assert "Підтверджено" in html


def test_the_next_session_is_the_next_one_not_cancelled(client, course) -> None:
    enrolment = EnrolmentFactory(course=course, participant__language="en")
    first = course.sessions.order_by("starts_at").first()
    first.status = "cancelled"
    first.save(update_fields=["status"])
    html = card(page(client, enrolment), enrolment)
    assert "Thursday 7 January 2027, 17:30–19:00" in html.split("Next session")[1]


def test_a_booking_of_one_session_shows_its_date_and_place(client, centre) -> None:
    workshop = CourseFactory(
        centre=centre, slug="warsztat", booking_mode="session", start_date=date(2027, 1, 5)
    )
    chosen = workshop.sessions.order_by("starts_at")[2]
    chosen.venue = VenueFactory(centre=centre, name="Biblioteka", address="ul. Długa 1")
    chosen.save(update_fields=["venue"])
    enrolment = EnrolmentFactory(course=workshop, session=chosen, participant__language="en")
    html = card(page(client, enrolment), enrolment)
    assert "Your date" in html
    assert "Tuesday 19 January 2027, 18:00–19:30" in html
    assert "Biblioteka, ul. Długa 1" in html
    assert "Next session" not in html


def test_waitlist_position_and_offer_deadline(client, centre, course) -> None:
    EnrolmentFactory(course=course)
    waiting = EnrolmentFactory(course=course, participant__language="en")
    assert "On the waitlist: number 1" in card(page(client, waiting), waiting)
    offer = CourseFactory(centre=centre, slug="oferta", capacity=1, waitlist_mode="offer")
    seat = EnrolmentFactory(course=offer)
    offered = EnrolmentFactory(course=offer, participant__language="en")
    from courses.services.enrolment import enrolment_cancel

    enrolment_cancel(enrolment=seat)
    offered.refresh_from_db()
    until = timezone.localtime(offered.offer_expires_at)
    html = card(page(client, offered), offered)
    assert f"A seat is offered to you until {until:%A} {until.day} " in html


def test_the_page_makes_as_many_queries_for_six_places_as_for_two(client, centre) -> None:
    person = ParticipantFactory(centre=centre, sms_consent=True, language="uk")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(person.get_absolute_url()).status_code == 200
        return len(captured)

    venue = VenueFactory(centre=centre)
    EnrolmentFactory(course=CourseFactory(centre=centre, venue=venue), participant=person)
    full = CourseFactory(centre=centre, capacity=1)
    EnrolmentFactory(course=full)
    EnrolmentFactory(course=full, participant=person)  # waitlisted
    two = queries()
    other_full = CourseFactory(centre=centre, capacity=1)
    EnrolmentFactory(course=other_full)
    EnrolmentFactory(course=other_full, participant=person)  # waitlisted too
    workshop = CourseFactory(centre=centre, booking_mode="session")
    for session in workshop.sessions.order_by("starts_at")[:2]:
        EnrolmentFactory(course=workshop, session=session, participant=person)
    EnrolmentFactory(
        course=CourseFactory(
            centre=centre, start_date=date(2027, 1, 2), rule="RRULE:FREQ=MONTHLY;BYDAY=1SA;COUNT=3"
        ),
        participant=person,
    )
    assert person.enrolments.count() == 6
    assert queries() == two


def test_giving_up_a_place_is_explained_first_and_done_only_by_the_button(client, course) -> None:
    mine = EnrolmentFactory(course=course, participant__language="en")
    next_in_line = EnrolmentFactory(course=course)
    url = f"/me/{mine.participant.token}/enrolments/{mine.pk}/cancel/"
    assert f'href="{url}"' in card(page(client, mine), mine)  # a link, not a one-tap form

    explained = client.get(url)
    assert explained.status_code == 200
    text = explained.content.decode()
    assert "Give up your place?" in text
    assert "passes at once to the next person" in text
    assert "Tuesday 5 January 2027, 17:30" in text  # what is given up
    assert 'name="confirm" value="1"' in text
    assert explained["Referrer-Policy"] == "no-referrer"
    assert Enrolment.objects.get(pk=mine.pk).status == EnrolmentStatus.CONFIRMED

    # A POST without the confirmation (an old page's form) only leads to the explanation.
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == url
    assert Enrolment.objects.get(pk=mine.pk).status == EnrolmentStatus.CONFIRMED
    assert Enrolment.objects.get(pk=next_in_line.pk).status == EnrolmentStatus.WAITLISTED

    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=mine.pk).status == EnrolmentStatus.CANCELLED
    assert Enrolment.objects.get(pk=next_in_line.pk).status == EnrolmentStatus.CONFIRMED
    done = client.get(response["Location"]).content.decode()
    assert "Done: your place is given up." in done

    # The link again, once it is given up: back to the page, nothing to confirm.
    again = client.get(url)
    assert again.status_code == 302
    assert again["Location"].endswith(f"#enrolment-{mine.pk}")


def test_leaving_the_waitlist_says_the_number_lost_in_ukrainian(client, course) -> None:
    EnrolmentFactory(course=course)
    waiting = EnrolmentFactory(course=course, participant__language="uk")
    url = f"/me/{waiting.participant.token}/enrolments/{waiting.pk}/cancel/"
    text = client.get(url).content.decode()
    assert '<html lang="uk">' in text
    assert "Залишити список очікування?" in text
    assert "Ви номер 1 у списку очікування" in text
    assert Enrolment.objects.get(pk=waiting.pk).status == EnrolmentStatus.WAITLISTED
    client.post(url, {"confirm": "1"})
    assert Enrolment.objects.get(pk=waiting.pk).status == EnrolmentStatus.CANCELLED


def test_declining_an_offer_is_confirmed_first_accepting_is_one_tap(client, centre) -> None:
    from courses.services.enrolment import enrolment_cancel

    offer = CourseFactory(centre=centre, slug="oferta", capacity=1, waitlist_mode="offer")
    seat = EnrolmentFactory(course=offer)
    offered = EnrolmentFactory(course=offer, participant__language="en")
    enrolment_cancel(enrolment=seat)
    base = f"/me/{offered.participant.token}/enrolments/{offered.pk}"
    assert "Decline the offered seat?" in client.get(f"{base}/decline/").content.decode()
    assert client.get(f"{base}/accept/").status_code == 404  # accepting needs no page
    client.post(f"{base}/decline/")
    assert Enrolment.objects.get(pk=offered.pk).status == EnrolmentStatus.OFFERED
    client.post(f"{base}/decline/", {"confirm": "1"})
    assert Enrolment.objects.get(pk=offered.pk).status == EnrolmentStatus.DECLINED


def test_a_course_with_no_session_left_says_so(client, centre) -> None:
    today = timezone.localdate()
    last_tuesday = today - timedelta(days=(today.weekday() - 1) % 7 or 7)  # the rule's day
    past = CourseFactory(centre=centre, start_date=last_tuesday)
    person = ParticipantFactory(centre=centre, language="en", sms_consent=True)
    enrolment = Enrolment.objects.create(
        participant=person, course=past, status=EnrolmentStatus.CONFIRMED
    )
    past.sessions.update(status="cancelled")
    assert "No more sessions are planned." in card(page(client, enrolment), enrolment)
