"""Reads for the catalogue, permission-aware where the name says `_for_user`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Q, QuerySet

from courses.models import (
    Centre,
    Course,
    Participant,
    Venue,
)

User = AuthUser | AbstractBaseUser | AnonymousUser
Actor = AbstractBaseUser | AnonymousUser | None  # who did it: staff, the person, or the system


def as_user(user: Any) -> AuthUser | None:
    return user if isinstance(user, AuthUser) and user.is_authenticated else None


_STAFFED = "_staffed_centre_ids"


def staffed_centre_ids(user: User | None) -> frozenset[int]:
    """The centres `user` is staff of, read once per user object: a request's user is its own
    object, and an enrolment asks at its throttle, its view and its service."""
    account = as_user(user)
    if account is None:
        return frozenset()
    if _STAFFED not in account.__dict__:
        account.__dict__[_STAFFED] = frozenset(account.staff_centres.values_list("pk", flat=True))
    return frozenset(account.__dict__[_STAFFED])


def staffed_centre_ids_known(user: User, centre_ids: list[int]) -> None:
    """`user`'s centres, read with the user (`courses.api.authentication`)."""
    account = as_user(user)
    if account is not None:
        account.__dict__[_STAFFED] = frozenset(centre_ids)


def is_centre_staff(user: User) -> bool:
    """A superuser, or a user who is staff of at least one centre."""
    account = as_user(user)
    if account is None:
        return False
    return account.is_superuser or bool(staffed_centre_ids(account))


def is_staff_of_centre(user: User | None, centre_id: int) -> bool:
    """A superuser, or staff of the centre `centre_id`."""
    account = as_user(user)
    return account is not None and (
        account.is_superuser or centre_id in staffed_centre_ids(account)
    )


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


def trainer_choices_for_user(user: User) -> QuerySet[Any]:
    """Who the user may make a trainer of their courses: the staff of their centres and the
    trainers of those centres' courses (superusers: every user)."""
    account = as_user(user)
    users = get_user_model().objects.order_by("username")
    if account is None:
        return users.none()
    if account.is_superuser:
        return users
    managed = centres_managed_for_user(account)
    return users.filter(Q(staff_centres__in=managed) | Q(courses__centre__in=managed)).distinct()


def trainers_managed_for_user(user: User) -> QuerySet[Any]:
    """Trainers all of whose courses are in the user's centres (superusers: every trainer). A
    trainer's private calendar link shows every course they teach, published or not, so only
    someone who manages all of them may make or see one."""
    account = as_user(user)
    trainers = get_user_model().objects.filter(courses__isnull=False).order_by("username")
    if account is None:
        return trainers.none()
    if account.is_superuser:
        return trainers.distinct()
    managed = centres_managed_for_user(account)
    elsewhere = Course.objects.exclude(centre__in=managed).filter(trainers__isnull=False)
    return (
        trainers.filter(courses__centre__in=managed)
        .exclude(pk__in=elsewhere.values("trainers"))
        .distinct()
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


def participant_phones_for_user(user: User) -> QuerySet[Any]:
    """The phone numbers of the people in the user's centres (erased people have none)."""
    return (
        Participant.objects.filter(centre__in=centres_managed_for_user(user))
        .exclude(phone="")
        .values("phone")
    )


def centres_public() -> QuerySet[Centre]:
    return Centre.objects.all()
