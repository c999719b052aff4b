"""Copying a class with a childcare into a new term: the new class is made (its families'
settings copied) without the old term's childcare, whose dates are not the new class's; the
coordinator links the new term's childcare to it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from courses.models import Course
from courses.services.terms import course_copy_to_term
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_a_class_with_a_childcare_is_copied_without_it(centre: Any) -> None:
    rule = "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10"
    care = CourseFactory(centre=centre, slug="opieka", max_party=3, max_age=10, rule=rule)
    polish = CourseFactory(
        centre=centre,
        slug="polski",
        max_party=2,
        childcare=care,
        rule=rule,
        start_date=care.start_date,
        start_time=care.start_time,
        duration_minutes=care.duration_minutes,
    )

    made = course_copy_to_term(course=polish, start_date=date(2027, 9, 7), slug="polski-jesien")

    copy = Course.objects.get(pk=made.course.pk)
    assert (copy.max_party, copy.childcare_id) == (2, None)
    assert Course.objects.get(pk=polish.pk).childcare_id == care.pk
