"""Odd values in the workspace's appointment forms (an interpreter's form and its duty hours, a
specialist's languages, the day view's slot actions): a 4xx with the form's error, never a 500,
nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from appointments.models import BlockedSlot, Interpreter, InterpreterHours, SpecialistLanguage
from tests.appointments.test_workspace_interpreters import _client, _form, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        {"hours-TOTAL_FORMS": "100000"},
        {"hours-TOTAL_FORMS": "x"},
        {"hours-0-weekday": "9"},
        {"hours-0-weekday": "Tuesday"},
        {"hours-0-starts_at": "25:00"},
        {"hours-0-centre": "999999"},
        {"hours-0-centre": "x"},
        {"languages": ["zz"]},
        {"centre": "999999"},
        {"name": "x" * 5000},
        {"hours-0-valid_from": "2027-02-30"},
    ],
)
def test_an_odd_interpreter_form_is_refused_and_stores_nothing(
    world: dict[str, Any],  # noqa: F811
    change: dict[str, Any],
) -> None:
    response = _client(world["coordinator"]).post(
        "/staff/interpreters/new/", _form(world, **change)
    )

    assert 400 <= response.status_code < 500, response.status_code
    assert not Interpreter.objects.exists()
    assert not InterpreterHours.objects.exists()


@pytest.mark.parametrize("languages", [["zz"], ["uk", "uk" * 50], ["\x00"]])
def test_odd_specialist_languages_are_refused(
    world: dict[str, Any],  # noqa: F811
    languages: list[str],
) -> None:
    lawyer = world["lawyer"]
    url = f"/staff/specialists/{lawyer.pk}/"

    response = _client(world["coordinator"]).post(url, {f"s{lawyer.pk}-languages": languages})

    assert 400 <= response.status_code < 500
    assert not SpecialistLanguage.objects.exists()


@pytest.mark.parametrize(
    "data", [{"at": "x"}, {"at": "2027-13-01T10:00"}, {"at": "\x00"}, {"reason": "r" * 5000}, {}]
)
def test_odd_slot_actions_are_refused(
    world: dict[str, Any],  # noqa: F811
    data: dict[str, str],
) -> None:
    session = world["poznan"].courses.get().sessions.first()

    response = _client(world["coordinator"]).post(
        f"/staff/appointments/sessions/{session.pk}/block/", data
    )

    assert 400 <= response.status_code < 500, response.status_code
    assert not BlockedSlot.objects.exists()
