"""Participants: found by phone in a centre or added, their SMS consent and their personal link."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import signals, writes
from courses.countries import is_country
from courses.errors import (
    DomainError,
)
from courses.models import (
    AuditAction,
    Centre,
    ConsentSource,
    Participant,
    Sex,
)
from courses.models import new_participant_token as _new_participant_token
from courses.phones import normalise_mobile
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record
from courses.text import clean_line

# The version of the SMS consent text people are shown (forms.enrol and the desk); recorded
# with each consent. Raise it whenever that text changes.
SMS_CONSENT_TEXT_VERSION = "2026-12"
# The version of the privacy notice (templates/courses/privacy/notice.html, RODO/GDPR art. 13)
# shown with the enrolment form and the personal page; recorded with each consent and each
# self-enrolment. Raise it whenever the notice's text changes.
PRIVACY_NOTICE_VERSION = "2027-01"
OLDEST_BIRTH_YEAR = 1900


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
    # Optional answers for funders' statistics ("" / None: not given, or "prefer not to say").
    country_of_origin: str = ""
    birth_year: int | None = None
    sex: str = ""
    # The privacy notice the person was shown (PRIVACY_NOTICE_VERSION), "" when none was.
    privacy_notice_version: str = ""


def clean_name(name: str) -> str:
    """A person's name as typed, tidied (one space between words); refused when empty."""
    tidy = clean_line(name)[:200]  # no control, direction-override or zero-width characters
    if not tidy:
        raise DomainError(_("Enter your name."), field="name")
    return tidy


def clean_statistics(data: ParticipantData) -> ParticipantData:
    """The statistics answers checked: a country from the list, a year of birth that can be
    true, one of the sexes offered. Refused with the field named, before anything is stored."""
    country = (data.country_of_origin or "").strip().upper()
    if country and not is_country(country):
        raise DomainError(_("Choose a country from the list."), field="country_of_origin")
    this_year = timezone.localdate().year
    if data.birth_year is not None and not OLDEST_BIRTH_YEAR <= data.birth_year <= this_year:
        raise DomainError(
            _("Enter a year of birth between %(oldest)s and %(now)s.")
            % {"oldest": OLDEST_BIRTH_YEAR, "now": this_year},
            field="birth_year",
        )
    if data.sex and data.sex not in Sex.values:
        raise DomainError(_("Choose one of the answers offered."), field="sex")
    return replace(data, country_of_origin=country)


def _statistics(data: ParticipantData) -> dict[str, Any]:
    """The answers given (a skipped question leaves what the centre already knows)."""
    answers: dict[str, Any] = {
        "country_of_origin": data.country_of_origin,
        "birth_year": data.birth_year,
        "sex": data.sex,
        "privacy_notice_version": data.privacy_notice_version,
    }
    return {name: value for name, value in answers.items() if value not in ("", None)}


def _by_phone(centre: int, phone: str) -> QuerySet[Participant]:
    return Participant.objects.filter(centre=centre, phone=phone).order_by()


def participant_upsert(
    *, centre: Centre, data: ParticipantData, actor: Actor = None, via: str = ""
) -> Participant:
    """Find the person by phone in this centre, or add them. A repeated sign-up never makes a
    second person; it records a newly given SMS consent and the language now preferred. A
    person added by staff (`actor`) is in the audit log, with `via` (desk, api, walk_in)."""
    phone = normalise_mobile(data.phone, data.country)
    name = clean_name(data.name)
    data = clean_statistics(data)
    if data.language and data.language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError(_("Choose one of the languages offered."), field="language")
    now = timezone.now()
    candidate = Participant(
        centre=centre,
        phone=phone,
        name=name[:200],
        language=data.language or "pl",
        email=data.email,
        sms_consent=data.sms_consent,
        sms_consent_at=now if data.sms_consent else None,
        **(_consent_record(data) if data.sms_consent else {}),
        **_statistics(data),
    )
    # No savepoint of its own: INSERT ... ON CONFLICT DO NOTHING and the row read, in one
    # statement: the one just added or one already there; read again when a request at the
    # same moment added it (the statement could not see it yet).
    with transaction.atomic(savepoint=False):
        participant = (
            cast(
                Participant | None,
                writes.added_or_found(candidate, _by_phone, centre=centre.pk, phone=phone),
            )
            or _by_phone(centre.pk, phone).get()
        )
        participant.centre = centre
        created = participant.token == candidate.token  # a fresh random token is ours alone
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
            for field, value in _statistics(data).items():
                if getattr(participant, field) != value:
                    setattr(participant, field, value)
                    changed.append(field)
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
        if given:  # the personal page shows the privacy notice beside the switch
            participant.privacy_notice_version = PRIVACY_NOTICE_VERSION
        participant.save(
            update_fields=[
                "sms_consent",
                "sms_consent_at",
                "sms_consent_source",
                "sms_consent_text",
                "privacy_notice_version",
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


@dataclass(frozen=True)
class ParticipantDetails:
    """What staff may change on a person's page; "" / None in a statistics answer is "prefers
    not to say" (funders' reports count it as unknown)."""

    name: str
    phone: str
    language: str
    email: str = ""
    country_of_origin: str = ""
    birth_year: int | None = None
    sex: str = ""


def participant_update(
    *, participant: Participant, details: ParticipantDetails, actor: Actor
) -> list[str]:
    """Staff change a person's details: the phone is normalised (read as Polish without a +),
    the answers checked as on the enrolment form, and another person's number in the same
    centre refused. Returns the names of the fields changed; the audit entry names them, never
    their values. Nothing is saved when anything is refused."""
    if participant.erased_at is not None:
        raise DomainError(_("This person was erased: there is nothing left to change."))
    phone = normalise_mobile(details.phone, "PL")
    name = clean_name(details.name)
    answers = clean_statistics(
        ParticipantData(
            name=name,
            phone=phone,
            country_of_origin=details.country_of_origin,
            birth_year=details.birth_year,
            sex=details.sex,
        )
    )
    if details.language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError(_("Choose one of the languages offered."), field="language")
    email = details.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(_("Enter a valid e-mail address."), field="email") from exc
    wanted = {
        "name": name,
        "phone": phone,
        "language": details.language,
        "email": email,
        "country_of_origin": answers.country_of_origin,
        "birth_year": answers.birth_year,
        "sex": answers.sex,
    }
    taken = DomainError(_("Another person of this centre has this phone number."), field="phone")
    with transaction.atomic():
        person = Participant.objects.select_for_update().get(pk=participant.pk)
        changed = [field for field, value in wanted.items() if getattr(person, field) != value]
        if not changed:
            return []
        if (
            "phone" in changed
            and Participant.objects.filter(centre_id=person.centre_id, phone=phone)
            .exclude(pk=person.pk)
            .exists()
        ):
            raise taken
        for field in changed:
            setattr(person, field, wanted[field])
        try:
            with transaction.atomic():
                person.save(update_fields=[*changed, "updated_at"])
        except IntegrityError as exc:  # the same number given to someone else just now
            raise taken from exc
        audit_record(
            actor=actor,
            action=AuditAction.PARTICIPANT_CHANGED,
            target=person,
            centre=person.centre,
            participant=person,
            detail={"fields": sorted(changed)},
        )
    for field in changed:
        setattr(participant, field, wanted[field])
    return changed
