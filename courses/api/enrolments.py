"""REST API for enrolments: anyone may enrol (throttled); staff list, enrol at the desk, cancel."""

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

from courses.api.base import CompiledPrimaryKeyField, IdFilter
from courses.errors import WrongCode
from courses.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    Language,
    PartyMember,
)
from courses.selectors import tenancy as selectors
from courses.selectors.seats import (
    waitlist_position,
    waitlist_position_when_made,
    waitlist_positions,
)
from courses.selectors.tenancy import is_centre_staff
from courses.services import enrolment as services
from courses.services.enrolment_request import enrolment_request, is_staff_of
from courses.services.households import childcare_booking, party_place_cancel
from courses.services.participants import ParticipantData
from courses.services.verification import verification_confirm, verification_start
from courses.throttles import EnrolmentThrottle, VerifyThrottle
from scheduling.models import Session


class ParticipantInputSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(
        max_length=40, help_text="Mobile number; with +country code, or national with `country`."
    )
    # A plain field checked against the regions: a ChoiceField of all 245 would be deep-copied
    # with its choices for every request.
    country = serializers.CharField(
        max_length=2,
        default="PL",
        help_text="ISO code of the phone's country when the number has no +.",
    )
    language = serializers.ChoiceField(choices=Language.choices, default=Language.PL)
    sms_consent = serializers.BooleanField(default=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="")

    def validate_country(self, value: str) -> str:
        if value not in REGIONS:
            raise serializers.ValidationError(
                serializers.ChoiceField.default_error_messages["invalid_choice"].format(input=value)
            )
        return value


REGIONS = frozenset(phonenumbers.SUPPORTED_REGIONS)


class PartyPersonSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=200)
    birth_year = serializers.IntegerField(
        min_value=1900,
        max_value=2100,
        required=False,
        allow_null=True,
        help_text="Needed for a child (and for anyone of an activity with an age range).",
    )


def _course(pk: int) -> QuerySet[Course]:
    """The course an enrolment asks for, with what its texts tell (read on every enrolment)."""
    return Course.objects.select_related("centre", "venue").filter(pk=pk)


class EnrolmentCreateSerializer(serializers.Serializer[dict[str, Any]]):
    course = CompiledPrimaryKeyField(queryset=Course.objects.all(), build=_course)
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(), required=False, allow_null=True
    )
    participant = ParticipantInputSerializer()
    priority = serializers.IntegerField(
        required=False, default=0, min_value=-100, max_value=100, help_text="Staff only."
    )
    walk_in = serializers.BooleanField(required=False, default=False, help_text="Staff only.")
    party = serializers.ListField(
        child=PartyPersonSerializer(),
        required=False,
        max_length=50,
        help_text="The people the booking covers besides (or, with `attending` false, instead "
        "of) the person: at most the course's `max_party` places in all, years of birth within "
        "its ages. Booking a child is the parent's consent to keep their name and year of "
        "birth. In a class with childcare, the children are booked into the childcare.",
    )
    attending = serializers.BooleanField(
        required=False, default=True, help_text="False when the person books only for the others."
    )
    min_places = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=50,
        help_text="The fewest places the household accepts when fewer are free (else all).",
    )


class PartyMemberSerializer(serializers.ModelSerializer[PartyMember]):
    class Meta:
        model = PartyMember
        fields = ["id", "name", "birth_year", "status"]


class EnrolmentSerializer(serializers.ModelSerializer[Enrolment]):
    participant = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    party = PartyMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course",
            "session",
            "participant",
            "status",
            "position",
            "places",
            "attending",
            "min_places",
            "childcare_of",
            "party",
            "priority",
            "source",
            "offer_expires_at",
            "created_at",
        ]

    def get_participant(self, enrolment: Enrolment) -> dict[str, Any]:
        p = enrolment.participant
        return {"id": p.pk, "name": p.name, "phone": p.phone, "language": p.language}

    def get_position(self, enrolment: Enrolment) -> int | None:
        positions = self.context.get("positions")
        if positions is not None:
            return positions.get(enrolment.pk)
        return waitlist_position(enrolment)


class ChildcareSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    course = serializers.IntegerField()
    status = serializers.CharField(help_text="`waitlisted` when the childcare is full.")
    places = serializers.IntegerField()
    position = serializers.IntegerField(allow_null=True)


class CreatedSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    status = serializers.CharField()
    position = serializers.IntegerField(allow_null=True)
    places = serializers.IntegerField()
    childcare = ChildcareSerializer(
        allow_null=True, help_text="The children's booking in the class's childcare, if any."
    )
    personal_url = serializers.URLField()


class EnrolmentFilter(django_filters.FilterSet):
    course = IdFilter(field_name="course_id")
    session = IdFilter(field_name="session_id")
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices)

    class Meta:
        model = Enrolment
        fields = ["course", "session", "status"]


class VerificationSerializer(serializers.Serializer[dict[str, Any]]):
    verification = serializers.CharField(help_text="Send it back with the code to `verify/`.")
    expires_at = serializers.DateTimeField(help_text="The code works until then (10 minutes).")


class VerifyInputSerializer(serializers.Serializer[dict[str, Any]]):
    verification = serializers.CharField(max_length=64)
    code = serializers.CharField(max_length=12, help_text="The 6 digits sent by SMS.")


class CancelInputSerializer(serializers.Serializer[dict[str, Any]]):
    member = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="A person of the booking's `party` (their `id`): only their place is given up.",
    )


class CanEnrolOrIsStaff(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return view.action in ("create", "verify") or is_centre_staff(request.user)


class EnrolmentViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Enrolment],
):
    """Enrolments. POST is open to anyone (self-enrolment, throttled per client; SMS consent
    required) and to staff (at the desk; `priority` and `walk_in` allowed; not throttled).
    Listing, reading and cancelling are for the centre's staff.
    Anyone else first proves the phone number: POST answers 202 with `verification` and
    `expires_at` after a 6-digit code was sent by SMS (the same answer whether the number is
    known or not); `POST verify/` with `verification` and `code` then enrols and answers 201.
    Staff of the course's centre enrol at once: 201 with `status` (`confirmed` |
    `waitlisted`), `position` when waitlisted, `places`, the children's `childcare` booking
    and the person's `personal_url`.
    A household: `party` (`[{name, birth_year}]`), `attending`, `min_places`; a booking of N
    places is confirmed only when N are free (and, by the course's `waitlist_fit`, nobody
    waits before it). A party the course does not take is a 400 `party_invalid`."""

    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter
    permission_classes = [CanEnrolOrIsStaff]

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

    def get_queryset(self) -> QuerySet[Enrolment]:
        managed = selectors.centres_managed_for_user(self.request.user)
        return (
            Enrolment.objects.filter(course__centre__in=managed)
            .select_related("participant", "course", "session")
            .prefetch_related("party")
            .order_by("course_id", "session_id", "-priority", "created_at", "id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return EnrolmentCreateSerializer if self.action == "create" else EnrolmentSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = list(page if page is not None else queryset)
        context = {**self.get_serializer_context(), "positions": waitlist_positions(items)}
        data = EnrolmentSerializer(items, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(
        request=EnrolmentCreateSerializer,
        responses={201: CreatedSerializer, 202: VerificationSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EnrolmentCreateSerializer(data=request.data)
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
        session = data.get("session")
        if session is not None and session.course_id != course.pk:
            # another course's session (of any centre): answered as an id that does not exist
            unknown = serializer.fields["session"].error_messages["does_not_exist"]
            raise serializers.ValidationError(
                {"session": [unknown.format(pk_value=request.data["session"])]}
            )
        person = data["participant"]
        given = ParticipantData(
            name=person["name"],
            phone=person["phone"],
            country=person["country"],
            language=person["language"],
            sms_consent=person["sms_consent"],
            email=person.get("email", ""),
        )
        household = {
            "party": [dict(p) for p in data.get("party", [])],
            "attending": data["attending"],
            "min_places": data.get("min_places"),
        }
        if not staff:
            started = verification_start(
                course=course,
                session=data.get("session"),
                person=given,
                channel="api",
                client=EnrolmentThrottle().get_ident(request),
                **household,
            )
            body = {
                "verification": started.verification.public_id,
                "expires_at": started.verification.expires_at,
            }
            return Response(VerificationSerializer(body).data, status=status.HTTP_202_ACCEPTED)
        enrolment = enrolment_request(
            course=course,
            session=data.get("session"),
            person=given,
            channel="api",
            actor=request.user,
            walk_in=data["walk_in"],
            priority=data["priority"],
            **household,
        )
        return Response(_created(enrolment), status=status.HTTP_201_CREATED)

    @extend_schema(request=VerifyInputSerializer, responses={201: CreatedSerializer})
    @action(detail=False, methods=["post"])
    def verify(self, request: Request) -> Response:
        """Prove the phone number with the code sent by SMS, and enrol (5 tries per code)."""
        serializer = VerifyInputSerializer(data=request.data)
        if not serializer.is_valid():
            if "code" in serializer.errors:  # answered as a refusal: the body's `code` is its own
                raise WrongCode(_("Enter the code from the SMS."), field="code")
            raise serializers.ValidationError(serializer.errors)
        enrolment = verification_confirm(
            verification=serializer.validated_data["verification"],
            code=serializer.validated_data["code"],
        )
        return Response(_created(enrolment), status=status.HTTP_201_CREATED)

    @extend_schema(request=CancelInputSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel the booking; with `member`, give up that person's place only."""
        given = CancelInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        place = self.get_object()
        member_id = given.validated_data.get("member")
        if member_id is None:
            enrolment = services.enrolment_cancel(enrolment=place, actor=request.user)
        else:
            member = PartyMember.objects.filter(pk=member_id, enrolment=place).first()
            if member is None:
                raise serializers.ValidationError({"member": [_("Not a person of this booking.")]})
            enrolment = party_place_cancel(enrolment=place, member=member, actor=request.user)
        fresh = self.get_queryset().get(pk=enrolment.pk)
        return Response(EnrolmentSerializer(fresh, context=self.get_serializer_context()).data)


def _created(enrolment: Enrolment) -> dict[str, Any]:
    care = childcare_booking(enrolment)
    return {
        "id": enrolment.pk,
        "status": enrolment.status,
        "position": waitlist_position_when_made(enrolment),  # as decided, not counted again
        "places": enrolment.places,
        "childcare": None
        if care is None
        else {
            "id": care.pk,
            "course": care.course_id,
            "status": care.status,
            "places": care.places,
            "position": waitlist_position_when_made(care),
        },
        "personal_url": settings.PUBLIC_BASE_URL + enrolment.participant.get_absolute_url(),
    }
