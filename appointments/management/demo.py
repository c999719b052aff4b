"""The demo's appointments (`load_demo`): the seed centres' duty hours booked in slots, their
specialists with their languages, interpreters for Ukrainian, Russian and Georgian with their
duty hours, and a few appointments (one by video, and a blocked slot) in the demo centre's next
duty hours, so the day view and the personal pages are not empty. The data is in
`demo_data.py` beside it.

Everything goes through the services the workspace uses. Loading again changes nothing: a
course is made slot-booked only while it is still a drop-in without specialists (once it has
its specialist it is left as staff keep it), specialists are found by username (their
languages set when they are added), interpreters by centre and phone, and the appointments are
booked only while the demo centre has none.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from appointments.management.demo_data import (
    BLOCKED_AFTER,
    BOOKINGS,
    DROP_IN_SPECIALTIES,
    INTERPRETERS,
    SLOT_COURSES,
    SPECIALISTS,
    InterpreterSpec,
    SpecialistSpec,
)
from appointments.models import Appointment, Interpreter
from appointments.selectors.slots import day_slots
from appointments.services.booking import appointment_book
from appointments.services.interpreters import (
    HoursData,
    interpreter_save,
    specialist_languages_set,
)
from appointments.services.slots import slot_block
from appointments.services.video import appointment_video_link_set
from courses.management.demo_people import DEMO_CENTRE, PEOPLE
from courses.models import BookingMode, Centre, Course, Participant
from courses.services.catalogue import course_update
from scheduling.models import Session, SessionStatus


def _specialist(spec: SpecialistSpec, staff: User, counts: dict[str, int]) -> User:
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is not None:
        return user
    user = user_model.objects.create_user(
        username=spec.username,
        password=spec.password or None,  # None: no login, only a name on the duty hours
        first_name=spec.first_name,
        last_name=spec.last_name,
    )
    specialist_languages_set(specialist=user, languages=list(spec.languages), actor=staff)
    counts["specialists"] += 1
    return user


def _slot_courses(staff: User, counts: dict[str, int]) -> None:
    """Each seed duty hours with its specialist, booked in slots (while still a drop-in)."""
    courses = {
        (c.centre.slug, c.slug): c
        for c in Course.objects.filter(slug__in=SLOT_COURSES).select_related("centre")
    }
    for spec in SPECIALISTS:
        user = _specialist(spec, staff, counts)
        for key in spec.courses:
            course = courses.get(key)
            if (
                course is None
                or course.booking_mode != BookingMode.OPEN
                or course.trainers.exists()
            ):
                continue
            slots = SLOT_COURSES[course.slug]
            course_update(
                course=course,
                booking_mode=BookingMode.SLOTS,
                slot_minutes=slots.slot_minutes,
                buffer_minutes=slots.buffer_minutes,
                booking_window_days=slots.window_days,
                booking_cutoff_hours=slots.cutoff_hours,
                appointment_mode=slots.mode,
                specialty=slots.specialty,
                description_pl=slots.description.pl,
                description_uk=slots.description.uk,
                description_en=slots.description.en,
                description_ru=slots.description.ru,
                trainers=[user],
            )
            counts["slot_courses"] += 1
    for course in Course.objects.filter(slug__in=DROP_IN_SPECIALTIES, specialty=""):
        course_update(course=course, specialty=DROP_IN_SPECIALTIES[course.slug])


def _interpreter(
    spec: InterpreterSpec, centres: dict[str, Centre], staff: User, counts: dict[str, int]
) -> None:
    home = centres.get(spec.centre)
    if home is None or Interpreter.objects.filter(centre=home, phone=spec.phone).exists():
        return
    hours = [
        HoursData(
            centre=centres[row.centre],
            weekday=row.weekday,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
        )
        for row in spec.hours
        if row.centre in centres
    ]
    interpreter_save(
        interpreter=Interpreter(
            centre=home, name=spec.name, phone=spec.phone, languages=spec.languages
        ),
        hours=hours,
        actor=staff,
    )
    counts["interpreters"] += 1


def _next_duty_hours(course: Course) -> Session | None:
    """The course's next session that has not started (every slot can still be booked)."""
    return (
        Session.objects.filter(
            course=course, status=SessionStatus.SCHEDULED, starts_at__gt=timezone.now()
        )
        .select_related("course__centre")
        .order_by("starts_at")
        .first()
    )


def _bookings(staff: User, counts: dict[str, int]) -> None:
    """A few appointments in the demo centre's next duty hours, booked at the desk, and one
    slot blocked; only while the centre has no appointment at all."""
    centre = Centre.objects.filter(slug=DEMO_CENTRE).first()
    if centre is None or Appointment.objects.filter(course__centre=centre).exists():
        return
    people = {
        p.phone: p
        for p in Participant.objects.filter(
            centre=centre, phone__in=[spec.phone(i) for i, spec in enumerate(PEOPLE)]
        )
    }
    courses = {
        c.slug: c for c in Course.objects.filter(centre=centre, booking_mode=BookingMode.SLOTS)
    }
    sessions: dict[str, Session | None] = {}
    for booking in BOOKINGS:
        course = courses.get(booking.course)
        person = people.get(PEOPLE[booking.person].phone(booking.person))
        if course is None or person is None:
            continue
        if booking.course not in sessions:
            sessions[booking.course] = _next_duty_hours(course)
        session = sessions[booking.course]
        slots = day_slots(session=session) if session is not None else []
        if booking.nth >= len(slots):
            continue
        booked = appointment_book(
            course=course,
            starts_at=slots[booking.nth].starts_at,
            language=booking.language,
            participant=person,
            actor=staff,
            channel="desk",
            mode=booking.mode,
        )
        if booking.video_link:
            appointment_video_link_set(appointment=booked, link=booking.video_link, actor=staff)
        counts["appointments"] += 1
    slug, nth = BLOCKED_AFTER
    session = sessions.get(slug)
    slots = day_slots(session=session) if session is not None else []
    if session is not None and nth < len(slots) and slots[nth].state == "free":
        slot_block(
            session=session,
            starts_at=slots[nth].starts_at,
            actor=staff,
            reason="Dyżur w sądzie / at court",
        )


def appointments_demo_load(*, staff: User) -> dict[str, int]:
    """The demo's slot-booked duty hours, specialists, interpreters and appointments; what was
    created, counted."""
    counts = dict.fromkeys(("slot_courses", "specialists", "interpreters", "appointments"), 0)
    _slot_courses(staff, counts)
    centres = {c.slug: c for c in Centre.objects.all()}
    for spec in INTERPRETERS:
        _interpreter(spec, centres, staff, counts)
    _bookings(staff, counts)
    return counts
