"""Corrections to when a place began: a place taken on paper (at the desk before the system was
used, or while it was down) is typed in later and dated from when it was really confirmed, so
the register and the course report expect the person from then on, not from the typing."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.errors import DomainError
from courses.models import AuditAction, Enrolment, EnrolmentStatus
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record


def enrolment_confirmed_since(*, enrolment: Enrolment, at: datetime, actor: Actor) -> Enrolment:
    """Date a confirmed place from `at`, earlier than recorded (never later, never in the
    future); in the audit log with both times."""
    with transaction.atomic():
        place = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
        if place.status != EnrolmentStatus.CONFIRMED or place.confirmed_at is None:
            raise DomainError(_("Only a confirmed place can be dated back."))
        if timezone.is_naive(at) or at > timezone.now() or at > place.confirmed_at:
            raise DomainError(
                _("A place can only be dated back, to a time that has passed."), field="at"
            )
        before = place.confirmed_at
        place.confirmed_at = at
        place.save(update_fields=["confirmed_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_CHANGED,
            target=place,
            centre=place.course.centre,
            participant=place.participant,
            detail={
                "fields": ["confirmed_at"],
                "from": before.isoformat(),
                "to": at.isoformat(),
            },
        )
    return place
