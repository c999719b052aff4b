"""Messages from the staff to the people of a course or a session: planned into the outbox at
once, one SMS per person in their language, sent by the dispatcher; recorded with its author."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import AuditAction, Course
from courses.selectors.tenancy import as_user
from courses.services.audit import audit_record
from notifications.audience import message_preview
from notifications.drafts import texts_clean
from notifications.models import MessageKind, OutboundMessage, StaffMessage
from scheduling.models import Session


@dataclass(frozen=True)
class SendResult:
    message: StaffMessage
    repeated: bool  # the same message was sent already: nothing was sent again

    def summary(self) -> dict[str, Any]:
        return {**self.message.summary, "id": self.message.pk, "repeated": self.repeated}


def message_key(
    *, course: Course, session: Session | None, audience: str, texts: dict[str, str]
) -> str:
    """What makes two requests the same message: the same texts to the same people on the
    same day (the centre's): a double click, or a client sending its request again, sends
    nothing twice."""
    day = timezone.localdate(timezone.now(), course.centre.tz)
    identity = {
        "course": course.pk,
        "session": session.pk if session is not None else None,
        "audience": audience,
        "texts": texts,
        "day": day.isoformat(),
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def _sent_already(key: str) -> StaffMessage | None:
    return StaffMessage.objects.filter(key=key).first()


def staff_message_send(
    *,
    actor: Any,
    course: Course,
    audience: str,
    text: str,
    texts: dict[str, str] | None = None,
    session: Session | None = None,
) -> SendResult:
    """Plan the message to each person of the audience who may get an SMS (consent given,
    number not opted out), once per person, and record it with its author; the dispatcher is
    woken after the commit. The same request again (see `message_key`) sends nothing and gives
    the first one back. ValidationError by field for a text that cannot go, or a session of
    another course."""
    cleaned = texts_clean(text, texts)
    if session is not None and session.course_id != course.pk:
        raise ValidationError({"session": [_("This session is not one of the course's.")]})
    key = message_key(course=course, session=session, audience=audience, texts=cleaned)
    if (earlier := _sent_already(key)) is not None:
        return SendResult(earlier, repeated=True)
    user = as_user(actor)
    try:
        with transaction.atomic():
            preview = message_preview(
                course=course, session=session, audience=audience, texts=cleaned
            )
            message = StaffMessage.objects.create(
                course=course,
                session=session,
                audience=audience,
                texts=cleaned,
                summary=preview.summary(),
                recipients=preview.total,
                author=user,
                author_name=user.get_username() if user is not None else "",
                key=key,
            )
            _plan(message, preview.recipients, session)
            audit_record(
                actor=actor,
                action=AuditAction.MESSAGE_SENT,
                target=course,
                centre=course.centre,
                detail={
                    "staff_message": message.pk,
                    "session": session.pk if session is not None else None,
                    "audience": audience,
                    "recipients": preview.total,
                    "languages": sorted(cleaned),
                },
            )
    except IntegrityError:
        # The same request, at the same moment, got there first (the key is unique).
        earlier = _sent_already(key)
        if earlier is None:
            raise
        return SendResult(earlier, repeated=True)
    transaction.on_commit(
        lambda: current_app.send_task("notifications.tasks.dispatch"), robust=True
    )
    return SendResult(message, repeated=False)


def _plan(message: StaffMessage, recipients: list[Any], session: Session | None) -> None:
    """One outbox row per person: the texts go in its context, and the dispatcher picks the
    person's language when it sends. About one session: pointless once it is over."""
    now = timezone.now()
    expires_at = session.ends_at if session is not None and session.ends_at > now else None
    context = {"texts": message.texts, "course_id": message.course_id}
    OutboundMessage.objects.bulk_create(
        OutboundMessage(
            kind=MessageKind.STAFF_MESSAGE,
            participant=enrolment.participant,
            enrolment=enrolment,
            session=session,
            staff_message=message,
            dedupe_key=f"{MessageKind.STAFF_MESSAGE}:p{enrolment.participant_id}:m{message.pk}",
            due_at=now,
            expires_at=expires_at,
            context=context,
        )
        for enrolment in recipients
    )
