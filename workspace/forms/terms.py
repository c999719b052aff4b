"""Copying a course into a new term: the new dates, how it ends, and whether this term's
people are offered their place first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from workspace.forms.sessions import DateInput

ENDS = [
    ("until", _("On a date")),
    ("count", _("After a number of sessions")),
    ("never", _("Open-ended")),
]


class CopyForm(forms.Form):
    start_date = forms.DateField(label=_("First date of the new term"), widget=DateInput())
    ends = forms.ChoiceField(
        label=_("The new term ends"), choices=ENDS, widget=forms.RadioSelect, initial="until"
    )
    until = forms.DateField(label=_("Last date"), required=False, widget=DateInput())
    count = forms.IntegerField(
        label=_("Number of sessions"), required=False, min_value=1, max_value=1000
    )
    slug = forms.SlugField(
        label=_("Short name in the address"),
        max_length=80,
        help_text=_("Letters, digits and hyphens; unique in the centre."),
    )
    invite = forms.BooleanField(
        label=_("Offer this term's participants their place first"), required=False
    )
    invite_until = forms.DateField(
        label=_("They may accept until"),
        required=False,
        widget=DateInput(),
        help_text=_("Each gets an SMS with a link to accept; seats not taken then are free."),
    )

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        last = course.sessions.order_by("-starts_at").values_list("starts_at", flat=True).first()
        last_day = last.astimezone(course.centre.tz).date() if last else course.start_date
        start = last_day + timedelta(days=7)
        kwargs.setdefault(
            "initial",
            {
                "start_date": start,
                "slug": f"{course.slug[:70]}-{start:%Y-%m}",
                "invite_until": max(timezone.localdate(), start - timedelta(days=7)),
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ends = data.get("ends")
        if ends == "until" and not data.get("until"):
            self.add_error("until", _("Give the last date."))
        if ends == "count" and not data.get("count"):
            self.add_error("count", _("Give the number of sessions."))
        if data.get("invite") and not data.get("invite_until"):
            self.add_error("invite_until", _("Give the date until which they may accept."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "start_date": data["start_date"],
            "slug": data["slug"],
            "until": data["until"] if data["ends"] == "until" else None,
            "count": data["count"] if data["ends"] == "count" else None,
            "invite_until": data["invite_until"] if data["invite"] else None,
        }
