"""Rows written together (`courses.writes`): one message for the writes of a locked enrolment,
nothing written when the block fails, and rows written at once outside a block."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from courses import writes
from courses.models import AuditEntry, Enrolment, EnrolmentEvent, EnrolmentStatus
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory


def _enrolment(centre: object, next_id: int | None) -> Enrolment:
    course = CourseFactory(centre=centre)
    return Enrolment(
        pk=next_id,
        participant=ParticipantFactory(centre=centre),
        course=course,
        status=EnrolmentStatus.CONFIRMED,
    )


def _place_and_its_twin(centre: object) -> tuple[Enrolment, Enrolment]:
    """A person's active place, and a second one of theirs in the same course (refused by the
    database's constraint), with a drawn id."""
    first = EnrolmentFactory(course__centre=centre)
    twin = Enrolment(
        pk=_drawn(),
        participant=first.participant,
        course=first.course,
        status=EnrolmentStatus.CONFIRMED,
    )
    return first, twin


def _drawn() -> int:
    sql, params = writes.next_id(Enrolment)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_rows_of_a_block_go_in_one_message_with_the_id_drawn_for_them(centre) -> None:
    enrolment = _enrolment(centre, _drawn())
    with CaptureQueriesContext(connection) as captured, transaction.atomic(), writes.together():
        writes.insert([enrolment])
        writes.insert([EnrolmentEvent(enrolment=enrolment, to_status=enrolment.status)])
        assert not Enrolment.objects.filter(pk=enrolment.pk).exists()  # not yet sent
    inserts = [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 1
    assert 'INSERT INTO "courses_enrolment"' in inserts[0]
    assert 'INSERT INTO "courses_enrolmentevent"' in inserts[0]
    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert stored.events.get().to_status == EnrolmentStatus.CONFIRMED
    assert not enrolment._state.adding


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_block_that_fails_writes_nothing(centre) -> None:
    """A duplicate active place (the database's constraint) fails the whole message: neither
    the second place nor its event is there, and the error reaches the caller."""
    first, twin = _place_and_its_twin(centre)
    events = EnrolmentEvent.objects.count()
    rows = [[twin], [EnrolmentEvent(enrolment=twin, to_status=twin.status)]]
    with pytest.raises(IntegrityError):
        _write_together(rows)
    assert list(Enrolment.objects.all()) == [first]
    assert EnrolmentEvent.objects.count() == events


def _write_together(rows: list[list[Any]]) -> None:
    with transaction.atomic(), writes.together():
        for group in rows:
            writes.insert(group)


@pytest.mark.django_db
def test_outside_a_block_rows_are_written_at_once_with_their_ids(centre) -> None:
    enrolment = _enrolment(centre, None)
    writes.insert([enrolment])
    assert enrolment.pk is not None
    entry = AuditEntry(action="participant_created", target_type="enrolment", target_id=1)
    writes.insert([entry])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


@pytest.mark.django_db
def test_on_sqlite_a_block_writes_at_once(centre) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's own way: PostgreSQL sends a block's rows together (tests above)")
    enrolment = _enrolment(centre, None)
    with transaction.atomic(), writes.together():
        writes.insert([enrolment])
        assert Enrolment.objects.filter(pk=enrolment.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_update_goes_with_the_rows_of_its_block(centre) -> None:
    """The code marked used and the enrolment in one message: neither is written before the
    block ends."""
    enrolment = _enrolment(centre, _drawn())
    participant = enrolment.participant
    with CaptureQueriesContext(connection) as captured, transaction.atomic(), writes.together():
        writes.update(participant, language="uk")
        writes.insert([enrolment])
        assert type(participant).objects.get(pk=participant.pk).language != "uk"
    written = [q["sql"] for q in captured.captured_queries if "UPDATE" in q["sql"]]
    assert len(written) == 1
    assert 'INSERT INTO "courses_enrolment"' in written[0]
    participant.refresh_from_db()
    assert participant.language == "uk"
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


@pytest.mark.django_db
def test_outside_a_block_an_update_is_saved_at_once(centre) -> None:
    participant = ParticipantFactory(centre=centre, language="pl")
    writes.update(participant, language="ru")
    participant.refresh_from_db()
    assert participant.language == "ru"


def _outermost_block_commits(centre: object) -> tuple[Enrolment, list[str], bool]:
    enrolment = _enrolment(centre, _drawn())
    with CaptureQueriesContext(connection) as captured:
        with transaction.atomic(), writes.together(commit=True):
            writes.insert([enrolment])
        idle = connection.connection.info.transaction_status == 0  # psycopg: IDLE
    return enrolment, [q["sql"] for q in captured.captured_queries], idle


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_block_that_ends_its_transaction_sends_the_commit_with_its_rows(centre) -> None:
    """The row lock is let go with the writes: the COMMIT is the last statement of their
    message, and Django's own COMMIT then has nothing left to do."""
    enrolment, statements, idle = _outermost_block_commits(centre)
    writes_message = next(sql for sql in statements if 'INSERT INTO "courses_enrolment"' in sql)
    assert writes_message.rstrip().endswith("; COMMIT")
    assert idle
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_block_inside_a_callers_transaction_leaves_the_commit_to_it(centre) -> None:
    """In a transaction a caller opened (or a savepoint) the block sends no COMMIT: what the
    caller does after it can still roll the whole of it back."""
    enrolment = _enrolment(centre, _drawn())

    def caller() -> None:
        with transaction.atomic():
            with transaction.atomic(), writes.together(commit=True):
                writes.insert([enrolment])
            raise RuntimeError("the caller fails after the block")

    with CaptureQueriesContext(connection) as captured, pytest.raises(RuntimeError):
        caller()
    assert not any(
        sql.rstrip().endswith("COMMIT")
        for sql in (q["sql"] for q in captured.captured_queries)
        if "INSERT" in sql
    )
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failed_block_that_would_commit_leaves_nothing(centre) -> None:
    """A row the database refuses stops the message before its COMMIT: nothing of it stays."""
    first, twin = _place_and_its_twin(centre)
    audit = AuditEntry(action="enrolment.created", target_type="enrolment", target_id=twin.pk)

    def block() -> None:
        with transaction.atomic(), writes.together(commit=True):
            writes.insert([audit])
            writes.insert([twin])

    with pytest.raises(IntegrityError):
        block()
    assert not Enrolment.objects.filter(pk=twin.pk).exists()
    assert not AuditEntry.objects.filter(target_id=twin.pk, target_type="enrolment").exists()
    assert Enrolment.objects.filter(pk=first.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_rows_of_one_kind_written_one_after_another_keep_their_own_values(centre) -> None:
    """The INSERT's text is made once; each row still goes with its own values, its automatic
    times included, and a value that is SQL (an expression) is written as Django writes it."""
    from django.db.models.functions import Now

    first, second = _enrolment(centre, _drawn()), _enrolment(centre, _drawn())
    second.status = EnrolmentStatus.WAITLISTED
    for enrolment in (first, second):
        with transaction.atomic(), writes.together():
            writes.insert([enrolment])
            writes.insert([EnrolmentEvent(enrolment=enrolment, to_status=enrolment.status)])
    stored = {e.pk: e for e in Enrolment.objects.filter(pk__in=[first.pk, second.pk])}
    assert stored[first.pk].status == EnrolmentStatus.CONFIRMED
    assert stored[second.pk].status == EnrolmentStatus.WAITLISTED
    assert stored[second.pk].participant_id == second.participant_id != first.participant_id
    assert stored[second.pk].created_at >= stored[first.pk].created_at
    assert stored[second.pk].events.get().to_status == EnrolmentStatus.WAITLISTED
    event = EnrolmentEvent(enrolment=first, to_status="cancelled", at=Now())
    with transaction.atomic(), writes.together():
        writes.insert([event])
    assert first.events.filter(to_status="cancelled").exists()
