"""A participant's rights over their data: export everything held about them, erase them, and
anonymise people who have not taken part for PRIVACY_RETENTION_MONTHS.

The core builds its own part and asks the apps above it (notifications) through signals in
`courses.signals`, so it never imports them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from courses import signals
from courses.models import (
    ACTIVE_STATUSES,
    ERASED_NAME,
    Attendance,
    AuditAction,
    Enrolment,
    Participant,
    PartyMember,
    new_participant_token,
)
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record
from courses.services.enrolment import enrolment_cancel
from scheduling.models import SessionStatus

EXPORT_FORMAT = 1
RETENTION_CHUNK = 500


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _participant_section(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.pk,
        "centre": participant.centre.name,
        "name": participant.name,
        "phone": participant.phone,
        "email": participant.email,
        "language": participant.language,
        "sms_consent": participant.sms_consent,
        "sms_consent_at": _iso(participant.sms_consent_at),
        "country_of_origin": participant.country_of_origin,
        "birth_year": participant.birth_year,
        "sex": participant.sex,
        "created_at": _iso(participant.created_at),
        "updated_at": _iso(participant.updated_at),
    }


def _enrolments_section(participant: Participant) -> list[dict[str, Any]]:
    enrolments = (
        Enrolment.objects.filter(participant=participant)
        .select_related("course", "session")
        .prefetch_related("events", "party")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": e.pk,
            "course": str(e.course.title),
            "session_starts_at": _iso(e.session.starts_at) if e.session else None,
            "status": e.status,
            "source": e.source,
            "offer_expires_at": _iso(e.offer_expires_at),
            "priority": e.priority,
            "priority_reason": e.priority_reason,
            "cancel_reason": e.cancel_reason,
            # A household: the places, whether the person attends, and the others it covers.
            "places": e.places,
            "attending": e.attending,
            "party": [
                {
                    "name": m.name,
                    "birth_year": m.birth_year,
                    "status": m.status,
                    "parent_consent_at": _iso(m.consent_at),
                    "consent_text_version": m.consent_text,
                }
                for m in e.party.all()
            ],
            "created_at": _iso(e.created_at),
            "updated_at": _iso(e.updated_at),
            # Who on the staff made a change is the staff member's data, not the person's.
            "events": [
                {"at": _iso(ev.at), "from": ev.from_status, "to": ev.to_status, "by": ev.actor_kind}
                for ev in e.events.all()
            ],
        }
        for e in enrolments
    ]


def _attendance_section(participant: Participant) -> list[dict[str, Any]]:
    marks = (
        Attendance.objects.filter(participant=participant)
        .select_related("session__course", "member")
        .order_by("session__starts_at", "pk")
    )
    return [
        {
            "session_starts_at": _iso(m.session.starts_at),
            "course": str(m.session.course.title),
            "status": m.status,
            "walk_in": m.walk_in,
            "marked_at": _iso(m.marked_at),
            "person_in_booking": m.member.name if m.member is not None else None,
        }
        for m in marks
    ]


def participant_export(*, participant: Participant, actor: Actor = None) -> dict[str, Any]:
    """Everything held about a person, as JSON-ready data: their fields, enrolments with every
    change, attendance marks, and the sections the apps above the core add (their SMS and
    opt-out state). The personal-link token is left out: the file may be passed around, the
    link must not. An export by staff is recorded in the audit log."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": _iso(timezone.now()),
        "participant": _participant_section(participant),
        "enrolments": _enrolments_section(participant),
        "attendance": _attendance_section(participant),
    }
    responses = signals.participant_export_requested.send(
        sender=Participant, participant=participant
    )
    for _receiver, sections in responses:
        if isinstance(sections, dict):
            data.update(sections)
    audit_record(
        actor=actor,
        action=AuditAction.PARTICIPANT_EXPORTED,
        target=participant,
        centre=participant.centre,
        participant=participant,
        detail={"sections": sorted(data)},
    )
    return data


def participant_erase(
    *, participant: Participant, actor: Actor = None, reason: str = "request"
) -> Participant:
    """Erase a person (on their request, by staff, or by retention), in one transaction.

    1. Their active enrolments are cancelled through the enrolment services, so freed seats go
       to the head of the waitlist as with any cancellation.
    2. Name, phone, e-mail, SMS consent and staff's reasons on their places (priority,
       cancellation) are removed, the personal link is replaced (the old
       one, page and calendar feed, stops working) and `erased_at` is set. The names of the
       people their bookings covered (their party: children, others) are removed with theirs.
    3. `participant_erased` is sent, so the apps above the core remove what they hold (the
       outbox texts, phones and contexts; messages still to go are cancelled).

    Kept on purpose: country of origin, sex and year of birth (also the party's years of
    birth, with their attendance marks), because funders' reports count them, and only
    anonymously: without name, phone, e-mail or link nobody can tell whose they are. The row
    itself, its enrolments (with their changes) and attendance marks stay too, so the counts
    of sessions, seats and unique participants stay right. The audit entry holds ids and the
    reason only. Erasing an erased person changes nothing.
    """
    with transaction.atomic():
        # "No key" update: enrolling holds a key-share lock on the person; they must not clash.
        person = (
            Participant.objects.select_for_update(of=("self",), no_key=True)
            .select_related("centre")
            .get(pk=participant.pk)
        )
        if person.erased_at is not None:
            return person
        active = list(
            Enrolment.objects.filter(participant=person, status__in=ACTIVE_STATUSES).order_by("pk")
        )
        for item in active:
            enrolment_cancel(enrolment=item, actor=actor, by_system=reason == "retention")
        person.name = ""
        person.phone = ""
        person.email = ""
        person.sms_consent = False
        person.sms_consent_at = None
        person.token = new_participant_token()
        person.erased_at = timezone.now()
        person.save(
            update_fields=[
                "name",
                "phone",
                "email",
                "sms_consent",
                "sms_consent_at",
                "token",
                "erased_at",
                "updated_at",
            ]
        )
        # Staff's reasons for a priority or a cancellation may say something about the person.
        Enrolment.objects.filter(participant=person).update(priority_reason="", cancel_reason="")
        PartyMember.objects.filter(enrolment__participant=person).update(name="")
        _redact_admin_log(person)
        signals.participant_erased.send(
            sender=Participant, participant=person, actor=actor, reason=reason
        )
        audit_record(
            actor=actor,
            action=AuditAction.PARTICIPANT_ERASED,
            target=person,
            centre=person.centre,
            participant=person,
            detail={"reason": reason, "enrolments_cancelled": [e.pk for e in active]},
            system=reason == "retention",
        )
    return person


def _redact_admin_log(person: Participant) -> None:
    """The admin's history ("Recent actions") names objects as they were shown: the person and
    their enrolments keep their entries, without the name and phone."""
    participant_type = ContentType.objects.get_for_model(Participant)
    enrolment_type = ContentType.objects.get_for_model(Enrolment)
    enrolment_ids = [str(pk) for pk in person.enrolments.values_list("pk", flat=True)]
    LogEntry.objects.filter(
        Q(content_type=participant_type, object_id=str(person.pk))
        | Q(content_type=enrolment_type, object_id__in=enrolment_ids)
    ).update(object_repr=str(ERASED_NAME), change_message="")


def participants_inactive(
    *, before: datetime, now: datetime | None = None
) -> QuerySet[Participant]:
    """People not erased whose last activity (added, an enrolment changed, an attendance mark)
    is older than `before`, and who hold no place in a course or session not over yet; one
    query whatever their number."""
    before_now = now or timezone.now()
    last_enrolment = Subquery(
        Enrolment.objects.filter(participant=OuterRef("pk"))
        .order_by("-updated_at")
        .values("updated_at")[:1],
        output_field=DateTimeField(),
    )
    last_mark = Subquery(
        Attendance.objects.filter(participant=OuterRef("pk"))
        .order_by("-marked_at")
        .values("marked_at")[:1],
        output_field=DateTimeField(),
    )
    # A place still to be used (a course or session not over yet) keeps a person, however long
    # ago it was taken.
    holds_place = Enrolment.objects.filter(
        participant=OuterRef("pk"), status__in=ACTIVE_STATUSES
    ).filter(
        Q(session__isnull=False, session__ends_at__gte=before_now)
        | Q(
            session__isnull=True,
            course__sessions__status=SessionStatus.SCHEDULED,
            course__sessions__ends_at__gte=before_now,
        )
    )
    return (
        Participant.objects.filter(erased_at__isnull=True)
        .exclude(Exists(holds_place))
        .annotate(
            last_activity=Greatest(
                "created_at",
                Coalesce(last_enrolment, "created_at"),
                Coalesce(last_mark, "created_at"),
            )
        )
        .filter(last_activity__lt=before)
        .order_by("pk")
    )


def participants_retention(*, now: datetime | None = None) -> int:
    """Erase (reason "retention") everyone inactive for PRIVACY_RETENTION_MONTHS months
    (0: never). Each erasure is its own transaction. Returns how many were erased."""
    months = settings.PRIVACY_RETENTION_MONTHS
    if months <= 0:
        return 0
    now = now or timezone.now()
    before = now - relativedelta(months=months)
    ids = list(participants_inactive(before=before, now=now).values_list("pk", flat=True))
    for start in range(0, len(ids), RETENTION_CHUNK):
        chunk = ids[start : start + RETENTION_CHUNK]
        for person in Participant.objects.filter(pk__in=chunk).order_by("pk"):
            participant_erase(participant=person, actor=None, reason="retention")
    return len(ids)
