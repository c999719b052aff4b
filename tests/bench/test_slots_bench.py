"""Free-slot search for a network of 7 centres with 20 specialists and 10 interpreters over 8
weeks (duty hours on two weekdays each, a third of the slots booked, a few blocked):

- the same number of queries for a network of 2 centres, 4 specialists and 2 interpreters and
  for the whole network, for the search across every specialist and for one specialist;
- time per search, in Ukrainian (mostly with interpreters) and in Polish.

Prints the figures as `[bench slots]` lines. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import time
from datetime import time as clock
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from appointments.models import (
    Appointment,
    AppointmentSource,
    BlockedSlot,
    Interpreter,
    InterpreterHours,
    SpecialistLanguage,
)
from appointments.selectors.slots import free_slots
from appointments.slots import session_slots
from courses.models import Course, Participant
from tests.appointments.helpers import next_weekday, slot_course
from tests.bench.counting import QueryCounter
from tests.factories import CentreFactory, UserFactory

WEEKS = 8
ROUNDS = 10
SPECIALIST_LANGUAGES = [[], ["uk"], ["ru", "uk"], ["en"], []]
INTERPRETER_LANGUAGES = ["uk", "uk,ru", "ru", "ka", "uk", "ka,ru", "uk", "ru", "uk,ka", "be,ru"]


def _network(centres: int, specialists: int, interpreters: int, tag: str) -> list[Course]:
    sites = [
        CentreFactory(slug=f"{tag}-c{n}", name=f"CIC {tag} {n}", network=f"Net {tag}")
        for n in range(centres)
    ]
    courses = []
    for n in range(specialists):
        user = UserFactory(username=f"{tag}-spec{n}")
        for code in SPECIALIST_LANGUAGES[n % len(SPECIALIST_LANGUAGES)]:
            SpecialistLanguage.objects.create(user=user, language=code)
        weekdays, first = (("MO,WE", 0), ("TU,TH", 1), ("WE,FR", 2), ("MO,TH", 0), ("TU,FR", 1))[
            n % 5
        ]
        courses.append(
            slot_course(
                sites[n % centres],
                trainers=[user],
                slug=f"{tag}-consult-{n}",
                rule=f"RRULE:FREQ=WEEKLY;BYDAY={weekdays};COUNT={WEEKS * 2}",
                start_date=next_weekday(first, days_ahead=1),
                start_time=clock(9, 0),
                duration_minutes=240,
                slot_minutes=30,
                buffer_minutes=10,
                booking_window_days=WEEKS * 7 + 7,
                booking_cutoff_hours=2,
            )
        )
    for n in range(interpreters):
        home = sites[n % centres]
        found = Interpreter.objects.create(
            centre=home, name=f"Interpreter {tag} {n}", languages=INTERPRETER_LANGUAGES[n % 10]
        )
        InterpreterHours.objects.bulk_create(
            InterpreterHours(
                interpreter=found,
                centre=sites[(n + k) % centres],
                weekday=(n + k) % 5,
                starts_at=clock(9, 0),
                ends_at=clock(13, 0),
            )
            for k in range(3)
        )
    _book_a_third(courses, tag)
    return courses


def _book_a_third(courses: list[Course], tag: str) -> None:
    """Every third slot booked (in Polish, without an interpreter), every tenth blocked."""
    rows, blocked = [], []
    for c, course in enumerate(courses):
        person = Participant.objects.create(
            centre=course.centre, name=f"P {tag} {c}", phone=f"+48697{c:03d}{len(tag):03d}"
        )
        for session in course.sessions.all():
            spans = session_slots(session.starts_at, session.ends_at, 30, 10)
            for i, (start, end) in enumerate(spans):
                if i % 3 == 0:
                    rows.append(
                        Appointment(
                            course=course,
                            session=session,
                            starts_at=start,
                            ends_at=end,
                            participant=person,
                            source=AppointmentSource.STAFF,
                        )
                    )
                elif i % 10 == 7:
                    blocked.append(BlockedSlot(session=session, starts_at=start))
    Appointment.objects.bulk_create(rows)
    BlockedSlot.objects.bulk_create(blocked)


def _search(courses: list[Course], language: str) -> tuple[int, int, float]:
    """(queries, slots found, seconds) of one search over the eight weeks."""
    counter = QueryCounter()
    now = timezone.now()
    fetched = list(Course.objects.filter(pk__in=[c.pk for c in courses]).select_related("centre"))
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        found = free_slots(
            courses=fetched, language=language, start=now, end=now + timedelta(weeks=WEEKS)
        )
    return counter.queries, len(found), time.perf_counter() - started


def _timed(courses: list[Course], language: str) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(ROUNDS):
        _queries, found, seconds = _search(courses, language)
        times.append(seconds)
    return statistics.median(times), found


def test_free_slot_search_costs_the_same_queries_at_any_size() -> None:
    small = _network(2, 4, 2, "s")
    large = _network(7, 20, 10, "l")

    for language in ("uk", "pl", "ka"):
        few, _n, _t = _search(small, language)
        many, _n, _t = _search(large, language)
        one, _n, _t = _search(large[:1], language)
        print(
            f"[bench slots] queries {language}: small {few}, network {many}, one specialist {one}"
        )
        assert few == many == one

    for language in ("uk", "pl"):
        median, found = _timed(large, language)
        print(
            f"[bench slots] network of 7 centres, 20 specialists, 10 interpreters, {WEEKS} weeks, "
            f"{language}: {found} free slots in {median * 1000:.1f} ms (median of {ROUNDS})"
        )
        single, found_one = _timed(large[:1], language)
        print(
            f"[bench slots] one specialist, {WEEKS} weeks, {language}: {found_one} free slots "
            f"in {single * 1000:.1f} ms"
        )
    assert _search(large, "uk")[1] > 0
