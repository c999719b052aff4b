"""Forms of a course's people page: find a person, enrol them (found or new) at the desk,
move a waiting person with a reason, cancel a place with a reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.forms.lists import PhoneCountryField
from courses.models import ADULT_AGE, Language, Participant
from courses.services.participants import ParticipantData
from courses.services.waitlist import DOWN, PRIORITY_LIMIT, UP
from courses.text import whole_number

REASON_MAX = 200


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person of the centre"),
        max_length=100,
        required=False,
        help_text=_("A phone number (or its last digits) or a name."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class DeskFields(forms.Form):
    sms_consent = forms.BooleanField(
        label=_("agrees to SMS"),
        required=False,
        help_text=_("Ask first: we tell them about their place by SMS."),
    )
    walk_in = forms.BooleanField(
        label=_("walk-in"), required=False, help_text=_("Came to the desk without booking.")
    )
    # Households (courses that take several places per booking, or have a childcare): shown
    # by the page only for those.
    party = forms.CharField(
        label=_("Other people in the booking"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One person per line: the name and, for a child, a comma and the year of birth "
            "(Sofia Kowalenko, 2019). Children of a class with childcare go to the childcare."
        ),
    )
    not_attending = forms.BooleanField(
        label=_("does not attend: books only for the others"), required=False
    )
    children_consent = forms.BooleanField(
        label=_("the parent agrees that the children's names and years of birth are kept"),
        required=False,
    )

    def clean_party(self) -> list[dict[str, Any]]:
        """The lines typed, as the services take a party: `{name, birth_year}` each."""
        people = []
        for number, line in enumerate(str(self.cleaned_data.get("party") or "").splitlines(), 1):
            text = " ".join(line.split())
            if not text:
                continue
            name, _comma, last = text.rpartition(",")
            year = whole_number(last) if name else None
            if year is not None:
                if not 1900 <= year <= timezone.localdate().year:
                    raise forms.ValidationError(
                        _("Line %(number)s: the year of birth is not a year.") % {"number": number}
                    )
            else:
                name = text
            people.append({"name": name.strip(" ,"), "birth_year": year})
        return people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        this_year = timezone.localdate().year
        children = [
            p
            for p in data.get("party") or []
            if p["birth_year"] is not None and this_year - p["birth_year"] < ADULT_AGE
        ]
        if children and not data.get("children_consent"):
            self.add_error(
                "children_consent",
                _("Ask the parent first: their consent is needed to keep the children's names."),
            )
        return data

    def household(self) -> dict[str, Any]:
        """The party's arguments of `enrolment_request`, when there is a party (else none, as
        for anyone booking one place)."""
        data = self.cleaned_data
        if not data.get("party") and not data.get("not_attending"):
            return {}
        return {"party": data.get("party") or [], "attending": not data.get("not_attending")}


class EnrolFoundForm(DeskFields):
    """Enrol a person found in the centre (their details stay as they are)."""

    participant = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, centre_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.centre_id = centre_id

    def clean_participant(self) -> Participant:
        person = Participant.objects.filter(
            pk=self.cleaned_data["participant"], centre_id=self.centre_id, erased_at__isnull=True
        ).first()
        if person is None:
            raise forms.ValidationError(_("This person is not one of the centre's."))
        return person

    def person(self) -> ParticipantData:
        found: Participant = self.cleaned_data["participant"]
        return ParticipantData(
            name=found.name,
            phone=found.phone,
            language="",  # theirs stays
            sms_consent=self.cleaned_data["sms_consent"],
        )


class EnrolNewForm(DeskFields):
    """Add a person at the desk (or find them by the phone typed) and enrol them."""

    name = forms.CharField(label=_("Name"), max_length=200)
    country = PhoneCountryField(label=_("Country of the phone number"))
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("SMS language"), choices=Language.choices, initial=Language.PL
    )
    field_order = [
        "name",
        "country",
        "phone",
        "language",
        "sms_consent",
        "walk_in",
        "party",
        "not_attending",
        "children_consent",
    ]

    def person(self) -> ParticipantData:
        data = self.cleaned_data
        return ParticipantData(
            name=data["name"],
            phone=data["phone"],
            country=data["country"],
            language=data["language"],
            sms_consent=data["sms_consent"],
        )


class MoveForm(forms.Form):
    """Up or down past the neighbour, or a priority typed; the reason always."""

    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)
    direction = forms.ChoiceField(
        choices=[(UP, _("Move up")), (DOWN, _("Move down")), ("set", _("Set the priority"))]
    )
    priority = forms.IntegerField(
        label=_("Priority"),
        required=False,
        min_value=-PRIORITY_LIMIT,
        max_value=PRIORITY_LIMIT,
        help_text=_("Higher goes first; equal priorities go by arrival."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("direction") == "set" and data.get("priority") is None:
            self.add_error("priority", _("Enter the priority."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_("Kept with the place; only the centre's staff see it."),
    )
