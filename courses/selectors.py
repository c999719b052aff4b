"""Reads for the catalogue, permission-aware where the name says `_for_user`."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from courses.models import Centre, Course, Venue

User = AbstractBaseUser | AnonymousUser


def is_centre_staff(user: User) -> bool:
    """A superuser, or a user who is staff of at least one centre."""
    if not user.is_authenticated:
        return False
    return bool(getattr(user, "is_superuser", False)) or user.staff_centres.exists()  # type: ignore[union-attr]


def centres_managed_for_user(user: User) -> QuerySet[Centre]:
    if not user.is_authenticated:
        return Centre.objects.none()
    if getattr(user, "is_superuser", False):
        return Centre.objects.all()
    return Centre.objects.filter(staff=user)


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
    return Course.objects.filter(visible).select_related("centre", "venue").prefetch_related(
        "trainers"
    )


def centres_public() -> QuerySet[Centre]:
    return Centre.objects.all()
