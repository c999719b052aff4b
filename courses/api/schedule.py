"""The schedule builder in the API: a course's `schedule` (weekdays, every N weeks, how it
ends, dates to skip) beside its RFC 5545 `recurrence`, and the preview of the sessions a course
would get (POST /api/v1/courses/preview/). Input is read by `scheduling.builder`, the rule
checked and expanded by `scheduling.preview`: the same code as saving a course."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courses.api.base import HourMinuteField, SlugRelatedField
from courses.models import Centre, Course
from courses.selectors import tenancy as selectors
from courses.text import RECURRENCE_MAX_LENGTH
from scheduling import builder, rules
from scheduling.preview import SessionsPreview

RECURRENCE_HELP = (
    "RFC 5545 lines (RRULE, EXRULE, RDATE, EXDATE) in the centre's local time, e.g. "
    "'RRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=24\\nEXDATE:20261229'. Empty: one session. "
    "Give this or `schedule`."
)


class ScheduleSchemaSerializer(serializers.Serializer[Any]):
    """What `schedule` looks like (documentation only: `scheduling.builder` reads it)."""

    weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=builder.WEEKDAYS),
        min_length=1,
        help_text='Days of the week with a session, e.g. ["TU", "TH"].',
    )
    interval = serializers.IntegerField(
        min_value=1, max_value=builder.MAX_INTERVAL, default=1, help_text="Every N weeks."
    )
    until = serializers.DateField(
        allow_null=True, required=False, help_text="The last date (inclusive); or `count`."
    )
    count = serializers.IntegerField(
        min_value=1,
        allow_null=True,
        required=False,
        help_text=(
            "How many sessions the rule makes (RECURRENCE_MAX_SESSIONS at most); or `until`. "
            "Neither: open-ended, generated up to SESSION_HORIZON_DAYS ahead. A skipped date, "
            "a closure or a holiday counts: COUNT=10 with one of them gives nine sessions."
        ),
    )
    skip_dates = serializers.ListField(
        child=serializers.DateField(),
        max_length=builder.MAX_SKIP_DATES,
        required=False,
        help_text="Dates without a session (EXDATE), YYYY-MM-DD.",
    )


@extend_schema_field(ScheduleSchemaSerializer(allow_null=True))
class ScheduleField(serializers.Field):
    """The course's rule as builder choices. Answers null when the builder cannot show the
    rule (several RRULEs, monthly, EXRULE, RDATE...): `recurrence` then has it. On input, any
    JSON object: checked by `clean_schedule` once the first date is known."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Course) -> Course:
        return instance

    def to_representation(self, value: Course) -> dict[str, Any] | None:
        found = builder.schedule_from_recurrence(value.recurrence, value.centre.tz)
        return found.as_dict() if found is not None else None

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                _("Give the schedule as an object with weekdays, interval…")
            )
        return data


def clean_schedule(
    attrs: dict[str, Any], *, start_date: date | None, tz: Any
) -> builder.BuilderSchedule | None:
    """Read `schedule` from validated input, and refuse it beside a `recurrence` that says
    something else (GET's answer, which has both, may be sent back as it is). Returns None
    when no schedule was given; raises ValidationError naming the fields."""
    raw = attrs.get("schedule")
    if raw is None:
        return None
    try:
        schedule = builder.schedule_clean(raw, start_date=start_date)
    except builder.ScheduleInvalid as exc:
        raise serializers.ValidationError({"schedule": exc.messages_dict()}) from exc
    if attrs.get("recurrence") is not None and tz is not None:
        try:
            same = builder.schedule_from_text(attrs["recurrence"], tz) == schedule
        except rules.RuleError as exc:
            raise serializers.ValidationError({"recurrence": [str(exc.message)]}) from exc
        if not same:
            raise serializers.ValidationError(
                {
                    "schedule": [
                        _("Give either schedule or recurrence: these two describe different rules.")
                    ]
                }
            )
    return schedule


class PreviewRequestSerializer(serializers.Serializer[dict[str, Any]]):
    """The fields of a course that decide its sessions."""

    centre: serializers.SlugRelatedField[Centre] = SlugRelatedField(
        slug_field="slug", queryset=Centre.objects.none()
    )
    start_date = serializers.DateField()
    start_time = HourMinuteField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=rules.MAX_DURATION_MINUTES)
    schedule = ScheduleField()
    recurrence = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=RECURRENCE_MAX_LENGTH,
        help_text=RECURRENCE_HELP,
    )
    skip_public_holidays = serializers.BooleanField(default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["centre"].queryset = selectors.centres_managed_for_user(request.user)  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        schedule = clean_schedule(attrs, start_date=attrs["start_date"], tz=attrs["centre"].tz)
        attrs["rule"] = schedule if schedule is not None else attrs.get("recurrence", "")
        return attrs


class PreviewSessionSerializer(serializers.Serializer[Any]):
    starts_at = serializers.DateTimeField(help_text="With the centre's UTC offset.")
    ends_at = serializers.DateTimeField(
        help_text="After the duration in real time (a session across a DST switch too)."
    )


class PreviewSkippedSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=["holiday", "closure", "excluded"],
        help_text="A public holiday, a closure of the centre, or a date to skip of the rule.",
    )
    name = serializers.CharField(
        help_text="The holiday's name (in the request's language where known), the closure's "
        "reason, or empty."
    )


class PreviewSerializer(serializers.Serializer[SessionsPreview]):
    sessions = PreviewSessionSerializer(many=True)
    skipped = PreviewSkippedSerializer(many=True)
    total = serializers.IntegerField(help_text="How many sessions saving the course makes.")
    truncated = serializers.BooleanField(
        help_text="More sessions than shown (`sessions` stops at the preview's limit)."
    )
    horizon_end = serializers.DateField(
        allow_null=True,
        help_text="Open-ended rules: the last date sessions are generated to (it moves on).",
    )

    def to_representation(self, instance: SessionsPreview) -> dict[str, Any]:
        return {
            "sessions": [
                {"starts_at": o.starts_at.isoformat(), "ends_at": o.ends_at.isoformat()}
                for o in instance.sessions
            ],
            "skipped": [
                {"date": s.date.isoformat(), "reason": s.reason, "name": s.name}
                for s in instance.skipped
            ],
            "total": instance.total,
            "truncated": instance.truncated,
            "horizon_end": instance.horizon_end.isoformat() if instance.horizon_end else None,
        }
