"""The workspace's writes about who consults in which language: an interpreter with their duty
hours (saved together, so the hours never belong to half an edit), and a specialist's
languages. Each owns its transaction and writes its audit row (field names, never the texts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from appointments.languages import LANGUAGE_CODES, language_codes
from appointments.models import Interpreter, InterpreterHours, SpecialistLanguage
from courses.errors import DomainError
from courses.models import Centre
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record
from courses.text import clean_line

INTERPRETER_SAVED = "interpreter.saved"
SPECIALIST_LANGUAGES = "specialist.languages"
INTERPRETER_FIELDS = ("centre", "name", "phone", "email", "languages", "active", "note")


@dataclass(frozen=True)
class HoursData:
    """One row of an interpreter's duty hours as typed: a weekday at a centre, local times."""

    centre: Centre
    weekday: int
    starts_at: time
    ends_at: time
    valid_from: date | None = None
    valid_until: date | None = None


def _in_network(home: Centre, centre: Centre) -> bool:
    return home.pk == centre.pk or bool(home.network and home.network == centre.network)


def _check_hours(home: Centre, hours: Sequence[HoursData]) -> None:
    for row in hours:
        if not _in_network(home, row.centre):
            raise DomainError(_("The centre is not in the interpreter's network."), field="hours")
        if not 0 <= row.weekday <= 6:  # Monday 0 to Sunday 6
            raise DomainError(_("Choose a weekday."), field="hours")
        if row.ends_at <= row.starts_at:
            raise DomainError(_("The hours end after they start."), field="hours")
        if row.valid_from and row.valid_until and row.valid_until < row.valid_from:
            raise DomainError(_("The last day is before the first."), field="hours")


def interpreter_save(
    *, interpreter: Interpreter, hours: Sequence[HoursData], actor: Actor
) -> Interpreter:
    """Save an interpreter (new or changed, its fields set by the caller) and replace their duty
    hours with `hours`, in one transaction. Languages are kept as known codes, once each, and
    at least one is needed; hours must be at a centre of the interpreter's network. Their
    appointments already booked keep them (hours only decide what is offered next)."""
    interpreter.name = clean_line(interpreter.name)[:200]
    interpreter.languages = ",".join(language_codes(interpreter.languages))
    if not interpreter.name:
        raise DomainError(_("Enter the name."), field="name")
    if not interpreter.languages:
        raise DomainError(_("Choose at least one language."), field="languages")
    _check_hours(interpreter.centre, hours)
    creating = interpreter.pk is None
    with transaction.atomic():
        before = {}
        if not creating:
            old = Interpreter.objects.select_for_update().get(pk=interpreter.pk)
            before = {name: getattr(old, name) for name in INTERPRETER_FIELDS}
        try:
            interpreter.full_clean()
        except ValidationError as error:
            first = next(iter(error.message_dict.items()))
            raise DomainError(first[1][0], field=first[0]) from error
        interpreter.save()
        kept = list(interpreter.hours.order_by("pk")) if not creating else []
        rows = [
            (r.centre.pk, r.weekday, r.starts_at, r.ends_at, r.valid_from, r.valid_until)
            for r in hours
        ]
        old_rows = [
            (h.centre_id, h.weekday, h.starts_at, h.ends_at, h.valid_from, h.valid_until)
            for h in kept
        ]
        hours_changed = sorted(rows, key=str) != sorted(old_rows, key=str)
        if hours_changed:
            interpreter.hours.all().delete()
            InterpreterHours.objects.bulk_create(
                InterpreterHours(
                    interpreter=interpreter,
                    centre=row.centre,
                    weekday=row.weekday,
                    starts_at=row.starts_at,
                    ends_at=row.ends_at,
                    valid_from=row.valid_from,
                    valid_until=row.valid_until,
                )
                for row in hours
            )
        changed = [
            name for name in INTERPRETER_FIELDS if before.get(name) != getattr(interpreter, name)
        ]
        audit_record(
            actor=actor,
            action=INTERPRETER_SAVED,
            target=interpreter,
            centre=interpreter.centre,
            detail={
                "created": creating,
                "fields": [] if creating else changed,
                "hours": len(hours) if hours_changed or creating else None,
            },
        )
    return interpreter


def specialist_languages_set(
    *, specialist: AuthUser, languages: Sequence[str], actor: Actor, centre: Centre | None = None
) -> list[str]:
    """Record the languages a specialist consults in (none: Polish, as for a centre's own
    staff). Unknown codes are refused; the list is replaced in one transaction."""
    unknown = [code for code in languages if code not in LANGUAGE_CODES]
    if unknown:
        raise DomainError(
            _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="languages",
        )
    wanted = list(dict.fromkeys(languages))
    with transaction.atomic():
        have = set(
            SpecialistLanguage.objects.select_for_update()
            .filter(user=specialist)
            .values_list("language", flat=True)
        )
        SpecialistLanguage.objects.filter(user=specialist).exclude(language__in=wanted).delete()
        SpecialistLanguage.objects.bulk_create(
            SpecialistLanguage(user=specialist, language=code)
            for code in wanted
            if code not in have
        )
        if have != set(wanted):
            audit_record(
                actor=actor,
                action=SPECIALIST_LANGUAGES,
                target=specialist,
                centre=centre,
                detail={"languages": sorted(wanted)},
            )
    return sorted(wanted)
