"""The SMS log: every message of her centres (and no other centre's), filtered by course,
person, kind and status, with delivered and failed counts; paged; the same number of queries
for 10 messages as for 100."""

from __future__ import annotations

import pytest
from django.test import Client

from notifications.models import MessageKind, MessageStatus
from tests.factories import (
    CourseFactory,
    EnrolmentRowFactory,
    OutboundMessageFactory,
    ParticipantFactory,
    first_session,
)

pytestmark = pytest.mark.django_db


def test_she_sees_her_centres_messages_and_their_counts(
    coordinator_client: Client, poznan, konin
) -> None:
    anna = ParticipantFactory(centre=poznan, name="Anna Nowak", sms_consent=True)
    OutboundMessageFactory(participant=anna, status=MessageStatus.DELIVERED, body="Dostarczony")
    OutboundMessageFactory(participant=anna, status=MessageStatus.FAILED, body="Nieudany")
    OutboundMessageFactory(participant=anna, status=MessageStatus.UNDELIVERED)
    theirs = ParticipantFactory(centre=konin, name="Ktoś z Konina", sms_consent=True)
    OutboundMessageFactory(participant=theirs, body="Z Konina")
    response = coordinator_client.get("/staff/sms/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dostarczony" in body
    assert "Nieudany" in body
    assert "Z Konina" not in body
    assert "Ktoś z Konina" not in body
    totals = response.context["totals"]
    assert (totals.count, totals.delivered, totals.failed) == (3, 1, 2)


def test_filters_by_course_person_kind_and_status(coordinator_client: Client, poznan) -> None:
    a2 = CourseFactory(centre=poznan, title_pl="Polski A2")
    club = CourseFactory(centre=poznan, title_pl="Klub")
    anna = ParticipantFactory(
        centre=poznan, name="Anna Nowak", phone="601 000 111", sms_consent=True
    )
    olga = ParticipantFactory(centre=poznan, name="Olga Ivanova", sms_consent=True)
    place = EnrolmentRowFactory(course=a2, participant=anna)
    on_a2 = OutboundMessageFactory(
        participant=anna, enrolment=place, kind=MessageKind.ENROLMENT_CONFIRMED,
        status=MessageStatus.DELIVERED,
    )  # fmt: skip
    at_club = OutboundMessageFactory(
        participant=olga, session=first_session(club), kind=MessageKind.SESSION_CANCELLED,
        status=MessageStatus.FAILED,
    )  # fmt: skip

    def shown(**query: object) -> list[int]:
        response = coordinator_client.get("/staff/sms/", query)
        assert response.status_code == 200
        return [m.pk for m in response.context["page"].object_list]

    assert shown(course=a2.pk) == [on_a2.pk]
    assert shown(course=club.pk) == [at_club.pk]
    assert shown(q="olga") == [at_club.pk]
    assert shown(q="601 000 111") == [on_a2.pk]
    assert shown(person=anna.pk) == [on_a2.pk]
    assert shown(kind=MessageKind.SESSION_CANCELLED) == [at_club.pk]
    assert shown(status=MessageStatus.DELIVERED) == [on_a2.pk]
    assert shown(status=MessageStatus.DELIVERED, course=club.pk) == []


def test_another_centres_course_is_not_a_filter(coordinator_client: Client, konin) -> None:
    theirs = CourseFactory(centre=konin)
    response = coordinator_client.get("/staff/sms/", {"course": theirs.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["course"]
    assert "course" in response.context["form"].errors


def test_a_bad_status_is_a_clear_error(coordinator_client: Client) -> None:
    response = coordinator_client.get("/staff/sms/", {"status": "nonsense"})
    assert response.status_code == 400
    assert response.context["form"].errors["status"]


def test_the_log_is_paged(coordinator_client: Client, poznan) -> None:
    anna = ParticipantFactory(centre=poznan, sms_consent=True)
    OutboundMessageFactory.create_batch(60, participant=anna)
    first = coordinator_client.get("/staff/sms/")
    assert len(first.context["page"].object_list) == 50
    assert 'rel="next"' in first.content.decode()
    second = coordinator_client.get("/staff/sms/", {"page": 2})
    assert len(second.context["page"].object_list) == 10
    assert coordinator_client.get("/staff/sms/", {"page": "x"}).status_code == 200


def _messages(poznan, n: int) -> None:
    course = CourseFactory(centre=poznan)
    session = first_session(course)
    for i in range(n):
        person = ParticipantFactory(centre=poznan, sms_consent=True)
        place = EnrolmentRowFactory(course=course, participant=person)
        OutboundMessageFactory(
            participant=person, enrolment=place if i % 2 else None,
            session=None if i % 2 else session, status=MessageStatus.DELIVERED,
        )  # fmt: skip


@pytest.mark.parametrize("n", [10, 100])
def test_the_same_queries_for_10_and_100_messages(
    coordinator_client: Client, poznan, django_assert_num_queries, n
) -> None:
    _messages(poznan, n)
    coordinator_client.get("/staff/sms/")  # the session and the user are loaded
    # user, session, centres managed, trainer check, course choices, totals, the page
    with django_assert_num_queries(QUERIES):
        response = coordinator_client.get("/staff/sms/")
    assert response.status_code == 200


QUERIES = 7


def test_why_a_message_was_left_out_or_failed_is_said_in_her_language(
    coordinator_client: Client, poznan
) -> None:
    """The outbox keeps short codes (the dispatcher's reasons, the provider's numbers); the log
    says them in words, in Polish here and in Ukrainian when she switches."""
    anna = ParticipantFactory(centre=poznan, name="Anna Nowak", sms_consent=True)
    OutboundMessageFactory(participant=anna, status=MessageStatus.SKIPPED, error_code="quiet hours")
    OutboundMessageFactory(participant=anna, status=MessageStatus.FAILED, error_code="30003")
    OutboundMessageFactory(participant=anna, status=MessageStatus.FAILED, error_code="63016")

    polish = coordinator_client.get("/staff/sms/").content.decode()
    ukrainian = coordinator_client.get("/staff/sms/?lang=uk").content.decode()

    assert "godziny ciszy: wyślemy po ich końcu" in polish
    assert "telefon był wyłączony lub poza zasięgiem (30003)" in polish
    assert "błąd operatora SMS 63016" in polish
    assert "(quiet hours)" not in polish
    assert "тихі години: надішлемо після їх завершення" in ukrainian
