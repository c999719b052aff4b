"""The public enrolment form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from courses.forms.lists import Choices, OriginCountryField, PhoneCountryField, Select
from courses.forms.party import PartyMixin
from courses.models import (
    BookingMode,
    Course,
    Language,
    Sex,
)
from scheduling.models import Session

STATISTICS_FIELDS = ("country_of_origin", "birth_year", "sex")
MAIN_FIELDS = ("name", "country", "phone", "language", "session")


class EnrolForm(PartyMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    country = PhoneCountryField(label=_("Country of your phone number"))
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel-national"}
        ),
        help_text=_("We send your place and reminders by SMS."),
    )
    language = forms.ChoiceField(label=_("Language of your SMS"), choices=Language.choices)
    session = forms.TypedChoiceField(label=_("Date"), coerce=int, required=False, widget=Select)
    # Optional questions for funders' statistics: nothing is required, "prefer not to say"
    # (the empty answer) stores nothing.
    country_of_origin = OriginCountryField(
        label=_("Country of origin"), empty_label=_("Prefer not to say")
    )
    birth_year = forms.TypedChoiceField(
        label=_("Year of birth"), coerce=int, empty_value=None, required=False, widget=Select
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    sms_consent = forms.BooleanField(
        label=_("I agree to receive SMS about my enrolment and the sessions."), required=False
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        course: Course,
        sessions: list[Session],
        childcare_full: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.has_party = course.max_party > 1 or course.childcare_id is not None
        if self.has_party:  # households: the people the booking covers
            self.party_setup(course, childcare_full=childcare_full)
        lang = translation.get_language() or "pl"
        self.fields["language"].initial = lang if lang in dict(Language.choices) else "pl"
        self._statistics_choices()
        if course.booking_mode == BookingMode.SESSION:
            tz = course.centre.tz
            session = self.fields["session"]
            assert isinstance(session, forms.ChoiceField)  # noqa: S101 - narrowing
            session.required = True
            session.choices = [
                (s.pk, f"{s.starts_at.astimezone(tz):%d.%m.%Y %H:%M}") for s in sessions
            ]
        else:
            del self.fields["session"]

    def _statistics_choices(self) -> None:
        not_saying = ("", _("Prefer not to say"))
        this_year = timezone.localdate().year
        choices: dict[str, list[tuple[object, object]]] = {
            "birth_year": [not_saying, *((y, str(y)) for y in range(this_year, 1919, -1))],
            "sex": [not_saying, *Sex.choices],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrowing
            field.choices = Choices(options)

    @property
    def main_fields(self) -> list[forms.BoundField]:
        """The fields of the enrolment itself, in order (the form shows them first; the party's
        fields have their own places)."""
        return [self[name] for name in MAIN_FIELDS if name in self.fields]

    @property
    def statistics_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in STATISTICS_FIELDS]

    @property
    def consent_fields(self) -> list[forms.BoundField]:
        return [self["sms_consent"], self["website"]]

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Please leave this field empty."))
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_party:
            self.party_clean()
        return data


class CodeForm(forms.Form):
    """The second step of self-enrolment: the 6-digit code sent by SMS."""

    verification = forms.CharField(widget=forms.HiddenInput, max_length=64)
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                # Latin, Persian and Arabic digits: a phone's number pad shows its script's.
                "pattern": "[0-9\u06f0-\u06f9\u0660-\u0669 ]*",
                "autofocus": True,
            }
        ),
        help_text=_("6 digits. The code works for 10 minutes."),
    )
