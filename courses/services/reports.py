"""Writes around reports: the audit row recorded for every report export."""

from __future__ import annotations

from typing import Any

from courses.models import AuditAction, AuditEntry, Centre, Course
from courses.services.audit import audit_record


def report_export_record(
    *, actor: Any, target: Centre | Course, fmt: str, detail: dict[str, Any]
) -> AuditEntry | None:
    """Record that `actor` exported a report on `target` (a centre for the funders' report, a
    course for its attendance) as `fmt` ("csv" or "xlsx"); `detail` says which report and
    for what (ids and dates only)."""
    centre = target if isinstance(target, Centre) else target.centre
    return audit_record(
        actor=actor,
        action=AuditAction.REPORT_EXPORTED,
        target=target,
        centre=centre,
        detail={**detail, "format": fmt},
    )
