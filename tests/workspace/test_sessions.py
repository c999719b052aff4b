"""One session: cancel and move through a confirmation naming who is told and showing their
SMS; restore; add a one-off session. Only the centre's staff change; others get 404 or 403."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import Client

from notifications.models import MessageKind, OutboundMessage
from scheduling.models import SessionStatus
from scheduling.services import session_cancel
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    VenueFactory,
    first_session,
)
from tests.workspace.conftest import WARSAW

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(poznan):
    return CourseFactory(centre=poznan, title_pl="Polski A2", title_uk="Польська A2")


@pytest.fixture
def session(course):
    return first_session(course)


@pytest.fixture
def people(course):
    olena = EnrolmentFactory(
        course=course,
        participant=ParticipantFactory(
            centre=course.centre, name="Olena", language="uk", sms_consent=True
        ),
    )
    piotr = EnrolmentFactory(
        course=course,
        participant=ParticipantFactory(
            centre=course.centre, name="Piotr", language="pl", sms_consent=True
        ),
    )
    return olena.participant, piotr.participant


def test_other_centres_sessions_and_courses_are_not_found(
    coordinator_client: Client, konin
) -> None:
    other = CourseFactory(centre=konin)
    theirs = first_session(other)
    for url in ["", "cancel/", "move/", "restore/"]:
        assert coordinator_client.get(f"/staff/sessions/{theirs.pk}/{url}").status_code == 404
    assert (
        coordinator_client.post(
            f"/staff/sessions/{theirs.pk}/cancel/", {"confirm": "1"}
        ).status_code
        == 404
    )
    assert coordinator_client.get(f"/staff/courses/{other.pk}/sessions/new/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == SessionStatus.SCHEDULED


def test_a_trainer_opens_their_session_but_may_not_change_it(
    trainer_client: Client, trainer_user, poznan
) -> None:
    mine = first_session(CourseFactory(centre=poznan, trainers=[trainer_user]))
    other = first_session(CourseFactory(centre=poznan))
    page = trainer_client.get(f"/staff/sessions/{mine.pk}/")
    assert page.status_code == 200
    assert f"/staff/sessions/{mine.pk}/cancel/" not in page.content.decode()
    assert (
        trainer_client.post(f"/staff/sessions/{mine.pk}/cancel/", {"confirm": "1"}).status_code
        == 403
    )
    assert trainer_client.get(f"/staff/sessions/{other.pk}/").status_code == 404
    mine.refresh_from_db()
    assert mine.status == SessionStatus.SCHEDULED


def test_the_cancel_page_lists_who_is_told_and_their_sms_in_each_language(
    coordinator_client: Client, session, people
) -> None:
    response = coordinator_client.get(f"/staff/sessions/{session.pk}/cancel/")
    assert response.status_code == 200
    notice = response.context["notice"]
    assert [r.participant.name for r in notice.recipients] == ["Olena", "Piotr"]
    by_language = {p.language: p for p in notice.previews}
    assert "Польська A2" in by_language["uk"].text
    assert by_language["uk"].encoding == "UCS-2"
    assert "Polski A2" in by_language["pl"].text
    assert by_language["pl"].segments >= 1
    body = response.content.decode()
    assert "UCS-2" in body
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED  # nothing changed yet


def test_the_preview_carries_the_note_when_ticked(
    coordinator_client: Client, session, people
) -> None:
    response = coordinator_client.post(
        f"/staff/sessions/{session.pk}/cancel/",
        {"note": "Zajęcia w sali 5 w piątek", "note_in_sms": "on", "preview": "1"},
    )
    assert response.status_code == 200
    pl = next(p for p in response.context["notice"].previews if p.language == "pl")
    assert "sali 5" in pl.text
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_confirming_cancels_and_tells_them_with_the_note(
    coordinator_client: Client, session, people
) -> None:
    response = coordinator_client.post(
        f"/staff/sessions/{session.pk}/cancel/",
        {"note": "Zapraszamy w piątek", "note_in_sms": "on", "confirm": "1"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.note == "Zapraszamy w piątek"  # on their personal page
    notices = OutboundMessage.objects.filter(kind=MessageKind.SESSION_CANCELLED, session=session)
    assert {m.participant.name for m in notices} == {"Olena", "Piotr"}
    assert all(m.context["note"] == "Zapraszamy w piątek" for m in notices)


def test_a_note_too_long_is_refused_at_the_field_and_nothing_changes(
    coordinator_client: Client, session, people
) -> None:
    response = coordinator_client.post(
        f"/staff/sessions/{session.pk}/cancel/", {"note": "x" * 1001, "confirm": "1"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert not OutboundMessage.objects.filter(kind=MessageKind.SESSION_CANCELLED).exists()


def test_moving_shows_the_new_time_then_moves_with_the_end_following_in_real_time(
    coordinator_client: Client, poznan, session, people
) -> None:
    room = VenueFactory(centre=poznan, name="Sala 5")
    data = {"day": "2027-03-28", "start": "01:30", "venue": room.pk}  # the spring DST switch
    preview = coordinator_client.post(
        f"/staff/sessions/{session.pk}/move/", {**data, "preview": "1"}
    )
    assert preview.status_code == 200
    new = preview.context["new"]
    assert new["starts_at"] == datetime(2027, 3, 28, 1, 30, tzinfo=WARSAW)
    assert new["ends_at"].astimezone(UTC) - new["starts_at"] == timedelta(minutes=90)  # real
    assert new["ends_at"].astimezone(WARSAW).time() == time(4, 0)
    assert (
        "Sala 5" in next(p for p in preview.context["notice"].previews if p.language == "pl").text
    )
    session.refresh_from_db()
    assert session.starts_at.date() == date(2027, 1, 5)

    done = coordinator_client.post(f"/staff/sessions/{session.pk}/move/", {**data, "confirm": "1"})
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime(2027, 3, 28, 1, 30, tzinfo=WARSAW)
    assert session.ends_at.astimezone(UTC) - session.starts_at == timedelta(minutes=90)
    assert session.venue == room
    assert session.moved
    assert (
        OutboundMessage.objects.filter(kind=MessageKind.SESSION_MOVED, session=session).count() == 2
    )


def test_a_move_outside_the_calendar_is_refused_at_the_date(
    coordinator_client: Client, session
) -> None:
    response = coordinator_client.post(
        f"/staff/sessions/{session.pk}/move/",
        {"day": "3000-01-01", "start": "18:00", "confirm": "1"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["day"]
    session.refresh_from_db()
    assert not session.moved


def test_restore_puts_a_cancelled_session_back(coordinator_client: Client, session) -> None:
    session_cancel(session=session)
    assert coordinator_client.get(f"/staff/sessions/{session.pk}/restore/").status_code == 200
    assert coordinator_client.post(f"/staff/sessions/{session.pk}/restore/").status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_adding_a_one_off_session(coordinator_client: Client, course) -> None:
    before = course.sessions.count()
    response = coordinator_client.post(
        f"/staff/courses/{course.pk}/sessions/new/",
        {"day": "2027-02-20", "start": "10:00", "duration_minutes": "120", "note": "Wycieczka"},
    )
    assert response.status_code == 302
    added = course.sessions.get(note="Wycieczka")
    assert course.sessions.count() == before + 1
    assert added.starts_at == datetime(2027, 2, 20, 10, 0, tzinfo=WARSAW)
    assert added.ends_at == datetime(2027, 2, 20, 12, 0, tzinfo=WARSAW)
    assert added.original_start is None


def test_adding_without_a_time_is_refused_at_the_field(coordinator_client: Client, course) -> None:
    before = course.sessions.count()
    response = coordinator_client.post(
        f"/staff/courses/{course.pk}/sessions/new/", {"day": "2027-02-20", "duration_minutes": "60"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["start"]
    assert course.sessions.count() == before
