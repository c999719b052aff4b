"""A Poznań centre with its coordinator, a Konin centre that is none of her business, and a
trainer; the clock stands on Tuesday 5 January 2027, 09:00 in Warsaw."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.factories import CentreFactory, UserFactory

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2027, 1, 5, 9, 0, tzinfo=WARSAW)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def poznan(db: None):
    return CentreFactory(slug="cic-poznan", name="CIC Poznań")


@pytest.fixture
def konin(db: None):
    return CentreFactory(slug="cic-konin", name="CIC Konin")


@pytest.fixture
def coordinator(poznan):
    return UserFactory(username="koordynator", staff_of=[poznan])


@pytest.fixture
def coordinator_client(client: Client, coordinator) -> Client:
    client.force_login(coordinator)
    return client


@pytest.fixture
def trainer_user(db: None):
    return UserFactory(username="trener")


@pytest.fixture
def trainer_client(trainer_user) -> Client:
    client = Client()
    client.force_login(trainer_user)
    return client
