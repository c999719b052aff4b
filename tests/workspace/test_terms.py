"""Copy into a new term: the same course on new dates, unpublished; this term's confirmed people
offered their place by SMS first, before anyone else can take it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.test import Client

from courses.models import EnrolmentStatus
from courses.services.enrolment import enrolment_create
from courses.services.offers import offer_accept
from notifications.models import MessageKind, OutboundMessage
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, UserFactory
from tests.workspace.conftest import WARSAW

pytestmark = pytest.mark.django_db

SPRING = {
    "start_date": "2027-03-02",
    "ends": "until",
    "until": "2027-06-29",
    "slug": "polski-a2-wiosna",
}


@pytest.fixture
def course(poznan):
    anna = UserFactory(username="anna")
    return CourseFactory(
        centre=poznan,
        slug="polski-a2",
        title_pl="Polski A2",
        title_uk="Польська A2",
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10",
        capacity=2,
        reminder_hours="48",
        sensitive=True,
        trainers=[anna],
    )


def test_the_copy_has_everything_but_the_dates_and_is_not_published(
    coordinator_client: Client, course
) -> None:
    response = coordinator_client.post(f"/staff/courses/{course.pk}/copy/", SPRING)
    assert response.status_code == 302
    new = course.centre.courses.get(slug="polski-a2-wiosna")
    assert response["Location"] == f"/staff/courses/{new.pk}/"
    assert not new.published
    assert (new.title_pl, new.title_uk) == ("Polski A2", "Польська A2")
    assert (new.capacity, new.reminder_hours, new.sensitive) == (2, "48", True)
    assert [t.username for t in new.trainers.all()] == ["anna"]
    days = [s.starts_at.astimezone(WARSAW) for s in new.sessions.order_by("starts_at")]
    assert days[0] == datetime(2027, 3, 2, 18, 0, tzinfo=WARSAW)
    assert days[-1].date() == date(2027, 6, 29)
    assert {d.weekday() for d in days} == {1, 3}
    assert not new.enrolments.exists()


def test_this_terms_people_are_offered_their_place_first(
    coordinator_client: Client, course
) -> None:
    olena = EnrolmentFactory(course=course).participant
    taras = EnrolmentFactory(course=course).participant
    response = coordinator_client.post(
        f"/staff/courses/{course.pk}/copy/",
        {**SPRING, "invite": "on", "invite_until": "2027-02-15"},
    )
    assert response.status_code == 302
    new = course.centre.courses.get(slug="polski-a2-wiosna")
    offers = new.enrolments.order_by("created_at")
    assert [(e.participant, e.status) for e in offers] == [
        (olena, EnrolmentStatus.OFFERED),
        (taras, EnrolmentStatus.OFFERED),
    ]
    assert offers[0].offer_expires_at == datetime(2027, 2, 16, 0, 0, tzinfo=WARSAW)
    sms = OutboundMessage.objects.filter(kind=MessageKind.OFFER_MADE, enrolment__course=new)
    assert {m.participant for m in sms} == {olena, taras}
    # The seats are kept for them: someone else lands on the waitlist, and an offer is accepted.
    new.published = True
    new.save()
    newcomer = ParticipantFactory(centre=course.centre, sms_consent=True)
    assert enrolment_create(course=new, participant=newcomer).status == EnrolmentStatus.WAITLISTED
    assert offer_accept(enrolment=offers[0]).status == EnrolmentStatus.CONFIRMED


def test_a_slug_already_used_is_refused_at_the_field_and_nothing_is_made(
    coordinator_client: Client, course
) -> None:
    EnrolmentFactory(course=course)
    response = coordinator_client.post(
        f"/staff/courses/{course.pk}/copy/",
        {**SPRING, "slug": "polski-a2", "invite": "on", "invite_until": "2027-02-15"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["slug"]
    assert course.centre.courses.count() == 1
    assert not OutboundMessage.objects.filter(kind=MessageKind.OFFER_MADE).exists()


def test_an_offer_ending_after_the_new_start_is_refused(coordinator_client: Client, course) -> None:
    response = coordinator_client.post(
        f"/staff/courses/{course.pk}/copy/",
        {**SPRING, "invite": "on", "invite_until": "2027-03-05"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["invite_until"]
    assert course.centre.courses.count() == 1


def test_another_centres_course_cannot_be_copied(coordinator_client: Client, konin) -> None:
    other = CourseFactory(centre=konin)
    assert coordinator_client.post(f"/staff/courses/{other.pk}/copy/", SPRING).status_code == 404
    assert konin.courses.count() == 1
