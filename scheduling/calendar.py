"""The public calendar of a centre: what to show (filters, week or list) and subscribe links.
Shared by the centre page and the website embed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courses.models import Audience, Centre, Course, CourseKind, Level, Participant
from scheduling import rules
from scheduling.models import Session

MAX_WEEKS = 12


class CalendarFilterForm(forms.Form):
    """The query string of the centre page and the embed. Every field is optional."""

    view = forms.ChoiceField(
        label=_("View"),
        choices=[("list", _("List")), ("week", _("Week"))],
        required=False,
    )
    week = forms.DateField(
        label=_("Week of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *CourseKind.choices], required=False
    )
    audience = forms.ChoiceField(
        label=_("For"), choices=[("", _("Everyone")), *Audience.choices[1:]], required=False
    )
    level = forms.ChoiceField(
        label=_("Level of Polish"), choices=[("", _("Any level")), *Level.choices], required=False
    )
    course = forms.SlugField(required=False, widget=forms.HiddenInput)
    weeks = forms.IntegerField(
        label=_("Weeks"), min_value=1, max_value=MAX_WEEKS, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_view(self) -> str:
        return self.cleaned_data.get("view") or "list"


@dataclass(frozen=True)
class CalendarPage:
    centre: Centre
    view: str
    start: date
    end: date  # exclusive
    days: list[tuple[date, list[Session]]]
    filters: dict[str, Any]
    errors: list[str]

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def previous_week(self) -> str:
        return self._query(week=(self.start - timedelta(days=7)).isoformat())

    @property
    def next_week(self) -> str:
        return self._query(week=(self.start + timedelta(days=7)).isoformat())

    def _query(self, **changes: str) -> str:
        params = {k: v for k, v in {**self.filters, "view": self.view, **changes}.items() if v}
        return "?" + urlencode(params)


def calendar_page(centre: Centre, params: Any, *, now: datetime | None = None) -> CalendarPage:
    """Read the filters (invalid ones are reported and ignored) and find the sessions."""
    form = CalendarFilterForm(params)
    valid = form.is_valid()
    data = (
        form.cleaned_data
        if valid
        else {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    )
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    tz = centre.tz
    today = (now or timezone.now()).astimezone(tz).date()
    view = data.get("view") or "list"
    if view == "week":
        anchor = data.get("week") or today
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=7)
    else:
        start = today
        end = start + timedelta(weeks=data.get("weeks") or 4)
    sessions = Session.objects.filter(
        course__centre=centre,
        course__published=True,
        starts_at__gte=rules.localize(datetime.combine(start, time()), tz),
        starts_at__lt=rules.localize(datetime.combine(end, time()), tz),
    )
    if view == "list":
        sessions = sessions.filter(ends_at__gte=now or timezone.now())
    for name in ("kind", "audience", "level"):
        if data.get(name):
            sessions = sessions.filter(**{f"course__{name}": data[name]})
    if data.get("course"):
        sessions = sessions.filter(course__slug=data["course"])
    sessions = sessions.select_related("course__centre", "venue").order_by("starts_at", "pk")
    days = [
        (day, list(items))
        for day, items in groupby(sessions, key=lambda s: s.starts_at.astimezone(tz).date())
    ]
    if view == "week":
        found = dict(days)
        days = [
            (start + timedelta(days=n), found.get(start + timedelta(days=n), [])) for n in range(7)
        ]
    filters = {name: (data.get(name) or "") for name in ("kind", "audience", "level", "course")}
    if data.get("weeks"):
        filters["weeks"] = str(data["weeks"])
    return CalendarPage(centre, view, start, end, days, filters, errors)


@dataclass(frozen=True)
class SubscribeLinks:
    https: str
    webcal: str
    google: str
    download: str


def subscribe_links(
    centre: Centre,
    course: Course | None = None,
    *,
    lang: str = "",
    participant: Participant | None = None,
) -> SubscribeLinks:
    if participant is not None:
        path = reverse("calendar-private", kwargs={"token": participant.token})
    elif course is None:
        path = reverse("calendar-centre", kwargs={"centre": centre.slug})
    else:
        path = reverse("calendar-course", kwargs={"centre": centre.slug, "course": course.slug})
    query = f"?lang={lang}" if lang and lang != settings.LANGUAGE_CODE else ""
    https = settings.PUBLIC_BASE_URL + path + query
    webcal = "webcal://" + https.split("://", 1)[1]
    return SubscribeLinks(
        https=https,
        webcal=webcal,
        google="https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        download=https + ("&" if query else "?") + "download=1",
    )


def embed_snippet(centre: Centre, *, lang: str = "pl", weeks: int = 4) -> str:
    url = settings.PUBLIC_BASE_URL + reverse("embed", kwargs={"centre": centre.slug})
    return format_html(
        '<iframe src="{}?lang={}&amp;weeks={}" title="{}" width="100%" height="640" '
        'loading="lazy" style="border:0"></iframe>',
        url,
        lang,
        weeks,
        centre.name,
    )
