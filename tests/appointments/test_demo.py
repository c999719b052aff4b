"""The demo's appointments: the seed duty hours are booked in slots, in languages, with
interpreters for Ukrainian, Russian and Georgian, and the demo centre's day view has bookings."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from appointments.languages import language_codes
from appointments.models import Appointment, BlockedSlot, Interpreter, InterpreterHours
from appointments.selectors.slots import course_languages, day_slots, free_slots
from courses.models import AppointmentMode, BookingMode, Course, CourseKind

DUTY_HOURS = (
    "dyzur-prawnika",
    "dyzur-psychologa",
    "dyzur-doradcy-podatkowego",
    "dyzur-doradcy-zawodowego-wup",
    "dyzur-wuw-legalizacja",
)


def load() -> None:
    call_command("load_demo", stdout=StringIO())


@pytest.mark.django_db
def test_every_seed_duty_hours_is_booked_in_slots_by_its_specialist() -> None:
    load()

    slot_courses = Course.objects.filter(booking_mode=BookingMode.SLOTS)
    assert set(slot_courses.values_list("slug", flat=True)) == set(DUTY_HOURS)
    for course in slot_courses:
        assert course.kind == CourseKind.CONSULTATION
        assert course.trainers.exists(), course
        assert course.slot_minutes < course.duration_minutes
    spoken = course_languages(list(slot_courses))
    assert any("uk" in languages for languages in spoken.values())
    assert all(course.sensitive for course in slot_courses.filter(slug="dyzur-psychologa")), (
        "psychologists' hours have neutral SMS"
    )
    # The drop-in vocational guidance of Caritas stays "just come".
    assert Course.objects.get(slug="doradztwo-zawodowe").booking_mode == BookingMode.OPEN


@pytest.mark.django_db
def test_every_demo_consultation_has_its_kind_for_the_funders_report() -> None:
    load()

    kinds = dict(
        Course.objects.filter(kind=CourseKind.CONSULTATION).values_list("slug", "specialty")
    )
    assert kinds == {
        "dyzur-prawnika": "legal",
        "dyzur-psychologa": "psychological",
        "dyzur-doradcy-podatkowego": "tax",
        "dyzur-doradcy-zawodowego-wup": "career",
        "dyzur-wuw-legalizacja": "legalisation",
        "doradztwo-zawodowe": "career",
    }
    assert not Course.objects.exclude(kind=CourseKind.CONSULTATION).exclude(specialty="").exists()


@pytest.mark.django_db
def test_interpreters_cover_ukrainian_russian_and_georgian_with_hours() -> None:
    load()

    for code in ("uk", "ru", "ka"):
        covering = [i for i in Interpreter.objects.all() if code in language_codes(i.languages)]
        assert covering, code
        assert InterpreterHours.objects.filter(interpreter__in=covering).exists(), code


@pytest.mark.django_db
def test_a_poznan_lawyer_slot_in_georgian_comes_with_an_interpreter() -> None:
    load()
    lawyer = Course.objects.get(centre__slug="cic-poznan", slug="dyzur-prawnika")
    now = timezone.now()

    offered = free_slots(courses=[lawyer], language="ka", start=now, end=now + timedelta(days=28))

    assert offered
    assert all(slot.interpreter for slot in offered)


@pytest.mark.django_db
def test_the_demo_centre_has_appointments_an_interpreter_and_a_blocked_slot() -> None:
    load()
    booked = Appointment.objects.filter(course__centre__slug="cic-poznan")

    assert booked.count() >= 5
    assert booked.filter(interpreter__isnull=False).count() >= 2
    lawyer_day = booked.filter(course__slug="dyzur-prawnika")[0].session
    states = {slot.state for slot in day_slots(session=lawyer_day)}
    assert states == {"booked", "blocked"}  # the day is full: its waitlist is open
    assert BlockedSlot.objects.filter(session=lawyer_day).count() == 1
    by_video = booked.get(mode=AppointmentMode.VIDEO)  # one slot held another way
    assert by_video.course.appointment_mode == AppointmentMode.IN_PERSON
    assert by_video.video_link.startswith("https://")


@pytest.mark.django_db
def test_loading_again_books_and_adds_nothing() -> None:
    load()
    before = (
        sorted(Appointment.objects.values_list("pk", "starts_at", "interpreter_id")),
        Interpreter.objects.count(),
        InterpreterHours.objects.count(),
        sorted(Course.objects.values_list("pk", "booking_mode", "updated_at")),
    )

    load()

    after = (
        sorted(Appointment.objects.values_list("pk", "starts_at", "interpreter_id")),
        Interpreter.objects.count(),
        InterpreterHours.objects.count(),
        sorted(Course.objects.values_list("pk", "booking_mode", "updated_at")),
    )
    assert after == before
