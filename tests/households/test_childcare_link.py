"""The link between a class and its childcare holds: a childcare cannot be moved to other times
than its class's (the children would be looked after when their parent is not there), and a
childcare is not itself a class with a childcare; each refusal saves nothing."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from courses.models import Course
from courses.services.catalogue import course_update
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def care(centre: Any) -> Course:
    return CourseFactory(centre=centre, slug="opieka", title_pl="Opieka", max_party=3)


@pytest.fixture
def polish(centre: Any, care: Course) -> Course:
    return CourseFactory(centre=centre, slug="polski", title_pl="Polski dla mam", childcare=care)


def test_the_childcare_keeps_its_classs_times(polish: Course, care: Course) -> None:
    before = care.start_time

    with pytest.raises(ValidationError) as refused:
        course_update(course=Course.objects.get(pk=care.pk), start_time=time(8, 0))

    assert "Polski dla mam" in str(refused.value)
    assert Course.objects.get(pk=care.pk).start_time == before


def test_the_childcare_may_change_what_is_not_its_time(polish: Course, care: Course) -> None:
    course_update(course=Course.objects.get(pk=care.pk), capacity=7)

    assert Course.objects.get(pk=care.pk).capacity == 7


def test_a_childcare_gets_no_childcare_of_its_own(
    centre: Any, polish: Course, care: Course
) -> None:
    other = CourseFactory(centre=centre, slug="inna", title_pl="Inna opieka")

    with pytest.raises(ValidationError) as refused:
        course_update(course=Course.objects.get(pk=care.pk), childcare=other)

    assert "childcare" in refused.value.message_dict
    assert Course.objects.get(pk=care.pk).childcare_id is None
