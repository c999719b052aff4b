"""Participants in the admin: personal link, data export and erasure, with audit rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from courses.admin.base import CentreScopedAdmin, participant_inlines
from courses.exports import json_download
from courses.forms.lists import OriginCountryField
from courses.models import (
    Enrolment,
    Participant,
)
from courses.services import privacy
from courses.services.participants import participant_new_token, participant_save


class EnrolmentInline(admin.TabularInline):
    """The person's places, read only: places change through the enrolment pages and services."""

    model = Enrolment
    extra = 0
    can_delete = False
    max_num = 0
    fields = ("course", "session", "status", "priority", "source", "created_at")
    readonly_fields = fields
    ordering = ("-created_at",)
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrolment]:
        return super().get_queryset(request).select_related("course", "session")


@admin.register(Participant)
class ParticipantAdmin(CentreScopedAdmin):
    list_display = ["display_name", "phone", "centre", "language", "sms_consent", "created_at"]
    list_filter = [
        ("centre", admin.RelatedOnlyFieldListFilter),
        "language",
        "sms_consent",
        ("erased_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "phone"]
    readonly_fields = [
        "personal_link",
        "sms_consent_at",
        "sms_consent_source",
        "sms_consent_text",
        "created_at",
        "erased_at",
    ]
    actions = ["new_personal_link", "export_data", "erase_participants"]

    @admin.display(description=_("full name"), ordering="name")
    def display_name(self, obj: Participant) -> str:
        return obj.display_name

    @admin.display(description=_("personal link"))
    def personal_link(self, obj: Participant) -> str:
        if not obj.pk or obj.erased_at:
            return "-"
        return settings.PUBLIC_BASE_URL + obj.get_absolute_url()

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_inlines(request, obj), EnrolmentInline, *participant_inlines]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """The country of origin from the list of countries, named in the admin's language
        (the ISO code is what is stored)."""
        if db_field.name == "country_of_origin":
            return OriginCountryField(
                label=capfirst(db_field.verbose_name), empty_label=_("Prefers not to say")
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.erased_at:  # nothing personal to change any more
            return [f.name for f in obj._meta.fields if f.editable] + list(self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Participant, form: Any, change: bool) -> None:
        """Saved through the service, with its audit entry (field names, never values)."""
        participant_save(participant=obj, fields=list(form.changed_data), actor=request.user)

    @admin.action(description=_("Make a new personal link (the old one stops working)"))
    def new_personal_link(self, request: HttpRequest, queryset: QuerySet[Participant]) -> None:
        for participant in queryset:
            participant_new_token(participant=participant)
        self.message_user(request, _("New links made: %(n)s.") % {"n": queryset.count()})

    @admin.action(description=_("Export data (JSON)"), permissions=["view"])
    def export_data(
        self, request: HttpRequest, queryset: QuerySet[Participant]
    ) -> HttpResponse | None:
        """Everything held about one person, as a file to hand over (recorded in the audit log)."""
        people = list(queryset.select_related("centre")[:2])
        if len(people) != 1:
            self.message_user(request, _("Choose exactly one person to export."), messages.ERROR)
            return None
        data = privacy.participant_export(participant=people[0], actor=request.user)
        return json_download(data, f"participant-{people[0].pk}.json")

    @admin.action(
        description=_("Erase the selected participants (personal data removed)"),
        permissions=["change"],
    )
    def erase_participants(
        self, request: HttpRequest, queryset: QuerySet[Participant]
    ) -> TemplateResponse | None:
        """First a page that says what erasure does; erased once confirmed."""
        if request.POST.get("post") == "yes":
            erased = 0
            for participant in queryset.filter(erased_at__isnull=True):
                privacy.participant_erase(participant=participant, actor=request.user)
                erased += 1
            self.message_user(request, _("Participants erased: %(n)s.") % {"n": erased})
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase participants?"),
            "opts": self.model._meta,
            "people": list(queryset.select_related("centre")),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "erase_participants",
        }
        return TemplateResponse(request, "courses/privacy/admin_erase_confirm.html", context)
