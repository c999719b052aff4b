"""The timetable's filters: a week or a month, and course, kind, trainer and venue, offered
among what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CourseKind
from scheduling import rules
from workspace.selectors.scope import Scope


class TimetableFilters(forms.Form):
    view = forms.ChoiceField(
        label=_("View"),
        choices=[("week", _("Week")), ("month", _("Month"))],
        required=False,
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    course = forms.TypedChoiceField(label=_("Course"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CourseKind.choices]
    )
    trainer = forms.TypedChoiceField(
        label=_("Trainer"), required=False, coerce=int, empty_value=None
    )
    venue = forms.TypedChoiceField(label=_("Venue"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = scope.courses().order_by("title", "pk")
        self._set("course", _("All courses"), [(c.pk, c.title) for c in courses])
        trainers = (
            get_user_model()
            .objects.filter(courses__in=courses.values("pk"))
            .distinct()
            .order_by("username")
        )
        self._set(
            "trainer",
            _("All trainers"),
            [(u.pk, u.get_full_name() or u.username) for u in trainers],
        )
        self._set("venue", _("All venues"), [(v.pk, str(v)) for v in scope.venues()])

    def _set(self, name: str, everyone: Any, choices: list[tuple[int, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrowing
        field.choices = [("", everyone), *choices]

    def clean_date(self) -> Any:
        day = self.cleaned_data.get("date")
        if day is not None and not (
            rules.FIRST_DAY.replace(year=1901) <= day <= rules.LAST_DAY.replace(year=2998)
        ):
            raise forms.ValidationError(rules.out_of_range_message())
        return day or timezone.localdate()

    def clean_view(self) -> str:
        return self.cleaned_data.get("view") or "week"
