"""A day's waitlist on the personal page: knowing another person's entry id gives nothing. Their
entry is not found (as an id that does not exist) and stays waiting; the person's own entry is
left through their own link."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from appointments.models import DayWaitlistEntry, DayWaitlistStatus
from courses.models import Course
from courses.services.participants import participant_upsert
from tests.appointments.helpers import person

pytestmark = pytest.mark.django_db


def _page(response: Any) -> str:
    """The page without its form's CSRF token (a new one each time)."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())


def _waiting(course: Course, n: int) -> DayWaitlistEntry:
    session = course.sessions.order_by("starts_at").first()
    participant = participant_upsert(centre=course.centre, data=person(n))
    return DayWaitlistEntry.objects.create(
        session=session, participant=participant, language="pl", source="web"
    )


def test_another_persons_entry_is_not_found_and_stays(client: Client, consultation: Any) -> None:
    mine, theirs = _waiting(consultation, 1), _waiting(consultation, 2)
    base = mine.participant.get_absolute_url()

    other = client.post(f"{base}waiting/{theirs.pk}/leave/")
    made_up = client.post(f"{base}waiting/{theirs.pk + 1000}/leave/")
    own = client.post(f"{base}waiting/{mine.pk}/leave/")

    assert other.status_code == made_up.status_code == 404
    unknown = f"waiting/{theirs.pk + 1000}/"
    assert _page(other) == _page(made_up).replace(unknown, f"waiting/{theirs.pk}/")
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == DayWaitlistStatus.WAITING
    assert (own.status_code, mine.status) == (302, DayWaitlistStatus.CANCELLED)
