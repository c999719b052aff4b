"""Files people download: a person's data as JSON, and report exports."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from courses.models import AttendanceStatus
from courses.selectors.course_report import CourseReport
from courses.selectors.funder_report import FunderReport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Value = str | int | float | None


def json_download(data: Any, filename: str) -> HttpResponse:
    """A person's data as a JSON file to save, never cached on the way."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- report exports: rows of cells, written as CSV or XLSX ----------------------------------


def safe_cell(value: Value) -> Value:
    """A text that a spreadsheet would run as a formula gets a leading single quote; numbers
    stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def suppression_note(min_count: int) -> str:
    """What "<N" and "*" mean, under the funders' report and at the end of its exports."""
    return gettext(
        "Counts from 1 to %(below)s are shown as <%(min)s; * hides one more count so that a "
        "small one cannot be worked out from the total."
    ) % {"below": min_count - 1, "min": min_count}


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
    rows += [[], [suppression_note(report.min_count)]]
    return rows


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
            gettext("Place confirmed"),
            gettext("Left"),
        ],
    ]
    no_place = gettext("no place")  # a session the person was not expected at

    def day(at: datetime | None) -> str:
        return at.astimezone(tz).date().isoformat() if at else ""

    for person in report.participants:
        marks = [
            str(labels[mark])
            if (mark := person.marks.get(s.session_id))
            else ""
            if s.session_id in person.expected_sessions
            else no_place
            for s in report.sessions
        ]
        rows.append(
            [
                person.name,
                person.phone,
                *marks,
                person.present,
                person.expected,
                person.excused,
                person.rate_percent,
                gettext("yes") if person.completed else gettext("no"),
                day(person.joined_at),
                day(person.left_at),
            ]
        )
    rows += [
        [gettext("Present"), "", *(s.present for s in report.sessions)],
        [gettext("Marked"), "", *(s.marked for s in report.sessions)],
        [gettext("Attendance (%)"), "", *(s.rate_percent for s in report.sessions)],
    ]
    return rows


def report_download(rows: list[list[Value]], *, fmt: str, name: str, title: str) -> HttpResponse:
    """Rows as `name`.csv or `name`.xlsx (`fmt`); `title` names the XLSX sheet."""
    filename = f"{name}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, filename)
    return xlsx_response(rows, filename, title)


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


def _xlsx_value(value: Value) -> Value:
    value = safe_cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value
