"""The trainers' register on a phone: my sessions, the register of a session (each tap saved at
once; queued on the phone while offline, see static/js/register.js), and a printable sheet.

Trainers see only their own sessions and staff only their centres'; any other session is 404.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from courses.errors import DomainError, NotOnRegister
from courses.forms.lists import PhoneCountryField
from courses.forms.register import RegisterDayForm
from courses.models import Attendance, AttendanceStatus
from courses.selectors.register import (
    is_register_user,
    register_for,
    register_sessions_for_user,
    register_sessions_on_days,
    trainer_sessions,
)
from courses.selectors.tenancy import centres_managed_for_user
from courses.services.attendance import Change, Family, Mark, Note, WalkIn, register_apply
from courses.text import MAX_ID
from scheduling.models import Session

WEEK = 7
PAST_WEEKS = 4  # past sessions listed on /register/ (older ones: by the date picker)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    country = PhoneCountryField(label=_("Country of the phone number"))
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )


def _session_for(request: HttpRequest, session_id: int) -> Session:
    session = register_sessions_for_user(request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


@login_required
@require_GET
def my_sessions(request: HttpRequest) -> HttpResponse:
    """Today's sessions and the rest of the week's, the last PAST_WEEKS weeks' (newest first:
    registers stay open, so results can be typed in later), and any day's by a date picker
    (`?day=YYYY-MM-DD`; a day that is not a date is a 400 with the error at the field)."""
    if not is_register_user(request.user):
        raise Http404
    today = timezone.localdate()
    sessions = list(trainer_sessions(request.user, day=today, days=WEEK))
    todays: list[Session] = []
    later: list[Session] = []
    for session in sessions:
        local_day = session.starts_at.astimezone(session.course.centre.tz).date()
        if local_day < today or local_day >= today + timedelta(days=WEEK):
            continue
        (todays if local_day == today else later).append(session)
    earlier = register_sessions_on_days(
        request.user,
        first=today - timedelta(weeks=PAST_WEEKS),
        last=today - timedelta(days=1),
        newest_first=True,
    )
    form = RegisterDayForm(request.GET)
    picked = form.picked
    on_day = register_sessions_on_days(request.user, first=picked, last=picked) if picked else None
    managed = set(centres_managed_for_user(request.user).values_list("pk", flat=True))
    return render(
        request,
        "courses/register/sessions.html",
        {
            "today": todays,
            "later": later,
            "earlier": earlier,
            "weeks": PAST_WEEKS,
            "day_form": form,
            "picked": picked,
            "on_day": on_day,
            "day": today,
            "now": timezone.now(),
            "managed": managed,
        },
        status=200 if form.is_valid() else 400,
    )


def _context(request: HttpRequest, session: Session, **extra: Any) -> dict[str, Any]:
    register = register_for(session)
    return {
        "session": session,
        "register": register,
        "statuses": AttendanceStatus.choices,
        "walk_in_form": extra.pop("walk_in_form", None) or WalkInForm(),
        "tz": session.course.centre.timezone,
        "manages": centres_managed_for_user(request.user)
        .filter(pk=session.course.centre_id)
        .exists(),
        **extra,
    }


@login_required
@require_GET
def register(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    return render(request, "courses/register/register.html", _context(request, session))


def _when(value: Any) -> datetime | None:
    """When the mark was made on the phone (ISO 8601), or None."""
    if not value:
        return None
    try:
        at = parse_datetime(str(value))
    except ValueError:
        at = None
    if at is None:
        raise DomainError(_("The time of the change could not be read."), field="at")
    return at


# What the page's script sends: each key's JSON type is checked before anything is read, so a
# number, a list or an object where text belongs (or text where an id belongs) is a 400 and is
# never turned into a write (a float taken for an id, an object saved as the note).
JSON_TEXT_KEYS = ("type", "status", "at", "note", "name", "phone", "country")  # and the ids


def _json_op(op: Any) -> dict[str, Any]:
    """A change sent as JSON, its types checked; DomainError (400) when one is wrong."""
    if not isinstance(op, dict):
        raise DomainError(_("The change could not be read."))
    for key in JSON_TEXT_KEYS:
        if op.get(key) is not None and not isinstance(op[key], str):
            raise DomainError(_("“%(field)s” must be text.") % {"field": key}, field=key)
    for key in ("participant", "member"):
        value = op.get(key)
        if value is not None and type(value) is not int:  # bool is not an id either
            raise DomainError(_("“%(field)s” must be a whole number.") % {"field": key}, field=key)
    return op


def _id(value: Any) -> int:
    """An id from the page, or 0 when it is none."""
    try:
        number = int(value or 0)
    except (ValueError, TypeError, OverflowError):
        return 0
    return number if 0 < number <= MAX_ID else 0


def _change(op: dict[str, Any]) -> Change:
    """One change from the page (a mark, a walk-in or the note), parsed; nothing is written."""
    kind = op.get("type") or "mark"
    at = _when(op.get("at"))
    if kind in ("mark", "family"):
        participant = _id(op.get("participant"))
        if not participant or (op.get("member") not in (None, "") and not _id(op["member"])):
            raise NotOnRegister(
                _("This person is not on the register of this session."), field="participant"
            )
        status = str(op.get("status") or "")
        if status not in AttendanceStatus.values:
            raise DomainError(_("Choose present, absent or excused."), field="status")
        if kind == "family":
            return Family(participant=participant, status=status, at=at)
        return Mark(participant, status, at, member=_id(op.get("member")) or None)
    if kind == "walk_in":
        form = WalkInForm(
            {"name": op.get("name"), "phone": op.get("phone"), "country": op.get("country") or "PL"}
        )
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise DomainError(str(errors[0]), field=field)
        data = form.cleaned_data
        return WalkIn(name=data["name"], phone=data["phone"], country=data["country"], at=at)
    if kind == "note":
        return Note(note=str(op.get("note") or ""))
    raise DomainError(_("Unknown change."))


def _shown(change: Change, done: Attendance | Session) -> dict[str, Any]:
    """What the page shows after a change."""
    if isinstance(done, Session):
        return {"note": done.register_note}
    shown: dict[str, Any] = {"participant": done.participant_id, "status": done.status}
    if done.member_id:
        shown["member"] = done.member_id
    return {**shown, "walk_in": True} if isinstance(change, WalkIn) else shown


@login_required
@require_POST
def register_marks(request: HttpRequest, session_id: int) -> HttpResponse:
    """Saves one change. JSON in, JSON out for the page's script (the rows and totals, freshly
    rendered); a plain form post (no script) redirects back to the register."""
    session = _session_for(request, session_id)
    wants_json = request.content_type == "application/json"
    if wants_json:
        try:
            op = json.loads(request.body or b"{}")
        except (ValueError, RecursionError):
            return JsonResponse({"detail": str(_("The change could not be read."))}, status=400)
    else:
        op = request.POST.dict()
    try:
        change = _change(_json_op(op) if wants_json else op)
        [done] = register_apply(session=session, changes=[change], actor=request.user)
        result = _shown(change, done)
    except DomainError as error:
        if wants_json:
            body = {"detail": str(error.message), "code": error.code, "field": error.field}
            return JsonResponse({**body, **_fresh(request, session)}, status=error.status_code)
        if op.get("type") != "walk_in":
            context = _context(request, session, error=error.message)
            return render(
                request, "courses/register/register.html", context, status=error.status_code
            )
        # A refused walk-in: the form comes back as typed, with the error at its field.
        form = WalkInForm(op)
        form.is_valid()
        field = error.field if error.field in form.fields else None
        if field is None or not form.has_error(field):
            form.add_error(field, str(error.message))
        context = _context(request, session, walk_in_form=form, walk_in_refused=True)
        return render(request, "courses/register/register.html", context, status=error.status_code)
    if not wants_json:
        anchor = f"#p-{result['participant']}" if "participant" in result else ""
        anchor = f"#m-{result['member']}" if "member" in result else anchor
        return redirect(reverse("register", args=[session.pk]) + anchor)
    return JsonResponse({**result, **_fresh(request, session)})


def _fresh(request: HttpRequest, session: Session) -> dict[str, Any]:
    """The register as it now stands: totals and the rows' HTML."""
    register = register_for(session)
    rows = render_to_string(
        "courses/register/_rows.html",
        {"session": session, "register": register, "statuses": AttendanceStatus.choices},
        request=request,
    )
    return {"totals": register.totals, "rows": rows}


@login_required
@require_GET
def sign_in_sheet(request: HttpRequest, session_id: int) -> HttpResponse:
    """A sheet to print for rooms without a phone at hand: names, a box per status, a line
    to sign, and empty lines for walk-ins; staff type the results into the register later."""
    session = _session_for(request, session_id)
    register = register_for(session)
    return render(
        request,
        "courses/register/sheet.html",
        {
            "session": session,
            "register": register,
            "blank_lines": range(max(5, 20 - len(register.rows) // 2)),
            "printed_at": timezone.now(),
            "tz": session.course.centre.timezone,
        },
    )
