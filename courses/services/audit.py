"""The audit log: staff actions on participants, enrolments and attendance (who, what, when).

Entries hold ids, field names and statuses, never names, phones or texts, so the log can be
kept after a person is erased."""

from __future__ import annotations

from typing import Any

from django.db import models

from courses import writes
from courses.models import AuditEntry, Centre, Participant
from courses.selectors.tenancy import as_user


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    centre: Centre | None = None,
    participant: Participant | None = None,
    detail: dict[str, Any] | None = None,
    system: bool = False,
) -> AuditEntry | None:
    """Record what a staff member or trainer did, or (`system`) what a periodic task did on its
    own; does nothing for anonymous actors (participants' own actions are recorded as
    enrolment changes)."""
    user = as_user(actor)
    if user is None and not system:
        return None
    entry = AuditEntry(
        actor=user,
        actor_name=user.get_username() if user is not None else "system",
        centre=centre,
        action=action,
        target_type=target._meta.model_name or "",
        target_id=target.pk,
        participant=participant,
        detail=detail or {},
    )
    writes.insert([entry])  # with the change's other rows, when written together
    return entry
