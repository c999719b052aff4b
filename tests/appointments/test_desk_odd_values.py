"""Odd values at the desk's booking of a slot: a person of another centre, an unknown one, a
language that is not one, a mode that is not one, a person's fields in odd shapes: a 4xx with
the form's error, never a 500, nothing stored. Another centre's person answers as an unknown
one."""

from __future__ import annotations

from typing import Any

import pytest

from appointments.models import Appointment
from courses.models import Participant
from tests.appointments.test_workspace_day import URL, _at, _client, world  # noqa: F401
from tests.factories import CentreFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        {"participant": "999999"},
        {"participant": "x"},
        {"language": "zz"},
        {"mode": "telepathy"},
        {"at": "x"},
        {"name": "", "participant": ""},
        {"participant": "", "name": "Taras", "phone": "123", "country": "PL"},
        {"participant": "", "name": "Taras", "phone": "601000077", "country": "ZZ"},
    ],
)
def test_odd_desk_bookings_are_refused_and_store_nothing(
    world: dict[str, Any],  # noqa: F811
    change: dict[str, str],
) -> None:
    olena = ParticipantFactory(centre=world["poznan"], name="Olena", phone="601000001")
    data = {"at": _at(world, 11), "participant": olena.pk, "language": "pl", **change}

    response = _client(world["coordinator"]).post(
        f"{URL}sessions/{world['session'].pk}/book/", data
    )

    assert 400 <= response.status_code < 500, response.status_code
    assert not Appointment.objects.exists()
    assert Participant.objects.count() == 1


def test_another_centres_person_is_answered_as_an_unknown_one(
    world: dict[str, Any],  # noqa: F811
) -> None:
    stranger = ParticipantFactory(centre=CentreFactory(slug="inny"), name="Ktoś Inny")
    url = f"{URL}sessions/{world['session'].pk}/book/"
    client = _client(world["coordinator"])

    theirs = client.post(url, {"at": _at(world, 11), "participant": stranger.pk, "language": "pl"})
    unknown = client.post(
        url, {"at": _at(world, 11), "participant": stranger.pk + 1000, "language": "pl"}
    )

    assert theirs.status_code == unknown.status_code
    assert "Ktoś Inny" not in theirs.content.decode()
    assert not Appointment.objects.exists()
