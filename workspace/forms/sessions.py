"""Forms for one session: cancel, move, add. They read local dates and times at the centre;
the end of a moved session follows from its duration, in real time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Venue
from scheduling import rules
from scheduling.models import Session

NOTE_MAX = 1000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class NoteFields(forms.Form):
    note = forms.CharField(
        label=_("Note for the participants"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on their personal page, e.g. where to go instead."),
    )
    note_in_sms = forms.BooleanField(label=_("Include the note in the SMS"), required=False)


def _venue_field(course: Course) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.filter(centre=course.centre_id).order_by("name"),
        required=False,
        empty_label=_("No venue"),
    )


def _local(day: date, at: time, course: Course) -> datetime:
    return rules.localize(datetime.combine(day, at), course.centre.tz)


def _check_day(day: date | None) -> date | None:
    if day is not None and not (rules.FIRST_DAY < day < rules.LAST_DAY):
        raise forms.ValidationError(rules.out_of_range_message())
    return day


class CancelForm(NoteFields):
    pass


class MoveForm(NoteFields):
    day = forms.DateField(label=_("New date"), widget=DateInput())
    start = forms.TimeField(label=_("New start time"), widget=TimeInput())

    field_order = ["day", "start", "venue", "note", "note_in_sms"]

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        self.session = session
        tz = session.course.centre.tz
        local = session.starts_at.astimezone(tz)
        kwargs.setdefault(
            "initial",
            {"day": local.date(), "start": local.time().replace(second=0), "venue": session.venue},
        )
        super().__init__(*args, **kwargs)
        self.fields["venue"] = _venue_field(session.course)
        self.order_fields(self.field_order)

    def clean_day(self) -> date | None:
        return _check_day(self.cleaned_data.get("day"))

    @property
    def duration(self) -> timedelta:
        return self.session.ends_at - self.session.starts_at

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("start"):
            starts_at = _local(data["day"], data["start"], self.session.course)
            data["starts_at"] = starts_at
            data["ends_at"] = rules.ends_after(starts_at, self.duration)
        return data


class AddForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("Start time"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=rules.MAX_DURATION_MINUTES
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Leave empty to use the course's capacity."),
    )
    note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = ["day", "start", "duration_minutes", "venue", "capacity", "note"]

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        self.course = course
        kwargs.setdefault(
            "initial",
            {
                "start": course.start_time,
                "duration_minutes": course.duration_minutes,
                "venue": course.venue,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["venue"] = _venue_field(course)
        self.order_fields(self.field_order)

    def clean_day(self) -> date | None:
        return _check_day(self.cleaned_data.get("day"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("start") and data.get("duration_minutes"):
            starts_at = _local(data["day"], data["start"], self.course)
            data["starts_at"] = starts_at
            data["ends_at"] = rules.ends_after(
                starts_at, timedelta(minutes=data["duration_minutes"])
            )
        return data
