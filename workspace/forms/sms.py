"""The SMS log's filters: course, person (name or phone), kind and status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.forms.lists import Select
from courses.text import MAX_ID
from notifications.models import MessageKind, MessageStatus
from workspace.selectors.scope import Scope


class SmsFilters(forms.Form):
    course = forms.TypedChoiceField(
        label=_("Course"), required=False, coerce=int, empty_value=None, widget=Select
    )
    q = forms.CharField(
        label=_("Person (name or phone)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *MessageKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *MessageStatus.choices],
    )
    person = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = scope.managed_courses().order_by("title", "pk")
        field = self.fields["course"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrowing
        several = scope.superuser or len(scope.managed) > 1
        field.choices = [
            ("", _("All courses")),
            *((c.pk, f"{c.title} · {c.centre.name}" if several else str(c.title)) for c in courses),
        ]
