"""Participants: found by phone in a centre or added, their SMS consent and their personal link."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import signals
from courses.errors import (
    DomainError,
)
from courses.models import (
    AuditAction,
    Centre,
    ConsentSource,
    Participant,
)
from courses.models import new_participant_token as _new_participant_token
from courses.phones import normalise_mobile
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record
from courses.text import clean_line

# The version of the SMS consent text people are shown (forms.enrol and the desk); recorded
# with each consent. Raise it whenever that text changes.
SMS_CONSENT_TEXT_VERSION = "2026-12"


@dataclass(frozen=True)
class ParticipantData:
    """What a person (or staff at the desk) gives: the phone is raw input, read in `country`."""

    name: str
    phone: str
    country: str = "PL"
    language: str = "pl"
    sms_consent: bool = False
    email: str = ""
    # How a consent given here was given (ConsentSource): a proven code, the desk, the door...
    consent_source: str = ""


def clean_name(name: str) -> str:
    """A person's name as typed, tidied (one space between words); refused when empty."""
    tidy = clean_line(name)[:200]  # no control, direction-override or zero-width characters
    if not tidy:
        raise DomainError(_("Enter your name."), field="name")
    return tidy


def participant_upsert(
    *, centre: Centre, data: ParticipantData, actor: Actor = None, via: str = ""
) -> Participant:
    """Find the person by phone in this centre, or add them. A repeated sign-up never makes a
    second person; it records a newly given SMS consent and the language now preferred. A
    person added by staff (`actor`) is in the audit log, with `via` (desk, api, walk_in)."""
    phone = normalise_mobile(data.phone, data.country)
    name = clean_name(data.name)
    if data.language and data.language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError(_("Choose one of the languages offered."), field="language")
    now = timezone.now()
    with transaction.atomic():
        participant, created = Participant.objects.get_or_create(
            centre=centre,
            phone=phone,
            defaults={
                "name": name[:200],
                "language": data.language or "pl",
                "email": data.email,
                "sms_consent": data.sms_consent,
                "sms_consent_at": now if data.sms_consent else None,
                **(_consent_record(data) if data.sms_consent else {}),
            },
        )
        if created:
            audit_record(
                actor=actor,
                action=AuditAction.PARTICIPANT_CREATED,
                target=participant,
                centre=centre,
                participant=participant,
                detail={"via": via} if via else {},
            )
        else:
            changed = []
            if data.sms_consent and not participant.sms_consent:
                participant.sms_consent, participant.sms_consent_at = True, now
                for name, value in _consent_record(data).items():
                    setattr(participant, name, value)
                changed += ["sms_consent", "sms_consent_at", *_consent_record(data)]
            if data.language and data.language != participant.language:
                participant.language = data.language
                changed.append("language")
            if changed:
                participant.save(update_fields=[*changed, "updated_at"])
    return participant


def _consent_record(data: ParticipantData) -> dict[str, str]:
    return {
        "sms_consent_source": data.consent_source,
        "sms_consent_text": SMS_CONSENT_TEXT_VERSION,
    }


def participant_sms_consent(*, participant: Participant, given: bool) -> Participant:
    """Give or withdraw SMS consent (as easy to withdraw as to give); announced so the outbox
    can lift a STOP given by SMS too."""
    with transaction.atomic():
        participant.sms_consent = given
        participant.sms_consent_at = timezone.now() if given else None
        participant.sms_consent_source = ConsentSource.PERSONAL_PAGE if given else ""
        participant.sms_consent_text = SMS_CONSENT_TEXT_VERSION if given else ""
        participant.save(
            update_fields=[
                "sms_consent",
                "sms_consent_at",
                "sms_consent_source",
                "sms_consent_text",
                "updated_at",
            ]
        )
        signals.sms_consent_changed.send(sender=Participant, participant=participant, given=given)
    return participant


def participant_new_token(*, participant: Participant) -> Participant:
    """A new personal link; the old one (page and calendar feed) stops working at once."""
    participant.token = _new_participant_token()
    participant.save(update_fields=["token", "updated_at"])
    return participant


def participant_save(*, participant: Participant, fields: list[str], actor: Actor) -> Participant:
    """Staff add a person or change their details by hand; the audit entry names the fields,
    never their values."""
    created = participant.pk is None
    participant.name = clean_line(participant.name)
    with transaction.atomic():
        participant.save()
        if created or fields:
            audit_record(
                actor=actor,
                action=AuditAction.PARTICIPANT_CREATED
                if created
                else AuditAction.PARTICIPANT_CHANGED,
                target=participant,
                centre=participant.centre,
                participant=participant,
                detail={"fields": sorted(fields)},
            )
    return participant
