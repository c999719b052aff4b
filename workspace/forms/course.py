"""The course editor: every field of a course in sections, titles and descriptions per language,
and the schedule builder (weekdays, every N weeks, how it ends, dates to skip) with the RFC 5545
text as an advanced option. Both describe one rule: the builder's text is what is saved, unless
staff ticked the text option; a text the builder can show fills the builder back."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.forms.models import fields_for_model
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from courses.selectors.tenancy import trainer_choices_for_user
from courses.text import RECURRENCE_MAX_LENGTH
from scheduling import builder, rules
from workspace.forms.sessions import DateInput, TimeInput
from workspace.selectors.scope import Scope

LANGS = [code for code, _name in settings.LANGUAGES]
TEXTS = [f"title_{lang}" for lang in LANGS] + [f"description_{lang}" for lang in LANGS]
SECTIONS = {
    "what": ["slug", "kind", "specialty", "audience", "level"],
    "where": ["centre", "venue", "trainers"],
    "places": [
        "capacity",
        "booking_mode",
        "waitlist_mode",
        "offer_hours",
        "enrolment_open",
        "published",
    ],
    "sms": ["reminder_hours", "sensitive"],
    "time": ["start_date", "start_time", "duration_minutes", "skip_public_holidays"],
    "households": ["max_party", "min_age", "max_age", "waitlist_fit", "childcare"],
    "slots": [
        "slot_minutes",
        "buffer_minutes",
        "booking_window_days",
        "booking_cutoff_hours",
        "appointment_mode",
    ],
}
MODEL_FIELDS = [f for names in SECTIONS.values() for f in names if f != "trainers"] + TEXTS
# Fields with a default that a form of before they were shown may leave out: the course keeps
# what it had (a new one the default).
KEPT_WHEN_LEFT_OUT = [
    "max_party",
    "waitlist_fit",
    "slot_minutes",
    "buffer_minutes",
    "booking_window_days",
    "booking_cutoff_hours",
    "appointment_mode",
]
ENDS = [
    ("until", _("On a date")),
    ("count", _("After a number of sessions")),
    ("never", _("Open-ended")),
]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class CourseForm(forms.Form):
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"),
        choices=[(code, WEEKDAY_NAMES[i]) for i, code in enumerate(builder.WEEKDAYS)],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interval = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=builder.MAX_INTERVAL, initial=1
    )
    ends = forms.ChoiceField(
        label=_("Ends"), choices=ENDS, widget=forms.RadioSelect, initial="until"
    )
    until = forms.DateField(label=_("Last date"), required=False, widget=DateInput())
    count = forms.IntegerField(label=_("Number of sessions"), required=False, min_value=1)
    skip_dates = forms.CharField(
        label=_("Dates to skip"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One date a line (YYYY-MM-DD), e.g. a trip day. Holidays and closures are "
            "skipped anyway."
        ),
    )
    use_text = forms.BooleanField(
        label=_("Write the rule as RFC 5545 text instead"), required=False
    )
    recurrence_text = forms.CharField(
        label=_("Rule (RFC 5545)"),
        required=False,
        max_length=RECURRENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "For example RRULE:FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270630. Kept in step with the "
            "builder."
        ),
    )

    def __init__(
        self, *args: Any, scope: Scope, course: Course | None = None, **kwargs: Any
    ) -> None:
        self.course = course
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            Course,
            fields=[*MODEL_FIELDS, "trainers"],
            widgets={
                "start_date": DateInput(),
                "start_time": TimeInput(),
                "trainers": forms.CheckboxSelectMultiple,
                **{f"description_{lang}": forms.Textarea(attrs={"rows": 4}) for lang in LANGS},
            },
        )
        for name, field in model_fields.items():
            self.fields[name] = field
        self.fields["centre"].queryset = scope.centres().order_by("name")  # type: ignore[attr-defined]
        self.fields["venue"].queryset = scope.venues()  # type: ignore[attr-defined]
        self.fields["trainers"].queryset = trainer_choices_for_user(scope.user)  # type: ignore[attr-defined]
        self.fields["trainers"].required = False
        self.fields["recurrence_text"].required = False
        childcare = scope.managed_courses()
        if course is not None:
            childcare = childcare.exclude(pk=course.pk)
        self.fields["childcare"].queryset = childcare.order_by("title")  # type: ignore[attr-defined]
        for name in KEPT_WHEN_LEFT_OUT:
            self.fields[name].required = False
        for lang in LANGS:
            language = dict(settings.LANGUAGES)[lang]
            self.fields[f"title_{lang}"].label = _("Title (%(language)s)") % {"language": language}
            self.fields[f"description_{lang}"].label = _("Description (%(language)s)") % {
                "language": language
            }
            self.fields[f"title_{lang}"].required = lang == "pl"
        if not self.is_bound:
            self.initial = initial_for(course) if course is not None else self._new_initial(scope)

    @staticmethod
    def _new_initial(scope: Scope) -> dict[str, Any]:
        centres = list(scope.centres()[:2])
        return {
            "centre": centres[0] if len(centres) == 1 else None,
            "interval": 1,
            "ends": "until",
            "capacity": 20,
            "offer_hours": 48,
            "reminder_hours": "24,2",
            "enrolment_open": True,
            "skip_public_holidays": True,
            "duration_minutes": 90,
        }

    @property
    def title_fields(self) -> list[forms.BoundField]:
        return [self[f"title_{lang}"] for lang in LANGS]

    @property
    def description_fields(self) -> list[forms.BoundField]:
        return [self[f"description_{lang}"] for lang in LANGS]

    @property
    def what_fields(self) -> list[forms.BoundField]:
        return [self[f] for f in SECTIONS["what"]]

    @property
    def household_fields(self) -> list[forms.BoundField]:
        return [self[f] for f in SECTIONS["households"]]

    @property
    def slot_fields(self) -> list[forms.BoundField]:
        return [self[f] for f in SECTIONS["slots"]]

    @property
    def places_fields(self) -> list[forms.BoundField]:
        return [self[f] for f in ("capacity", "booking_mode", "waitlist_mode", "offer_hours")]

    def clean_skip_dates(self) -> list[str]:
        raw = self.cleaned_data.get("skip_dates") or ""
        parts = [p for p in re.split(r"[\s,;]+", raw) if p]
        bad = [p for p in parts if not _DATE.fullmatch(p)]
        if bad:
            raise forms.ValidationError(
                _("Write dates as YYYY-MM-DD: %(dates)s") % {"dates": ", ".join(bad[:3])}
            )
        return parts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data.get("use_text"):
            data["rule_text"] = data.get("recurrence_text") or ""
            return data
        raw = {
            "weekdays": data.get("weekdays") or [],
            "interval": data.get("interval") or 1,
            "until": data["until"].isoformat()
            if data.get("ends") == "until" and data.get("until")
            else None,
            "count": data.get("count") if data.get("ends") == "count" else None,
            "skip_dates": data.get("skip_dates") or [],
        }
        if data.get("ends") == "until" and not data.get("until"):
            self.add_error("until", _("Give the last date."))
            return data
        if data.get("ends") == "count" and not data.get("count"):
            self.add_error("count", _("Give the number of sessions."))
            return data
        try:
            schedule = builder.schedule_clean(raw, start_date=data.get("start_date"))
        except builder.ScheduleInvalid as exc:
            for name, messages in exc.messages_dict().items():
                target = name if name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
            return data
        data["rule_text"] = builder.schedule_to_text(schedule)
        return data

    def synced_data(self) -> Any:
        """The posted data with the other half of the rule filled in: the builder's text in
        the advanced box, or the builder's fields from a text it can show."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
        rule = self.cleaned_data.get("rule_text")
        centre = self.cleaned_data.get("centre")
        if rule is None or centre is None:
            return data
        if not self.cleaned_data.get("use_text"):
            data["recurrence_text"] = rule
            return data
        try:
            schedule = builder.schedule_from_text(rule, centre.tz)
        except rules.RuleError:
            return data
        if schedule is not None:
            for name, value in _builder_initial(schedule).items():
                if isinstance(value, list):
                    data.setlist(name, value)
                else:
                    data[name] = value
        return data

    def service_fields(self) -> dict[str, Any]:
        """The course's fields for the service. `sensitive` goes only when staff changed the box
        from what the editor showed (unticked for a new course), so a course that becomes a
        psychological consultation is made sensitive by the service unless they chose."""
        data = self.cleaned_data
        fields = {name: data[name] for name in MODEL_FIELDS if name in data and name != "centre"}
        for name in KEPT_WHEN_LEFT_OUT:
            if fields.get(name) in (None, ""):
                fields.pop(name, None)
        shown = self.course.sensitive if self.course is not None else False
        if fields.get("sensitive") == shown:
            del fields["sensitive"]
        fields["trainers"] = list(data.get("trainers") or [])
        fields["recurrence_text"] = data["rule_text"]
        return fields


def _builder_initial(schedule: builder.BuilderSchedule) -> dict[str, Any]:
    ends = "until" if schedule.until else "count" if schedule.count else "never"
    return {
        "weekdays": list(schedule.weekdays),
        "interval": str(schedule.interval),
        "ends": ends,
        "until": schedule.until.isoformat() if schedule.until else "",
        "count": str(schedule.count) if schedule.count else "",
        "skip_dates": "\n".join(d.isoformat() for d in schedule.skip_dates),
    }


def initial_for(course: Course) -> dict[str, Any]:
    """A saved course as the form shows it; a rule the builder cannot show opens the text."""
    initial: dict[str, Any] = {
        name: getattr(course, name) for name in MODEL_FIELDS if name != "centre"
    }
    initial["centre"] = course.centre
    initial["trainers"] = list(course.trainers.all())
    initial["recurrence_text"] = course.recurrence_text
    schedule = builder.schedule_from_recurrence(course.recurrence, course.centre.tz)
    if schedule is None:
        initial.update({"use_text": bool(course.recurrence_text), "interval": 1, "ends": "never"})
    else:
        initial.update(_builder_initial(schedule))
    return initial
