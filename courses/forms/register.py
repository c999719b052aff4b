"""The query of the register's session list: the day picked to find a past (or any) session."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.forms.reports import IsoDateField


class RegisterDayForm(forms.Form):
    """`?day=YYYY-MM-DD`: that day's sessions; empty: none picked."""

    day = IsoDateField(
        label=_("Sessions on a day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @property
    def picked(self) -> date | None:
        return self.cleaned_data.get("day") if self.is_valid() else None
