"""The workspace's session move with a class's childcare: one move of the class's session moves
the childcare's too; the childcare's session moved alone is answered at the date with the class
named, nothing moved (no 500)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client

from scheduling.models import Session
from tests.factories import CourseFactory, first_session
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
