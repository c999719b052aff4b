from __future__ import annotations

from typing import Any

import pytest

from courses.models import Centre, Course
from tests.appointments.helpers import slot_course, specialist


@pytest.fixture
def lawyer(db: None) -> Any:
    """A lawyer who consults in Polish only (none recorded)."""
    return specialist("prawnik")


@pytest.fixture
def consultation(centre: Centre, lawyer: Any) -> Course:
    """The lawyer's duty hours at `centre`: four Tuesdays, 10:00-13:00, six slots each."""
    return slot_course(centre, trainers=[lawyer])
