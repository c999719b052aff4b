"""A course's (or session's) people as a CSV or XLSX file for the centre's staff: every place
with its status, waitlist position, priority and reasons, and each person a household's booking
covers on a row of their own; formula-safe like the report exports (courses.exports) and
recorded in the audit log."""

from __future__ import annotations

from datetime import datetime, tzinfo

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.exports import Value, report_download
from courses.models import BookingMode, Course, Enrolment
from courses.services.reports import report_export_record
from scheduling.models import Session
from workspace.selectors.course_people import (
    People,
    course_for_people,
    people_of,
    session_for_people,
)
from workspace.selectors.scope import Scope
from workspace.views.base import require_manager, workspace_view

FORMATS = ("csv", "xlsx")


def _when(moment: datetime | None, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def people_table(people: People) -> list[list[Value]]:
    course, session = people.course, people.session
    tz = course.centre.tz
    rows: list[list[Value]] = [[str(course.title), course.centre.name]]
    if session is not None:
        rows.append([_("Session"), _when(session.starts_at, tz)])
    seats = people.seats
    rows += [
        [_("Seats"), seats.capacity],
        [_("Taken"), seats.taken],
        [_("Waiting"), seats.waiting],
        [],
        [
            _("Status"),
            _("Place on the waitlist"),
            _("Participant"),
            _("Phone"),
            _("SMS language"),
            _("Source"),
            _("Since"),
            _("Offer valid until"),
            _("Priority"),
            _("Reason for the priority"),
            _("Reason for cancelling"),
            _("Places"),
            _("Person"),
            _("Year of birth"),
            _("Place of the person"),
        ],
    ]

    def booking(place: Enrolment, position: int | None = None) -> list[list[Value]]:
        """A row for each person of the booking: the booking person (when they attend), then
        each of their party, with the booking's own columns repeated."""
        person = place.participant
        common: list[Value] = [
            place.get_status_display(),
            position,
            person.display_name,
            person.phone,
            person.language,
            place.get_source_display(),
            _when(place.created_at, tz),
            _when(place.offer_expires_at, tz),
            place.priority,
            place.priority_reason,
            place.cancel_reason,
            place.places,
        ]
        own = _("attends") if place.attending else _("booked, does not attend")
        lines = [[*common, person.display_name, None, own]]  # their statistics stay theirs
        lines += [
            [
                *common,
                member.name,
                member.birth_year,
                _("has a place") if member.is_active else _("place given up"),
            ]
            for member in place.party.all()
        ]
        return lines

    for place in (*people.confirmed, *people.offered):
        rows += booking(place)
    for item in people.waiting:
        rows += booking(item.enrolment, item.position)
    for place in people.left:
        rows += booking(place)
    if people.walk_ins:
        rows += [[], [_("Walk-ins"), _("Participant"), _("Phone")]]
        rows += [
            [
                _when(mark.session.starts_at, tz),
                mark.participant.display_name,
                mark.participant.phone,
            ]
            for mark in people.walk_ins
        ]
    return rows


def _export(
    request: HttpRequest, scope: Scope, course: Course, session: Session | None
) -> HttpResponse:
    require_manager(scope, course.centre_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    rows = people_table(people_of(course, session))
    report_export_record(
        actor=request.user,
        target=course,
        fmt=fmt,
        detail={"report": "people", "session": session.pk if session else None},
    )
    name = f"people-{course.slug}" + (f"-{session.starts_at:%Y%m%d}" if session else "")
    return report_download(rows, fmt=fmt, name=name, title=str(course.title))


@workspace_view
@require_GET
def course_people_export(request: HttpRequest, scope: Scope, course_id: int) -> HttpResponse:
    course = course_for_people(scope, course_id)
    return _export(request, scope, course, None)


@workspace_view
@require_GET
def session_people_export(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    session = session_for_people(scope, session_id)
    if session.course.booking_mode != BookingMode.SESSION:
        return _export(request, scope, session.course, None)
    return _export(request, scope, session.course, session)
