"""Back office for centre staff: each sees and changes only their own centres."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from courses.admin.base import CentreScopedAdmin
from courses.errors import DomainError
from courses.models import (
    AuditAction,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
    Language,
)
from courses.phones import country_choices
from courses.selectors import tenancy as selectors
from courses.services import enrolment
from courses.services.audit import audit_record
from courses.services.participants import ParticipantData, participant_upsert


class EnrolmentEventInline(admin.TabularInline):
    model = EnrolmentEvent
    extra = 0
    can_delete = False
    max_num = 0
    fields = ("at", "from_status", "to_status", "actor_kind", "actor")
    readonly_fields = fields


class DeskEnrolmentForm(forms.ModelForm):
    """Staff enrol a person at the desk: found by phone, or added."""

    name = forms.CharField(label=_("name"), max_length=200)
    country = forms.ChoiceField(label=_("Country of the phone number"), initial="PL")
    phone = forms.CharField(label=_("mobile phone"), max_length=40)
    language = forms.ChoiceField(label=_("language"), choices=Language.choices, initial="pl")
    sms_consent = forms.BooleanField(label=_("agrees to SMS"), required=False)
    walk_in = forms.BooleanField(label=_("walk-in"), required=False)

    class Meta:
        model = Enrolment
        fields = ["course", "session", "priority"]

    request: HttpRequest | None = None  # set by EnrolmentAdmin.get_form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)  # noqa: S101 - narrowing
        country.choices = country_choices("pl")
        self.created: Enrolment | None = None

    def clean(self) -> dict[str, Any]:
        """Enrol through the services; a refusal becomes a form error and nothing is saved."""
        data = super().clean() or {}
        if self.errors or "course" not in data:
            return data
        try:
            with transaction.atomic():
                participant = participant_upsert(
                    centre=data["course"].centre,
                    data=ParticipantData(
                        name=data["name"],
                        phone=data["phone"],
                        country=data["country"],
                        language=data["language"],
                        sms_consent=data["sms_consent"],
                    ),
                    actor=self.request.user if self.request else None,
                    via="desk",
                )
                self.created = enrolment.enrolment_create(
                    course=data["course"],
                    session=data.get("session"),
                    participant=participant,
                    source=EnrolmentSource.WALK_IN if data["walk_in"] else EnrolmentSource.STAFF,
                    actor=self.request.user if self.request else None,
                    priority=data.get("priority") or 0,
                )
        except DomainError as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, str(exc.message))
        return data


@admin.register(Enrolment)
class EnrolmentAdmin(CentreScopedAdmin):
    centre_path = "course__centre"
    list_display = [
        "participant",
        "course",
        "session",
        "status",
        "priority",
        "source",
        "created_at",
    ]
    list_filter = ["course__centre", "status", "source", "course"]
    search_fields = ["participant__name", "participant__phone", "course__title"]
    list_select_related = ["participant", "course", "session"]
    inlines = [EnrolmentEventInline]

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> Any:
        """The history of an enrolment; a new one (made by the services) has none yet."""
        if obj is None:
            return []
        return super().get_inline_instances(request, obj)

    actions = ["cancel_enrolments"]
    readonly_fields = [
        "participant",
        "course",
        "session",
        "status",
        "source",
        "offer_expires_at",
        "created_at",
    ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = type("DeskEnrolmentForm", (DeskEnrolmentForm,), {"request": request})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [
                "course",
                "session",
                "name",
                "country",
                "phone",
                "language",
                "sms_consent",
                "priority",
                "walk_in",
            ]
        return [*self.readonly_fields, "priority"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "course" and not request.user.is_superuser:
            kwargs["queryset"] = selectors.courses_managed_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return super().save_form(request, form, change)
        return form.created  # made by the services while the form was validated

    def save_model(self, request: HttpRequest, obj: Enrolment, form: Any, change: bool) -> None:
        """Saved in the admin's transaction, with audit entries (ids and field names only)."""
        centre = obj.course.centre
        if change:
            obj.save(update_fields=["priority", "updated_at"])
            if form.changed_data:
                audit_record(
                    actor=request.user,
                    action=AuditAction.ENROLMENT_CHANGED,
                    target=obj,
                    centre=centre,
                    participant=obj.participant,
                    detail={"fields": sorted(form.changed_data)},
                )
            return
        self.message_user(request, _("Status: %(status)s.") % {"status": obj.get_status_display()})

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description=_("Cancel the selected enrolments (seats go to the waitlist)"))
    def cancel_enrolments(self, request: HttpRequest, queryset: QuerySet[Enrolment]) -> None:
        cancelled = 0
        for item in queryset:
            was_active = item.is_active
            done = enrolment.enrolment_cancel(enrolment=item, actor=request.user)  # audited
            cancelled += was_active and done.status == EnrolmentStatus.CANCELLED
        self.message_user(request, _("Cancelled: %(n)s.") % {"n": cancelled})
