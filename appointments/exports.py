"""The consultations' figures as rows of the funders' report export (`courses.exports`)."""

from __future__ import annotations

from django.utils.translation import gettext

from appointments.selectors.report import ConsultationReport

Value = str | int | float | None


def consultation_rows(report: ConsultationReport) -> list[list[Value]]:
    """Rows to append to the funders' report spreadsheet; none when no consultation counts."""
    if report.empty:
        return []
    hours = report.interpreter_hours
    rows: list[list[Value]] = [
        [],
        [gettext("Consultations")],
        [gettext("Consultations held"), report.held.shown],
        [gettext("Did not come"), report.no_shows.shown],
        [gettext("People consulted"), report.people.shown],
        [gettext("Interpreter hours"), report.with_interpreter.shown if hours is None else hours],
        [],
        [gettext("Kind of consultation"), gettext("Held"), gettext("Did not come")],
    ]
    rows += [[row.label, row.held.shown, row.no_shows.shown] for row in report.by_kind]
    rows += [
        [],
        [
            gettext("Language"),
            gettext("Held"),
            gettext("With an interpreter"),
            gettext("Interpreter hours"),
        ],
    ]
    rows += [
        [
            row.label,
            row.held.shown,
            row.with_interpreter.shown,
            row.with_interpreter.shown if row.interpreter_hours is None else row.interpreter_hours,
        ]
        for row in report.by_language
    ]
    return rows
