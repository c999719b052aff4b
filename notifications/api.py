"""REST API for messages to people: `POST /api/v1/courses/<id>/messages/preview/` (who would
get what, and what it costs) and `POST /api/v1/courses/<id>/messages/` (send it). For the staff
of the course's centre only: to anyone else (another centre's staff, a trainer) the course's
messages do not exist (404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Course
from courses.selectors.tenancy import courses_managed_for_user
from notifications.audience import message_preview
from notifications.drafts import MAX_LENGTH, MAX_SEGMENTS, texts_clean
from notifications.models import Audience
from notifications.services.messages import staff_message_send
from scheduling.models import Session

PK_MAX = 2**31 - 1  # larger ids would overflow the database's integer


class MessageInputSerializer(serializers.Serializer[dict[str, Any]]):
    text = serializers.CharField(
        max_length=MAX_LENGTH,
        allow_blank=True,
        help_text=f"The message in Polish; everyone without a text in their language gets it. "
        f"At most {MAX_SEGMENTS} SMS segments.",
    )
    texts = serializers.DictField(
        child=serializers.CharField(max_length=MAX_LENGTH, allow_blank=True),
        required=False,
        default=dict,
        help_text='The message in other languages, e.g. `{"uk": "...", "ru": "..."}` '
        "(uk, en, ru); a blank one means the Polish text.",
    )
    session = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=PK_MAX,
        help_text="Only the people of this session of the course.",
    )
    audience = serializers.ChoiceField(
        choices=Audience.choices,
        default=Audience.CONFIRMED,
        help_text="`confirmed`: people with a place; `waiting`: people on the waitlist "
        "(or offered a place).",
    )

    def validate_session(self, value: int | None) -> Session | None:
        if value is None:
            return None
        session = Session.objects.filter(pk=value, course=self.context["course"]).first()
        if session is None:
            raise serializers.ValidationError(_("This session is not one of the course's."))
        return session

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["cleaned"] = texts_clean(attrs["text"], attrs.get("texts"))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class ExcludedSerializer(serializers.Serializer[Any]):
    no_consent = serializers.IntegerField(help_text="People without SMS consent (or number).")
    opted_out = serializers.IntegerField(help_text="People whose number is opted out.")


class MessagePreviewSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField(help_text="People who get the SMS, each once.")
    recipients = serializers.DictField(
        child=serializers.IntegerField(), help_text="People who get it, by language."
    )
    segments = serializers.DictField(
        child=serializers.IntegerField(), help_text="SMS segments of each language's text."
    )
    encoding = serializers.DictField(
        child=serializers.CharField(), help_text="`GSM-7` or `UCS-2`, by language."
    )
    texts = serializers.DictField(
        child=serializers.CharField(),
        help_text="The text each language gets (the Polish one where none was given).",
    )
    cost = serializers.DictField(
        child=serializers.CharField(), help_text="Estimated cost by language (decimal)."
    )
    estimated_cost = serializers.CharField(
        help_text="Segments × the price per segment of each number's country "
        "(SMS_PRICE_PER_SEGMENT)."
    )
    currency = serializers.CharField(help_text="SMS_PRICE_CURRENCY.")
    excluded = ExcludedSerializer(help_text="People of the audience who get no SMS.")


class MessageSentSerializer(MessagePreviewSerializer):
    id = serializers.IntegerField(help_text="The message to people.")
    repeated = serializers.BooleanField(
        help_text="True when the same message (same texts, same people, same day) was sent "
        "already: nothing was sent again, this is the first one."
    )


class _CourseMessages(APIView):
    permission_classes = [IsAuthenticated]

    def course(self, request: Request, pk: int) -> Course:
        course = courses_managed_for_user(request.user).filter(pk=pk).first()
        if course is None:
            raise Http404
        return course

    def given(self, request: Request, course: Course) -> dict[str, Any]:
        data = MessageInputSerializer(data=request.data, context={"course": course})
        data.is_valid(raise_exception=True)
        return data.validated_data


class CourseMessagePreviewView(_CourseMessages):
    @extend_schema(
        request=MessageInputSerializer,
        responses={200: MessagePreviewSerializer},
        operation_id="courses_messages_preview",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Who would get the message (by language), its segments and encoding per language,
        and the estimated cost; sends and saves nothing."""
        course = self.course(request, pk)
        data = self.given(request, course)
        preview = message_preview(
            course=course,
            session=data.get("session"),
            audience=data["audience"],
            texts=data["cleaned"],
        )
        return Response(preview.summary())


class CourseMessageView(_CourseMessages):
    @extend_schema(
        request=MessageInputSerializer,
        responses={
            201: OpenApiResponse(
                MessageSentSerializer,
                "Sent (through the outbox: each person once, in their language); also the "
                "answer to the same request made again, with `repeated`.",
            )
        },
        operation_id="courses_messages_send",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Send the message to the people of the course (or of one session; with a place, or
        waiting), never to opted-out numbers nor to people without SMS consent."""
        course = self.course(request, pk)
        data = self.given(request, course)
        result = staff_message_send(
            actor=request.user,
            course=course,
            session=data.get("session"),
            audience=data["audience"],
            text=data["text"],
            texts=data["texts"],
        )
        return Response(result.summary(), status=status.HTTP_201_CREATED)
