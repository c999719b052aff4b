"""The public booking form of a consultation slot (or of a full day's waitlist): the enrolment
form's fields (name, phone with its country, SMS language, the optional statistics questions,
consent, the bots' field), with the slot and the language asked for carried along."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.forms.enrol import CodeForm, EnrolForm
from courses.models import Course


def slot_start(text: str) -> datetime | None:
    """A slot's start as the pages give it (ISO 8601 with its offset), else None."""
    try:
        moment = datetime.fromisoformat(str(text)[:40].strip())
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


class BookForm(EnrolForm):
    """Who books: the same questions as an enrolment. The slot (`at`) or the day (`day`) and the
    consultation language (`consultation`) come from the page, as hidden fields."""

    consultation = forms.CharField(widget=forms.HiddenInput, max_length=8)
    at = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)
    day = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, course=course, sessions=[], **kwargs)
        self.fields["sms_consent"].label = _(
            "I agree to receive SMS about my appointment (the confirmation and reminders)."
        )
        self.fields["phone"].help_text = _("We send the confirmation and reminders by SMS.")


class BookCodeForm(CodeForm):
    """The code from the SMS; `for_day`: the request is to wait for a day, not a slot."""

    for_day = forms.BooleanField(widget=forms.HiddenInput, required=False)
    consultation = forms.CharField(widget=forms.HiddenInput, max_length=8, required=False)


class MoveForm(forms.Form):
    """The slot an appointment moves to (its start, as the list of free slots gives it)."""

    at = forms.CharField(max_length=40)
