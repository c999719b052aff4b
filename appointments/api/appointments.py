"""REST API for appointments: anyone may book a slot (throttled, the phone proven by an SMS
code); staff of the course's centre book at once, list their centres' appointments and cancel."""

from __future__ import annotations

from typing import Any

import django_filters
import phonenumbers
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from appointments.languages import CONSULTATION_LANGUAGES
from appointments.models import Appointment, AppointmentStatus
from appointments.selectors.tenancy import appointments_for_user
from appointments.services.booking import appointment_book, appointment_cancel
from appointments.services.requests import appointment_request_confirm, appointment_request_start
from courses.api.base import DateTimeField, IdFilter, LocalDateTimeField
from courses.errors import WrongCode
from courses.models import Course, Language
from courses.selectors.tenancy import is_centre_staff
from courses.services.enrolment_request import is_staff_of
from courses.services.participants import ParticipantData
from courses.throttles import EnrolmentThrottle, VerifyThrottle


class AppointmentPersonSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(
        max_length=40, help_text="Mobile number; with +country code, or national with `country`."
    )
    country = serializers.ChoiceField(
        choices=sorted(phonenumbers.SUPPORTED_REGIONS),
        default="PL",
        help_text="ISO code of the phone's country when the number has no +.",
    )
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        help_text="The language of the SMS (default: the consultation's, else Polish).",
    )
    sms_consent = serializers.BooleanField(default=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class AppointmentCreateSerializer(serializers.Serializer[dict[str, Any]]):
    course: serializers.PrimaryKeyRelatedField[Course] = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.select_related("centre")
    )
    starts_at = DateTimeField(help_text="The start of a free slot (from `GET slots/`).")
    language = serializers.ChoiceField(choices=CONSULTATION_LANGUAGES, default="pl")
    participant = AppointmentPersonSerializer()
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000, help_text="Staff only."
    )


class AppointmentSerializer(serializers.ModelSerializer[Appointment]):
    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField()
    created_at = LocalDateTimeField()
    interpreter = serializers.SerializerMethodField()
    interpreter_name = serializers.SerializerMethodField()
    participant = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "course",
            "session",
            "starts_at",
            "ends_at",
            "status",
            "language",
            "interpreter",
            "interpreter_name",
            "mode",
            "video_link",
            "participant",
            "source",
            "cancel_reason",
            "created_at",
        ]

    def get_interpreter(self, appointment: Appointment) -> bool:
        return appointment.interpreter_id is not None

    def get_interpreter_name(self, appointment: Appointment) -> str:
        return appointment.interpreter.name if appointment.interpreter is not None else ""

    def get_participant(self, appointment: Appointment) -> dict[str, Any]:
        p = appointment.participant
        return {"id": p.pk, "name": p.display_name, "phone": p.phone, "language": p.language}


class AppointmentCreatedSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    status = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    interpreter = serializers.BooleanField()
    personal_url = serializers.URLField()


class AppointmentVerificationSerializer(serializers.Serializer[dict[str, Any]]):
    verification = serializers.CharField(help_text="Send it back with the code to `verify/`.")
    expires_at = serializers.DateTimeField(help_text="The code works until then (10 minutes).")


class AppointmentVerifyInputSerializer(serializers.Serializer[dict[str, Any]]):
    verification = serializers.CharField(max_length=64)
    code = serializers.CharField(max_length=12, help_text="The 6 digits sent by SMS.")


class AppointmentCancelInputSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class AppointmentFilter(django_filters.FilterSet):
    course = IdFilter(field_name="course_id")
    session = IdFilter(field_name="session_id")
    status = django_filters.ChoiceFilter(choices=AppointmentStatus.choices)

    class Meta:
        model = Appointment
        fields = ["course", "session", "status"]


class CanBookOrIsStaff(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return view.action in ("create", "verify") or is_centre_staff(request.user)


def _created(appointment: Appointment) -> dict[str, Any]:
    tz = appointment.course.centre.tz
    return {
        "id": appointment.pk,
        "status": appointment.status,
        "starts_at": appointment.starts_at.astimezone(tz).isoformat(),
        "ends_at": appointment.ends_at.astimezone(tz).isoformat(),
        "interpreter": appointment.interpreter_id is not None,
        "personal_url": settings.PUBLIC_BASE_URL + appointment.participant.get_absolute_url(),
    }


class AppointmentViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Appointment],
):
    """Appointments in the slots of consultations. POST is open to anyone (throttled per
    client; SMS consent required) and to staff of the course's centre. Anyone else first proves
    the phone number: POST answers 202 with `verification` and `expires_at` after a 6-digit
    code was sent by SMS (the same answer whether the number is known or not); `POST verify/`
    with `verification` and `code` then books and answers 201. Staff book at once: 201 with
    `id`, `status`, `starts_at`, `ends_at`, `interpreter` (true when one is booked with it)
    and the person's `personal_url`. A slot taken meanwhile is a 409 `slot_taken`. Listing,
    reading and cancelling are for the centre's staff (their centres only)."""

    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilter
    permission_classes = [CanBookOrIsStaff]

    def get_throttles(self) -> list[Any]:
        if self.action == "create":
            return [EnrolmentThrottle()]
        if self.action == "verify":
            return [VerifyThrottle()]
        return []

    def get_permissions(self) -> Any:
        if self.action in ("create", "verify"):
            return [AllowAny()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[Appointment]:
        return appointments_for_user(self.request.user).order_by("starts_at", "id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return AppointmentCreateSerializer if self.action == "create" else AppointmentSerializer

    @extend_schema(
        request=AppointmentCreateSerializer,
        responses={201: AppointmentCreatedSerializer, 202: AppointmentVerificationSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AppointmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        course: Course = data["course"]
        staff = is_staff_of(request.user, course)
        if not course.published and not staff:
            # the very answer of an id that does not exist (its words, translated, and the id)
            unknown = serializer.fields["course"].error_messages["does_not_exist"]
            raise serializers.ValidationError(
                {"course": [unknown.format(pk_value=request.data["course"])]}
            )
        person = data["participant"]
        site_languages = {code for code, _name in settings.LANGUAGES}
        default = data["language"] if data["language"] in site_languages else "pl"
        given = ParticipantData(
            name=person["name"],
            phone=person["phone"],
            country=person["country"],
            language=person.get("language") or default,
            sms_consent=person["sms_consent"],
            email=person.get("email", ""),
        )
        if not staff:
            started = appointment_request_start(
                course=course,
                starts_at=data["starts_at"],
                language=data["language"],
                person=given,
                channel="api",
                client=EnrolmentThrottle().get_ident(request),
            )
            body = {"verification": started.public_id, "expires_at": started.expires_at}
            return Response(
                AppointmentVerificationSerializer(body).data, status=status.HTTP_202_ACCEPTED
            )
        appointment = appointment_book(
            course=course,
            starts_at=data["starts_at"],
            language=data["language"],
            person=given,
            actor=request.user,
            channel="api",
            note=data["note"],
        )
        return Response(_created(appointment), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AppointmentVerifyInputSerializer, responses={201: AppointmentCreatedSerializer}
    )
    @action(detail=False, methods=["post"])
    def verify(self, request: Request) -> Response:
        """Prove the phone number with the code sent by SMS, and book (5 tries per code)."""
        serializer = AppointmentVerifyInputSerializer(data=request.data)
        if not serializer.is_valid():
            if "code" in serializer.errors:
                raise WrongCode(_("Enter the code from the SMS."), field="code")
            raise serializers.ValidationError(serializer.errors)
        appointment = appointment_request_confirm(
            verification=serializer.validated_data["verification"],
            code=serializer.validated_data["code"],
        )
        return Response(_created(appointment), status=status.HTTP_201_CREATED)

    @extend_schema(request=AppointmentCancelInputSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a booked appointment (staff of its centre); the freed slot goes to the first
        person on that day's waitlist who can have it."""
        serializer = AppointmentCancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = appointment_cancel(
            appointment=self.get_object(),
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        fresh = self.get_queryset().get(pk=appointment.pk)
        return Response(AppointmentSerializer(fresh, context=self.get_serializer_context()).data)
