"""Queries compiled once (`courses.compiled`): the same instances as the queryset gives, for
each call's own values, and a query whose values Django changes refused before it runs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.compiled import compiled
from courses.models import Course
from scheduling.models import Session
from tests.factories import CourseFactory, VenueFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _sessions(course: int, after: datetime) -> QuerySet[Session]:
    return (
        Session.objects.select_related("course__centre", "venue")
        .filter(course=course, starts_at__gt=after)
        .order_by("starts_at")
    )


def _named_like(part: str) -> QuerySet[Course]:
    return Course.objects.filter(title__contains=part)


def _fields(session: Session) -> tuple[object, ...]:
    return (
        session.pk,
        session.starts_at,
        session.ends_at,
        session.course.title,
        session.course.centre.name,
        session.course.centre.tz,
        session.venue.name if session.venue else None,
        session.course.recurrence,
    )


def test_each_call_gives_what_its_queryset_gives_with_its_own_values(centre) -> None:
    courses = [
        CourseFactory(centre=centre, title="Polski A1", venue=VenueFactory(centre=centre)),
        CourseFactory(centre=centre, title="Polski B1", start_date=date(2027, 1, 12)),
    ]
    after = timezone.make_aware(datetime(2027, 1, 10, 12))
    for course in courses * 2:  # compiled by the first call, run again by the others
        for moment in (after, after + timedelta(days=30)):
            expected = [_fields(s) for s in _sessions(course.pk, moment)]
            with CaptureQueriesContext(connection) as captured:
                found = compiled(_sessions, course=course.pk, after=moment)
            assert [_fields(s) for s in found] == expected
            assert expected  # the course has sessions after each moment
            assert len(captured.captured_queries) == 1  # the related objects came with them
    assert {s.course.pk for s in compiled(_sessions, course=courses[0].pk, after=after)} == {
        courses[0].pk
    }


def test_a_value_django_changes_on_its_way_is_refused_before_anything_runs(centre) -> None:
    CourseFactory(centre=centre, title="Polski A1")
    with CaptureQueriesContext(connection) as captured, pytest.raises(ValueError, match="part"):
        compiled(_named_like, part="Polski")
    assert not captured.captured_queries
