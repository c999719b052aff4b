"""The report tests' fixtures: the world (`tests.courses.report_world`), the clock past it,
English."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.utils import translation

from tests.courses.report_world import AFTER, build_world


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    return build_world()


@pytest.fixture
def after() -> Any:
    with time_machine.travel(AFTER, tick=False):
        yield
