"""Forms of the interpreters' pages: an interpreter (name, contact, languages, note), their duty
hours as rows (a weekday at a centre of the network, from and until, valid from and until), and
a specialist's languages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from appointments.languages import CONSULTATION_LANGUAGES, language_codes
from appointments.models import Interpreter, InterpreterHours
from appointments.services.interpreters import HoursData
from courses.models import Centre
from workspace.forms.sessions import DateInput, TimeInput
from workspace.selectors.scope import Scope

WEEKDAYS = InterpreterHours._meta.get_field("weekday").choices


def network_centres(scope: Scope) -> QuerySet[Centre]:
    """The user's centres and the others of their networks (an interpreter may be on duty at
    any centre of their network)."""
    mine = scope.centres()
    if scope.superuser:
        return mine.order_by("name")
    networks = mine.exclude(network="").values("network")
    return Centre.objects.filter(Q(pk__in=mine.values("pk")) | Q(network__in=networks)).order_by(
        "name"
    )


class LanguagesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CONSULTATION_LANGUAGES, **kwargs)


class InterpreterForm(forms.ModelForm):
    languages = LanguagesField(label=_("Languages"))

    class Meta:
        model = Interpreter
        fields = ["centre", "name", "phone", "email", "languages", "active", "note"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centre = self.fields["centre"]
        assert isinstance(centre, forms.ModelChoiceField)  # noqa: S101 - narrowing
        centre.queryset = scope.centres().order_by("name")
        centre.empty_label = None
        centre.help_text = _("The centre that records the interpreter.")
        if self.instance.pk:
            self.initial["languages"] = language_codes(self.instance.languages)

    def clean_languages(self) -> str:
        return ",".join(self.cleaned_data["languages"])


class HoursForm(forms.Form):
    centre: forms.ModelChoiceField[Centre] = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none()
    )
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=list(WEEKDAYS or []), coerce=int)
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Until"), widget=TimeInput())
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, centres: QuerySet[Centre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centre = self.fields["centre"]
        assert isinstance(centre, forms.ModelChoiceField)  # noqa: S101 - narrowing
        centre.queryset = centres

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The hours end after they start."))
        first, last = data.get("valid_from"), data.get("valid_until")
        if first and last and last < first:
            self.add_error("valid_until", _("The last day is before the first."))
        return data

    def hours(self) -> HoursData:
        data = self.cleaned_data
        return HoursData(
            centre=data["centre"],
            weekday=data["weekday"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            valid_from=data.get("valid_from"),
            valid_until=data.get("valid_until"),
        )


BaseHoursFormSet = forms.formset_factory(HoursForm, extra=2, can_delete=True, max_num=28)


def hours_formset(scope: Scope, data: Any = None, interpreter: Interpreter | None = None) -> Any:
    initial = []
    if interpreter is not None and interpreter.pk:
        initial = [
            {
                "centre": row.centre_id,
                "weekday": row.weekday,
                "starts_at": row.starts_at,
                "ends_at": row.ends_at,
                "valid_from": row.valid_from,
                "valid_until": row.valid_until,
            }
            for row in interpreter.hours.order_by("weekday", "starts_at", "pk")
        ]
    return BaseHoursFormSet(
        data, initial=initial, prefix="hours", form_kwargs={"centres": network_centres(scope)}
    )


def hours_of(formset: Any) -> list[HoursData]:
    """The rows filled in and not ticked for deletion."""
    return [
        form.hours()
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class SpecialistLanguagesForm(forms.Form):
    languages = LanguagesField(
        label=_("Languages of consultations"),
        required=False,
        help_text=_("None ticked: Polish."),
    )
