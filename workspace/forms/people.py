"""People: the search box, and a person's details with the statistics questions as pickers
(country of origin from the list, year of birth, sex), each with "prefers not to say"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.forms.lists import Choices, OriginCountryField, Select
from courses.models import Language, Participant, Sex

OLDEST_YEAR = 1900
NOT_SAYING = ("", _("Prefers not to say"))


class PeopleSearch(forms.Form):
    q = forms.CharField(
        label=_("Name or phone"),
        max_length=100,
        required=False,
        help_text=_("A name (or part of it), or a phone number written any way."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        help_text=_("A Polish number as it is written, or another with its code, e.g. +380."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    language = forms.ChoiceField(label=_("Language of their SMS"), choices=Language.choices)
    email = forms.EmailField(label=_("E-mail"), required=False)
    country_of_origin = OriginCountryField(label=_("Country of origin"), empty_label=NOT_SAYING[1])
    birth_year = forms.TypedChoiceField(
        label=_("Year of birth"), coerce=int, empty_value=None, required=False, widget=Select
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False)

    def __init__(self, *args: Any, person: Participant, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                name: getattr(person, name)
                for name in ("name", "phone", "language", "email", "sex", "birth_year")
            }
            | {"country_of_origin": person.country_of_origin},
        )
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = [(y, str(y)) for y in range(this_year, OLDEST_YEAR - 1, -1)]
        if person.birth_year and person.birth_year > this_year:  # kept as it was typed
            years.insert(0, (person.birth_year, str(person.birth_year)))
        self._choices("birth_year", years)
        self._choices("sex", list(Sex.choices))

    def _choices(self, name: str, options: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrowing
        field.choices = Choices([NOT_SAYING, *options])
