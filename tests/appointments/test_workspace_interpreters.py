"""Interpreters and specialists' languages in the workspace: staff list, add and change their
centres' interpreters with duty hours at centres of the network, and record the languages each
specialist consults in; trainers and other centres' staff get 404."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.test import Client

from appointments.models import Interpreter, SpecialistLanguage
from courses.models import AuditEntry
from tests.appointments.helpers import interpreter, slot_course, specialist
from tests.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań", network="CIC")
    konin = CentreFactory(slug="cic-konin", name="CIC Konin", network="CIC")
    caritas = CentreFactory(slug="caritas", name="Caritas", network="")
    lawyer = specialist("prawnik")
    slot_course(poznan, trainers=[lawyer])
    return {
        "poznan": poznan,
        "konin": konin,
        "caritas": caritas,
        "coordinator": UserFactory(username="koordynator", staff_of=[poznan]),
        "lawyer": lawyer,
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(world: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = {
        "centre": world["poznan"].pk,
        "name": "Anna Tłumacz",
        "phone": "+48 601 000 900",
        "email": "anna@example.org",
        "languages": ["uk", "ru"],
        "active": "on",
        "note": "",
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "28",
        "hours-0-centre": world["konin"].pk,
        "hours-0-weekday": "1",
        "hours-0-starts_at": "09:00",
        "hours-0-ends_at": "13:00",
    }
    data.update(fields)
    return data


def test_staff_add_an_interpreter_with_duty_hours_at_a_centre_of_the_network(
    world: dict[str, Any],
) -> None:
    response = _client(world["coordinator"]).post("/staff/interpreters/new/", _form(world))
    assert response.status_code == 302
    saved = Interpreter.objects.get()
    assert (saved.centre, saved.languages) == (world["poznan"], "uk,ru")
    hours = saved.hours.get()
    assert (hours.centre, hours.weekday, hours.starts_at) == (world["konin"], 1, time(9))


def test_adding_an_interpreter_is_in_the_audit_log_without_the_name(
    world: dict[str, Any],
) -> None:
    _client(world["coordinator"]).post("/staff/interpreters/new/", _form(world))
    entry = AuditEntry.objects.get(action="interpreter.saved")
    assert "Anna" not in str(entry.detail)


def test_hours_at_a_centre_outside_the_network_are_refused(world: dict[str, Any]) -> None:
    data = _form(world, **{"hours-0-centre": world["caritas"].pk})
    response = _client(world["coordinator"]).post("/staff/interpreters/new/", data)
    assert response.status_code == 400
    assert not Interpreter.objects.exists()


def test_hours_that_end_before_they_start_are_refused(world: dict[str, Any]) -> None:
    data = _form(world, **{"hours-0-ends_at": "08:00"})
    response = _client(world["coordinator"]).post("/staff/interpreters/new/", data)
    assert response.status_code == 400
    assert not Interpreter.objects.exists()


def test_an_interpreter_needs_a_language(world: dict[str, Any]) -> None:
    data = _form(world, languages=[])
    response = _client(world["coordinator"]).post("/staff/interpreters/new/", data)
    assert response.status_code == 400
    assert not Interpreter.objects.exists()


def test_staff_change_an_interpreters_hours(world: dict[str, Any]) -> None:
    anna = interpreter(world["poznan"], "uk", name="Anna Tłumacz")
    data = _form(
        world,
        **{
            "hours-TOTAL_FORMS": "2",
            "hours-INITIAL_FORMS": "1",
            "hours-0-centre": world["poznan"].pk,
            "hours-0-weekday": "1",
            "hours-0-starts_at": "09:00",
            "hours-0-ends_at": "14:00",
            "hours-0-DELETE": "on",
            "hours-1-centre": world["poznan"].pk,
            "hours-1-weekday": "3",
            "hours-1-starts_at": "12:00",
            "hours-1-ends_at": "16:00",
        },
    )
    response = _client(world["coordinator"]).post(f"/staff/interpreters/{anna.pk}/", data)
    assert response.status_code == 302
    assert list(anna.hours.values_list("weekday", "starts_at")) == [(3, time(12))]


def test_the_list_shows_the_networks_interpreters_and_links_only_the_centres_own(
    world: dict[str, Any],
) -> None:
    own = interpreter(world["poznan"], "uk", name="Anna Tłumacz")
    theirs = interpreter(world["konin"], "ka", name="Nino Tarjimani")
    interpreter(world["caritas"], "ru", name="Ktoś Spoza Sieci")
    response = _client(world["coordinator"]).get("/staff/interpreters/")
    body = response.content.decode()
    assert "Nino Tarjimani" in body
    assert "Ktoś Spoza Sieci" not in body
    assert f"/staff/interpreters/{own.pk}/" in body
    assert f"/staff/interpreters/{theirs.pk}/" not in body


def test_another_centres_interpreter_cannot_be_opened(world: dict[str, Any]) -> None:
    theirs = interpreter(world["konin"], "ka")
    response = _client(world["coordinator"]).get(f"/staff/interpreters/{theirs.pk}/")
    assert response.status_code == 404


def test_trainers_get_404_at_the_interpreters(world: dict[str, Any]) -> None:
    response = _client(world["lawyer"]).get("/staff/interpreters/")
    assert response.status_code == 404


def test_staff_record_a_specialists_languages(world: dict[str, Any]) -> None:
    lawyer = world["lawyer"]
    client = _client(world["coordinator"])
    response = client.post(
        f"/staff/specialists/{lawyer.pk}/", {f"s{lawyer.pk}-languages": ["pl", "uk"]}
    )
    assert response.status_code == 302
    assert set(SpecialistLanguage.objects.values_list("language", flat=True)) == {"pl", "uk"}
    assert "Українська" in client.get("/staff/specialists/").content.decode()


def test_a_specialist_with_no_language_recorded_is_shown_consulting_in_polish(
    world: dict[str, Any],
) -> None:
    response = _client(world["coordinator"]).get("/staff/specialists/")
    assert response.context["rows"][0]["names"] == ["Polski"]


def test_an_unknown_language_is_refused(world: dict[str, Any]) -> None:
    lawyer = world["lawyer"]
    response = _client(world["coordinator"]).post(
        f"/staff/specialists/{lawyer.pk}/", {f"s{lawyer.pk}-languages": ["xx"]}
    )
    assert response.status_code == 400
    assert not SpecialistLanguage.objects.exists()


def test_a_specialist_of_another_centre_cannot_be_changed(world: dict[str, Any]) -> None:
    other = specialist("konin-prawnik")
    slot_course(world["konin"], trainers=[other])
    response = _client(world["coordinator"]).post(
        f"/staff/specialists/{other.pk}/", {f"s{other.pk}-languages": ["uk"]}
    )
    assert response.status_code == 404
    assert not SpecialistLanguage.objects.exists()
