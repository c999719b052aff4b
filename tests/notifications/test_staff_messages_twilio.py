"""A message to people, end to end: sent through the API, planned into the outbox, dispatched
through the Twilio backend (the real SDK) to the suite's Twilio double. Each person gets it
once, in their language; nobody without consent, no opted-out number, nobody waiting unless the
waitlist was chosen; a dispatcher pass again sends nothing more."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from notifications.backends import _backend
from notifications.models import MessageStatus, OutboundMessage
from notifications.services import dispatch
from tests.factories import CourseFactory
from tests.notifications.staff_people import people_of
from tests.notifications.twilio_double import TwilioDouble

pytestmark = pytest.mark.django_db

ACCOUNT_SID = "AC" + "3" * 32
AUTH_TOKEN = "secret"
SERVICE_SID = "MG" + "4" * 32
POLISH = "Zajęcia dziś odwołane: lektorka jest chora. Przepraszamy!"
UKRAINIAN = "Заняття сьогодні скасовано: викладачка захворіла. Вибачте!"


@pytest.fixture
def double() -> Iterator[TwilioDouble]:
    server = TwilioDouble(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _twilio(settings: Any, double: TwilioDouble) -> Iterator[None]:
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_MESSAGING_SERVICE_SID = SERVICE_SID
    settings.TWILIO_FROM = ""
    settings.TWILIO_API_BASE_URL = double.base_url
    settings.SMS_QUIET_HOURS = ""  # a message from the staff goes when they send it anyway
    _backend.cache_clear()
    yield
    _backend.cache_clear()


def _sent(double: TwilioDouble) -> dict[str, str]:
    counts = Counter(r.to for r in double.received)
    assert all(n == 1 for n in counts.values()), counts  # nobody twice
    return {r.to: r.fields["Body"] for r in double.received}


def test_each_person_once_in_their_language(staff_api: APIClient, centre, double) -> None:
    course = CourseFactory(centre=centre)
    people = people_of(course)
    answer = staff_api.post(
        f"/api/v1/courses/{course.pk}/messages/",
        {"text": POLISH, "texts": {"uk": UKRAINIAN}},
        format="json",
    )
    assert answer.status_code == 201
    staff_api.post(  # a double click
        f"/api/v1/courses/{course.pk}/messages/",
        {"text": POLISH, "texts": {"uk": UKRAINIAN}},
        format="json",
    )

    result = dispatch.dispatch_pass()
    dispatch.dispatch_pass()  # a second pass finds nothing to send

    assert result.sent == 3
    assert _sent(double) == {
        people.anna.participant.phone: POLISH,
        people.olena.participant.phone: UKRAINIAN,
        people.ivan.participant.phone: POLISH,  # no Russian text: the Polish one
    }
    assert set(OutboundMessage.objects.values_list("status", flat=True).distinct()) == {
        MessageStatus.SENT
    }


def test_the_waitlist_gets_it_only_when_chosen(staff_api: APIClient, centre, double) -> None:
    course = CourseFactory(centre=centre)
    people = people_of(course)
    staff_api.post(
        f"/api/v1/courses/{course.pk}/messages/",
        {"text": POLISH, "texts": {"uk": UKRAINIAN}, "audience": "waiting"},
        format="json",
    )
    dispatch.dispatch_pass()
    assert _sent(double) == {
        people.oksana.participant.phone: UKRAINIAN,
        people.jan.participant.phone: POLISH,
    }


def test_a_number_opted_out_after_planning_gets_nothing(
    staff_api: APIClient, centre, double
) -> None:
    from notifications.services.optout import phone_opt_out

    course = CourseFactory(centre=centre)
    people = people_of(course)
    staff_api.post(f"/api/v1/courses/{course.pk}/messages/", {"text": POLISH}, format="json")
    phone_opt_out(phone=people.ivan.participant.phone)  # STOP arrives before the dispatcher

    result = dispatch.dispatch_pass()

    assert result.sent == 2
    assert result.skipped == 1
    assert set(_sent(double)) == {people.anna.participant.phone, people.olena.participant.phone}
