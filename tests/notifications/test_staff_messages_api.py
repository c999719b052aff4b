"""Messages to people through the API: the preview (who, in which language, segments,
encoding, estimated cost) saves nothing; the send plans one SMS per person, records its author,
and a repeat sends nothing more; bad input is a 400 by field; only the centre's staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from courses.models import AuditAction, AuditEntry, BookingMode
from notifications.models import MessageKind, OutboundMessage, StaffMessage
from tests.factories import (
    CourseFactory,
    EnrolmentRowFactory,
    ParticipantRowFactory,
    UserFactory,
    first_session,
)
from tests.notifications.staff_people import people_of

pytestmark = pytest.mark.django_db

UKRAINIAN = "Заняття сьогодні скасовано, вибачте."
POLISH = "Zajecia dzis odwolane. Przepraszamy."  # GSM-7: no Polish letters


@pytest.fixture(autouse=True)
def _prices(settings: Any) -> None:
    settings.SMS_PRICE_PER_SEGMENT = "PL=0.05,UA=0.20,*=0.30"
    settings.SMS_PRICE_CURRENCY = "USD"


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre)


def url(course, preview: bool = False) -> str:
    return f"/api/v1/courses/{course.pk}/messages/" + ("preview/" if preview else "")


def test_the_preview_shows_recipients_by_language_segments_encoding_and_cost(
    staff_api: APIClient, course
) -> None:
    people_of(course)
    answer = staff_api.post(
        url(course, preview=True), {"text": POLISH, "texts": {"uk": UKRAINIAN}}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    # Anna (pl), Olena (uk), Ivan (ru: no Russian text, so the Polish one); Piotr has no
    # consent, Maria's number is opted out, Oksana and Jan are waiting.
    assert body["total"] == 3
    assert body["recipients"] == {"pl": 1, "uk": 1, "ru": 1}
    assert body["texts"] == {"pl": POLISH, "uk": UKRAINIAN, "ru": POLISH}
    assert body["encoding"] == {"pl": "GSM-7", "uk": "UCS-2", "ru": "GSM-7"}
    assert body["segments"] == {"pl": 1, "uk": 1, "ru": 1}
    assert body["excluded"] == {"no_consent": 1, "opted_out": 1}
    # Olena's number is Ukrainian (0.20), the others Polish (0.05).
    assert body["cost"] == {"pl": "0.05", "uk": "0.20", "ru": "0.05"}
    assert body["estimated_cost"] == "0.30"
    assert body["currency"] == "USD"
    assert not OutboundMessage.objects.exists()
    assert not StaffMessage.objects.exists()


def test_segments_follow_the_length_and_letters_of_each_text(staff_api: APIClient, course) -> None:
    people_of(course)
    long_polish = "Zajęcia odwołane. " * 5  # 90 characters with Polish letters: UCS-2, 2 parts
    body = staff_api.post(url(course, preview=True), {"text": long_polish}, format="json").json()
    assert body["encoding"]["pl"] == "UCS-2"
    assert body["segments"]["pl"] == 2
    assert body["cost"]["pl"] == "0.10"  # Anna: 2 segments to Poland


def test_the_send_plans_one_sms_per_person_and_records_its_author(
    staff_api: APIClient, staff_user, course
) -> None:
    people = people_of(course)
    answer = staff_api.post(
        url(course), {"text": POLISH, "texts": {"uk": UKRAINIAN}}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["total"] == 3
    assert body["repeated"] is False
    planned = OutboundMessage.objects.filter(kind=MessageKind.STAFF_MESSAGE)
    assert {m.participant.phone for m in planned} == people.told
    assert OutboundMessage.objects.count() == 3  # nothing else
    message = StaffMessage.objects.get()
    assert message.pk == body["id"]
    assert message.author == staff_user
    assert message.recipients == 3
    assert message.texts == {"pl": POLISH, "uk": UKRAINIAN}
    entry = AuditEntry.objects.get(action=AuditAction.MESSAGE_SENT)
    assert entry.actor == staff_user
    assert entry.centre == course.centre
    assert entry.detail["staff_message"] == message.pk
    assert entry.detail["recipients"] == 3


def test_the_same_request_again_sends_nothing_more(staff_api: APIClient, course) -> None:
    people_of(course)
    first = staff_api.post(url(course), {"text": POLISH}, format="json").json()
    again = staff_api.post(url(course), {"text": POLISH}, format="json")
    assert again.status_code == 201
    assert again.json()["repeated"] is True
    assert again.json()["id"] == first["id"]
    assert OutboundMessage.objects.count() == 3
    assert StaffMessage.objects.count() == 1
    # Another text is another message.
    staff_api.post(url(course), {"text": POLISH + " Do jutra."}, format="json")
    assert OutboundMessage.objects.count() == 6


def test_the_waitlist_only_when_chosen(staff_api: APIClient, course) -> None:
    people = people_of(course)
    body = staff_api.post(url(course), {"text": POLISH, "audience": "waiting"}, format="json")
    assert body.status_code == 201
    phones = set(OutboundMessage.objects.values_list("participant__phone", flat=True))
    assert phones == {people.oksana.participant.phone, people.jan.participant.phone}
    assert body.json()["recipients"] == {"pl": 1, "uk": 1}


def test_one_sms_per_person_of_a_course_booked_by_session(staff_api: APIClient, centre) -> None:
    course = CourseFactory(centre=centre, booking_mode=BookingMode.SESSION)
    sessions = list(course.sessions.order_by("starts_at")[:2])
    person = ParticipantRowFactory(centre=centre, phone="+48601000010", sms_consent=True)
    for session in sessions:
        EnrolmentRowFactory(course=course, session=session, participant=person)
    other = ParticipantRowFactory(centre=centre, phone="+48601000011", sms_consent=True)
    EnrolmentRowFactory(course=course, session=sessions[1], participant=other)

    everyone = staff_api.post(url(course, preview=True), {"text": POLISH}, format="json").json()
    assert everyone["total"] == 2
    one = staff_api.post(url(course), {"text": POLISH, "session": sessions[0].pk}, format="json")
    assert one.json()["total"] == 1
    assert list(OutboundMessage.objects.values_list("participant__phone", flat=True)) == [
        "+48601000010"
    ]


def test_a_message_about_a_session_is_pointless_after_it(staff_api: APIClient, course) -> None:
    people_of(course)
    session = first_session(course)
    staff_api.post(url(course), {"text": POLISH, "session": session.pk}, format="json")
    assert {m.expires_at for m in OutboundMessage.objects.all()} == {session.ends_at}
    assert all(
        m.due_at <= timezone.now() + timedelta(seconds=1) for m in OutboundMessage.objects.all()
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({}, "text"),
        ({"text": "ż" * 403}, "text"),  # 7 UCS-2 segments: more than 6
        ({"text": "a" * 1001}, "text"),
        ({"text": POLISH, "texts": {"de": "Heute kein Kurs"}}, "texts"),
        ({"text": POLISH, "texts": {"pl": "x"}}, "texts"),
        ({"text": POLISH, "texts": {"uk": "ж" * 403}}, "texts"),
        ({"text": POLISH, "texts": ["uk"]}, "texts"),
        ({"text": POLISH, "audience": "everyone"}, "audience"),
        ({"text": POLISH, "session": 10**12}, "session"),
    ],
)
def test_bad_input_is_a_400_by_field_and_sends_nothing(
    staff_api: APIClient, course, data: dict[str, Any], field: str
) -> None:
    people_of(course)
    for preview in (True, False):
        answer = staff_api.post(url(course, preview=preview), data, format="json")
        assert answer.status_code == 400, answer.json()
        assert field in answer.json()
    assert not OutboundMessage.objects.exists()
    assert not StaffMessage.objects.exists()


def test_a_session_of_another_course_is_refused(staff_api: APIClient, centre, course) -> None:
    people_of(course)
    elsewhere = first_session(CourseFactory(centre=centre))
    answer = staff_api.post(url(course), {"text": POLISH, "session": elsewhere.pk}, format="json")
    assert answer.status_code == 400
    assert answer.json()["session"] == ["To nie jest spotkanie tego kursu."]
    assert not OutboundMessage.objects.exists()


def test_errors_are_in_the_callers_language(staff_api: APIClient, course) -> None:
    answer = staff_api.post(url(course), {"text": ""}, format="json", HTTP_ACCEPT_LANGUAGE="pl")
    assert answer.json()["text"] == [
        "Napisz wiadomość po polsku: dostanie ją każdy, dla kogo nie ma tekstu w jego języku."
    ]
    answer = staff_api.post(url(course), {"text": ""}, format="json", HTTP_ACCEPT_LANGUAGE="uk")
    assert answer.json()["text"] == [
        "Напишіть повідомлення польською: його отримає кожен, для кого немає тексту його мовою."
    ]


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("preview", [True, False])
def test_only_the_centres_staff(
    api: APIClient, anonymous_api: APIClient, centre, other_centre, trainer, superuser, preview
) -> None:
    course = CourseFactory(centre=centre, trainers=[trainer])
    people_of(course)
    data = {"text": POLISH}
    assert anonymous_api.post(url(course, preview), data, format="json").status_code in (401, 403)
    for user in (UserFactory(staff_of=[other_centre]), trainer, UserFactory()):
        api.force_authenticate(user)
        assert api.post(url(course, preview), data, format="json").status_code == 404
    assert not OutboundMessage.objects.exists()
    api.force_authenticate(UserFactory(staff_of=[centre]))
    assert api.post(url(course, preview), data, format="json").status_code == (
        200 if preview else 201
    )
    api.force_authenticate(superuser)
    assert api.post(url(course, preview), data, format="json").status_code in (200, 201)


def test_an_unknown_course_is_a_404(staff_api: APIClient) -> None:
    assert staff_api.post("/api/v1/courses/999999/messages/", {"text": POLISH}).status_code == 404


def test_nobody_to_tell(staff_api: APIClient, course) -> None:
    body = staff_api.post(url(course), {"text": POLISH}, format="json").json()
    assert body["total"] == 0
    assert body["recipients"] == {"pl": 0}
    assert not OutboundMessage.objects.exists()
