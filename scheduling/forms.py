"""The public calendar's filters, read from the query string."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Audience, CourseKind, Level
from scheduling import rules

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

    def clean_week(self) -> date | None:
        week: date | None = self.cleaned_data.get("week")
        if week is not None and not rules.FIRST_DAY <= week <= rules.LAST_DAY:
            raise forms.ValidationError(
                _("The calendar cannot show that week: choose a date from %(first)s to %(last)s."),
                params={"first": rules.FIRST_DAY.isoformat(), "last": rules.LAST_DAY.isoformat()},
            )
        return week


def read_filters(params: Any) -> tuple[dict[str, Any], list[str]]:
    """The filters that could be read, and what is wrong with the others (they are ignored)."""
    form = CalendarFilterForm(params)
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return data, errors
