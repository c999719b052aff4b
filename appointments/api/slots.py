"""GET /api/v1/slots/?course=<id>&language=<code>&from=&to=: the free slots of a slot-booked
course in a language (public for published courses; staff also see their unpublished ones)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments.languages import CONSULTATION_LANGUAGES
from appointments.selectors.slots import free_slots
from courses.api.base import DateTimeField
from courses.models import BookingMode, Course
from courses.selectors.tenancy import centres_managed_for_user
from courses.text import MAX_ID

# The longest span one request may ask for: the slots of about nine weeks.
MAX_SPAN = timedelta(days=63)
DEFAULT_SPAN = timedelta(days=28)


class SlotQuerySerializer(serializers.Serializer[dict[str, Any]]):
    course = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    language = serializers.ChoiceField(choices=CONSULTATION_LANGUAGES, default="pl")
    # "from" is a Python keyword: read from the query by `SlotsView` and passed as `start`.
    start = DateTimeField(required=False, help_text="From (default: now).")
    end = DateTimeField(required=False, help_text="Until (default: four weeks later).")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start") or timezone.now()
        end = attrs.get("end") or start + DEFAULT_SPAN
        if end <= start:
            raise serializers.ValidationError({"to": [_("The end is before the start.")]})
        if end - start > MAX_SPAN:
            raise serializers.ValidationError(
                {"to": [_("Ask for at most %(days)s days at a time.") % {"days": MAX_SPAN.days}]}
            )
        return {**attrs, "start": start, "end": end}


class SlotSerializer(serializers.Serializer[dict[str, Any]]):
    course = serializers.IntegerField()
    starts_at = serializers.DateTimeField(help_text="In the centre's time zone, with its offset.")
    ends_at = serializers.DateTimeField()
    language = serializers.CharField()
    interpreter = serializers.BooleanField(
        help_text="True when an interpreter will be booked with the slot."
    )


def _local(moment: datetime, tz: Any) -> str:
    return moment.astimezone(tz).isoformat()


class SlotsView(APIView):
    """The free slots of a slot-booked course in a language, in time order. A slot is listed
    when it is not booked or blocked, its booking is open (inside the booking window, before
    the cutoff) and a specialist of the course speaks the language or an interpreter for it is
    free then (`interpreter` is then true)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("course", int, required=True),
            OpenApiParameter(
                "language", str, enum=[code for code, _name in CONSULTATION_LANGUAGES]
            ),
            OpenApiParameter("from", datetime, description="From (default: now)."),
            OpenApiParameter("to", datetime, description="Until (default: four weeks later)."),
        ],
        responses=SlotSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = {
            key: value
            for key, value in (
                ("course", request.query_params.get("course")),
                ("language", request.query_params.get("language")),
                ("start", request.query_params.get("from")),
                ("end", request.query_params.get("to")),
            )
            if value not in (None, "")
        }
        serializer = SlotQuerySerializer(data=query)
        if not serializer.is_valid():
            errors = dict(serializer.errors)
            for ours, theirs in (("start", "from"), ("end", "to")):
                if ours in errors:
                    errors[theirs] = errors.pop(ours)
            raise serializers.ValidationError(errors)
        data = serializer.validated_data
        visible = Q(published=True) | Q(centre__in=centres_managed_for_user(request.user))
        course = (
            Course.objects.filter(visible, pk=data["course"], booking_mode=BookingMode.SLOTS)
            .select_related("centre")
            .first()
        )
        if course is None:
            raise serializers.ValidationError(
                {"course": [_("No slot-booked course with this id.")]}
            )
        slots = free_slots(
            courses=[course], language=data["language"], start=data["start"], end=data["end"]
        )
        tz = course.centre.tz
        body = [
            {
                "course": slot.course_id,
                "starts_at": _local(slot.starts_at, tz),
                "ends_at": _local(slot.ends_at, tz),
                "language": slot.language,
                "interpreter": slot.interpreter,
            }
            for slot in slots
        ]
        return Response(body)
