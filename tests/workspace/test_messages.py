"""The page of a message to people (/staff/courses/<id>/messages/ and for one session): write,
read the preview (recipients per language, the text each gets, segments, encoding, estimated
cost), send once; only the centre's staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from notifications.models import MessageKind, OutboundMessage, StaffMessage
from tests.factories import CourseFactory, UserFactory, first_session
from tests.notifications.staff_people import people_of

pytestmark = pytest.mark.django_db

POLISH = "Zajęcia dziś odwołane."
UKRAINIAN = "Заняття сьогодні скасовано."


@pytest.fixture(autouse=True)
def _prices(settings: Any) -> None:
    settings.SMS_PRICE_PER_SEGMENT = "PL=0.05,UA=0.20,*=0.30"
    settings.SMS_PRICE_CURRENCY = "USD"


@pytest.fixture
def course(poznan, trainer_user):
    return CourseFactory(centre=poznan, title_pl="Polski A2", trainers=[trainer_user])


def url(course) -> str:
    return f"/staff/courses/{course.pk}/messages/"


def form(**extra: str) -> dict[str, str]:
    return {"audience": "confirmed", "text": POLISH, "text_uk": UKRAINIAN, **extra}


def test_the_preview_shows_who_gets_what_and_sends_nothing(
    coordinator_client: Client, course
) -> None:
    people_of(course)
    page = coordinator_client.post(url(course), form(preview="1"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "SMS dostaną 3 osoby." in html
    assert "Pominięci: bez zgody na SMS – 1, z numerem wypisanym z SMS – 1." in html
    assert UKRAINIAN in html
    assert POLISH in html
    assert "UCS-2, znaków: 22, 1 część" in html  # the Polish text has Polish letters
    # Anna and Ivan (Polish numbers, 0.05) and Olena (a Ukrainian one, 0.20), one segment each.
    assert "Szacowany koszt: 0,30 USD" in html
    assert "Wyślij do 3 osób" in html
    assert not OutboundMessage.objects.exists()


def test_send_after_the_preview_sends_once(coordinator_client: Client, course, coordinator) -> None:
    people = people_of(course)
    sent = coordinator_client.post(url(course), form(send="1"), follow=True)
    assert "Wiadomość jest w drodze do 3 osób." in sent.content.decode()
    again = coordinator_client.post(url(course), form(send="1"), follow=True)  # a double click
    repeated = "Ta wiadomość została już dziś wysłana: nie wysłano jej ponownie."
    assert repeated in again.content.decode()
    rows = OutboundMessage.objects.filter(kind=MessageKind.STAFF_MESSAGE)
    assert {m.participant.phone for m in rows} == people.told
    assert rows.count() == 3
    message = StaffMessage.objects.get()
    assert message.author == coordinator
    assert "koordynator" in again.content.decode()  # in the list of messages sent


def test_the_waitlist_only_when_chosen(coordinator_client: Client, course) -> None:
    people = people_of(course)
    coordinator_client.post(url(course), form(send="1", audience="waiting"))
    phones = set(OutboundMessage.objects.values_list("participant__phone", flat=True))
    assert phones == {people.oksana.participant.phone, people.jan.participant.phone}


def test_a_sessions_page_sends_to_that_session(coordinator_client: Client, course) -> None:
    people_of(course)
    session = first_session(course)
    page = coordinator_client.get(f"/staff/sessions/{session.pk}/messages/")
    assert page.status_code == 200
    coordinator_client.post(f"/staff/sessions/{session.pk}/messages/", form(send="1"))
    assert set(OutboundMessage.objects.values_list("session", flat=True)) == {session.pk}


def test_errors_are_at_the_field_and_nothing_is_sent(coordinator_client: Client, course) -> None:
    people_of(course)
    page = coordinator_client.post(url(course), form(text="", text_uk="ж" * 403, preview="1"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_text_error"' in html
    assert 'id="id_text_uk_error"' in html
    assert "dozwolone jest najwyżej 6" in html
    assert UKRAINIAN not in html  # the form is shown again, not the preview
    page = coordinator_client.post(url(course), form(text="", send="1"))
    assert 'id="id_text_error"' in page.content.decode()
    assert not OutboundMessage.objects.exists()


def test_a_session_of_another_course_is_refused(coordinator_client: Client, poznan, course) -> None:
    people_of(course)
    elsewhere = first_session(CourseFactory(centre=poznan))
    page = coordinator_client.post(url(course), form(session=str(elsewhere.pk), send="1"))
    assert 'id="id_session_error"' in page.content.decode()
    assert not OutboundMessage.objects.exists()


def test_change_the_message_keeps_what_was_written(coordinator_client: Client, course) -> None:
    page = coordinator_client.post(url(course), form(edit="1"))
    assert f"{UKRAINIAN}</textarea>" in page.content.decode()


@pytest.mark.parametrize("path", ["courses/{course}/messages/", "sessions/{session}/messages/"])
def test_only_the_centres_staff(
    coordinator_client: Client, trainer_client: Client, konin, course, path
) -> None:
    address = "/staff/" + path.format(course=course.pk, session=first_session(course).pk)
    assert coordinator_client.get(address).status_code == 200
    assert trainer_client.get(address).status_code == 404  # even for the course they teach
    assert trainer_client.post(address, form(send="1")).status_code == 404
    other = Client()
    other.force_login(UserFactory(staff_of=[konin]))
    assert other.get(address).status_code == 404
    assert other.post(address, form(send="1")).status_code == 404
    anonymous = Client().get(address)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert not OutboundMessage.objects.exists()


def test_the_course_and_session_pages_link_to_it(coordinator_client: Client, course) -> None:
    session = first_session(course)
    assert url(course) in coordinator_client.get(f"/staff/courses/{course.pk}/").content.decode()
    assert (
        f"/staff/sessions/{session.pk}/messages/"
        in coordinator_client.get(f"/staff/sessions/{session.pk}/").content.decode()
    )
