"""Finding or adding a person by phone (`participant_upsert`) on PostgreSQL: one statement,
whether the person is new or known, and the same person when a request at the same moment
added them first."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from courses.models import Centre, Participant
from courses.services.participants import ParticipantData, participant_upsert
from tests.factories import ParticipantRowFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PHONE = "+48601000777"


def _upsert(centre: Centre, **given: Any) -> tuple[Participant, list[str]]:
    data = ParticipantData(name="Olena", phone=PHONE, language="uk", **given)
    with CaptureQueriesContext(connection) as captured:
        person = participant_upsert(centre=centre, data=data)
    statements = [q["sql"] for q in captured.captured_queries]
    return person, [sql for sql in statements if sql not in ("BEGIN", "COMMIT")]


def test_a_new_person_is_added_and_read_back_in_one_statement(centre: Centre) -> None:
    person, statements = _upsert(centre)
    assert len(statements) == 1, statements
    assert "ON CONFLICT DO NOTHING RETURNING" in statements[0]
    stored = Participant.objects.get(centre=centre, phone=PHONE)
    assert (person.pk, person.name, person.language, person.token) == (
        stored.pk,
        "Olena",
        "uk",
        stored.token,
    )


def test_a_known_person_is_found_in_the_same_statement_and_nobody_is_added(
    centre: Centre,
) -> None:
    known = ParticipantRowFactory(centre=centre, phone=PHONE, name="Olena K.", language="pl")
    person, statements = _upsert(centre)
    assert person.pk == known.pk
    assert person.token == known.token
    # The language now preferred is saved; nothing else is written, no second person.
    assert len(statements) == 2, statements
    assert statements[1].startswith('UPDATE "courses_participant"')
    assert Participant.objects.filter(centre=centre, phone=PHONE).count() == 1
    assert Participant.objects.get(pk=known.pk).language == "uk"


def test_a_person_added_at_the_same_moment_by_another_request_is_the_one_found(
    centre: Centre,
) -> None:
    """The other request's row is committed while this one's INSERT waits for it: the
    statement's snapshot cannot see it, so the person is read again, not added twice and not
    refused."""
    inserted = threading.Event()
    other: dict[str, Any] = {}

    def other_request() -> None:
        try:
            with transaction.atomic():
                other["person"] = ParticipantRowFactory(centre=centre, phone=PHONE, name="Olena")
                inserted.set()
                time.sleep(0.5)  # this request's statement waits on the row meanwhile
        finally:
            connection.close()

    thread = threading.Thread(target=other_request)
    thread.start()
    assert inserted.wait(10)
    person, statements = _upsert(centre)
    thread.join(10)
    assert person.pk == other["person"].pk
    assert Participant.objects.filter(centre=centre, phone=PHONE).count() == 1
    # The statement found nobody it could see; the person was read again.
    assert "ON CONFLICT DO NOTHING RETURNING" in statements[0]
    assert statements[1].startswith('SELECT "courses_participant"')
