"""Reports: a course's attendance for its staff, and a centre's (or a network's) figures for a
period for funders, with small counts suppressed.

Reads only, in a fixed number of queries whatever the number of participants and sessions: rows
are fetched once (or aggregated in the database) and counted in Python.

A session is *held* when it is not cancelled and has already ended; a period is a range of the
centre's local calendar days, both ends included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from courses.models import (
    ERASED_NAME,
    Attendance,
    AttendanceStatus,
    BookingMode,
    Centre,
    Course,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Participant,
    Sex,
)
from courses.phones import territory_names
from scheduling.models import Session, SessionStatus

UNKNOWN = _("Unknown")
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-17", 0, 17),
    ("18-29", 18, 29),
    ("30-44", 30, 44),
    ("45-59", 45, 59),
    ("60+", 60, None),
)
WEEKS_UP_TO_DAYS = 92  # longer periods are charted by month


@dataclass(frozen=True)
class Period:
    """Local calendar days from `start` to `end`, both included."""

    start: date
    end: date

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as aware instants in `tz`: [first midnight, midnight after the end)."""
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def held_sessions_q(
    centres: Iterable[Centre], *, period: Period | None, now: datetime, prefix: str = ""
) -> Q:
    """Sessions of `centres` held by `now` (not cancelled, ended) and starting within `period`
    in each centre's own time zone. `prefix` reaches the session from another model."""
    by_zone: dict[str, list[int]] = defaultdict(list)
    for centre in centres:
        by_zone[centre.timezone].append(centre.pk)
    if not by_zone:
        return Q(**{f"{prefix}pk__in": []})
    where = Q()
    for zone, ids in by_zone.items():
        part = Q(**{f"{prefix}course__centre_id__in": ids})
        if period is not None:
            start, end = period.bounds(ZoneInfo(zone))
            part &= Q(**{f"{prefix}starts_at__gte": start, f"{prefix}starts_at__lt": end})
        where |= part
    return where & Q(**{f"{prefix}status": SessionStatus.SCHEDULED, f"{prefix}ends_at__lte": now})


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _percent(rate: float | None) -> int | None:
    return None if rate is None else round(rate * 100)


# --- a course's attendance -----------------------------------------------------------------


@dataclass
class SessionRow:
    """One held session and the marks made on its register."""

    session_id: int
    starts_at: datetime
    ends_at: datetime
    present: int = 0
    absent: int = 0
    excused: int = 0
    walk_ins: int = 0

    @property
    def marked(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def rate(self) -> float | None:
        """Present ÷ marked (excused included in marked); None when nobody is marked."""
        return _ratio(self.present, self.marked)

    @property
    def rate_percent(self) -> int | None:
        return _percent(self.rate)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass
class ParticipantRow:
    """One person on the course: enrolled (confirmed), or marked on at least one held session."""

    participant_id: int
    name: str
    phone: str
    erased: bool
    enrolled: bool
    marks: dict[int, str] = field(default_factory=dict)  # session id -> attendance status
    walk_ins: int = 0
    expected: int = 0
    completed: bool = False

    def count(self, status: str) -> int:
        return sum(1 for mark in self.marks.values() if mark == status)

    @property
    def present(self) -> int:
        return self.count(AttendanceStatus.PRESENT)

    @property
    def excused(self) -> int:
        return self.count(AttendanceStatus.EXCUSED)

    @property
    def rate(self) -> float | None:
        """Present ÷ (held sessions the person was expected at − sessions excused); None when
        that is nothing."""
        return _ratio(self.present, self.expected - self.excused)

    @property
    def rate_percent(self) -> int | None:
        return _percent(self.rate)


@dataclass
class CourseReport:
    course: Course
    period: Period | None
    threshold: int
    sessions: list[SessionRow]
    participants: list[ParticipantRow]
    enrolled: int

    @property
    def sessions_held(self) -> int:
        return len(self.sessions)

    @property
    def minutes(self) -> int:
        return sum(row.minutes for row in self.sessions)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def rate(self) -> float | None:
        """Present ÷ marked over all held sessions."""
        return _ratio(sum(r.present for r in self.sessions), sum(r.marked for r in self.sessions))

    @property
    def rate_percent(self) -> int | None:
        return _percent(self.rate)

    @property
    def completed(self) -> list[ParticipantRow]:
        return [row for row in self.participants if row.completed]


def course_report(
    *,
    course: Course,
    period: Period | None = None,
    threshold: int | None = None,
    now: datetime | None = None,
) -> CourseReport:
    """The course's held sessions (in `period` if given), hours delivered, people enrolled, and
    attendance rates per session and per person, in three queries.

    - Per session: present ÷ marked; None when nobody is marked.
    - Per person: present ÷ (held sessions they were expected at − those they were excused
      from). A person with a confirmed place on a course booked as a whole is expected at every
      held session; anyone else (courses booked per session or open, walk-ins without a place)
      is expected at the held sessions where they have a mark.
    - A person has completed the course when their rate is at least `threshold` per cent
      (default ATTENDANCE_COMPLETION_PERCENT).
    - Enrolled: people holding a confirmed place on the course (booked as a whole), or on at
      least one of its not cancelled sessions in the period (booked per session); 0 for open
      courses.
    """
    now = now or timezone.now()
    threshold = threshold if threshold is not None else settings.ATTENDANCE_COMPLETION_PERCENT
    held = held_sessions_q([course.centre], period=period, now=now)
    sessions = [
        SessionRow(pk, starts_at, ends_at)
        for pk, starts_at, ends_at in Session.objects.filter(held, course=course)
        .order_by("starts_at", "id")
        .values_list("pk", "starts_at", "ends_at")
    ]
    by_session = {row.session_id: row for row in sessions}

    enrolments = Enrolment.objects.filter(course=course, status=EnrolmentStatus.CONFIRMED)
    if course.booking_mode == BookingMode.COURSE:
        enrolments = enrolments.filter(session__isnull=True)
    elif course.booking_mode == BookingMode.SESSION:
        enrolments = enrolments.filter(session__status=SessionStatus.SCHEDULED)
        if period is not None:
            start, end = period.bounds(course.centre.tz)
            enrolments = enrolments.filter(
                session__starts_at__gte=start, session__starts_at__lt=end
            )
    else:
        enrolments = enrolments.none()
    people: dict[int, ParticipantRow] = {}
    person_fields = ("participant_id", "participant__name", "participant__phone")
    for pk, name, phone, erased_at in (
        enrolments.values_list(*person_fields, "participant__erased_at").order_by().distinct()
    ):
        people[pk] = _person_row(pk, name, phone, erased_at, enrolled=True)

    marks = Attendance.objects.filter(
        held_sessions_q([course.centre], period=period, now=now, prefix="session__"),
        session__course=course,
    ).values_list("session_id", "status", "walk_in", *person_fields, "participant__erased_at")
    for session_id, status, walk_in, pk, name, phone, erased_at in marks:
        row = by_session[session_id]
        setattr(row, status, getattr(row, status) + 1)
        row.walk_ins += int(walk_in)
        if pk not in people:
            people[pk] = _person_row(pk, name, phone, erased_at, enrolled=False)
        people[pk].marks[session_id] = status
        people[pk].walk_ins += int(walk_in)

    every_session = course.booking_mode == BookingMode.COURSE
    for person in people.values():
        person.expected = len(sessions) if person.enrolled and every_session else len(person.marks)
        expected = person.expected - person.excused
        person.completed = expected > 0 and person.present * 100 >= threshold * expected
    rows = sorted(people.values(), key=lambda r: (r.erased, r.name.casefold(), r.participant_id))
    return CourseReport(
        course=course,
        period=period,
        threshold=threshold,
        sessions=sessions,
        participants=rows,
        enrolled=sum(1 for person in people.values() if person.enrolled),
    )


def _person_row(
    pk: int, name: str, phone: str, erased_at: datetime | None, *, enrolled: bool
) -> ParticipantRow:
    erased = erased_at is not None
    return ParticipantRow(
        participant_id=pk,
        name=str(ERASED_NAME) if erased else name,
        phone="" if erased else phone,
        erased=erased,
        enrolled=enrolled,
    )


# --- funders' figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A count of people as a funder sees it: the number, or "<N" when it is small (1 to N−1),
    or "*" when it is hidden so that a small one cannot be worked out from the total."""

    value: int
    min_count: int
    small: bool = False
    complement: bool = False

    @property
    def suppressed(self) -> bool:
        return self.small or self.complement

    @property
    def shown(self) -> int | str:
        """The number, or the text that replaces it (for exports: numbers stay numbers)."""
        if self.small:
            return f"<{self.min_count}"
        if self.complement:
            return "*"
        return self.value

    def __str__(self) -> str:
        return str(self.shown)


def cell(value: int, *, min_count: int) -> Cell:
    return Cell(value, min_count, small=0 < value < min_count)


def suppress(values: Sequence[int], *, min_count: int) -> list[Cell]:
    """Cells of one breakdown: counts from 1 to `min_count`−1 are hidden (primary); then, while
    the hidden cells could be worked out from the total (only one is hidden, or together they
    are fewer than `min_count` people), the next smallest non-zero count is hidden as well
    (complementary)."""
    cells = [cell(value, min_count=min_count) for value in values]

    def exposed() -> bool:
        hidden = [c.value for c in cells if c.suppressed]
        return bool(hidden) and (len(hidden) == 1 or sum(hidden) < min_count)

    while exposed():
        others = [(c.value, i) for i, c in enumerate(cells) if c.value > 0 and not c.suppressed]
        if not others:
            break
        i = min(others)[1]
        cells[i] = Cell(cells[i].value, min_count, complement=True)
    return cells


def suppress_part(part: int, whole: int, *, min_count: int) -> Cell:
    """A count that is part of another shown count (new participants of all participants):
    hidden when it is small, or when the rest (whole − part) is small and could be worked out."""
    shown = cell(part, min_count=min_count)
    whole_shown = not 0 < whole < min_count
    if whole_shown and not shown.small and 0 < whole - part < min_count:
        return Cell(part, min_count, complement=True)
    return shown


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


def funder_report(
    *,
    centres: Sequence[Centre],
    period: Period,
    now: datetime | None = None,
    min_count: int | None = None,
) -> FunderReport:
    """What funders ask for, for `centres` over `period`, in four queries:

    - sessions held and hours delivered, by course kind;
    - unique participants: people with at least one `present` mark at a held session in the
      period (walk-ins included; erased people included, anonymously). The same person has one
      row per centre; across centres rows with the same phone are one person (erased rows,
      which have no phone, count by themselves);
    - new participants: those whose first present mark ever in these centres is in the period;
    - participants by country of origin, sex and age band (age reached in the period's last
      year, from the year of birth);
    - present marks per week (periods up to 92 days) or per month, for the chart.

    Counts of people from 1 to `min_count`−1 (default REPORT_MIN_COUNT) are suppressed, with
    complementary suppression in each breakdown (see `suppress`); sessions and hours are not
    counts of people and are shown as they are.
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

    unit = "week" if period.days <= WEEKS_UP_TO_DAYS else "month"
    buckets: dict[date, int] = {start: 0 for start in _buckets(period, unit)}
    for starts_at, _ends, _kind, centre_id, marks in sessions:
        day = starts_at.astimezone(zones[centre_id]).date()
        buckets[_bucket(day, unit)] += marks
    timeline = [TimelineRow(start, n) for start, n in sorted(buckets.items())]

    # 2. Who was present in the period (one scan of the period's marks).
    held_marks = held_sessions_q(centres, period=period, now=now, prefix="session__")
    ids = [centre.pk for centre in centres]
    came = set(
        Attendance.objects.filter(held_marks, status=present)
        .order_by()
        .values_list("participant_id", flat=True)
        .distinct()
    )
    # 3. Who came before the period: their first present mark before it starts (only the
    # marks before the period are read; someone with none is new).
    latest_start = max(period.bounds(tz)[0] for tz in zones.values())
    earlier = dict(
        Attendance.objects.filter(
            participant__centre_id__in=ids,
            status=present,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__lt=latest_start,
        )
        .order_by()
        .values("participant_id")
        .annotate(first=Min("session__starts_at"))
        .values_list("participant_id", "first")
    )
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


def _bucket(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _buckets(period: Period, unit: str) -> list[date]:
    """Every week (from its Monday) or month (from its first day) the period touches."""
    starts = []
    current = _bucket(period.start, unit)
    while current <= period.end:
        starts.append(current)
        if unit == "week":
            current += timedelta(days=7)
        else:
            current = (current + timedelta(days=32)).replace(day=1)
    return starts


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

    def order(row: BreakdownRow) -> tuple[int, int, str]:
        if not row.key:
            return (2, 0, "")
        if row.count.suppressed:
            return (1, 0, row.label)
        return (0, -row.count.value, row.label)

    return sorted(rows, key=order)


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
