"""What was sent, to whom, when, with what result and cost; the opt-out list; the texts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from courses.admin.base import participant_inlines
from courses.selectors import tenancy as selectors
from notifications import texts
from notifications.models import MessageKind, OutboundMessage, PhoneOptOut
from notifications.segments import sms_size
from notifications.texts_sample import SAMPLE_CONTEXT


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["due_at", "participant", "kind", "status", "segments", "encoding", "sent_at"]
    list_filter = [
        "status",
        "kind",
        ("enrolment__course__centre", admin.RelatedOnlyFieldListFilter),
        ("enrolment__course", admin.RelatedOnlyFieldListFilter),
        "encoding",
    ]
    search_fields = ["participant__name", "participant__phone", "provider_id"]
    list_select_related = ["participant"]
    date_hierarchy = "due_at"
    readonly_fields = [
        "kind", "participant", "enrolment", "session", "status", "due_at", "expires_at",
        "phone", "body", "segments", "encoding", "provider_id", "error_code", "attempts",
        "sent_at", "status_changed_at", "created_at",
    ]  # fmt: skip
    fields = readonly_fields  # type: ignore[assignment]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundMessage]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(participant__centre__in=selectors.centres_managed_for_user(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "texts/",
                self.admin_site.admin_view(self.texts_view),
                name="notifications_outboundmessage_texts",
            )
        ]
        return extra + super().get_urls()

    def texts_view(self, request: HttpRequest) -> HttpResponse:
        """Every text in every language with its encoding and segments (the cost)."""
        rows = []
        for kind in MessageKind:
            for code, name in settings.LANGUAGES:
                text = texts.render(kind, SAMPLE_CONTEXT, code)
                size = sms_size(text)
                rows.append({"kind": kind.label, "language": name, "text": text, "size": size})
        context = {**self.admin_site.each_context(request), "rows": rows, "title": "SMS"}
        return TemplateResponse(request, "notifications/texts.html", context)


@admin.register(PhoneOptOut)
class PhoneOptOutAdmin(admin.ModelAdmin):
    """Numbers that get no SMS. Centre staff see only the numbers of people in their centres
    (the list is of every centre's numbers); superusers see all."""

    list_display = ["phone", "reason", "detail", "created_at"]
    list_filter = ["reason"]
    search_fields = ["phone"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PhoneOptOut]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(phone__in=selectors.participant_phones_for_user(request.user))


class MessageInline(admin.TabularInline):
    """A person's SMS on their page in the admin (notifications sits on top of the core)."""

    model = OutboundMessage
    extra = 0
    can_delete = False
    max_num = 0
    fields = ("due_at", "kind", "status", "segments", "encoding", "sent_at")
    readonly_fields = fields
    ordering = ("-due_at",)


participant_inlines.append(MessageInline)
