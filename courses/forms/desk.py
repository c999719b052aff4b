"""The desk enrolment form: staff enrol a person found by phone, or added, into their courses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.errors import DomainError
from courses.forms.lists import PhoneCountryField, Select
from courses.models import Course, Language
from courses.selectors.tenancy import User, courses_managed_for_user
from courses.services.participants import ParticipantData
from scheduling.models import Session


class DeskEnrolmentForm(forms.Form):
    """Only the user's courses and their sessions still to come are offered."""

    course: forms.ModelChoiceField[Course] = forms.ModelChoiceField(
        label=_("course"), queryset=Course.objects.none(), widget=Select
    )
    session: forms.ModelChoiceField[Session] = forms.ModelChoiceField(
        label=_("session"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_("Only for courses booked session by session."),
        widget=Select,
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    country = PhoneCountryField(label=_("Country of the phone number"))
    phone = forms.CharField(label=_("mobile phone"), max_length=40)
    language = forms.ChoiceField(label=_("language"), choices=Language.choices, initial="pl")
    sms_consent = forms.BooleanField(label=_("agrees to SMS"), required=False)
    priority = forms.IntegerField(
        label=_("priority"), initial=0, min_value=-100, max_value=100, required=False
    )
    walk_in = forms.BooleanField(label=_("walk-in"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = courses_managed_for_user(user).select_related("centre").order_by("title")
        course = self.fields["course"]
        session = self.fields["session"]
        assert isinstance(course, forms.ModelChoiceField)  # noqa: S101 - narrowing
        assert isinstance(session, forms.ModelChoiceField)  # noqa: S101 - narrowing
        course.queryset = courses
        session.queryset = (
            Session.objects.filter(course__in=courses, starts_at__gt=timezone.now())
            .scheduled()
            .select_related("course")
            .order_by("starts_at")
        )

    def person(self) -> ParticipantData:
        data = self.cleaned_data
        return ParticipantData(
            name=data["name"],
            phone=data["phone"],
            country=data["country"],
            language=data["language"],
            sms_consent=data["sms_consent"],
        )

    def add_domain_error(self, exc: DomainError) -> None:
        """A refusal of the services, shown at its field (or above the form)."""
        self.add_error(exc.field if exc.field in self.fields else None, str(exc.message))
