"""The workspace's session move and cancel with a class's childcare: one move of the class's
session moves the childcare's too; the childcare's session moved alone is answered at the date
with the class named, nothing moved (no 500); the confirmation pages name the childcare's
people and their SMS too, as they are the ones told."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client

from notifications.models import MessageKind, OutboundMessage
from scheduling.models import Session
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    VenueFactory,
    first_session,
)
from tests.workspace.conftest import WARSAW

pytestmark = pytest.mark.django_db
MOVE = {"day": "2027-01-07", "start": "10:00", "confirm": "1"}


@pytest.fixture
def care(poznan):
    return CourseFactory(centre=poznan, slug="opieka", title_pl="Opieka", max_party=3)


@pytest.fixture
def polish(poznan, care):
    return CourseFactory(centre=poznan, slug="polski", title_pl="Polski dla mam", childcare=care)


def test_moving_the_class_session_moves_the_childcares_too(
    coordinator_client: Client, polish, care
) -> None:
    session = first_session(polish)
    data = {**MOVE, "venue": session.venue_id or ""}

    done = coordinator_client.post(f"/staff/sessions/{session.pk}/move/", data)

    assert done.status_code == 302
    moved = Session.objects.get(course=care, starts_at=datetime(2027, 1, 7, 10, tzinfo=WARSAW))
    assert moved.moved


def test_the_childcares_session_moved_alone_is_refused_at_the_date(
    coordinator_client: Client, polish, care
) -> None:
    session = first_session(care)
    data = {**MOVE, "venue": session.venue_id or ""}

    response = coordinator_client.post(f"/staff/sessions/{session.pk}/move/", data)

    assert response.status_code == 400
    assert "Polski dla mam" in " ".join(response.context["form"].errors["day"])
    session.refresh_from_db()
    assert not session.moved


def _booked(course, name: str, language: str):
    person = ParticipantFactory(
        centre=course.centre, name=name, language=language, sms_consent=True
    )
    return EnrolmentFactory(course=course, participant=person).participant


def test_the_cancel_page_names_the_childcares_people_and_their_sms_and_they_are_told(
    coordinator_client: Client, polish, care
) -> None:
    _booked(polish, "Olena", "uk")
    marta = _booked(care, "Marta", "pl")
    session = first_session(polish)
    url = f"/staff/sessions/{session.pk}/cancel/"

    page = coordinator_client.get(url)

    notice = page.context["notice"]
    assert [r.participant.name for r in notice.recipients] == ["Olena"]
    assert [r.participant.name for r in notice.childcare.recipients] == ["Marta"]
    (preview,) = notice.childcare.previews
    assert "Opieka" in preview.text
    body = page.content.decode()
    assert "Marta" in body
    assert "Opieka" in body

    assert coordinator_client.post(url, {"confirm": "1"}).status_code == 302
    told = OutboundMessage.objects.filter(kind=MessageKind.SESSION_CANCELLED)
    assert set(told.values_list("participant__name", flat=True)) == {"Olena", marta.name}


def test_the_move_preview_gives_the_childcares_people_the_new_time(
    coordinator_client: Client, polish, care
) -> None:
    _booked(care, "Marta", "pl")
    session = first_session(polish)
    data = {"day": "2027-01-07", "start": "17:45", "venue": session.venue_id or ""}

    page = coordinator_client.post(f"/staff/sessions/{session.pk}/move/", data)

    assert page.status_code == 200
    (preview,) = page.context["notice"].childcare.previews
    assert "17:45" in preview.text
    assert "Opieka" in preview.text
    assert not Session.objects.filter(course=care, moved=True).exists()  # nothing moved yet


def test_a_childcare_nobody_booked_adds_nothing_to_the_page(
    coordinator_client: Client, polish, care
) -> None:
    _booked(polish, "Olena", "uk")
    session = first_session(polish)

    page = coordinator_client.get(f"/staff/sessions/{session.pk}/cancel/")

    assert page.context["notice"].childcare is None
    assert "Its childcare changes with it" not in page.content.decode()


def test_a_one_off_class_session_gets_its_childcare_at_the_same_times(
    coordinator_client: Client, polish, care
) -> None:
    response = coordinator_client.post(
        f"/staff/courses/{polish.pk}/sessions/new/",
        {"day": "2027-02-20", "start": "10:00", "duration_minutes": "120", "note": "Wycieczka"},
    )

    assert response.status_code == 302
    added = polish.sessions.get(note="Wycieczka")
    beside = care.sessions.get(starts_at=added.starts_at)
    assert beside.ends_at == added.ends_at
    assert beside.venue_id == added.venue_id  # the childcare has no room of its own


def test_a_one_off_session_of_the_childcare_alone_adds_no_class_session(
    coordinator_client: Client, polish, care
) -> None:
    before = polish.sessions.count()
    response = coordinator_client.post(
        f"/staff/courses/{care.pk}/sessions/new/",
        {"day": "2027-02-20", "start": "10:00", "duration_minutes": "120"},
    )

    assert response.status_code == 302
    assert care.sessions.filter(starts_at=datetime(2027, 2, 20, 10, tzinfo=WARSAW)).count() == 1
    assert polish.sessions.count() == before


def test_a_childcare_with_a_room_of_its_own_gets_the_one_off_there(
    coordinator_client: Client, polish, care
) -> None:
    care.venue = VenueFactory(centre=care.centre, name="Sala zabaw")
    care.save(update_fields=["venue"])
    start = datetime(2027, 2, 20, 10, tzinfo=WARSAW)

    coordinator_client.post(
        f"/staff/courses/{polish.pk}/sessions/new/",
        {"day": "2027-02-20", "start": "10:00", "duration_minutes": "120"},
    )

    assert polish.sessions.get(starts_at=start).venue_id == polish.venue_id
    assert care.sessions.get(starts_at=start).venue == care.venue


def test_the_cancel_page_counts_the_parents_the_class_sms_tells(
    coordinator_client: Client, polish, care
) -> None:
    oksana = _booked(polish, "Oksana", "uk")
    EnrolmentFactory(course=care, participant=oksana)
    _booked(care, "Marta", "pl")
    session = first_session(polish)

    page = coordinator_client.get(f"/staff/sessions/{session.pk}/cancel/")

    childcare = page.context["notice"].childcare
    assert [r.participant.name for r in childcare.recipients] == ["Marta"]
    assert childcare.with_class == 1
    told_once = "1 osoba z miejscem także na zajęciach dostanie tylko SMS o zajęciach."
    assert told_once in page.content.decode()


def test_the_childcares_own_cancel_page_names_every_parent_it_tells(
    coordinator_client: Client, polish, care
) -> None:
    """Cancelled alone, the childcare's session no longer matches the class's: the parent in
    both is told of it (her class goes on), and the page says so before, as the cancel does."""
    oksana = _booked(polish, "Oksana", "uk")
    EnrolmentFactory(course=care, participant=oksana)
    _booked(care, "Marta", "pl")
    session = care.sessions.get(starts_at=first_session(polish).starts_at)

    page = coordinator_client.get(f"/staff/sessions/{session.pk}/cancel/")
    notice = page.context["notice"]
    coordinator_client.post(f"/staff/sessions/{session.pk}/cancel/", {"confirm": "1"})

    assert sorted(r.participant.name for r in notice.recipients) == ["Marta", "Oksana"]
    assert notice.with_class == 0
    told = OutboundMessage.objects.filter(kind=MessageKind.SESSION_CANCELLED)
    assert sorted(told.values_list("participant__name", flat=True)) == ["Marta", "Oksana"]
