"""Appointments in the slots of a consultation's sessions, blocked slots and the day waitlist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from appointments.languages import CONSULTATION_LANGUAGES, POLISH
from appointments.models.people import Interpreter
from courses.models import AppointmentMode, Course, Participant
from scheduling.models import Session


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


# An appointment that holds its slot (and its interpreter): all but a cancelled one.
ACTIVE_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)


class AppointmentSource(models.TextChoices):
    WEB = "web", _("Booked online")
    API = "api", _("Booked through the API")
    STAFF = "staff", _("Booked by staff")
    WAITLIST = "waitlist", _("From the day's waitlist")


class Appointment(models.Model):
    """One person in one slot of a consultation session, in a language, with an interpreter when
    the specialist does not speak it. A slot (session, start) holds one active appointment: the
    partial unique constraint is the last guard against a double booking."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="appointments"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="appointments"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=CONSULTATION_LANGUAGES, default=POLISH
    )
    interpreter = models.ForeignKey(
        Interpreter,
        verbose_name=_("interpreter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    mode = models.CharField(
        _("mode"), max_length=16, choices=AppointmentMode.choices, default=AppointmentMode.IN_PERSON
    )
    video_link = models.URLField(
        _("video link"),
        blank=True,
        help_text=_("Shown only to the booked person (their personal page and SMS)."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    source = models.CharField(_("source"), max_length=16, choices=AppointmentSource.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note for staff"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "starts_at"],
                condition=Q(status__in=["booked", "attended", "no_show"]),
                name="appointment_one_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["interpreter", "starts_at"], name="appointment_interpreter"),
            models.Index(fields=["course", "starts_at"], name="appointment_course"),
            models.Index(fields=["participant", "starts_at"], name="appointment_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} {self.starts_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def needs_interpreter(self) -> bool:
        return self.interpreter_id is not None


class BlockedSlot(models.Model):
    """A slot staff took out of booking (the specialist is away for an hour, a room is busy)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="blocked_slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked slot")
        verbose_name_plural = _("blocked slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "starts_at"], name="blocked_slot_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.starts_at:%H:%M}"


class DayWaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    BOOKED = "booked", _("Booked a freed slot")
    CANCELLED = "cancelled", _("Left the waitlist")
    EXPIRED = "expired", _("Day passed")


class DayWaitlistEntry(models.Model):
    """A person waiting for any slot of one full day (one session) in their language. The first
    slot freed that day in that language is booked for the first person waiting (see
    `appointments.services.waitlist`)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="day_waitlist"
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="day_waitlist",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=CONSULTATION_LANGUAGES, default=POLISH
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DayWaitlistStatus.choices,
        default=DayWaitlistStatus.WAITING,
    )
    source = models.CharField(_("source"), max_length=16, choices=AppointmentSource.choices)
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    offered_at = models.DateTimeField(_("slot offered"), null=True, blank=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("day waitlist entry")
        verbose_name_plural = _("day waitlist")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                condition=Q(status="waiting"),
                name="day_waitlist_once_waiting",
            )
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"], name="day_waitlist")]

    def __str__(self) -> str:
        return f"{self.session} {self.participant_id} ({self.get_status_display()})"


class AppointmentRequest(models.Model):
    """A self-booking waiting for its SMS code: the slot and language asked for, next to the
    proof of the phone (`courses.models.PhoneVerification`, which holds the person's input and
    is deleted a day after it was made, and this with it)."""

    verification = models.OneToOneField(
        "courses.PhoneVerification",
        on_delete=models.CASCADE,
        related_name="appointment_request",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    language = models.CharField(
        _("language"), max_length=8, choices=CONSULTATION_LANGUAGES, default=POLISH
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")

    def __str__(self) -> str:
        return f"{self.course_id} {self.starts_at:%Y-%m-%d %H:%M}"
