"""Funders' figures of consultations booked in slots, for centres (or a network) over a period,
with small counts suppressed as in the rest of the report (`courses.suppression`).

- consultations held (appointments marked attended) by kind (the course's `specialty`: legal,
  psychological, tax...; a consultation with none recorded is "kind not recorded") and by
  language; no-shows beside;
- interpreter hours: the length of the attended appointments held with an interpreter (hidden
  where the number of those appointments is itself hidden: the hours would tell it);
- unique people: people with at least one attended appointment (rows of the same phone in
  several centres are one person, as in `courses.selectors.funder_report`).

An appointment counts in the period when it starts within the period's local days of its
centre. Two queries whatever the number of appointments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext

from appointments.languages import CONSULTATION_LANGUAGES
from appointments.models import Appointment, AppointmentStatus
from courses.models import Centre, Course, Specialty
from courses.selectors.periods import Period
from courses.suppression import Cell, cell, safe_order, suppress

LANGUAGE_NAMES = dict(CONSULTATION_LANGUAGES)
MARKED = (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)


@dataclass(frozen=True)
class ConsultationRow:
    key: str  # the specialty ("" when none is recorded)
    label: str
    held: Cell
    no_shows: Cell


@dataclass(frozen=True)
class LanguageRow:
    key: str
    label: str
    held: Cell
    with_interpreter: Cell
    minutes: int  # interpreter minutes (shown only when `with_interpreter` is shown)

    @property
    def interpreter_hours(self) -> float | None:
        if self.with_interpreter.suppressed:
            return None
        return round(self.minutes / 60, 2)


@dataclass
class ConsultationReport:
    min_count: int
    by_kind: list[ConsultationRow]
    by_language: list[LanguageRow]
    held: Cell
    no_shows: Cell
    people: Cell
    with_interpreter: Cell
    interpreter_minutes: int

    @property
    def interpreter_hours(self) -> float | None:
        """Hidden (None) when the consultations with an interpreter are a small count: their
        hours would tell it."""
        if self.with_interpreter.suppressed:
            return None
        return round(self.interpreter_minutes / 60, 2)

    @property
    def empty(self) -> bool:
        return not self.by_kind


def _kind_label(key: str) -> str:
    if key in Specialty.values:
        return str(Specialty(key).label)
    return gettext("Kind not recorded")


def in_period_q(centres: Sequence[Centre], period: Period, prefix: str = "") -> Q:
    """Appointments of `centres` starting within `period` in each centre's own time zone."""
    by_zone: dict[str, list[int]] = defaultdict(list)
    for centre in centres:
        by_zone[centre.timezone].append(centre.pk)
    where = Q(pk__in=[])
    for zone, ids in by_zone.items():
        start, end = period.bounds(ZoneInfo(zone))
        where |= Q(
            **{
                f"{prefix}course__centre_id__in": ids,
                f"{prefix}starts_at__gte": start,
                f"{prefix}starts_at__lt": end,
            }
        )
    return where


def consultation_report(
    *,
    centres: Sequence[Centre],
    period: Period,
    now: datetime | None = None,
    min_count: int | None = None,
) -> ConsultationReport:
    """The consultations' figures for `centres` over `period` (see the module)."""
    del now  # marked appointments have started: the period alone decides
    min_count = min_count if min_count is not None else settings.REPORT_MIN_COUNT
    rows = list(
        Appointment.objects.filter(in_period_q(centres, period), status__in=MARKED)
        .order_by()
        .values_list(
            "course_id",
            "language",
            "status",
            "starts_at",
            "ends_at",
            "interpreter_id",
            "participant_id",
            "participant__phone",
        )
    )
    kinds = dict(
        Course.objects.filter(pk__in={row[0] for row in rows}).values_list("pk", "specialty")
    )
    held: dict[str, int] = defaultdict(int)
    missed: dict[str, int] = defaultdict(int)
    by_language: dict[str, int] = defaultdict(int)
    interpreted: dict[str, int] = defaultdict(int)
    minutes: dict[str, int] = defaultdict(int)
    people: set[str] = set()
    for course_id, language, status, starts, ends, interpreter_id, pk, phone in rows:
        kind = kinds.get(course_id, "")
        if status == AppointmentStatus.NO_SHOW:
            missed[kind] += 1
            continue
        held[kind] += 1
        by_language[language] += 1
        people.add(phone or f"#{pk}")
        if interpreter_id is not None:
            interpreted[language] += 1
            minutes[language] += int((ends - starts).total_seconds() // 60)
    kind_keys = sorted(set(held) | set(missed))
    kind_labels = [_kind_label(key) for key in kind_keys]
    held_cells = suppress([held[key] for key in kind_keys], min_count=min_count)
    missed_cells = suppress([missed[key] for key in kind_keys], min_count=min_count)
    by_kind = [
        ConsultationRow(key, kind_labels[i], held_cells[i], missed_cells[i])
        for i, key in enumerate(kind_keys)
    ]
    by_kind = [by_kind[i] for i in safe_order(held_cells, kind_labels)]
    codes = sorted(by_language, key=lambda code: LANGUAGE_NAMES.get(code, code))
    labels = [LANGUAGE_NAMES.get(code, code) for code in codes]
    language_cells = suppress([by_language[code] for code in codes], min_count=min_count)
    interpreted_cells = suppress([interpreted[code] for code in codes], min_count=min_count)
    languages = [
        LanguageRow(code, labels[i], language_cells[i], interpreted_cells[i], minutes[code])
        for i, code in enumerate(codes)
    ]
    languages = [languages[i] for i in safe_order(language_cells, labels)]
    return ConsultationReport(
        min_count=min_count,
        by_kind=by_kind,
        by_language=languages,
        held=cell(sum(held.values()), min_count=min_count),
        no_shows=cell(sum(missed.values()), min_count=min_count),
        people=cell(len(people), min_count=min_count),
        with_interpreter=cell(sum(interpreted.values()), min_count=min_count),
        interpreter_minutes=sum(minutes.values()),
    )
