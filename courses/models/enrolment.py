"""Places in a course or a session, and the history of each place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models.catalogue import Course
from courses.models.people import Participant


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Seat offered")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Offer declined")
    EXPIRED = "expired", _("Offer expired")


ACTIVE_STATUSES = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.OFFERED)
SEAT_STATUSES = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.OFFERED)


class EnrolmentSource(models.TextChoices):
    WEB = "web", _("Enrolment form")
    API = "api", _("API")
    STAFF = "staff", _("Staff, at the desk")
    WALK_IN = "walk_in", _("Walk-in")


class Enrolment(models.Model):
    """A place in a course (booking_mode=course) or in one session (booking_mode=session):
    confirmed, or on the waitlist, which is a state machine:
    waitlisted -> offered -> confirmed | declined | expired; anything active -> cancelled."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    session = models.ForeignKey(
        "scheduling.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enrolments",
        help_text=_("Only for courses booked session by session."),
    )
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices)
    priority = models.SmallIntegerField(
        _("waitlist priority"),
        default=0,
        help_text=_("Higher goes first on the waitlist; equal priorities go by arrival."),
    )
    # Why staff set the priority, and why they cancelled the place: shown to the centre's staff,
    # part of the person's data (exported with it, cleared when they are erased).
    priority_reason = models.CharField(_("reason for the priority"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=EnrolmentSource.choices, default=EnrolmentSource.WEB
    )
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    # Households (courses.models.party): the places the booking holds, the booking person's
    # among them when `attending`, one more for each member of its party not cancelled. A
    # waiting booking is promoted only when all its places are free, or `min_places` of them
    # when the family said it would take fewer (None: all or nothing).
    places = models.PositiveSmallIntegerField(
        _("places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    attending = models.BooleanField(
        _("booking person attends"),
        default=True,
        help_text=_("Untick when the person who booked only brings the others (e.g. children)."),
    )
    min_places = models.PositiveSmallIntegerField(
        _("would accept at least"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Empty: the whole party or nothing."),
    )
    # The children's booking in a class's childcare points at the parent's booking in the class.
    childcare_of = models.ForeignKey(
        "self",
        verbose_name=_("childcare for the booking"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="childcare_bookings",
    )
    # When the place was last confirmed and when it stopped being confirmed (cancelled, declined,
    # its person erased): the reports expect a person only at the held sessions in between.
    # Kept by save(), so every service that changes a status records them at that moment.
    confirmed_at = models.DateTimeField(_("place confirmed at"), null=True, blank=True)
    left_at = models.DateTimeField(_("place left at"), null=True, blank=True)
    created_at = models.DateTimeField(_("arrived"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-priority", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "course"],
                condition=models.Q(session__isnull=True, status__in=ACTIVE_STATUSES),
                name="enrolment_one_active_per_course",
            ),
            models.UniqueConstraint(
                fields=["participant", "session"],
                condition=models.Q(session__isnull=False, status__in=ACTIVE_STATUSES),
                name="enrolment_one_active_per_session",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "session", "status"], name="enrolment_seats"),
            models.Index(fields=["status", "offer_expires_at"], name="enrolment_offers"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.course.title} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        stamped = self.stamp_place(timezone.now())
        if stamped and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [*kwargs["update_fields"], *stamped]
        super().save(*args, **kwargs)

    def stamp_place(self, now: datetime) -> list[str]:
        """Record the start or the end of the confirmed stretch the status now implies; the
        fields changed. A row confirmed again (an admin's change) keeps its last stretch."""
        if self.status == EnrolmentStatus.CONFIRMED:
            if self.confirmed_at is None:
                self.confirmed_at = now
                return ["confirmed_at"]
            if self.left_at is not None:
                self.confirmed_at, self.left_at = now, None
                return ["confirmed_at", "left_at"]
            return []
        if self.confirmed_at is not None and self.left_at is None:
            self.left_at = now
            return ["left_at"]
        return []

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class EnrolmentEvent(models.Model):
    """Every state change of an enrolment, with its time and who made it."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="events", verbose_name=_("enrolment")
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=EnrolmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=EnrolmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_kind = models.CharField(
        _("by"),
        max_length=16,
        choices=[
            ("participant", _("the participant")),
            ("staff", _("staff")),
            ("system", _("the system")),
        ],
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment change")
        verbose_name_plural = _("enrolment changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"
