"""Funders' figures of consultations: held (attended) by kind and by language, no-shows,
interpreter hours and unique people, with small counts suppressed as in the rest of the
report; attended appointments count as attendance in the report's participants."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from appointments.models import Appointment
from appointments.selectors.report import consultation_report
from appointments.services.booking import appointment_book, appointment_mark
from courses.models import Course, Specialty
from courses.selectors.periods import Period
from courses.services.participants import ParticipantData
from tests.appointments.helpers import interpreter, local, slot_course, specialist
from tests.factories import CentreFactory, UserFactory, first_session

pytestmark = pytest.mark.django_db


def _person(n: int) -> ParticipantData:
    return ParticipantData(name=f"Osoba {n}", phone=f"+48698{n:06d}", sms_consent=True)


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """At CIC Poznań the lawyer's Tuesday: six people, five in Ukrainian with an interpreter
    (30 minutes each) and one in Polish; one more came to a psychologist the same day, and one
    did not come. One Ukrainian-speaking person came to both."""
    poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań", network="CIC")
    staff = UserFactory(username="koordynator", staff_of=[poznan])
    lawyer = slot_course(
        poznan, trainers=[specialist("prawnik")], title_pl="Porady prawne", specialty="legal"
    )
    psychologist = slot_course(
        poznan,
        trainers=[specialist("psycholog")],
        title_pl="Dyżur psychologa",
        specialty="psychological",
    )
    interpreter(poznan, "uk")
    day = first_session(lawyer).starts_at.astimezone(poznan.tz).date()

    def book(course: Any, hour: int, minute: int, n: int, language: str) -> Appointment:
        return appointment_book(
            course=course,
            starts_at=local(course, day, hour, minute),
            language=language,
            person=_person(n),
            actor=staff,
            channel="desk",
        )

    attended = [book(lawyer, 10 + i // 2, 30 * (i % 2), i, "uk") for i in range(5)]
    attended.append(book(lawyer, 12, 30, 10, "pl"))
    attended.append(book(psychologist, 10, 0, 0, "pl"))  # Osoba 0 again
    missed = book(psychologist, 10, 30, 11, "pl")
    cancelled = book(psychologist, 11, 0, 12, "pl")
    booked_only = book(psychologist, 11, 30, 13, "pl")
    assert booked_only.status == "booked"
    with time_machine.travel(local(lawyer, day, 14), tick=False):
        for appointment in attended:
            appointment_mark(appointment=appointment, status="attended", actor=staff)
        appointment_mark(appointment=missed, status="no_show", actor=staff)
    cancelled.status = "cancelled"
    cancelled.save()
    return {"poznan": poznan, "staff": staff, "day": day, "lawyer": lawyer}


def _report(world: dict[str, Any], min_count: int = 1, days: int = 0) -> Any:
    day = world["day"] + timedelta(days=days)
    return consultation_report(
        centres=[world["poznan"]], period=Period(day, day), min_count=min_count
    )


LEGAL = str(Specialty.LEGAL.label)
PSYCHOLOGICAL = str(Specialty.PSYCHOLOGICAL.label)


def test_consultations_held_by_kind(world: dict[str, Any]) -> None:
    report = _report(world)
    rows = {row.key: (row.held.shown, row.no_shows.shown) for row in report.by_kind}
    assert rows == {"legal": (6, 0), "psychological": (1, 1)}
    assert [row.label for row in report.by_kind] == [LEGAL, PSYCHOLOGICAL]


def test_consultations_of_one_kind_are_one_row_whatever_their_titles(
    world: dict[str, Any],
) -> None:
    Course.objects.filter(specialty="psychological").update(specialty="legal")
    Course.objects.filter(title_pl="Porady prawne").update(title_pl="Dyżur prawnika")
    [row] = _report(world).by_kind
    assert (row.label, row.held.shown, row.no_shows.shown) == (LEGAL, 7, 1)


def test_a_consultation_without_a_kind_is_counted_apart(world: dict[str, Any]) -> None:
    Course.objects.filter(specialty="psychological").update(specialty="")
    rows = {row.key: row.held.shown for row in _report(world).by_kind}
    assert rows == {"legal": 6, "": 1}


def test_consultations_held_by_language_with_the_interpreter_hours(
    world: dict[str, Any],
) -> None:
    report = _report(world)
    rows = {
        row.key: (row.held.shown, row.with_interpreter.shown, row.interpreter_hours)
        for row in report.by_language
    }
    assert rows == {"uk": (5, 5, 2.5), "pl": (2, 0, 0.0)}


def test_the_totals_count_each_person_once(world: dict[str, Any]) -> None:
    report = _report(world)
    assert (report.held.shown, report.no_shows.shown, report.people.shown) == (7, 1, 6)


def test_interpreter_hours_in_total(world: dict[str, Any]) -> None:
    assert _report(world).interpreter_hours == 2.5


def test_booked_and_cancelled_appointments_do_not_count(world: dict[str, Any]) -> None:
    assert _report(world).held.value == 7


def test_another_day_counts_nothing(world: dict[str, Any]) -> None:
    assert _report(world, days=1).empty


def test_small_counts_are_suppressed_and_the_rest_hidden_so_they_cannot_be_worked_out(
    world: dict[str, Any],
) -> None:
    report = _report(world, min_count=5)
    rows = {row.label: row.held.shown for row in report.by_kind}
    assert rows == {LEGAL: "*", PSYCHOLOGICAL: "<5"}


def test_the_interpreter_hours_of_a_hidden_count_are_hidden(world: dict[str, Any]) -> None:
    report = _report(world, min_count=6)
    uk = next(row for row in report.by_language if row.key == "uk")
    assert (uk.with_interpreter.shown, uk.interpreter_hours) == ("<6", None)


def test_the_funders_page_shows_the_consultations(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["staff"])
    day = world["day"].isoformat()
    with time_machine.travel(local(world["lawyer"], world["day"], 20), tick=False):
        response = client.get("/reports/", {"from": day, "to": day})
    body = response.content.decode()
    assert 'data-figure="consultations-held">7<' in body
    kinds = body[body.index('id="consultations-kind-title"') : body.index("consultations-language")]
    assert LEGAL in kinds
    assert PSYCHOLOGICAL in kinds
    assert "Dyżur psychologa" not in kinds  # a title, not a kind


def test_the_funders_export_carries_the_consultations(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["staff"])
    day = world["day"].isoformat()
    with time_machine.travel(local(world["lawyer"], world["day"], 20), tick=False):
        response = client.get("/reports/funder.csv", {"from": day, "to": day})
    text = response.content.decode("utf-8-sig")
    assert LEGAL in text
    assert PSYCHOLOGICAL in text
    assert "Dyżur psychologa" not in text
    assert text.index(LEGAL) < text.rindex("<5")  # before the closing note
