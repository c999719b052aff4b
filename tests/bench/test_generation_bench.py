"""Session generation: 1,000 courses x 2 years materialised; a second run writes nothing.

Prints sessions per second and queries per course. Run with `make bench`.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from courses.models import Course
from scheduling import rules, services
from scheduling.models import Session
from tests.factories import CentreFactory

COURSES = 1000
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]


def _courses() -> list[Course]:
    centres = [CentreFactory() for _ in range(10)]
    today = timezone.localdate()
    courses = []
    for n in range(COURSES):
        centre = centres[n % len(centres)]
        weekday = n % len(WEEKDAYS)
        start = today + timedelta(days=(weekday - today.weekday()) % 7)
        until = (start + timedelta(days=730)).strftime("%Y%m%d")
        courses.append(
            Course(
                centre=centre,
                slug=f"course-{n}",
                kind="polish_course",
                title_pl=f"Kurs {n}",
                start_date=start,
                start_time=timezone.datetime(2000, 1, 1, 8 + n % 12).time(),
                duration_minutes=90,
                recurrence=rules.parse(
                    f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[weekday]};UNTIL={until}", centre.tz
                ),
            )
        )
    Course.objects.bulk_create(courses)
    return list(Course.objects.select_related("centre").order_by("centre_id", "pk"))


class QueryCounter:
    """Counts every query and the writes among them (no query log limit)."""

    def __init__(self) -> None:
        self.queries = 0
        self.writes = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.queries += 1
        if sql.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.writes += 1
        return execute(sql, params, many, context)


def test_bench_generate_1000_courses_for_two_years() -> None:
    courses = _courses()
    started = time.perf_counter()
    first = QueryCounter()
    with connection.execute_wrapper(first):
        result = services.courses_sessions_sync(courses=courses)
    elapsed = time.perf_counter() - started
    total = Session.objects.count()
    assert result.created == total
    assert total > COURSES * 100  # ~104 weeks, less public holidays

    started = time.perf_counter()
    second = QueryCounter()
    with connection.execute_wrapper(second):
        again = services.courses_sessions_sync(courses=courses)
    elapsed_again = time.perf_counter() - started

    print(
        f"\n[bench generation] {connection.vendor}: {COURSES} courses, {total} sessions "
        f"in {elapsed:.1f} s = {total / elapsed:,.0f} sessions/s; "
        f"{first.queries} queries ({first.queries / COURSES:.1f} per course)\n"
        f"[bench generation] second run: {elapsed_again:.1f} s, "
        f"{second.queries} queries, {second.writes} writes, "
        f"created={again.created} updated={again.updated} deleted={again.deleted}"
    )
    assert not again.changed
    assert second.writes == 0
    assert date.today() <= max(Session.objects.values_list("starts_at", flat=True)).date()  # noqa: DTZ011
