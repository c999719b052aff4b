"""The form of a message to people: to whom (a course's people, one session's, or those
waiting), the text in Polish and, optionally, in each other language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from courses.forms.lists import Select
from courses.models import Course, Language
from notifications.drafts import (
    MAX_LENGTH,
    MAX_SEGMENTS,
    other_languages,
    texts_clean,
    too_long_message,
)
from notifications.models import Audience
from scheduling.models import Session


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        local = timezone.localtime(obj.starts_at, obj.course.centre.tz)
        label = date_format(local, "D j E Y, H:i")
        return f"{label} ({_('cancelled')})" if obj.is_cancelled else label


class MessageForm(forms.Form):
    """`session` is asked for on a course's page; on a session's page it is that session."""

    audience = forms.ChoiceField(
        label=_("To"),
        choices=Audience.choices,
        initial=Audience.CONFIRMED,
        widget=forms.RadioSelect,
    )
    session = SessionChoice(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("The whole course"),
        help_text=_("Only the people of this session (for a course booked session by session)."),
        widget=Select,
    )
    text = forms.CharField(
        label=_("Message in Polish"),
        max_length=MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Everyone without a text in their own language gets it. At most %(limit)s SMS "
            "segments. Never name the topic of a sensitive course."
        )
        % {"limit": MAX_SEGMENTS},
    )

    def __init__(self, *args: Any, course: Course, session: Session | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.course = course
        self.fixed_session = session
        if session is not None:
            del self.fields["session"]
        else:
            field = self.fields["session"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrowing
            field.queryset = (
                Session.objects.filter(course=course)
                .select_related("course__centre")
                .order_by("starts_at")
            )
        names = dict(Language.choices)
        for code in other_languages():
            self.fields[f"text_{code}"] = forms.CharField(
                label=names.get(code, code),
                max_length=MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code}),
                help_text=_("Optional: empty, they get the Polish text."),
            )

    @property
    def language_fields(self) -> list[forms.BoundField]:
        return [self[f"text_{code}"] for code in other_languages()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = {code: data.get(f"text_{code}") or "" for code in other_languages()}
        try:
            data["texts"] = texts_clean(data.get("text") or "", given)
        except ValidationError as exc:
            for message in exc.message_dict.get("text", []):
                self.add_error("text", message)
            for code, value in given.items():
                if too_long := too_long_message(value.strip()):
                    self.add_error(f"text_{code}", too_long)
        if self.fixed_session is not None:
            data["session"] = self.fixed_session
        return data
