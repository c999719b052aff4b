"""What a staff member may see of appointments and interpreters: their centres only (built on
`courses.selectors.tenancy`)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from appointments.models import Appointment, BlockedSlot, DayWaitlistEntry, Interpreter
from courses.models import BookingMode, Course
from courses.selectors.tenancy import User, centres_managed_for_user


def appointments_for_user(user: User) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        course__centre__in=centres_managed_for_user(user)
    ).select_related("course__centre", "session", "participant", "interpreter")


def blocked_slots_for_user(user: User) -> QuerySet[BlockedSlot]:
    return BlockedSlot.objects.filter(
        session__course__centre__in=centres_managed_for_user(user)
    ).select_related("session__course")


def day_waitlist_for_user(user: User) -> QuerySet[DayWaitlistEntry]:
    return DayWaitlistEntry.objects.filter(
        session__course__centre__in=centres_managed_for_user(user)
    ).select_related("session__course", "participant")


def interpreters_for_user(user: User) -> QuerySet[Interpreter]:
    """The interpreters recorded by the user's centres (they change them)."""
    return Interpreter.objects.filter(centre__in=centres_managed_for_user(user)).select_related(
        "centre"
    )


def interpreters_usable_for_user(user: User) -> QuerySet[Interpreter]:
    """The interpreters the user's centres may book: their own and those of their networks."""
    managed = centres_managed_for_user(user)
    networks = managed.exclude(network="").values("network")
    return Interpreter.objects.filter(
        Q(centre__in=managed) | Q(centre__network__in=networks)
    ).select_related("centre")


def slot_courses_for_user(user: User) -> QuerySet[Course]:
    return Course.objects.filter(
        centre__in=centres_managed_for_user(user), booking_mode=BookingMode.SLOTS
    ).select_related("centre")
