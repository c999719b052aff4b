"""SMS texts in the participant's language: short, and never naming the topic of a sensitive
course, nor anything about nationality or status. Rendered at send time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from notifications.drafts import text_for
from notifications.models import APPOINTMENT_KINDS, MessageKind
from notifications.segments import sms_size

MAX_REMINDER_SEGMENTS = 2
# A cancellation or move notice with the session's note (when staff ticked it) stays within
# this many segments: the note is cut to fit, or left out when too little of it would fit.
MAX_NOTICE_SEGMENTS = 3
MIN_NOTE = 12
TITLE_LIMIT = 40
PLACE_LIMIT = 40
# A confirmation, promotion or offer names the centre and the first session's day and time,
# and stays within this many segments in every language: the place goes first, then the title
# and the centre are cut, down to these lengths, then the title and the weekday go.
MAX_PLACE_SEGMENTS = 2
CENTRE_LIMIT = 40
MIN_TITLE = 16
MIN_CENTRE = 16
LAST_CENTRE = 10


def _clip(text: str, limit: int, marker: str = "…") -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - len(marker)].rstrip() + marker


def _when(moment: datetime | None, tz: Any) -> dict[str, str]:
    if moment is None:
        return {"date": "", "time": "", "day": ""}
    local = moment.astimezone(tz)
    return {
        "date": formats.date_format(local, "j.m"),
        "time": formats.time_format(local, "H:i"),
        "day": formats.date_format(local, "D"),  # the weekday, abbreviated and translated
    }


def personal_link(link: str, language: str) -> str:
    """The personal link in the person's language (`?lang=uk`), so the page opens in it
    whatever the phone's browser says."""
    return f"{link}{'&' if '?' in link else '?'}lang={language}" if link else link


def message_context(
    *,
    course: Any,
    session: Any | None,
    participant: Any,
    position: int | None = None,
    offer_until: datetime | None = None,
    previous_start: datetime | None = None,
    note: str = "",
    first_session: Any | None = None,
    places: int = 1,
) -> dict[str, Any]:
    """What a text needs, taken when the message is planned (kept as JSON in the outbox).
    `note`: the session's note for participants, when staff asked for it in the notice;
    `first_session`: for a place in a whole course, the session it starts with (its time and
    place are told in the confirmation, promotion or offer); `places`: how many places the
    booking holds (a household's), told in those texts when more than one."""
    tz = course.centre.tz
    session = session if session is not None else first_session
    venue = (session.venue if session is not None else None) or course.venue
    return {
        "course_id": course.pk,
        "sensitive": course.sensitive,
        "title": {lang: _title(course, lang) for lang, _name in settings.LANGUAGES},
        "centre": course.centre.name,
        "place": ", ".join(p for p in (venue.name, venue.address) if p) if venue else "",
        "starts_at": session.starts_at.isoformat() if session is not None else None,
        "previous_start": previous_start.isoformat() if previous_start else None,
        "tz": str(tz),
        "position": position,
        "offer_until": offer_until.isoformat() if offer_until else None,
        "link": settings.PUBLIC_BASE_URL + participant.get_absolute_url(),
        "note": note,
        "first": session is not None and session is first_session,
        "places": places,
    }


def _title(course: Any, lang: str) -> str:
    with translation.override(lang):
        return str(course.title)


def render(kind: str, context: dict[str, Any], language: str) -> str:
    """The text of one SMS in `language`. Reminders are cut to fit two segments."""
    if kind == MessageKind.VERIFICATION_CODE:
        with translation.override(language):
            return _("Your code: %(code)s. Valid for 10 minutes. Do not share it.") % context
    if kind == MessageKind.STAFF_MESSAGE:  # as the staff wrote it, in the person's language
        return text_for(context["texts"], language)
    if kind in APPOINTMENT_KINDS:
        from notifications.texts_appointments import render_appointment  # it uses the helpers here

        with translation.override(language):
            return render_appointment(kind, context, language)
    tz = ZoneInfo(context.get("tz") or settings.TIME_ZONE)
    with translation.override(language):
        title = (
            _("your appointment at %(centre)s") % {"centre": context["centre"]}
            if context.get("sensitive")
            else _clip(
                context["title"].get(language) or context["title"].get("pl", ""), TITLE_LIMIT
            )
        )
        starts = datetime.fromisoformat(context["starts_at"]) if context.get("starts_at") else None
        when = _when(starts, tz)
        place = "" if context.get("sensitive") else _clip(context.get("place", ""), PLACE_LIMIT)
        link = personal_link(context["link"], language)
        values = {"title": title, "link": link, "place": place, **when}
        if kind == MessageKind.REMINDER:
            return _reminder(values)
        if kind in PLACE_HEADS:
            full_title = context["title"].get(language) or context["title"].get("pl", "")
            return _place_text(kind, context, {**values, "title": full_title}, tz)
        if kind == MessageKind.WAITLISTED:
            return _("You are number %(position)s on the waitlist: %(title)s. %(link)s") % {
                **values,
                "position": context.get("position") or "?",
            }
        if kind == MessageKind.OFFER_EXPIRED:
            return _("The offered place has passed to the next person: %(title)s.") % values
        # A sensitive course's SMS carry no free text: the note is on the personal page.
        note = "" if context.get("sensitive") else context.get("note") or ""
        if kind == MessageKind.SESSION_CANCELLED:
            return _with_note(
                _("Cancelled: %(title)s on %(date)s at %(time)s. %(link)s") % values, note
            )
        if kind == MessageKind.COURSE_CANCELLED:
            return _("Cancelled: %(title)s will not take place. We are sorry. %(link)s") % values
        if kind == MessageKind.SESSION_MOVED:
            return _with_note(
                _("Changed: %(title)s is now on %(date)s at %(time)s, %(place)s.") % values, note
            )
    raise ValueError(f"no text for {kind}")


PLACE_HEADS: dict[str, Any] = {
    MessageKind.ENROLMENT_CONFIRMED: gettext_lazy("You are enrolled"),
    MessageKind.PROMOTED: gettext_lazy("A place is yours"),
    MessageKind.OFFER_MADE: gettext_lazy("A place for you"),
}


def _place_text(kind: str, context: dict[str, Any], values: dict[str, str], tz: Any) -> str:
    """A confirmation, promotion or offer: the centre, the first session's day and time and,
    where it fits, its place, within MAX_PLACE_SEGMENTS. What gives way, in order: the place,
    then the title and the centre are cut (to MIN_TITLE, MIN_CENTRE), then the weekday and
    "from" go (the date and time stay), then the title, then the centre is cut further (to
    LAST_CENTRE). A sensitive course never has a title or a place here."""
    head = _place_head(kind, context, tz)
    tail = values["link"]

    def text(title: str, centre: str, day: str, place: str = "") -> str:
        start = ""
        if values["date"]:
            when = " ".join(p for p in (day, values["date"], values["time"]) if p)
            start = _("from %(when)s") % {"when": when} if day and context.get("first") else when
        what = ", ".join(p for p in (title, centre, start, place) if p)
        return f"{head}: {what}. {tail}"

    def fits(candidate: str) -> bool:
        return sms_size(candidate).segments <= MAX_PLACE_SEGMENTS

    centre = " ".join(context.get("centre", "").split())
    title = "" if context.get("sensitive") else " ".join(values["title"].split())
    # A cut marks itself with "…", which is not GSM-7: "..." keeps a GSM-7 text in GSM-7.
    kept = text("", centre, values["day"])  # what stays whatever is cut
    marker = "..." if sms_size(kept).encoding == "GSM-7" else "…"
    full = {"title": title, "centre": centre, "day": values["day"]}
    parts = {
        "title": _clip(title, TITLE_LIMIT, marker),
        "centre": _clip_centre(centre, CENTRE_LIMIT, marker),
        "day": values["day"],
    }
    if values["place"] and fits(found := text(**parts, place=values["place"])):
        return found
    steps = (
        ("title", MIN_TITLE),
        ("centre", MIN_CENTRE),
        ("day", 0),
        ("title", 0),
        ("centre", LAST_CENTRE),
    )
    for part, minimum in steps:
        if fits(text(**parts)):
            break

        def fits_with(cut: str, part: str = part) -> bool:
            return fits(text(**{**parts, part: cut}))

        parts[part] = _cut_to_fit(
            full[part] if parts[part] else "",
            len(parts[part]),
            minimum,
            fits_with,
            marker,
            _clip_centre if part == "centre" else _clip,
        )
    return text(**parts)


def _place_head(kind: str, context: dict[str, Any], tz: Any) -> str:
    """What the text begins with: enrolled, a place is yours, an offer (until when); for a
    booking of several places (a household) how many, in the language's plural form. Contexts
    planned before households have no `places`: one."""
    count = int(context.get("places") or 1)
    until = (
        _when(datetime.fromisoformat(context["offer_until"]), tz)
        if kind == MessageKind.OFFER_MADE and context.get("offer_until")
        else None
    )
    if count <= 1:
        return _("Offer until %(date)s %(time)s") % until if until else str(PLACE_HEADS[kind])
    if kind == MessageKind.OFFER_MADE:
        if until:
            return ngettext(
                "%(count)s place offered until %(date)s %(time)s",
                "%(count)s places offered until %(date)s %(time)s",
                count,
            ) % {"count": count, **until}
        return ngettext("%(count)s place for you", "%(count)s places for you", count) % {
            "count": count
        }
    return ngettext("%(count)s place confirmed", "%(count)s places confirmed", count) % {
        "count": count
    }


def _abbreviated(name: str) -> str:
    """The leading capitalised words as initials: "Centrum Integracji Cudzoziemców w
    Poznaniu" -> "CIC w Poznaniu", as such centres call themselves; else the name as it is."""
    words = name.split()
    lead = 0
    while lead < len(words) and words[lead][:1].isupper():
        lead += 1
    if lead < 2 or lead == len(words):
        return name
    return " ".join(["".join(w[0] for w in words[:lead]), *words[lead:]])


def _clip_centre(text: str, limit: int, marker: str = "…") -> str:
    """A centre's name within `limit`: abbreviated first, then cut out of the middle, as its
    end says where ("CIC…Wielkopolskim")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    text = _abbreviated(text)
    if len(text) <= limit:
        return text
    keep = max(limit - len(marker), 0)
    front = min(len(text.split()[0]), max(keep - 8, keep // 3))
    back = keep - front
    return text[:front].rstrip() + marker + (text[-back:].lstrip() if back else "")


def _cut_to_fit(
    value: str,
    upto: int,
    minimum: int,
    fits: Callable[[str], bool],
    marker: str,
    clip: Callable[[str, int, str], str],
) -> str:
    """The longest clip of `value`, from `upto` down to `minimum` characters, that `fits`, or
    the clip at `minimum` when none does; a `minimum` of 0 leaves the value out."""
    if not minimum:
        return ""
    shortest = clip(value, minimum, marker)
    if upto <= minimum or not fits(shortest):
        return shortest if len(shortest) < upto else clip(value, upto, marker)
    good, too_long = minimum, upto  # by bisection, as for a notice's note
    while too_long - good > 1:
        middle = (good + too_long) // 2
        if fits(clip(value, middle, marker)):
            good = middle
        else:
            too_long = middle
    return clip(value, good, marker)


def _reminder(values: dict[str, str]) -> str:
    with_place = _("Reminder: %(title)s, %(date)s at %(time)s, %(place)s.")
    without_place = _("Reminder: %(title)s, %(date)s at %(time)s.")
    text = (with_place if values["place"] else without_place) % values
    if sms_size(text).segments > MAX_REMINDER_SEGMENTS:
        text = without_place % values
    return text


def _with_note(text: str, note: str) -> str:
    """`text` followed by the note, cut so the SMS stays within MAX_NOTICE_SEGMENTS (or the
    segments the text takes alone, if more); without it when less than MIN_NOTE would fit."""
    note = " ".join(note.split())
    if not note:
        return text
    limit = max(MAX_NOTICE_SEGMENTS, sms_size(text).segments)
    if sms_size(f"{text} {note}").segments <= limit:
        return f"{text} {note}"
    fits, too_long = 0, len(note)  # the longest clip that fits, by bisection
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if sms_size(f"{text} {_clip(note, middle)}").segments <= limit:
            fits = middle
        else:
            too_long = middle
    return f"{text} {_clip(note, fits)}" if fits >= MIN_NOTE else text
