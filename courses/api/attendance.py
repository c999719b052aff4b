"""The register through the API: GET and PUT /api/v1/sessions/<id>/attendance/.

Only the session's trainers, its centre's staff and superusers; anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.api.base import DateTimeField
from courses.models import AttendanceStatus
from courses.selectors.register import RegisterRow, register_for, register_sessions_for_user
from courses.services.attendance import Mark, register_apply
from courses.text import MAX_ID
from scheduling.models import Session


class StrictIntegerField(serializers.IntegerField):
    """A JSON number without a fraction: "12", 12.0 and true are refused, not read as 12 or 1
    (DRF's IntegerField takes them, so a float or a string would mark somebody)."""

    def to_internal_value(self, data: Any) -> int:
        if type(data) is not int:  # bool is an int subclass: refused too
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictTextMixin:
    """Only a JSON string: a number, a boolean or a list is refused, not turned into text."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            raise serializers.ValidationError(
                serializers.CharField.default_error_messages["invalid"], code="invalid"
            )
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictChoiceField(StrictTextMixin, serializers.ChoiceField):
    pass


class StrictDateTimeField(StrictTextMixin, DateTimeField):
    pass


class AttendanceEntrySerializer(serializers.Serializer[dict[str, Any]]):
    participant = StrictIntegerField(min_value=1, max_value=MAX_ID)
    member = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="A person of the participant's booking (their row's `member`).",
    )
    status = StrictChoiceField(
        choices=AttendanceStatus.choices,
        allow_blank=True,
        help_text="Empty: not marked, nothing changes (so a GET can be sent back as it is).",
    )
    at = StrictDateTimeField(
        required=False, help_text="When the mark was made (an older mark never wins)."
    )


class AttendanceRowSerializer(serializers.Serializer[Any]):
    participant = serializers.IntegerField(source="participant.pk")
    member = serializers.IntegerField(
        source="member.pk",
        allow_null=True,
        default=None,
        help_text="A person of the participant's booking on a row of their own; null: the "
        "participant themselves.",
    )
    name = serializers.SerializerMethodField()
    status = serializers.CharField(allow_blank=True, help_text="Empty when not marked yet.")
    walk_in = serializers.BooleanField()
    expected = serializers.BooleanField(help_text="Holds a confirmed place.")

    def get_name(self, row: RegisterRow) -> str:
        if row.participant.erased_at:
            return ""
        return row.member.name if row.member is not None else row.participant.name


class AttendanceSerializer(serializers.Serializer[Any]):
    session = serializers.IntegerField(source="session.pk")
    note = serializers.CharField(source="session.register_note")
    totals = serializers.DictField(child=serializers.IntegerField())
    attendance = AttendanceRowSerializer(source="rows", many=True)


class AttendanceInputSerializer(serializers.ListSerializer[dict[str, Any]]):
    child = AttendanceEntrySerializer()

    def validate(self, attrs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        people = [(entry["participant"], entry.get("member")) for entry in attrs]
        if len(people) != len(set(people)):
            raise serializers.ValidationError(_("Each person may appear only once."))
        return attrs


def register_session(request: Request, pk: Any) -> Session:
    try:
        session = register_sessions_for_user(request.user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        session = None
    if session is None:
        raise Http404
    return session


@method_decorator(never_cache, name="dispatch")  # names and marks: no cache may keep them
class SessionAttendanceView(APIView):
    """GET: the register (everyone expected or marked, with totals; each person of a booking on
    a row of their own, with `member`). PUT: a list of `{participant, status}` (optionally `at`,
    and `member` for a person of the participant's booking); each listed person is marked, the
    others keep their marks; all or nothing; sending the same list twice changes nothing. For
    the session's trainers and its centre's staff only (who may see which register:
    `register_sessions_for_user`); anyone else gets 404."""

    permission_classes = [AllowAny]

    @extend_schema(request=None, responses=AttendanceSerializer)
    def get(self, request: Request, pk: int) -> Response:
        session = register_session(request, pk)
        return Response(AttendanceSerializer(register_for(session)).data)

    @extend_schema(request=AttendanceEntrySerializer(many=True), responses=AttendanceSerializer)
    def put(self, request: Request, pk: int) -> Response:
        session = register_session(request, pk)
        data = request.data
        if isinstance(data, dict) and "attendance" in data:
            data = data["attendance"]
        entries = AttendanceInputSerializer(data=data)
        entries.is_valid(raise_exception=True)
        changes = [
            Mark(
                participant=e["participant"],
                status=e["status"],
                at=e.get("at"),
                member=e.get("member"),
            )
            for e in entries.validated_data
        ]
        register_apply(session=session, changes=changes, actor=request.user)
        return Response(AttendanceSerializer(register_for(session)).data)
