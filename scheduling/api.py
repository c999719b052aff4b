"""REST API for sessions and closures. Views parse input and call one service."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from courses.api.base import DateTimeField, IdFilter, LocalDateTimeField, SlugRelatedField
from courses.models import Centre, Course, CourseKind, Venue
from courses.selectors import tenancy as course_selectors
from courses.text import text_limit
from scheduling import rules, selectors, services
from scheduling.models import Closure, Session, SessionStatus


class SessionSerializer(serializers.ModelSerializer[Session]):
    course: serializers.PrimaryKeyRelatedField[Course] = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.none()
    )
    centre: serializers.SlugRelatedField[Centre] = serializers.SlugRelatedField(
        source="course.centre", slug_field="slug", read_only=True
    )
    title = serializers.CharField(source="course.title", read_only=True)
    kind = serializers.CharField(source="course.kind", read_only=True)
    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField()
    original_start = LocalDateTimeField(read_only=True)
    venue: serializers.PrimaryKeyRelatedField[Venue] = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "course",
            "centre",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "status",
            "venue",
            "original_start",
            "moved",
            "capacity",
            "note",
            "sequence",
        ]
        read_only_fields = ["status", "moved", "sequence"]
        extra_kwargs = {"note": {"max_length": text_limit("scheduling.Session.note")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["course"].queryset = course_selectors.courses_managed_for_user(user)  # type: ignore[attr-defined]
            self.fields["venue"].queryset = course_selectors.venues_managed_for_user(user)  # type: ignore[attr-defined]


class SessionDetailsSerializer(serializers.ModelSerializer[Session]):
    """What PATCH may change; time, place and status change through the actions."""

    class Meta:
        model = Session
        fields = ["capacity", "note"]
        extra_kwargs = {"note": {"max_length": text_limit("scheduling.Session.note")}}


class SessionNoteSerializer(serializers.Serializer[dict[str, Any]]):
    """What a cancel or a move may say to participants (both optional)."""

    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=text_limit("scheduling.Session.note"),
        help_text="The session's note for participants; empty or left out: it stays as it is.",
    )
    note_in_sms = serializers.BooleanField(
        required=False, default=False, help_text="The notice SMS carries the note."
    )


class SessionMoveSerializer(SessionNoteSerializer):
    starts_at = DateTimeField()
    ends_at = DateTimeField(
        required=False,
        help_text="Leave out to keep the session's length (real time, across DST switches).",
    )
    venue: serializers.PrimaryKeyRelatedField[Venue] = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.none(), allow_null=True, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["venue"].queryset = course_selectors.venues_managed_for_user(request.user)  # type: ignore[attr-defined]


class DateOrDateTimeFilter(django_filters.CharFilter):
    """Accepts 2026-11-22 (local midnight of that day) or a full ISO 8601 date-time."""

    def __init__(self, *args: Any, end_of_day: bool = False, **kwargs: Any) -> None:
        self.end_of_day = end_of_day
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise serializers.ValidationError(
                {self.field_name: [_("Use a date (2026-11-22) or an ISO 8601 date-time.")]}
            ) from exc
        if len(value) == 10:  # a plain date
            moment = datetime.combine(moment.date(), time.max if self.end_of_day else time.min)
        try:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            moment.astimezone(UTC)  # what the database is given
        except OverflowError:
            # At the very edge of the calendar (0001-01-01, 9999-12-31, ...): nothing is stored
            # beyond it, so the bound either keeps every session or none.
            after_the_end = moment.year > 5000
            return qs.none() if (self.lookup_expr == "gte") == after_the_end else qs
        return super().filter(qs, moment)


class SessionFilter(django_filters.FilterSet):
    course = IdFilter(field_name="course_id")
    centre = django_filters.CharFilter(field_name="course__centre__slug")
    kind = django_filters.ChoiceFilter(field_name="course__kind", choices=CourseKind.choices)
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices)
    # `from` and `to` select sessions that overlap the range; a plain date is a whole local day.
    start = DateOrDateTimeFilter(field_name="ends_at", lookup_expr="gte", label="from")
    end = DateOrDateTimeFilter(
        field_name="starts_at", lookup_expr="lte", end_of_day=True, label="to"
    )

    class Meta:
        model = Session
        fields = ["course", "centre", "kind", "status"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            for public, internal in (("from", "start"), ("to", "end")):
                if public in data:
                    data[internal] = data[public]
        super().__init__(data, *args, **kwargs)


class SessionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Session],
):
    """Sessions of courses. Public for published courses; a centre's staff see all of theirs.

    Filters: `course`, `centre` (slug), `kind`, `status`, `from` and `to` (dates or date-times).
    POST adds a one-off session outside the rule; time, place and status change through the
    `cancel`, `restore` and `move` actions; PATCH changes `capacity` and `note`.
    """

    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Session]:
        if self.request.method in SAFE_METHODS:
            qs = selectors.sessions_visible_for_user(self.request.user)
        else:
            qs = selectors.sessions_managed_for_user(self.request.user)
        return qs.order_by("starts_at", "id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "partial_update":
            return SessionDetailsSerializer
        if self.action == "move":
            return SessionMoveSerializer
        if self.action == "cancel":
            return SessionNoteSerializer
        return SessionSerializer

    def perform_create(self, serializer: serializers.BaseSerializer[Session]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.session_add(
            course=data["course"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            venue=data.get("venue"),
            capacity=data.get("capacity"),
            note=data.get("note", ""),
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self.get_object()
        serializer = SessionDetailsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        session = services.session_update_details(
            session=session,
            capacity=data.get("capacity", services._UNSET),
            note=data.get("note"),
        )
        return Response(self._out(session))

    def _out(self, session: Session) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=session.pk)
        return SessionSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(request=SessionNoteSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        serializer = SessionNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        session = services.session_cancel(
            session=session,
            actor=request.user,
            note=data.get("note", ""),
            note_in_sms=data.get("note_in_sms", False),
        )
        return Response(self._out(session))

    @extend_schema(request=None, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        session = services.session_restore(session=self.get_object(), actor=request.user)
        return Response(self._out(session))

    @extend_schema(request=SessionMoveSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        serializer = SessionMoveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kwargs: dict[str, Any] = {}
        if "venue" in data:
            kwargs["venue"] = data["venue"]
        ends_at = data.get("ends_at") or rules.ends_after(
            data["starts_at"], session.ends_at - session.starts_at
        )
        session = services.session_move(
            session=session,
            starts_at=data["starts_at"],
            ends_at=ends_at,
            actor=request.user,
            note=data.get("note", ""),
            note_in_sms=data.get("note_in_sms", False),
            **kwargs,
        )
        return Response(self._out(session))


class ClosureSerializer(serializers.ModelSerializer[Closure]):
    centre: serializers.SlugRelatedField[Centre] = SlugRelatedField(
        slug_field="slug", queryset=Centre.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = Closure
        fields = ["id", "centre", "starts_on", "ends_on", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            managed = course_selectors.centres_managed_for_user(request.user)
            self.fields["centre"].queryset = managed  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context.get("request")
        centre = attrs.get("centre", getattr(self.instance, "centre", None))
        if centre is None and not (request and request.user.is_superuser):
            raise serializers.ValidationError(
                {"centre": [_("Only an administrator may close every centre at once.")]}
            )
        starts_on = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends_on = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts_on and ends_on and ends_on < starts_on:
            raise serializers.ValidationError(
                {"ends_on": [_("The last day cannot be before the first day.")]}
            )
        return attrs


class ClosureFilter(django_filters.FilterSet):
    centre = django_filters.CharFilter(field_name="centre__slug")

    class Meta:
        model = Closure
        fields = ["centre"]


class ClosureViewSet(viewsets.ModelViewSet[Closure]):
    """Days a centre (or every centre) is closed. Saving one re-generates future sessions."""

    serializer_class = ClosureSerializer
    filterset_class = ClosureFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Closure]:
        if self.request.method in SAFE_METHODS:
            return selectors.closures_visible_for_user(self.request.user).order_by("starts_on")
        return selectors.closures_managed_for_user(self.request.user).order_by("starts_on")

    def perform_create(self, serializer: serializers.BaseSerializer[Closure]) -> None:
        serializer.instance = services.closure_save(closure=Closure(**serializer.validated_data))

    def perform_update(self, serializer: serializers.BaseSerializer[Closure]) -> None:
        closure = serializer.instance
        assert closure is not None  # noqa: S101 - narrowing
        for name, value in serializer.validated_data.items():
            setattr(closure, name, value)
        serializer.instance = services.closure_save(closure=closure)

    def perform_destroy(self, instance: Closure) -> None:
        services.closure_delete(closure=instance)
