"""Reads for the catalogue, permission-aware where the name says `_for_user`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Q, QuerySet

from courses.models import (
    Centre,
    Course,
    Venue,
)

User = AuthUser | AbstractBaseUser | AnonymousUser
Actor = AbstractBaseUser | AnonymousUser | None  # who did it: staff, the person, or the system


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
