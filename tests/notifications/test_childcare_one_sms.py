"""One SMS for one family's booking: a parent with a place in a class and her children in its
childcare hears of the class's session cancelled or moved, and of its reminders, once (the
class's SMS); a parent with only children in the childcare still hears of it; a childcare's
session changed on its own is told to all its people, and a class without reminders leaves
the childcare's reminder to its parents."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Course, Participant
from courses.services.enrolment_request import enrolment_request
from courses.services.participants import ParticipantData
from notifications.backends import memory
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services import dispatch
from notifications.services.planning import reminders_plan
from scheduling.models import Session
from scheduling.services import session_cancel, session_move
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, first_session

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def care(centre) -> Course:
    return CourseFactory(centre=centre, slug="opieka", title_pl="Opieka", max_party=3)


@pytest.fixture
def polish(centre, care) -> Course:
    return CourseFactory(centre=centre, slug="polski", title_pl="Polski dla mam", childcare=care)


@pytest.fixture
def oksana(polish, care) -> Participant:
    """In the class, with her children in its childcare."""
    person = ParticipantFactory(centre=polish.centre, name="Oksana", sms_consent=True)
    EnrolmentFactory(course=polish, participant=person)
    EnrolmentFactory(course=care, participant=person)
    return person


@pytest.fixture
def marta(care) -> Participant:
    """Only her children, in the childcare."""
    person = ParticipantFactory(centre=care.centre, name="Marta", sms_consent=True)
    EnrolmentFactory(course=care, participant=person)
    return person


def _told(kind: str) -> dict[str, list[str]]:
    """Each person's SMS of `kind`, by the course they tell of."""
    told: dict[str, list[str]] = {}
    for message in OutboundMessage.objects.filter(kind=kind).select_related(
        "participant", "enrolment__course"
    ):
        told.setdefault(message.participant.name, []).append(message.enrolment.course.slug)
    return {name: sorted(courses) for name, courses in told.items()}


def _care_session(care: Course, session: Session) -> Session:
    return care.sessions.get(starts_at=session.starts_at)


def test_a_cancelled_class_session_tells_the_parent_in_both_once(
    polish, care, oksana, marta
) -> None:
    session_cancel(session=first_session(polish))

    assert _told(MessageKind.SESSION_CANCELLED) == {"Oksana": ["polski"], "Marta": ["opieka"]}


def test_a_moved_class_session_tells_the_parent_in_both_once(polish, care, oksana, marta) -> None:
    session = first_session(polish)
    later = session.starts_at + timedelta(hours=3)
    session_move(session=session, starts_at=later, ends_at=later + timedelta(hours=1))

    assert _told(MessageKind.SESSION_MOVED) == {"Oksana": ["polski"], "Marta": ["opieka"]}


def test_a_childcare_session_cancelled_alone_tells_every_parent(
    polish, care, oksana, marta
) -> None:
    session_cancel(session=_care_session(care, first_session(polish)))

    assert _told(MessageKind.SESSION_CANCELLED) == {"Oksana": ["opieka"], "Marta": ["opieka"]}


def test_the_parent_in_both_gets_the_class_reminders_only(polish, care, oksana, marta) -> None:
    session = first_session(polish)
    now = session.starts_at - timedelta(days=3)

    reminders_plan(now=now, sessions=[session, _care_session(care, session)])

    assert _told(MessageKind.REMINDER) == {
        "Oksana": ["polski", "polski"],  # 24 and 2 hours before
        "Marta": ["opieka", "opieka"],
    }


def test_a_class_without_reminders_leaves_the_parent_the_childcare_reminders(
    polish, care, oksana
) -> None:
    Course.objects.filter(pk=polish.pk).update(reminder_hours="")
    session = Session.objects.select_related("course").get(pk=first_session(polish).pk)
    care_session = Session.objects.select_related("course").get(pk=_care_session(care, session).pk)

    reminders_plan(now=timezone.now(), sessions=[session, care_session])

    assert _told(MessageKind.REMINDER) == {"Oksana": ["opieka", "opieka"]}


def test_a_mother_booking_the_class_with_her_children_gets_one_set_of_reminders(
    settings, polish, care, staff_user
) -> None:
    """Booked together (the childcare's reminders planned at booking, beside the class's): at
    the time, the class's reminder goes and the childcare's is left out, said why."""
    settings.SMS_BACKEND = "memory"
    memory.outbox.clear()
    with time_machine.travel(datetime(2027, 1, 1, 12, tzinfo=WARSAW), tick=False) as clock:
        enrolment_request(
            course=polish,
            person=ParticipantData(
                name="Olena", phone="+48600700800", language="uk", sms_consent=True
            ),
            channel="desk",
            actor=staff_user,
            party=[{"name": "Sofia", "birth_year": 2020}],
        )
        planned = OutboundMessage.objects.filter(kind=MessageKind.REMINDER)
        assert {m.enrolment.course.slug for m in planned} == {"polski", "opieka"}

        at = datetime(2027, 1, 4, 18, 30, tzinfo=WARSAW)  # 23.5 hours before the first
        clock.move_to(at)
        dispatch.dispatch_pass()

    first = first_session(polish).starts_at
    due = planned.filter(session__starts_at=first, due_at__lte=at)
    assert sorted(
        (m.enrolment.course.slug, m.status, m.error_code)
        for m in due.select_related("enrolment__course")
    ) == [
        ("opieka", MessageStatus.SKIPPED, "told with the class"),
        ("polski", MessageStatus.SENT, ""),
    ]


def test_a_session_of_no_ones_childcare_is_never_asked_about_families(
    polish, care, oksana, marta
) -> None:
    """The family check runs for a class's childcare only: planning the class's reminders
    asks the database once which courses are childcares, not once per session."""
    sessions = list(Session.objects.select_related("course").filter(course=polish)[:4])
    with CaptureQueriesContext(connection) as planned:
        reminders_plan(now=sessions[0].starts_at - timedelta(days=3), sessions=sessions)
    asked = [q["sql"] for q in planned.captured_queries if '"childcare_id" = ' in q["sql"]]

    assert asked == []
    assert OutboundMessage.objects.filter(kind=MessageKind.REMINDER).exists()


def test_only_a_childcares_due_reminder_asks_whether_the_class_tells(
    settings, polish, care, oksana, monkeypatch
) -> None:
    """At send time whether the session is a childcare's is read with the message: a class's
    due reminder never runs the family check (one query a reminder on the dispatcher's path)."""
    settings.SMS_BACKEND = "memory"
    memory.outbox.clear()
    session = first_session(polish)
    reminders_plan(
        now=session.starts_at - timedelta(days=3), sessions=[session, _care_session(care, session)]
    )
    OutboundMessage.objects.filter(kind=MessageKind.REMINDER).update(due_at=timezone.now())
    asked: list[str] = []
    real = dispatch.told_by_class
    monkeypatch.setattr(
        dispatch,
        "told_by_class",
        lambda s, people, **kw: asked.append(s.course.slug) or real(s, people, **kw),
    )
    with time_machine.travel(session.starts_at - timedelta(hours=23), tick=False):
        sent = dispatch.dispatch_pass().sent

    assert sent >= 1  # the class's reminder went
    assert asked == []
