"""REST API for centres, venues and courses. Views parse input and call one service."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from courses.api.base import HourMinuteField, SlugRelatedField
from courses.api.permissions import CentrePermission
from courses.api.schedule import (
    RECURRENCE_HELP,
    PreviewRequestSerializer,
    PreviewSerializer,
    ScheduleField,
    clean_schedule,
)
from courses.models import Centre, Course, CourseKind, Venue
from courses.selectors import tenancy as selectors
from courses.services import catalogue as services
from courses.text import RECURRENCE_MAX_LENGTH, text_limit
from scheduling import builder, rules
from scheduling.preview import course_sessions_preview

TRANSLATED_LANGUAGES = ("pl", "uk", "en", "ru")


def _limited(label: str, *names: str) -> dict[str, dict[str, Any]]:
    """max_length for free text fields (courses.text.TEXT_LIMITS), in every language."""
    return {name: {"max_length": text_limit(label)} for name in names}


class CentreSerializer(serializers.ModelSerializer[Centre]):
    class Meta:
        model = Centre
        fields = [
            "id",
            "slug",
            "name",
            "network",
            "address",
            "postal_code",
            "city",
            "voivodeship",
            "phone",
            "email",
            "website",
            "timezone",
            "opening_hours",
        ]
        extra_kwargs = _limited("courses.Centre.opening_hours", "opening_hours")


class CentreViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Centre],
):
    """Integration centres. Anyone may read; superusers create; a centre's staff update it."""

    serializer_class = CentreSerializer
    lookup_field = "slug"
    permission_classes = [CentrePermission]
    filterset_fields = ["city", "voivodeship", "network"]

    def get_queryset(self) -> QuerySet[Centre]:
        if self.request.method in SAFE_METHODS:
            return selectors.centres_public()
        return selectors.centres_managed_for_user(self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer[Centre]) -> None:
        serializer.instance = services.centre_save(centre=Centre(), **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer[Centre]) -> None:
        assert serializer.instance is not None  # noqa: S101 - narrowing
        serializer.instance = services.centre_save(
            centre=serializer.instance, **serializer.validated_data
        )


class VenueSerializer(serializers.ModelSerializer[Venue]):
    centre: serializers.SlugRelatedField[Centre] = SlugRelatedField(
        slug_field="slug", queryset=Centre.objects.none()
    )

    class Meta:
        model = Venue
        fields = ["id", "centre", "name", "address", "postal_code", "city", "accessibility"]
        extra_kwargs = _limited("courses.Venue.accessibility", "accessibility")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field = self.fields["centre"]
            field.queryset = selectors.centres_managed_for_user(request.user)  # type: ignore[attr-defined]


class VenueFilter(django_filters.FilterSet):
    centre = django_filters.CharFilter(field_name="centre__slug")

    class Meta:
        model = Venue
        fields = ["centre", "city"]


class VenueViewSet(viewsets.ModelViewSet[Venue]):
    """Places where sessions happen. Anyone may read; a centre's staff manage its venues."""

    serializer_class = VenueSerializer
    filterset_class = VenueFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Venue]:
        if self.request.method in SAFE_METHODS:
            return Venue.objects.select_related("centre").order_by("centre_id", "name")
        return selectors.venues_managed_for_user(self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer[Venue]) -> None:
        serializer.instance = services.venue_save(venue=Venue(), **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer[Venue]) -> None:
        assert serializer.instance is not None  # noqa: S101 - narrowing
        serializer.instance = services.venue_save(
            venue=serializer.instance, **serializer.validated_data
        )


class CourseSerializer(serializers.ModelSerializer[Course]):
    centre: serializers.SlugRelatedField[Centre] = SlugRelatedField(
        slug_field="slug", queryset=Centre.objects.none()
    )
    venue: serializers.PrimaryKeyRelatedField[Venue] = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.none(), allow_null=True, required=False
    )
    title = serializers.CharField(
        max_length=200,
        help_text="Title in the request's language (Accept-Language), falling back to Polish.",
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=text_limit("courses.Course.description")
    )
    recurrence = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=RECURRENCE_MAX_LENGTH,
        help_text=RECURRENCE_HELP,
    )
    schedule = ScheduleField(
        help_text="The rule as builder choices, instead of `recurrence` (both may be sent when "
        "they agree, as GET answers them). Null in answers when the builder cannot show the rule."
    )
    start_time = HourMinuteField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "centre",
            "slug",
            "kind",
            "title",
            *(f"title_{lang}" for lang in TRANSLATED_LANGUAGES),
            "description",
            *(f"description_{lang}" for lang in TRANSLATED_LANGUAGES),
            "audience",
            "level",
            "trainers",
            "venue",
            "capacity",
            "booking_mode",
            "waitlist_mode",
            "offer_hours",
            "published",
            "recurrence",
            "schedule",
            "start_date",
            "start_time",
            "duration_minutes",
            "skip_public_holidays",
            "enrolment_open",
            "sensitive",
            "reminder_hours",
            "url",
        ]
        extra_kwargs = {
            **{f"title_{lang}": {"required": False} for lang in TRANSLATED_LANGUAGES},
            **{
                f"description_{lang}": {
                    "required": False,
                    "max_length": text_limit("courses.Course.description"),
                }
                for lang in TRANSLATED_LANGUAGES
            },
            "trainers": {"required": False},
        }
        # Uniqueness of (centre, slug) is checked by the model's full_clean in the service.
        validators: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["centre"].queryset = selectors.centres_managed_for_user(request.user)  # type: ignore[attr-defined]
            self.fields["venue"].queryset = selectors.venues_managed_for_user(request.user)  # type: ignore[attr-defined]
            trainers = self.fields["trainers"].child_relation  # type: ignore[attr-defined]
            trainers.queryset = selectors.trainer_choices_for_user(request.user)

    def to_representation(self, instance: Course) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["recurrence"] = instance.recurrence_text
        return data

    def get_url(self, course: Course) -> str:
        request = self.context.get("request")
        path = course.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        centre = attrs.get("centre") or (self.instance.centre if self.instance else None)
        if self.instance is not None and "centre" in attrs and attrs["centre"] != centre:
            raise serializers.ValidationError({"centre": _("A course cannot change centre.")})
        venue = attrs.get("venue")
        if venue is not None and centre is not None and venue.centre_id != centre.pk:
            raise serializers.ValidationError({"venue": _("The venue belongs to another centre.")})
        start_date = attrs.get("start_date") or getattr(self.instance, "start_date", None)
        schedule = clean_schedule(attrs, start_date=start_date, tz=centre.tz if centre else None)
        attrs.pop("schedule", None)
        if schedule is not None:
            attrs["recurrence"] = builder.schedule_to_text(schedule)
        return attrs

    @staticmethod
    def service_fields(attrs: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        """Map validated input to service keyword arguments."""
        fields = dict(attrs)
        fields.pop("centre", None)
        if "recurrence" in fields:
            fields["recurrence_text"] = fields.pop("recurrence")
        lang = (get_language() or "pl").split("-")[0]
        if lang not in TRANSLATED_LANGUAGES:
            lang = "pl"
        for name in ("title", "description"):
            if name in fields:
                value = fields.pop(name)
                fields.setdefault(f"{name}_{lang}", value)
                if creating:
                    fields.setdefault(f"{name}_pl", value)
        return fields


class CourseFilter(django_filters.FilterSet):
    centre = django_filters.CharFilter(field_name="centre__slug")
    kind = django_filters.ChoiceFilter(choices=CourseKind.choices)

    class Meta:
        model = Course
        fields = ["centre", "kind", "audience", "level", "booking_mode", "published"]


class CourseViewSet(viewsets.ModelViewSet[Course]):
    """Courses with their time as a rule. Creating or changing one generates its sessions."""

    serializer_class = CourseSerializer
    filterset_class = CourseFilter

    def get_queryset(self) -> QuerySet[Course]:
        if self.request.method in SAFE_METHODS:
            qs = selectors.courses_visible_for_user(self.request.user)
        else:
            qs = selectors.courses_managed_for_user(self.request.user)
        return qs.order_by("centre_id", "start_date", "id")

    def perform_create(self, serializer: serializers.BaseSerializer[Course]) -> None:
        attrs = dict(serializer.validated_data)
        centre = attrs["centre"]
        course, _result = services.course_create(
            centre=centre, **CourseSerializer.service_fields(attrs, creating=True)
        )
        serializer.instance = course

    def perform_update(self, serializer: serializers.BaseSerializer[Course]) -> None:
        attrs = dict(serializer.validated_data)
        assert serializer.instance is not None  # noqa: S101 - narrowing
        course, _result = services.course_update(
            course=serializer.instance, **CourseSerializer.service_fields(attrs, creating=False)
        )
        serializer.instance = course

    def perform_destroy(self, instance: Course) -> None:
        services.course_delete(course=instance)

    @extend_schema(request=PreviewRequestSerializer, responses=PreviewSerializer)
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        """The sessions a course with these fields would get and the days skipped (holidays,
        closures, dates to skip), exactly as saving it would generate them; saves nothing."""
        given = PreviewRequestSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            found = course_sessions_preview(
                centre=data["centre"],
                start_date=data["start_date"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                recurrence=data["rule"],
                skip_public_holidays=data["skip_public_holidays"],
            )
        except rules.RuleError as exc:  # as a course's answer: {field: [message]}
            field = exc.field or "recurrence"
            raise serializers.ValidationError({field: [str(exc.message)]}) from exc
        return Response(PreviewSerializer(found).data)

    @extend_schema(request=None, responses=CourseSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel every session still to come and close enrolment; people hear it once."""
        course = self.get_object()
        services.course_cancel(course=course, actor=request.user)
        return Response(CourseSerializer(course, context=self.get_serializer_context()).data)
