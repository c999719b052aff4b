"""Report exports: CSV and XLSX with the report's figures, text a spreadsheet would run as a
formula neutralised, download headers, and an audit entry for every export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from courses.exports import safe_cell
from courses.models import Attendance, AuditAction, AuditEntry, Participant
from tests.courses.report_world import AFTER, build_world

pytestmark = pytest.mark.django_db
FUNDER = "/reports/funder.{fmt}?network=CIC&from=2027-01-01&to=2027-02-28"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIL = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    world = build_world()
    # A name a spreadsheet would run as a formula, marked present at the first session.
    evil = Participant.objects.create(centre=world["poznan"], name=EVIL, phone="+48609000009")
    first = world["sessions"][0]
    Attendance.objects.create(
        session=first, participant=evil, status="present", walk_in=True, marked_at=first.starts_at
    )
    return world


@pytest.fixture(autouse=True)
def _after() -> Any:
    with time_machine.travel(AFTER, tick=False), translation.override("en"):
        yield


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response: Any) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(response.content))
    return list(book.worksheets[0].iter_rows(values_only=True))


def _row(rows: list[Any], first: str) -> list[Any]:
    return next(list(row) for row in rows if row and row[0] == first)


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+48601000001", "'+48601000001"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Olena", "Olena"),
        ("", ""),
        (-2, -2),
        (7.5, 7.5),
        (None, None),
    ],
)
def test_formula_like_text_gets_a_leading_quote_and_numbers_stay(value: Any, safe: Any) -> None:
    assert safe_cell(value) == safe


def test_funder_csv_has_the_figures_and_download_headers(world) -> None:
    response = _client(world["coordinator"]).get(FUNDER.format(fmt="csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="funder-report-2027-01-01-2027-02-28.csv"'
    )
    rows = _csv(response)
    assert _row(rows, "Centres") == ["Centres", "CIC Konin, CIC Poznań"]
    assert _row(rows, "Polish course") == ["Polish course", "5", "7.5"]
    assert _row(rows, "Total") == ["Total", "8", "10.5"]
    assert _row(rows, "Unique participants") == ["Unique participants", "7"]  # with the new one
    assert _row(rows, "New participants") == ["New participants", "<5"]
    assert _row(rows, "Unknown") == ["Unknown", "<5"]
    # The chart's figures too: present marks per week (Poznań 4 and the walk-in above on the
    # 5th, Konin 2 on the 7th).
    assert _row(rows, "Week from") == ["Week from", "Present marks"]
    assert _row(rows, "2027-01-04") == ["2027-01-04", "7"]


def test_funder_xlsx_keeps_numbers_as_numbers(world) -> None:
    response = _client(world["coordinator"]).get(FUNDER.format(fmt="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="funder-report-2027-01-01-2027-02-28.xlsx"'
    )
    rows = _xlsx(response)
    assert _row(rows, "Polish course")[:3] == ["Polish course", 5, 7.5]
    assert _row(rows, "Unique participants")[:2] == ["Unique participants", 7]
    assert _row(rows, "New participants")[:2] == ["New participants", "<5"]


def test_course_csv_is_a_register_with_formulas_neutralised(world) -> None:
    course = world["course"]
    response = _client(world["staff"]).get(f"/reports/courses/{course.pk}/attendance.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-cic-poznan-polski-a1.csv"'
    )
    rows = _csv(response)
    header = _row(rows, "Participant")
    assert header[2:7] == [
        "2027-01-05 18:00",
        "2027-01-12 18:00",
        "2027-01-26 18:00",
        "2027-02-02 18:00",
        "2027-02-09 18:00",
    ]
    assert header[-2:] == ["Place confirmed", "Left"]
    assert _row(rows, "Taras")[:-2] == [
        "Taras", "'+48601000002", "Present", "Present", "Present", "Excused", "Absent",
        "3", "5", "1", "75", "no",
    ]  # fmt: skip
    assert _row(rows, "Taras")[-1] == ""  # still holds the place
    assert _row(rows, "'" + EVIL)[:3] == ["'" + EVIL, "'+48609000009", "Present"]
    assert _row(rows, "Erased participant")[:3] == ["Erased participant", "", "Present"]
    assert _row(rows, "Attendance (%)") == ["Attendance (%)", "", "100", "100", "100", "50", "50"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_course_xlsx_read_back_has_no_formulas(world) -> None:
    course = world["course"]
    response = _client(world["staff"]).get(f"/reports/courses/{course.pk}/attendance.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-cic-poznan-polski-a1.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    rows = _xlsx(response)
    assert _row(rows, "'" + EVIL)[:2] == ["'" + EVIL, "'+48609000009"]
    taras = _row(rows, "Taras")
    assert taras[7:12] == [3, 5, 1, 75, "no"]
    assert _row(rows, "Sessions held")[:2] == ["Sessions held", 5]
    assert _row(rows, "Hours delivered")[:2] == ["Hours delivered", 7.5]


def test_every_export_is_audited(world) -> None:
    client = _client(world["coordinator"])
    course = world["course"]
    for url in (
        FUNDER.format(fmt="csv"),
        FUNDER.format(fmt="xlsx"),
        f"/reports/courses/{course.pk}/attendance.csv?threshold=75",
        f"/reports/courses/{course.pk}/attendance.xlsx",
    ):
        assert client.get(url).status_code == 200
    entries = list(AuditEntry.objects.filter(action=AuditAction.REPORT_EXPORTED).order_by("id"))
    assert [(e.actor, e.detail["report"], e.detail["format"]) for e in entries] == [
        (world["coordinator"], "funder", "csv"),
        (world["coordinator"], "funder", "xlsx"),
        (world["coordinator"], "course", "csv"),
        (world["coordinator"], "course", "xlsx"),
    ]
    assert sorted(entries[0].detail["centres"]) == sorted([world["poznan"].pk, world["konin"].pk])
    assert (entries[2].target_type, entries[2].target_id) == ("course", course.pk)
    assert entries[2].detail["threshold"] == 75
    assert entries[2].centre == world["poznan"]


def test_viewing_a_report_page_is_not_an_export(world) -> None:
    client = _client(world["coordinator"])
    assert client.get("/reports/?network=CIC").status_code == 200
    assert client.get(f"/reports/courses/{world['course'].pk}/").status_code == 200
    assert not AuditEntry.objects.filter(action=AuditAction.REPORT_EXPORTED).exists()


def test_refused_export_is_not_audited(world) -> None:
    client = _client(world["other_staff"])
    assert client.get(f"/reports/courses/{world['course'].pk}/attendance.csv").status_code == 404
    assert client.get("/reports/funder.csv?from=2027-02-01&to=2027-01-01").status_code == 400
    assert not AuditEntry.objects.filter(action=AuditAction.REPORT_EXPORTED).exists()
