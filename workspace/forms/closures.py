"""A closure of a centre: its days and why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from scheduling.models import Closure
from workspace.forms.sessions import DateInput
from workspace.selectors.scope import Scope


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["centre", "starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {"reason": _("For example: winter break, renovation.")}

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centre = self.fields["centre"]
        assert isinstance(centre, forms.ModelChoiceField)  # noqa: S101 - narrowing
        centre.queryset = scope.centres().order_by("name")
        centre.help_text = ""
        if scope.superuser:
            centre.required = False
            centre.empty_label = str(_("All centres"))
        else:
            centre.required = True
            centre.empty_label = None
            if not self.instance.pk and centre.queryset.count() == 1:
                centre.initial = centre.queryset.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data
