"""Forms of the specialists' day view: the day and specialist picked; a slot blocked or freed;
a person booked at the desk (found or added) in a language; an appointment cancelled with a
reason, or marked attended or no-show."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.contrib.auth.models import User as AuthUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.languages import CONSULTATION_LANGUAGES
from appointments.models import AppointmentStatus
from courses.forms.reports import IsoDateField
from courses.models import AppointmentMode
from workspace.forms.course_people import REASON_MAX, EnrolFoundForm, EnrolNewForm


class SpecialistField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AuthUser) -> str:
        return obj.get_full_name() or obj.get_username()


class DayForm(forms.Form):
    """`?day=YYYY-MM-DD&specialist=<id>`: that day (today when empty), one specialist or all."""

    day = IsoDateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    specialist = SpecialistField(
        label=_("Specialist"),
        queryset=AuthUser.objects.none(),
        required=False,
        empty_label=_("All specialists"),
    )

    def __init__(self, *args: Any, specialists: list[AuthUser], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["specialist"]
        assert isinstance(field, SpecialistField)  # noqa: S101 - narrowing
        field.queryset = AuthUser.objects.filter(pk__in=[u.pk for u in specialists]).order_by(
            "first_name", "last_name", "username"
        )


class SlotField(forms.CharField):
    """A slot's start as the page wrote it (ISO 8601 with its offset), read as an instant."""

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Choose a slot of the list.")) from exc
        if timezone.is_naive(moment):
            raise forms.ValidationError(_("Choose a slot of the list."))
        return moment.astimezone(UTC)


class SlotForm(forms.Form):
    """A slot of the session (`at`) and, when blocking, why (optional)."""

    at = SlotField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False)
    specialist = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MarkForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (AppointmentStatus.ATTENDED, _("Attended")),
            (AppointmentStatus.NO_SHOW, _("Did not come")),
        ]
    )
    specialist = forms.IntegerField(required=False, widget=forms.HiddenInput)


class VideoLinkForm(forms.Form):
    """The video call's address of an appointment held by video (empty: none yet)."""

    video_link = forms.CharField(
        label=_("Video call link"),
        max_length=400,
        required=False,
        help_text=_("Shown only to the booked person, on their personal page."),
    )
    specialist = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LanguageForm(forms.Form):
    """The language the person needs, among those the slot is offered in, and how the
    appointment is held (the course's way unless staff choose another for this slot)."""

    language = forms.ChoiceField(label=_("Language of the consultation"))
    mode = forms.ChoiceField(label=_("How"), choices=AppointmentMode.choices, required=False)

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(CONSULTATION_LANGUAGES)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrowing
        field.choices = [(code, names.get(code, code)) for code in languages]


class BookFoundForm(EnrolFoundForm):
    """Book a person found in the centre (their details stay as they are)."""

    language = forms.ChoiceField(choices=CONSULTATION_LANGUAGES)
    mode = forms.ChoiceField(choices=AppointmentMode.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["walk_in"]  # an appointment is booked ahead, never a walk-in


class BookNewForm(EnrolNewForm):
    """Add a person at the desk (or find them by the phone typed) and book them."""

    consultation_language = forms.ChoiceField(
        label=_("Language of the consultation"), choices=CONSULTATION_LANGUAGES
    )
    mode = forms.ChoiceField(label=_("How"), choices=AppointmentMode.choices, required=False)
    field_order = ["name", "country", "phone", "language", "sms_consent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["walk_in"]
