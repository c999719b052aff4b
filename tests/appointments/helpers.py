"""Slot-booked consultations for the appointments' tests: a lawyer's duty hours on Tuesdays
10:00-13:00 (six 30-minute slots), from the Tuesday at least a week ahead, so that every slot
is inside the booking window and long before its cutoff whenever the tests run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from appointments.models import Interpreter, InterpreterHours, SpecialistLanguage
from courses.models import BookingMode, Centre, Course, CourseKind
from courses.services.participants import ParticipantData
from tests.factories import CourseFactory, UserFactory

TUESDAY = 1


def next_weekday(weekday: int = TUESDAY, *, days_ahead: int = 7) -> date:
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def slot_course(
    centre: Centre,
    *,
    trainers: Sequence[Any] = (),
    weeks: int = 4,
    start_date: date | None = None,
    **fields: Any,
) -> Course:
    values: dict[str, Any] = {
        "kind": CourseKind.CONSULTATION,
        "booking_mode": BookingMode.SLOTS,
        "title_pl": "Porady prawne",
        "start_date": start_date or next_weekday(),
        "start_time": time(10, 0),
        "duration_minutes": 180,
        "rule": f"RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT={weeks}",
        "slot_minutes": 30,
        "buffer_minutes": 0,
        "booking_window_days": 60,
        "booking_cutoff_hours": 2,
        "capacity": 1,
    }
    values.update(fields)
    return CourseFactory(centre=centre, trainers=list(trainers), **values)


def specialist(username: str, *languages: str) -> Any:
    user = UserFactory(username=username)
    for code in languages:
        SpecialistLanguage.objects.create(user=user, language=code)
    return user


def interpreter(
    centre: Centre,
    languages: str = "uk",
    *,
    name: str = "Olena Tłumaczka",
    weekday: int = TUESDAY,
    start: time = time(9, 0),
    end: time = time(14, 0),
    at: Centre | None = None,
) -> Interpreter:
    found = Interpreter.objects.create(centre=centre, name=name, languages=languages)
    InterpreterHours.objects.create(
        interpreter=found, centre=at or centre, weekday=weekday, starts_at=start, ends_at=end
    )
    return found


def local(course: Course, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=course.centre.tz)


def person(n: int, **fields: Any) -> ParticipantData:
    return ParticipantData(name=f"Osoba {n}", phone=f"+48698{n:06d}", sms_consent=True, **fields)
