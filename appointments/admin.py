"""The appointments in the Django admin: to look up (lists scoped to the user's centres). Every
change goes through the services, from the staff workspace and the API: nothing is written
here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from appointments.models import (
    Appointment,
    BlockedSlot,
    DayWaitlistEntry,
    Interpreter,
    InterpreterHours,
    SpecialistLanguage,
)
from courses.admin.base import CentreScopedAdmin
from courses.selectors.tenancy import centres_managed_for_user


class ReadOnlyAdmin(CentreScopedAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HoursInline(admin.TabularInline[InterpreterHours, Interpreter]):
    model = InterpreterHours
    extra = 0
    fields = ("centre", "weekday", "starts_at", "ends_at", "valid_from", "valid_until")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Interpreter)
class InterpreterAdmin(ReadOnlyAdmin):
    list_display = ["name", "languages", "centre", "active"]
    list_filter = [("centre", admin.RelatedOnlyFieldListFilter), "active"]
    search_fields = ["name", "languages"]
    inlines = [HoursInline]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    centre_path = "course__centre"
    list_display = ["starts_at", "course", "participant", "language", "interpreter", "status"]
    list_filter = [
        ("course__centre", admin.RelatedOnlyFieldListFilter),
        "status",
        "language",
        "source",
    ]
    date_hierarchy = "starts_at"
    list_select_related = ["course__centre", "participant", "interpreter"]
    search_fields = ["course__title", "participant__name"]


@admin.register(BlockedSlot)
class BlockedSlotAdmin(ReadOnlyAdmin):
    centre_path = "session__course__centre"
    list_display = ["starts_at", "session", "reason"]
    list_select_related = ["session__course__centre"]


@admin.register(DayWaitlistEntry)
class DayWaitlistAdmin(ReadOnlyAdmin):
    centre_path = "session__course__centre"
    list_display = ["session", "participant", "language", "status", "created_at"]
    list_filter = ["status", "language"]
    list_select_related = ["session__course__centre", "participant"]


@admin.register(SpecialistLanguage)
class SpecialistLanguageAdmin(ReadOnlyAdmin):
    list_display = ["user", "language"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SpecialistLanguage]:
        """Languages of the trainers of the user's centres' courses (superusers: all)."""
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        managed = centres_managed_for_user(request.user)
        return qs.filter(user__courses__centre__in=managed).distinct()
