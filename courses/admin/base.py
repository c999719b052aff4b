"""What every centre-scoped admin shares: lists and choices limited to the user's centres."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from courses.models import (
    Centre,
    Course,
    Venue,
)
from courses.selectors import tenancy as selectors
from courses.text import field_text_limit


class TextLimitsMixin:
    """Free text fields (descriptions, opening hours, notes...) get their limit from
    `courses.text.TEXT_LIMITS` as the form field's max_length: a longer text is a form error
    (Django's translated message) and the text box says how much it takes."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        limit = field_text_limit(db_field)
        if limit is not None:
            kwargs["max_length"] = limit
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class CentreScopedAdmin(admin.ModelAdmin):
    """Limits the list and every choice of centre to the user's centres (superusers: all)."""

    centre_path = "centre"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(
            **{f"{self.centre_path}__in": selectors.centres_managed_for_user(request.user)}
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            managed = selectors.centres_managed_for_user(request.user)
            if db_field.related_model is Centre:
                kwargs["queryset"] = managed
            elif db_field.related_model is Venue:
                kwargs["queryset"] = Venue.objects.filter(centre__in=managed)
            elif db_field.related_model is Course and "queryset" not in kwargs:  # a childcare
                kwargs["queryset"] = Course.objects.filter(centre__in=managed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Inlines other apps show on a participant's admin page (notifications adds the person's SMS).
# The core never imports those apps: they add themselves here when their admin is loaded.
participant_inlines: list[type[InlineModelAdmin[Any, Any]]] = []
