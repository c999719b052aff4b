"""The SMS about one appointment, in the person's language: booked, reminder, moved, cancelled,
and a freed slot booked from the day's waitlist. Each names the consultation (or, when it is
sensitive, only "your appointment at <centre>"), the day and time, and how it is held: the
place in person, "by phone", or "by video" (the link itself is only on the person's page, never
in an SMS that someone else may read), and whether an interpreter will be there (never which
language: that would say something about the person). A sensitive consultation never names the
topic nor the place. Cut to fit MAX_APPOINTMENT_SEGMENTS: the place goes first, then the title
is cut, then the weekday goes. Without models: the context was taken when it was planned."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from notifications.models import MessageKind
from notifications.segments import sms_size
from notifications.texts import _clip, _when, personal_link

MAX_APPOINTMENT_SEGMENTS = 3
TITLE_LIMIT = 40
MIN_TITLE = 16
PLACE_LIMIT = 40


def _templates() -> dict[str, str]:
    return {
        MessageKind.APPOINTMENT_BOOKED: _("Booked: %(what)s. To change or cancel: %(link)s"),
        MessageKind.APPOINTMENT_REMINDER: _("Reminder: %(what)s. %(link)s"),
        MessageKind.APPOINTMENT_MOVED: _("New time: %(what)s. %(link)s"),
        MessageKind.APPOINTMENT_CANCELLED: _("Cancelled: %(what)s. %(link)s"),
        MessageKind.APPOINTMENT_OFFERED: _(
            "A slot freed up and is booked for you: %(what)s. Cannot come? Cancel: %(link)s"
        ),
    }


def render_appointment(kind: str, context: dict[str, Any], language: str) -> str:
    """The text of one appointment SMS (the caller has switched to `language`)."""
    tz = ZoneInfo(context.get("tz") or settings.TIME_ZONE)
    starts = datetime.fromisoformat(context["starts_at"]) if context.get("starts_at") else None
    when = _when(starts, tz)
    sensitive = bool(context.get("sensitive"))
    if sensitive:
        title = _("your appointment at %(centre)s") % {"centre": context.get("centre", "")}
    else:
        titles = context.get("title") or {}
        title = " ".join(str(titles.get(language) or titles.get("pl", "")).split())
    mode = context.get("mode") or "in_person"
    place = "" if sensitive else " ".join(str(context.get("place") or "").split())
    how = {
        "phone": _("by phone: we will call you"),
        "video": _("by video: the link is on your page"),
    }.get(mode, "")
    helper = _("an interpreter will be there") if context.get("interpreter") else ""
    template = _templates()[kind]
    link = personal_link(context.get("link", ""), language)
    cancelled = kind == MessageKind.APPOINTMENT_CANCELLED

    def text(title_part: str, day: str, with_place: bool) -> str:
        moment = " ".join(p for p in (day, when["date"], when["time"]) if p)
        parts = [title_part, moment]
        if not cancelled:
            parts += [_clip(place, PLACE_LIMIT) if with_place and mode == "in_person" else "", how]
            parts.append(helper)
        return template % {"what": ", ".join(p for p in parts if p), "link": link}

    def fits(candidate: str) -> bool:
        return sms_size(candidate).segments <= MAX_APPOINTMENT_SEGMENTS

    short = _clip(title, TITLE_LIMIT) if not sensitive else title
    for candidate in (
        text(short, when["day"], True),
        text(short, when["day"], False),
        text(_clip(title, MIN_TITLE) if not sensitive else title, when["day"], False),
    ):
        if fits(candidate):
            return candidate
    return text(_clip(title, MIN_TITLE) if not sensitive else title, "", False)
