"""The audit log in the admin: read only, limited to the user's centres."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from courses.models import (
    AuditEntry,
)
from courses.selectors import tenancy as selectors


class AuditCentreFilter(admin.RelatedFieldListFilter):
    """Only the centres the user manages are offered."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        centres = selectors.centres_managed_for_user(request.user).order_by("name")
        return [(c.pk, str(c)) for c in centres]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read only; superusers see every entry, centre staff their centres'."""

    list_display = ["at", "actor_name", "centre", "action", "object", "participant_ref", "detail"]
    list_filter = ["action", ("centre", AuditCentreFilter), "at"]
    list_select_related = ["centre"]
    date_hierarchy = "at"
    search_fields = ["actor_name", "=target_id", "=participant__id"]
    readonly_fields = [
        "at",
        "actor_name",
        "centre",
        "action",
        "target_type",
        "target_id",
        "participant_ref",
        "detail",
    ]
    fields = readonly_fields  # type: ignore[assignment]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(centre__in=selectors.centres_managed_for_user(request.user))

    @admin.display(description=_("object"))
    def object(self, obj: AuditEntry) -> str:
        return f"{obj.target_type} #{obj.target_id}" if obj.target_id else obj.target_type

    @admin.display(description=_("participant"))
    def participant_ref(self, obj: AuditEntry) -> str:
        return f"#{obj.participant_id}" if obj.participant_id else "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
