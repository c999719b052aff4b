"""The course an enrolment asks for (`courses.api.base.CompiledPrimaryKeyField`): an id that is
no integer, out of range or unknown is a 400 naming `course`, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from courses.models import Participant, PhoneVerification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "course", ["abc", 1.5, True, [1], {"id": 1}, 10**30, -(10**30), 0, 987654, "", None]
)
def test_a_course_id_that_is_not_a_course_is_refused_and_nothing_is_stored(course: Any) -> None:
    person = {"name": "Olena", "phone": "+48601000021", "language": "uk", "sms_consent": True}
    answer = APIClient().post(
        "/api/v1/enrolments/", {"course": course, "participant": person}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == ["course"], answer.json()
    assert not Participant.objects.exists()
    assert not PhoneVerification.objects.exists()


def test_a_course_id_as_text_is_read_as_its_number(centre: Any) -> None:
    from datetime import date

    from tests.factories import CourseFactory

    course = CourseFactory(centre=centre, start_date=date(2027, 1, 5))
    person = {"name": "Olena", "phone": "+48601000022", "language": "uk", "sms_consent": True}
    answer = APIClient().post(
        "/api/v1/enrolments/", {"course": str(course.pk), "participant": person}, format="json"
    )
    assert answer.status_code == 202, answer.content


@pytest.mark.parametrize("written", ["+{pk}", "0_{pk}"])
def test_a_course_id_written_as_int_reads_it_but_no_decimal_number_is_refused(
    centre: Any, written: str
) -> None:
    """Python's int() takes "+7" and "0_7" (as 7): an id written so names no course."""
    from datetime import date

    from tests.factories import CourseFactory

    course = CourseFactory(centre=centre, start_date=date(2027, 1, 5))
    person = {"name": "Olena", "phone": "+48601000023", "language": "uk", "sms_consent": True}
    course_id = written.format(pk=course.pk)
    answer = APIClient().post(
        "/api/v1/enrolments/", {"course": course_id, "participant": person}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == ["course"]
    assert not PhoneVerification.objects.exists()
