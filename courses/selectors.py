"""Reads for the catalogue, permission-aware where the name says `_for_user`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Count, Q, QuerySet

from courses.models import (
    SEAT_STATUSES,
    BookingMode,
    Centre,
    Course,
    Enrolment,
    EnrolmentStatus,
    Venue,
)

User = AuthUser | AbstractBaseUser | AnonymousUser


def as_user(user: Any) -> AuthUser | None:
    return user if isinstance(user, AuthUser) and user.is_authenticated else None


def is_centre_staff(user: User) -> bool:
    """A superuser, or a user who is staff of at least one centre."""
    account = as_user(user)
    if account is None:
        return False
    return account.is_superuser or account.staff_centres.exists()


def centres_managed_for_user(user: User) -> QuerySet[Centre]:
    account = as_user(user)
    if account is None:
        return Centre.objects.none()
    if account.is_superuser:
        return Centre.objects.all()
    return Centre.objects.filter(staff=account)


def venues_managed_for_user(user: User) -> QuerySet[Venue]:
    return Venue.objects.filter(centre__in=centres_managed_for_user(user)).select_related("centre")


def courses_managed_for_user(user: User) -> QuerySet[Course]:
    return (
        Course.objects.filter(centre__in=centres_managed_for_user(user))
        .select_related("centre", "venue")
        .prefetch_related("trainers")
    )


def courses_visible_for_user(user: User) -> QuerySet[Course]:
    """Published courses for everyone, plus every course of the centres the user manages."""
    visible = Q(published=True)
    if user.is_authenticated:
        visible |= Q(centre__in=centres_managed_for_user(user))
    return (
        Course.objects.filter(visible)
        .select_related("centre", "venue")
        .prefetch_related("trainers")
    )


def centres_public() -> QuerySet[Centre]:
    return Centre.objects.all()


@dataclass(frozen=True)
class Seats:
    capacity: int
    taken: int
    waiting: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)


def seats_left(course: Course) -> Seats | None:
    """Seats of a course booked as a whole (None for per-session or open courses)."""
    if course.booking_mode != BookingMode.COURSE:
        return None
    counts = Enrolment.objects.filter(course=course, session__isnull=True).aggregate(
        taken=Count("id", filter=Q(status__in=SEAT_STATUSES)),
        waiting=Count("id", filter=Q(status=EnrolmentStatus.WAITLISTED)),
    )
    return Seats(course.capacity, counts["taken"], counts["waiting"])


def seats_by_session(sessions: Iterable[Any]) -> dict[int, Seats]:
    """Seats of each session of a per-session course among `sessions`, in one query."""
    booked = [s for s in sessions if s.course.booking_mode == BookingMode.SESSION]
    if not booked:
        return {}
    rows = (
        Enrolment.objects.filter(session__in=[s.pk for s in booked])
        .values("session_id")
        .annotate(
            taken=Count("id", filter=Q(status__in=SEAT_STATUSES)),
            waiting=Count("id", filter=Q(status=EnrolmentStatus.WAITLISTED)),
        )
    )
    counts = {r["session_id"]: (r["taken"], r["waiting"]) for r in rows}
    return {s.pk: Seats(s.effective_capacity, *counts.get(s.pk, (0, 0))) for s in booked}
