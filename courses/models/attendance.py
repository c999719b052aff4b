"""Marks on a session's register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.people import Participant


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    """One person's mark on the register of one session. A walk-in came without a booking."""

    session = models.ForeignKey(
        "scheduling.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    # A person of a booking's party (courses.models.party): marked on their own row, next to
    # the booking person's (member empty).
    member = models.ForeignKey(
        "courses.PartyMember",
        verbose_name=_("person in the booking"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance",
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    # When the mark was made on the trainer's phone (a mark queued offline keeps its time, so
    # an older mark arriving late never overwrites a newer one).
    marked_at = models.DateTimeField(_("marked at"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance")
        ordering = ["session", "participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                condition=models.Q(member__isnull=True),
                name="attendance_one_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "member"],
                condition=models.Q(member__isnull=False),
                name="attendance_one_per_member",
            ),
        ]
        indexes = [
            models.Index(fields=["participant", "status"], name="attendance_person"),
            models.Index(fields=["session", "status"], name="attendance_session"),
        ]

    def __str__(self) -> str:
        who = self.member if self.member_id else self.participant
        return f"{who} – {self.get_status_display()}"
