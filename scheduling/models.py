from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Centre, Course, Venue


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class SessionQuerySet(models.QuerySet["Session"]):
    def scheduled(self) -> SessionQuerySet:
        return self.filter(status=SessionStatus.SCHEDULED)

    def upcoming(self, now: datetime | None = None) -> SessionQuerySet:
        """Scheduled and not started yet."""
        return self.scheduled().filter(starts_at__gt=now or timezone.now())

    def public(self) -> SessionQuerySet:
        return self.filter(course__published=True)


class Session(models.Model):
    """One real occurrence of a course: materialised from its rule, or added by hand.

    `original_start` is the start the rule made it for (the iCal RECURRENCE-ID); it stays when
    the session is moved, so a moved or cancelled session survives re-generation. Sessions added
    by hand have none.
    """

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    original_start = models.DateTimeField(
        _("original start"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The start the course's rule made this session for."),
    )
    moved = models.BooleanField(
        _("moved by hand"),
        default=False,
        help_text=_("Moved by staff: re-generating the course's sessions leaves it as it is."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity override"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the course's capacity."),
    )
    note = models.TextField(
        _("note for participants"),
        blank=True,
        help_text=_(
            "Participants see it on the course page, their personal page and in the calendar: "
            "why the session is cancelled or moved, what instead."
        ),
    )
    register_note = models.TextField(
        _("register note"),
        blank=True,
        help_text=_("The trainer's note on the register; not public."),
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Rises on every change of time, place or status (iCal SEQUENCE)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "original_start"],
                condition=Q(original_start__isnull=False),
                name="session_one_per_rule_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="session_starts_at"),
            models.Index(fields=["course", "starts_at"], name="session_course_starts_at"),
        ]

    def __str__(self) -> str:
        local = self.starts_at.astimezone(self.course.centre.tz)
        return f"{self.course.title} {local:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def effective_capacity(self) -> int:
        return self.capacity if self.capacity is not None else self.course.capacity


class Closure(models.Model):
    """Days a centre (or, with no centre, every centre) is closed: no sessions are generated."""

    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text=_("Leave empty for a closure of every centre."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_on_or_after_start"
            ),
        ]

    def __str__(self) -> str:
        where = self.centre.name if self.centre is not None else _("all centres")
        return f"{where}: {self.starts_on}–{self.ends_on} {self.reason}".strip()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """An unguessable, revocable address of a person's own calendar feed.

    For a trainer (`user`): the sessions of the courses they teach.
    """

    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("private calendar link")
        verbose_name_plural = _("private calendar links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("calendar-private", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
