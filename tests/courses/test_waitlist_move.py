"""Staff order a waitlist: ahead of the one before, behind the one after, or a priority, each
with its reason kept on the place and the change in the audit log (without the reason)."""

from __future__ import annotations

import json

import pytest

from courses.errors import DomainError, InvalidTransition
from courses.models import AuditEntry, BookingMode, Enrolment, EnrolmentStatus
from courses.selectors.seats import waitlist_queue
from courses.services.enrolment import enrolment_cancel
from courses.services.waitlist import DOWN, UP, waitlist_move, waitlist_priority_set
from tests.factories import CourseFactory, EnrolmentRowFactory, UserFactory, first_session

pytestmark = pytest.mark.django_db

WAITING = EnrolmentStatus.WAITLISTED


def _queue(course, session=None) -> list[str]:
    queue = waitlist_queue(course, session).select_related("participant")
    return [e.participant.name for e in queue]


def _waiting(course, *names_and_priorities, session=None) -> dict[str, Enrolment]:
    return {
        name: EnrolmentRowFactory(
            course=course,
            session=session,
            status=WAITING,
            priority=priority,
            participant__name=name,
        )
        for name, priority in names_and_priorities
    }


@pytest.fixture
def staff():
    return UserFactory(username="desk")


def test_up_passes_the_one_ahead_and_down_the_one_behind(staff) -> None:
    course = CourseFactory(capacity=1)
    places = _waiting(course, ("Anna", 2), ("Borys", 1), ("Celina", 1), ("Dmytro", 0))

    waitlist_move(enrolment=places["Dmytro"], direction=UP, reason="pilne", actor=staff)
    assert _queue(course) == ["Anna", "Dmytro", "Borys", "Celina"]

    waitlist_move(enrolment=places["Anna"], direction=DOWN, reason="prosiła", actor=staff)
    assert _queue(course) == ["Dmytro", "Anna", "Borys", "Celina"]

    moved = Enrolment.objects.get(pk=places["Dmytro"].pk)
    assert (moved.priority, moved.priority_reason) == (2, "pilne")


def test_people_of_one_priority_go_by_arrival_so_a_move_passes_them_all(staff) -> None:
    """Passing Celina means a higher priority than hers, which Anna and Borys share."""
    course = CourseFactory(capacity=1)
    places = _waiting(course, ("Anna", 0), ("Borys", 0), ("Celina", 0), ("Dmytro", 0))

    waitlist_move(enrolment=places["Dmytro"], direction=UP, reason="pilne", actor=staff)

    assert _queue(course) == ["Dmytro", "Anna", "Borys", "Celina"]


def test_a_move_keeps_to_the_priorities_around_it(staff) -> None:
    """Celina (priority 0, last to come) passes Borys (1): 1 is not enough, she came after
    him; with 2 she stays behind Anna (2), who came first."""
    course = CourseFactory(capacity=1)
    places = _waiting(course, ("Anna", 2), ("Borys", 1), ("Celina", 0))

    moved = waitlist_move(enrolment=places["Celina"], direction=UP, reason="r", actor=staff)

    assert moved.priority == 2
    assert _queue(course) == ["Anna", "Celina", "Borys"]


def test_the_first_cannot_go_up_nor_the_last_down_and_nothing_changes(staff) -> None:
    course = CourseFactory(capacity=1)
    places = _waiting(course, ("Anna", 0), ("Borys", 0))

    with pytest.raises(InvalidTransition):
        waitlist_move(enrolment=places["Anna"], direction=UP, reason="r", actor=staff)
    with pytest.raises(InvalidTransition):
        waitlist_move(enrolment=places["Borys"], direction=DOWN, reason="r", actor=staff)

    assert set(Enrolment.objects.values_list("priority", "priority_reason")) == {(0, "")}
    assert not AuditEntry.objects.exists()


def test_a_move_needs_a_reason(staff) -> None:
    course = CourseFactory(capacity=1)
    places = _waiting(course, ("Anna", 0), ("Borys", 0))

    with pytest.raises(DomainError) as refused:
        waitlist_move(enrolment=places["Borys"], direction=UP, reason="  \u200b ", actor=staff)

    assert refused.value.field == "reason"
    assert _queue(course) == ["Anna", "Borys"]


def test_only_waiting_people_are_moved(staff) -> None:
    course = CourseFactory(capacity=1)
    seated = EnrolmentRowFactory(course=course, status=EnrolmentStatus.CONFIRMED)

    with pytest.raises(InvalidTransition):
        waitlist_priority_set(enrolment=seated, priority=5, reason="r", actor=staff)
    assert Enrolment.objects.get(pk=seated.pk).priority == 0


def test_a_priority_out_of_range_is_refused(staff) -> None:
    course = CourseFactory(capacity=1)
    places = _waiting(course, ("Anna", 0))

    with pytest.raises(DomainError) as refused:
        waitlist_priority_set(enrolment=places["Anna"], priority=5000, reason="r", actor=staff)
    assert refused.value.field == "priority"


def test_moves_are_audited_with_the_priorities_never_the_reason(staff) -> None:
    course = CourseFactory(capacity=1)
    places = _waiting(course, ("Anna", 0), ("Borys", 0))

    waitlist_priority_set(
        enrolment=places["Borys"], priority=3, reason="w ciąży, pilne", actor=staff
    )

    entry = AuditEntry.objects.get()
    assert entry.actor == staff
    assert entry.detail["priority_from"] == 0
    assert entry.detail["priority_to"] == 3
    assert "ciąży" not in json.dumps(entry.detail)


def test_per_session_waitlists_are_ordered_apart(staff) -> None:
    course = CourseFactory(capacity=1, booking_mode=BookingMode.SESSION)
    session = first_session(course)
    places = _waiting(course, ("Anna", 0), ("Borys", 0), session=session)

    waitlist_move(enrolment=places["Borys"], direction=UP, reason="r", actor=staff)

    assert _queue(course, session) == ["Borys", "Anna"]


def test_cancel_keeps_staffs_reason_and_the_audit_only_that_there_was_one(staff) -> None:
    course = CourseFactory(capacity=1)
    seated = EnrolmentRowFactory(course=course)

    enrolment_cancel(enrolment=seated, actor=staff, reason="przeprowadziła się do Gdańska")

    seated.refresh_from_db()
    assert seated.status == EnrolmentStatus.CANCELLED
    assert seated.cancel_reason == "przeprowadziła się do Gdańska"
    entry = AuditEntry.objects.get()
    assert entry.detail["reason_given"] is True
    assert "Gdańska" not in json.dumps(entry.detail)
