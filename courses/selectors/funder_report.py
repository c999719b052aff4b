"""Funders' figures for centres (or a network) over a period, with small counts suppressed.

Five queries whatever the number of participants and sessions: rows are fetched once (or
aggregated in the database) and counted in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from courses.models import (
    Attendance,
    AttendanceStatus,
    Centre,
    CourseKind,
    Participant,
    Sex,
)
from courses.phones import territory_names
from courses.selectors.periods import (
    Period,
    bucket_start,
    bucket_starts,
    held_sessions_q,
    timeline_unit,
)
from courses.suppression import Cell, cell, safe_order, suppress, suppress_part
from scheduling.models import Session, SessionStatus

# An appointment the person came to (`appointments.models.AppointmentStatus.ATTENDED`; read
# through the reverse relation, so the core imports no model of the app above it).
ATTENDED = "attended"

UNKNOWN = _("Unknown")
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-17", 0, 17),
    ("18-29", 18, 29),
    ("30-44", 30, 44),
    ("45-59", 45, 59),
    ("60+", 60, None),
)


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    sessions: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    count: Cell


@dataclass(frozen=True)
class TimelineRow:
    start: date  # the first day of the week (Monday) or month
    present: int


@dataclass
class FunderReport:
    centres: list[Centre]
    period: Period
    min_count: int
    kinds: list[KindRow]
    participants: Cell
    new_participants: Cell
    by_country: list[BreakdownRow]
    by_sex: list[BreakdownRow]
    by_age: list[BreakdownRow]
    timeline: list[TimelineRow]
    timeline_unit: str  # "week" or "month"

    @property
    def sessions_held(self) -> int:
        return sum(row.sessions for row in self.kinds)

    @property
    def minutes(self) -> int:
        return sum(row.minutes for row in self.kinds)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def present_marks(self) -> int:
        return sum(row.present for row in self.timeline)


@dataclass
class _Person:
    """One human across the centres: all their Participant rows (matched by phone)."""

    country: str = ""
    sex: str = ""
    birth_year: int | None = None
    first_present: datetime | None = None
    tz: ZoneInfo | None = None

    def take(self, country: str, sex: str, birth_year: int | None) -> None:
        self.country = self.country or country
        self.sex = self.sex or sex
        self.birth_year = self.birth_year or birth_year

    def seen(self, at: datetime | None) -> None:
        if at is not None and (self.first_present is None or at < self.first_present):
            self.first_present = at


def centre_slugs_exist(slugs: Sequence[str]) -> bool:
    """Whether any centre at all (managed by the user or not) has one of `slugs`."""
    return Centre.objects.filter(slug__in=slugs).exists()


def network_exists(name: str) -> bool:
    """Whether any centre at all (managed by the user or not) is in the network `name`."""
    return Centre.objects.filter(network=name).exists()


def funder_report(
    *,
    centres: Sequence[Centre],
    period: Period,
    now: datetime | None = None,
    min_count: int | None = None,
) -> FunderReport:
    """What funders ask for, for `centres` over `period`, in five queries:

    - sessions held and hours delivered, by course kind;
    - unique participants: people with at least one `present` mark at a held session in the
      period (walk-ins included; erased people included, anonymously). The same person has one
      row per centre; across centres rows with the same phone are one person (erased rows,
      which have no phone, count by themselves); each person of a booking's party (a child
      marked on their own row) counts by themselves, in their age band; a person who came to
      a consultation (an appointment marked attended, `appointments`) took part too;
    - new participants: those whose first present mark or attended appointment ever in these
      centres is in the period;
    - participants by country of origin, sex and age band (age reached in the period's last
      year, from the year of birth);
    - present marks per week (periods up to 92 days) or per month, for the chart.

    Counts of people from 1 to `min_count`−1 (default REPORT_MIN_COUNT) are suppressed, with
    complementary suppression in each breakdown (see `courses.suppression`); sessions and hours
    are not counts of people and are shown as they are.
    """
    now = now or timezone.now()
    min_count = min_count if min_count is not None else settings.REPORT_MIN_COUNT
    centres = list(centres)
    zones = {centre.pk: centre.tz for centre in centres}

    # 1. Held sessions with their present marks: kinds, hours and the chart's buckets.
    present = AttendanceStatus.PRESENT
    sessions = list(
        Session.objects.filter(held_sessions_q(centres, period=period, now=now))
        .annotate(present=Count("attendance", filter=Q(attendance__status=present)))
        .values_list("starts_at", "ends_at", "course__kind", "course__centre_id", "present")
    )
    sessions_by_kind: dict[str, int] = defaultdict(int)
    minutes_by_kind: dict[str, int] = defaultdict(int)
    for starts_at, ends_at, kind, _centre, _present in sessions:
        sessions_by_kind[kind] += 1
        minutes_by_kind[kind] += int((ends_at - starts_at).total_seconds() // 60)
    kinds = [
        KindRow(kind, str(label), sessions_by_kind[kind], minutes_by_kind[kind])
        for kind, label in CourseKind.choices
        if sessions_by_kind[kind]
    ]

    unit = timeline_unit(period)
    buckets: dict[date, int] = {start: 0 for start in bucket_starts(period, unit)}
    for starts_at, _ends, _kind, centre_id, marks in sessions:
        day = starts_at.astimezone(zones[centre_id]).date()
        buckets[bucket_start(day, unit)] += marks
    timeline = [TimelineRow(start, n) for start, n in sorted(buckets.items())]

    # 2. Who was present in the period (one scan of the period's marks).
    held_marks = held_sessions_q(centres, period=period, now=now, prefix="session__")
    ids = [centre.pk for centre in centres]
    # A person of a booking's party (a child) is marked on a row of their own (`member`): they
    # count as a person by themselves, with their year of birth, never as the booking person.
    came: set[int] = set()
    party: dict[str, tuple[int | None, int]] = {}  # child -> (year of birth, centre)
    for pk, phone, name, birth_year, centre_id in (
        Attendance.objects.filter(held_marks, status=present)
        .order_by()
        .values_list(*PARTY_KEY, "session__course__centre_id")
        .distinct()
    ):
        if name is None:
            came.add(pk)
        else:
            party[_child(pk, phone, name, birth_year)] = (birth_year, centre_id)
    # 3. Who came before the period: their first present mark before it starts (only the
    # marks before the period are read; someone with none is new).
    latest_start = max(period.bounds(tz)[0] for tz in zones.values())
    earlier: dict[int, datetime] = {}
    earlier_party: dict[str, datetime] = {}
    for pk, phone, name, birth_year, first in (
        Attendance.objects.filter(
            participant__centre_id__in=ids,
            status=present,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__lt=latest_start,
        )
        .order_by()
        .values(*PARTY_KEY)
        .annotate(first=Min("session__starts_at"))
        .values_list(*PARTY_KEY, "first")
    ):
        if name is None:
            earlier[pk] = first
        else:
            key = _child(pk, phone, name, birth_year)
            earlier_party[key] = min(first, earlier_party.get(key, first))
    # 3b. Who came to a consultation (an appointment marked attended, in a session held): in
    # the period they took part, and the first such appointment before it counts as earlier.
    attended = Q(appointments__status=ATTENDED)
    for pk, during, first in (
        Participant.objects.filter(
            held_sessions_q(centres, period=None, now=now, prefix="appointments__session__"),
            appointments__status=ATTENDED,
        )
        .order_by()
        .values("pk")
        .annotate(
            during=Count(
                "appointments",
                filter=attended
                & held_sessions_q(
                    centres, period=period, now=now, prefix="appointments__session__"
                ),
            ),
            first=Min(
                "appointments__starts_at",
                filter=attended & Q(appointments__starts_at__lt=latest_start),
            ),
        )
        .values_list("pk", "during", "first")
    ):
        if during:
            came.add(pk)
        if first is not None:
            earlier[pk] = min(first, earlier.get(pk, first))
    # 4. These centres' people (no join); rows with the same phone are one person, and only
    # people present in the period are counted.
    rows = (
        Participant.objects.filter(centre_id__in=ids)
        .order_by("pk")
        .values_list("pk", "centre_id", "phone", "country_of_origin", "sex", "birth_year")
    )
    everyone: dict[str, _Person] = {}
    counted: set[str] = set()
    for pk, centre_id, phone, country, sex, birth_year in rows.iterator(chunk_size=5000):
        if pk not in came and pk not in earlier:
            continue
        key = phone or f"#{pk}"
        person = everyone.setdefault(key, _Person(tz=zones[centre_id]))
        person.seen(earlier.get(pk))
        if pk in came:
            person.take(country, sex, birth_year)
            counted.add(key)
    people = {key: everyone[key] for key in counted}
    for key, (birth_year, centre_id) in party.items():
        child = _Person(birth_year=birth_year, tz=zones[centre_id])
        child.seen(earlier_party.get(key))
        people[key] = child

    new = 0
    for person in people.values():
        assert person.tz is not None  # noqa: S101 - set on creation
        first = person.first_present
        if first is None or first >= period.bounds(person.tz)[0]:
            new += 1
    return FunderReport(
        centres=centres,
        period=period,
        min_count=min_count,
        kinds=kinds,
        participants=cell(len(people), min_count=min_count),
        new_participants=suppress_part(new, len(people), min_count=min_count),
        by_country=_by_country(people.values(), min_count=min_count),
        by_sex=_by_sex(people.values(), min_count=min_count),
        by_age=_by_age(people.values(), year=period.end.year, min_count=min_count),
        timeline=timeline,
        timeline_unit=unit,
    )


# A mark's person: the booking person, or a person of their party (then with a name). A child
# booked twice (two workshops, two bookings) is one person: the booking person's phone, the
# child's name and year of birth.
PARTY_KEY = ("participant_id", "participant__phone", "member__name", "member__birth_year")


def _child(pk: int, phone: str, name: str, birth_year: int | None) -> str:
    return f"{phone or f'#{pk}'}/{name.casefold()}/{birth_year or ''}"


def _breakdown(
    counts: dict[str, int], labels: Sequence[tuple[str, str]], min_count: int
) -> list[BreakdownRow]:
    cells = suppress([counts.get(key, 0) for key, _label in labels], min_count=min_count)
    return [
        BreakdownRow(key, label, count) for (key, label), count in zip(labels, cells, strict=True)
    ]


def country_name(code: str) -> str:
    """The country's name in the current language (its code if unknown)."""
    return str(territory_names(translation.get_language() or "en").get(code, code))


def _by_country(people: Iterable[_Person], *, min_count: int) -> list[BreakdownRow]:
    """Countries with at least one person: those shown the most first, then the suppressed
    ones by name (so their order gives nothing away), then unknown."""
    counts: dict[str, int] = defaultdict(int)
    for person in people:
        counts[person.country.upper()] += 1
    labels = sorted(((c, country_name(c)) for c in counts if c), key=lambda pair: pair[1])
    if counts.get(""):
        labels.append(("", str(UNKNOWN)))
    rows = _breakdown(counts, labels, min_count)
    known = [row for row in rows if row.key]
    order = safe_order([row.count for row in known], [row.label for row in known])
    return [known[i] for i in order] + [row for row in rows if not row.key]


def _by_sex(people: Iterable[_Person], *, min_count: int) -> list[BreakdownRow]:
    counts: dict[str, int] = defaultdict(int)
    for person in people:
        counts[person.sex if person.sex in Sex.values else ""] += 1
    labels = [(value, str(label)) for value, label in Sex.choices] + [("", str(UNKNOWN))]
    return _breakdown(counts, labels, min_count)


def age_band(birth_year: int | None, *, year: int) -> str:
    """The band of the age reached in `year` ("" when unknown)."""
    if birth_year is None or birth_year > year:
        return ""
    age = year - birth_year
    for key, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return key
    return ""


def _by_age(people: Iterable[_Person], *, year: int, min_count: int) -> list[BreakdownRow]:
    counts: dict[str, int] = defaultdict(int)
    for person in people:
        counts[age_band(person.birth_year, year=year)] += 1
    labels = [(key, key.replace("-", "–")) for key, _low, _high in AGE_BANDS]
    return _breakdown(counts, [*labels, ("", str(UNKNOWN))], min_count)
