"""The outbox: every SMS is a row written in the same transaction as the change that causes it,
sent later by the dispatcher (`notifications.services.dispatch`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from appointments.models import Appointment
from courses.models import Course, Enrolment, Participant, PhoneVerification
from notifications.reasons import reason_text
from scheduling.models import Session


class MessageKind(models.TextChoices):
    ENROLMENT_CONFIRMED = "enrolment_confirmed", _("Enrolment confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    PROMOTED = "promoted", _("Promoted from the waitlist")
    OFFER_MADE = "offer_made", _("Seat offered")
    OFFER_EXPIRED = "offer_expired", _("Offer expired")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    SESSION_MOVED = "session_moved", _("Session moved")
    COURSE_CANCELLED = "course_cancelled", _("Course cancelled")
    REMINDER = "reminder", _("Reminder")
    VERIFICATION_CODE = "verification_code", _("Code to prove the phone number")
    STAFF_MESSAGE = "staff_message", _("Message from the staff")
    APPOINTMENT_BOOKED = "appointment_booked", _("Appointment booked")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Appointment reminder")
    APPOINTMENT_MOVED = "appointment_moved", _("Appointment moved")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
    APPOINTMENT_OFFERED = "appointment_offered", _("Freed slot booked from the day's waitlist")


# The kinds about one appointment (`OutboundMessage.appointment`), rendered by
# `notifications.texts_appointments`.
APPOINTMENT_KINDS = frozenset(
    {
        MessageKind.APPOINTMENT_BOOKED,
        MessageKind.APPOINTMENT_REMINDER,
        MessageKind.APPOINTMENT_MOVED,
        MessageKind.APPOINTMENT_CANCELLED,
        MessageKind.APPOINTMENT_OFFERED,
    }
)


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    CLAIMED = "claimed", _("Taken by a dispatcher")
    SENDING = "sending", _("Being handed to the provider")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Not delivered")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown: the provider did not answer")
    CANCELLED = "cancelled", _("No longer needed")
    SKIPPED = "skipped", _("Skipped")


# A delivery status only moves forward: a late or repeated callback never moves it back.
STATUS_RANK: dict[str, int] = {
    MessageStatus.SENDING: 1,
    MessageStatus.UNKNOWN: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.UNDELIVERED: 3,
    MessageStatus.FAILED: 3,
}


class Audience(models.TextChoices):
    CONFIRMED = "confirmed", _("People with a place")
    WAITING = "waiting", _("People on the waitlist")


class StaffMessage(models.Model):
    """A text the staff wrote to the people of a course or of one session: what was written (in
    Polish, and per language), to whom, by whom, and what the preview said. Its `key` makes a
    repeated request (a double click, a client's retry) the same message, sent once."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="staff_messages"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_messages",
    )
    audience = models.CharField(_("to"), max_length=16, choices=Audience.choices)
    texts = models.JSONField(_("texts"), default=dict)  # language -> text; "pl" always
    summary = models.JSONField(default=dict, editable=False)  # the preview as it was sent
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(_("written by"), max_length=150, blank=True)
    key = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message to people")
        verbose_name_plural = _("messages to people")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.course}: {self.texts.get('pl', '')[:40]}"


class OutboundMessage(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=MessageKind.choices)
    # Every SMS is to a participant, except a code that proves a number before anyone is known.
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    verification = models.ForeignKey(
        PhoneVerification,
        verbose_name=_("phone verification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    staff_message = models.ForeignKey(
        StaffMessage,
        verbose_name=_("message to people"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    # What makes a message unique: kind, enrolment or participant, session, and a variant (the
    # reminder's offset, the revision of a moved session).
    dedupe_key = models.CharField(max_length=200, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    due_at = models.DateTimeField(_("send at"))
    expires_at = models.DateTimeField(_("pointless after"), null=True, blank=True)
    context = models.JSONField(default=dict, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    body = models.TextField(_("text"), blank=True)
    segments = models.PositiveSmallIntegerField(_("segments"), default=0)
    encoding = models.CharField(_("encoding"), max_length=8, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=64, blank=True, db_index=True)
    error_code = models.CharField(_("error"), max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("planned"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS")
        verbose_name_plural = _("SMS messages")
        ordering = ["-due_at", "-id"]
        indexes = [
            # The dispatcher reads only what is due: cost independent of future messages.
            # A plain composite index (not a partial one) so SQLite's planner uses it too.
            models.Index(fields=["status", "due_at"], name="outbox_due"),
            models.Index(fields=["status", "claimed_at"], name="outbox_in_flight"),
        ]

    def __str__(self) -> str:
        to = self.participant.phone if self.participant else self.phone
        return f"{self.get_kind_display()} → {to} ({self.get_status_display()})"

    def get_error_display(self) -> str:
        """Why it was left out or failed, in the reader's language (`notifications.reasons`)."""
        return reason_text(self.error_code)


class PhoneOptOut(models.Model):
    """A phone number that gets no SMS: it said STOP, or the provider called it unreachable."""

    phone = models.CharField(_("phone"), max_length=20, unique=True)
    reason = models.CharField(
        _("reason"),
        max_length=16,
        choices=[("stop", _("Asked to stop")), ("invalid", _("Not a reachable mobile"))],
    )
    detail = models.CharField(_("detail"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")

    def __str__(self) -> str:
        return f"{self.phone}: {self.get_reason_display()}"
