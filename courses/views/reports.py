"""Report pages and their CSV and XLSX exports, for centre staff (and superusers) only.

- /reports/: funders' figures for chosen centres (`centre=<slug>`, repeatable) or a network
  (`network=<name>`) and a period (`from`, `to`: YYYY-MM-DD; default the year to date), with
  charts, and the courses that held sessions in the period, each linked to its report;
  /reports/funder.csv and /reports/funder.xlsx export the figures.
- /reports/courses/<id>/: a course's attendance (`threshold=` 1–100, optional `from`, `to`);
  .../attendance.csv and .../attendance.xlsx export it.

Another centre's report is 404; bad query input is a 400 page that says what is wrong (the
forms in `courses.forms.reports` read the query). Every export is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from appointments.exports import consultation_rows
from appointments.selectors.report import consultation_report
from courses.charts import funder_charts
from courses.exports import (
    Value,
    course_table,
    funder_table,
    report_download,
    suppression_note,
)
from courses.forms.reports import CourseReportForm, FunderReportForm
from courses.models import Centre, Course
from courses.selectors import course_report as course_selectors
from courses.selectors import funder_report as funder_selectors
from courses.selectors.course_report import CourseReport
from courses.selectors.funder_report import FunderReport
from courses.selectors.tenancy import centres_managed_for_user, courses_managed_for_user
from courses.services.reports import report_export_record

FUNDER_TEMPLATE = "courses/reports/funder.html"
COURSE_TEMPLATE = "courses/reports/course.html"


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
    report_export_record(actor=request.user, target=target, fmt=fmt, detail=detail)
    return report_download(rows, fmt=fmt, name=name, title=title)


# --- funders' figures ------------------------------------------------------------------------


def _funder(
    request: HttpRequest, answer: Callable[[FunderReport, FunderReportForm], HttpResponse]
) -> HttpResponse:
    form = FunderReportForm(request.GET, managed=_managed(request))
    if not form.is_valid():
        if form.not_managed:
            raise Http404
        context = {"form": form.page_values(), "error": form.first_error}
        return render(request, FUNDER_TEMPLATE, context, status=400)
    report = funder_selectors.funder_report(centres=form.centres, period=form.period)
    return answer(report, form)


@login_required
@require_GET
def funder_report(request: HttpRequest) -> HttpResponse:
    """Funders' figures with charts, for the centres and period chosen in the form."""

    def page(report: FunderReport, form: FunderReportForm) -> HttpResponse:
        return render(
            request,
            FUNDER_TEMPLATE,
            {
                "report": report,
                "charts": funder_charts(report),
                "courses": course_selectors.report_courses(
                    centres=report.centres, period=report.period
                ),
                "consultations": consultation_report(centres=report.centres, period=report.period),
                "form": form.page_values(),
                "suppression_note": suppression_note(report.min_count),
                "query_string": request.GET.urlencode(),
            },
        )

    return _funder(request, page)


def _with_consultations(rows: list[list[Value]], report: FunderReport) -> list[list[Value]]:
    """The funders' table with the consultations' figures before its closing note (the last
    two rows: a blank and the note on suppressed counts)."""
    more = consultation_rows(consultation_report(centres=report.centres, period=report.period))
    return [*rows[:-2], *more, *rows[-2:]]


def _funder_export(request: HttpRequest, fmt: str) -> HttpResponse:
    def export(report: FunderReport, form: FunderReportForm) -> HttpResponse:
        centres, period = form.centres, form.period
        start, end = period.start.isoformat(), period.end.isoformat()
        return _export(
            request,
            fmt,
            _with_consultations(funder_table(report), report),
            name=f"funder-report-{start}-{end}",
            title=gettext("Report for funders"),
            target=centres[0],
            detail={
                "report": "funder",
                "centres": [centre.pk for centre in centres],
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


# --- a course's attendance -------------------------------------------------------------------


def _course(
    request: HttpRequest, course_id: int, answer: Callable[[CourseReport], HttpResponse]
) -> HttpResponse:
    course = _course_for(request, course_id)
    form = CourseReportForm(request.GET)
    if not form.is_valid():
        context = {"course": course, "params": request.GET, "error": form.first_error}
        return render(request, COURSE_TEMPLATE, context, status=400)
    report = course_selectors.course_report(
        course=course, period=form.period, threshold=form.completion_threshold
    )
    return answer(report)


@login_required
@require_GET
def course_report(request: HttpRequest, course_id: int) -> HttpResponse:
    """A course's sessions, hours, enrolled people and attendance, with who has completed it."""

    def page(report: CourseReport) -> HttpResponse:
        return render(
            request,
            COURSE_TEMPLATE,
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
