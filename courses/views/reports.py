"""Report pages and their CSV and XLSX exports, for centre staff (and superusers) only.

- /reports/: funders' figures for chosen centres (`centre=<slug>`, repeatable) or a network
  (`network=<name>`) and a period (`from`, `to`: YYYY-MM-DD; default the year to date), with
  charts; /reports/funder.csv and /reports/funder.xlsx export the same.
- /reports/courses/<id>/: a course's attendance (`threshold=` 1–100, optional `from`, `to`);
  .../attendance.csv and .../attendance.xlsx export it.

Another centre's report is 404; bad query input is a 400 page that says what is wrong. Every
export is recorded in the audit log. Exported text cells that a spreadsheet could read as a
formula start with a single quote.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from courses import reports
from courses.errors import DomainError
from courses.models import AttendanceStatus, AuditAction, Centre, Course
from courses.reports import CourseReport, FunderReport, Period
from courses.selectors.tenancy import centres_managed_for_user, courses_managed_for_user
from courses.services.audit import audit_record

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_DAY = date(1900, 1, 1)  # "from the beginning" for a course's report
LAST_DAY = date(2999, 12, 31)
MAX_FUNDER_DAYS = 5 * 366  # the chart has a bar per month: at most about 60
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Value = str | int | float | None


class ReportInputError(DomainError):
    """The report's query cannot be read: a bad date or threshold, an unknown centre."""

    code = "bad_report_query"


# --- reading the query -----------------------------------------------------------------------


def _date(params: QueryDict, name: str) -> date | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        if not DATE.match(raw):
            raise ValueError(raw)
        day = date.fromisoformat(raw)
        if not FIRST_DAY.year <= day.year <= LAST_DAY.year:
            raise ValueError(raw)
    except ValueError:
        raise ReportInputError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2027-03-31.")
            % {"value": raw[:40]},
            field=name,
        ) from None
    return day


def _period(params: QueryDict, *, default_end: date, default_start: date | None) -> Period:
    """The `from`–`to` period; a missing start is `default_start` (1 January of the end's year
    when None), a missing end `default_end`."""
    start, end = _date(params, "from"), _date(params, "to")
    end = end or default_end
    start = start or default_start or date(end.year, 1, 1)
    if start > end:
        raise ReportInputError(_("The start of the period is after its end."), field="from")
    return Period(start, end)


def _threshold(params: QueryDict) -> int | None:
    raw = params.get("threshold", "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= 100:
        raise ReportInputError(
            _("The completion threshold must be a whole number from 1 to 100."), field="threshold"
        )
    return int(raw)


@dataclass(frozen=True)
class FunderQuery:
    centres: list[Centre]
    period: Period
    managed: list[Centre]


def _funder_query(params: QueryDict, managed: list[Centre]) -> FunderQuery:
    """The centres and period asked for. A centre or network the user does not manage is 404
    (as if it did not exist); one that does not exist at all is a 400 that says so."""
    slugs = list(dict.fromkeys(s.strip() for s in params.getlist("centre") if s.strip()))
    network = params.get("network", "").strip()
    if slugs and network:
        raise ReportInputError(_("Choose centres or a network, not both."), field="centre")
    if network:
        centres = [centre for centre in managed if centre.network == network]
        if not centres:
            if Centre.objects.filter(network=network).exists():
                raise Http404
            raise ReportInputError(
                _("There is no network called “%(name)s”.") % {"name": network[:200]},
                field="network",
            )
    elif slugs:
        by_slug = {centre.slug: centre for centre in managed}
        unknown = [slug for slug in slugs if slug not in by_slug]
        if unknown:
            if Centre.objects.filter(slug__in=unknown).exists():
                raise Http404
            raise ReportInputError(
                _("There is no centre “%(slug)s”.") % {"slug": unknown[0][:80]}, field="centre"
            )
        centres = [by_slug[slug] for slug in slugs]
    else:
        centres = managed
    period = _period(params, default_end=timezone.localdate(), default_start=None)
    if period.days > MAX_FUNDER_DAYS:
        raise ReportInputError(_("Choose a period of at most five years."), field="from")
    return FunderQuery(centres, period, managed)


def _managed(request: HttpRequest) -> list[Centre]:
    managed = list(centres_managed_for_user(request.user).order_by("name", "pk"))
    if not managed:
        raise Http404
    return managed


def _course_for(request: HttpRequest, course_id: int) -> Course:
    course = (
        courses_managed_for_user(request.user).prefetch_related(None).filter(pk=course_id).first()
    )
    if course is None:
        raise Http404
    return course


# --- charts ----------------------------------------------------------------------------------

CHART_WIDTH = 400
LABEL_WIDTH = 120
BAR_SPACE = 220
ROW_HEIGHT = 26


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: int

    @property
    def short_label(self) -> str:
        return self.label if len(self.label) <= 16 else self.label[:15] + "…"

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart drawn as inline SVG, with the same figures as a table."""

    slug: str
    title: str
    label_heading: str
    value_heading: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT

    @property
    def width(self) -> int:
        return CHART_WIDTH

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH


def bar_chart(
    *,
    slug: str,
    title: str,
    label_heading: str,
    value_heading: str,
    rows: Sequence[tuple[str, int, str]],
) -> BarChart:
    """`rows`: (label, length of the bar, text shown). A suppressed count has no bar."""
    top = max((length for _label, length, _text in rows), default=0)
    bars = []
    for i, (label, length, text) in enumerate(rows):
        width = round(BAR_SPACE * length / top) if top else 0
        bars.append(Bar(label, text, i * ROW_HEIGHT, max(width, 1) if length else 0))
    return BarChart(slug, title, label_heading, value_heading, bars)


def _charts(report: FunderReport) -> list[BarChart]:
    week = report.timeline_unit == "week"
    timeline = [
        (
            formats.date_format(row.start, "SHORT_DATE_FORMAT" if week else "YEAR_MONTH_FORMAT"),
            row.present,
            str(row.present),
        )
        for row in report.timeline
    ]
    origin = [
        (row.label, 0 if row.count.suppressed else row.count.value, str(row.count))
        for row in report.by_country
    ]
    return [
        bar_chart(
            slug="attendance-over-time",
            title=gettext("Present marks per week") if week else gettext("Present marks per month"),
            label_heading=gettext("Week from") if week else gettext("Month"),
            value_heading=gettext("Present marks"),
            rows=timeline,
        ),
        bar_chart(
            slug="participants-by-origin",
            title=gettext("Participants by country of origin"),
            label_heading=gettext("Country of origin"),
            value_heading=gettext("Participants"),
            rows=origin,
        ),
    ]


# --- exports ---------------------------------------------------------------------------------


def safe_cell(value: Value) -> Value:
    """A text that a spreadsheet would run as a formula gets a leading single quote; numbers
    stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def funder_table(report: FunderReport) -> list[list[Value]]:
    """The funders' report as rows of a spreadsheet."""
    period = report.period
    rows: list[list[Value]] = [
        [gettext("Report for funders")],
        [gettext("Centres"), ", ".join(centre.name for centre in report.centres)],
        [gettext("From"), period.start.isoformat()],
        [gettext("To"), period.end.isoformat()],
        [],
        [gettext("Course kind"), gettext("Sessions held"), gettext("Hours")],
    ]
    rows += [[row.label, row.sessions, row.hours] for row in report.kinds]
    rows += [
        [gettext("Total"), report.sessions_held, report.hours],
        [],
        [gettext("Unique participants"), report.participants.shown],
        [gettext("New participants"), report.new_participants.shown],
    ]
    for heading, breakdown in (
        (gettext("Country of origin"), report.by_country),
        (gettext("Sex"), report.by_sex),
        (gettext("Age"), report.by_age),
    ):
        rows += [[], [heading, gettext("Participants")]]
        rows += [[row.label, row.count.shown] for row in breakdown]
    week = report.timeline_unit == "week"
    rows += [[], [gettext("Week from") if week else gettext("Month"), gettext("Present marks")]]
    rows += [[row.start.isoformat(), row.present] for row in report.timeline]
    rows += [[], [_suppression_note(report.min_count)]]
    return rows


def _suppression_note(min_count: int) -> str:
    return gettext(
        "Counts from 1 to %(below)s are shown as <%(min)s; * hides one more count so that a "
        "small one cannot be worked out from the total."
    ) % {"below": min_count - 1, "min": min_count}


def course_table(report: CourseReport) -> list[list[Value]]:
    """The course's attendance as a register: a row per person, a column per held session."""
    tz = report.course.centre.tz
    labels = dict(AttendanceStatus.choices)
    when = [row.starts_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") for row in report.sessions]
    rows: list[list[Value]] = [
        [report.course.title, report.course.centre.name],
        [gettext("Sessions held"), report.sessions_held],
        [gettext("Hours delivered"), report.hours],
        [gettext("Enrolled"), report.enrolled],
        [gettext("Completion threshold (%)"), report.threshold],
    ]
    if report.period is not None:
        rows += [
            [gettext("From"), report.period.start.isoformat()],
            [gettext("To"), report.period.end.isoformat()],
        ]
    rows += [
        [],
        [
            gettext("Participant"),
            gettext("Phone"),
            *when,
            gettext("Present"),
            gettext("Expected"),
            gettext("Excused"),
            gettext("Attendance (%)"),
            gettext("Reached the threshold"),
        ],
    ]
    for person in report.participants:
        rows.append(
            [
                person.name,
                person.phone,
                *(str(labels.get(person.marks.get(s.session_id, ""), "")) for s in report.sessions),
                person.present,
                person.expected,
                person.excused,
                person.rate_percent,
                gettext("yes") if person.completed else gettext("no"),
            ]
        )
    rows += [
        [gettext("Present"), "", *(s.present for s in report.sessions)],
        [gettext("Marked"), "", *(s.marked for s in report.sessions)],
        [gettext("Attendance (%)"), "", *(s.rate_percent for s in report.sessions)],
    ]
    return rows


def csv_response(rows: list[list[Value]], filename: str) -> HttpResponse:
    """UTF-8 with a byte order mark, so spreadsheets read Polish and Cyrillic letters right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
    return _download(out.getvalue(), CSV_TYPE, filename)


def xlsx_response(rows: list[list[Value]], filename: str, title: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Report")
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return _download(out.getvalue(), XLSX_TYPE, filename)


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export(
    request: HttpRequest,
    fmt: str,
    rows: list[list[Value]],
    *,
    name: str,
    title: str,
    target: Centre | Course,
    detail: dict[str, Any],
) -> HttpResponse:
    """A report as a CSV or XLSX file (`name`.`fmt`), recorded in the audit log."""
    centre = target if isinstance(target, Centre) else target.centre
    audit_record(
        actor=request.user,
        action=AuditAction.REPORT_EXPORTED,
        target=target,
        centre=centre,
        detail={**detail, "format": fmt},
    )
    filename = f"{name}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, filename)
    return xlsx_response(rows, filename, title)


def _xlsx_value(value: Value) -> Value:
    value = safe_cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


# --- views -----------------------------------------------------------------------------------


def _bad_request(
    request: HttpRequest, template: str, error: DomainError, context: dict[str, Any]
) -> HttpResponse:
    return render(request, template, {**context, "error": error.message}, status=400)


def _funder_form(
    request: HttpRequest, managed: list[Centre], query: FunderQuery | None
) -> dict[str, Any]:
    params = request.GET
    return {
        "managed": managed,
        "networks": sorted({centre.network for centre in managed if centre.network}),
        "chosen": set(params.getlist("centre")),
        "network": params.get("network", ""),
        "date_from": params.get("from") or (query.period.start.isoformat() if query else ""),
        "date_to": params.get("to") or (query.period.end.isoformat() if query else ""),
    }


def _funder(
    request: HttpRequest, answer: Callable[[FunderReport, FunderQuery], HttpResponse]
) -> HttpResponse:
    managed = _managed(request)
    try:
        query = _funder_query(request.GET, managed)
    except ReportInputError as error:
        form = _funder_form(request, managed, None)
        return _bad_request(request, "courses/reports/funder.html", error, {"form": form})
    report = reports.funder_report(centres=query.centres, period=query.period)
    return answer(report, query)


@login_required
@require_GET
def funder_report(request: HttpRequest) -> HttpResponse:
    """Funders' figures with charts, for the centres and period chosen in the form."""

    def page(report: FunderReport, query: FunderQuery) -> HttpResponse:
        return render(
            request,
            "courses/reports/funder.html",
            {
                "report": report,
                "charts": _charts(report),
                "form": _funder_form(request, query.managed, query),
                "suppression_note": _suppression_note(report.min_count),
                "query_string": request.GET.urlencode(),
            },
        )

    return _funder(request, page)


def _funder_export(request: HttpRequest, fmt: str) -> HttpResponse:
    def export(report: FunderReport, query: FunderQuery) -> HttpResponse:
        start, end = query.period.start.isoformat(), query.period.end.isoformat()
        return _export(
            request,
            fmt,
            funder_table(report),
            name=f"funder-report-{start}-{end}",
            title=gettext("Report for funders"),
            target=query.centres[0],
            detail={
                "report": "funder",
                "centres": [centre.pk for centre in query.centres],
                "from": start,
                "to": end,
            },
        )

    return _funder(request, export)


@login_required
@require_GET
def funder_csv(request: HttpRequest) -> HttpResponse:
    return _funder_export(request, "csv")


@login_required
@require_GET
def funder_xlsx(request: HttpRequest) -> HttpResponse:
    return _funder_export(request, "xlsx")


def _course(
    request: HttpRequest, course_id: int, answer: Callable[[CourseReport], HttpResponse]
) -> HttpResponse:
    course = _course_for(request, course_id)
    params = request.GET
    try:
        threshold = _threshold(params)
        period = None
        if params.get("from", "").strip() or params.get("to", "").strip():
            period = _period(params, default_end=LAST_DAY, default_start=FIRST_DAY)
    except ReportInputError as error:
        return _bad_request(
            request, "courses/reports/course.html", error, {"course": course, "params": params}
        )
    return answer(reports.course_report(course=course, period=period, threshold=threshold))


@login_required
@require_GET
def course_report(request: HttpRequest, course_id: int) -> HttpResponse:
    """A course's sessions, hours, enrolled people and attendance, with who has completed it."""

    def page(report: CourseReport) -> HttpResponse:
        return render(
            request,
            "courses/reports/course.html",
            {
                "course": report.course,
                "report": report,
                "params": request.GET,
                "query_string": request.GET.urlencode(),
                "tz": report.course.centre.timezone,
            },
        )

    return _course(request, course_id, page)


def _course_export(request: HttpRequest, course_id: int, fmt: str) -> HttpResponse:
    def export(report: CourseReport) -> HttpResponse:
        course, period = report.course, report.period
        return _export(
            request,
            fmt,
            course_table(report),
            name=f"attendance-{course.centre.slug}-{course.slug}",
            title=gettext("Attendance"),
            target=course,
            detail={
                "report": "course",
                "threshold": report.threshold,
                "from": period.start.isoformat() if period else "",
                "to": period.end.isoformat() if period else "",
            },
        )

    return _course(request, course_id, export)


@login_required
@require_GET
def course_csv(request: HttpRequest, course_id: int) -> HttpResponse:
    return _course_export(request, course_id, "csv")


@login_required
@require_GET
def course_xlsx(request: HttpRequest, course_id: int) -> HttpResponse:
    return _course_export(request, course_id, "xlsx")
