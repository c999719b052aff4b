"""The audit log of staff actions on personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.centres import Centre
from courses.models.people import Participant


class AuditAction(models.TextChoices):
    ATTENDANCE_MARKED = "attendance.marked", _("Attendance marked")
    ATTENDANCE_WALK_IN = "attendance.walk_in", _("Walk-in added")
    REGISTER_NOTE = "register.note", _("Register note changed")
    PARTICIPANT_CREATED = "participant.created", _("Participant added")
    PARTICIPANT_CHANGED = "participant.changed", _("Participant changed")
    PARTICIPANT_EXPORTED = "participant.exported", _("Participant's data exported")
    PARTICIPANT_ERASED = "participant.erased", _("Participant erased")
    ENROLMENT_CREATED = "enrolment.created", _("Enrolled by staff")
    ENROLMENT_CHANGED = "enrolment.changed", _("Enrolment changed by staff")
    REPORT_EXPORTED = "report.exported", _("Report exported")
    MESSAGE_SENT = "message.sent", _("Message sent to people")


class AuditEntry(models.Model):
    """Who on the staff did what to whose data, and when. Holds ids and field names, never the
    personal data itself, so it may outlive an erasure."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    target_type = models.CharField(_("object type"), max_length=32)
    target_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["participant", "at"], name="audit_participant")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'}: {self.get_action_display()}"
