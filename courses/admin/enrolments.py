"""Enrolments in the admin: the desk enrolment form, cancellations and each place's history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from courses.admin.base import CentreScopedAdmin
from courses.errors import DomainError
from courses.forms.desk import DeskEnrolmentForm
from courses.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
)
from courses.selectors import tenancy as selectors
from courses.services import enrolment
from courses.services.enrolment_request import enrolment_request


class EnrolmentEventInline(admin.TabularInline):
    model = EnrolmentEvent
    extra = 0
    can_delete = False
    max_num = 0
    fields = ("at", "from_status", "to_status", "actor_kind", "actor")
    readonly_fields = fields


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
    list_filter = [
        ("course__centre", admin.RelatedOnlyFieldListFilter),
        "status",
        "source",
        ("course", admin.RelatedOnlyFieldListFilter),
    ]
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

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*self.readonly_fields, "priority"]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """Enrol at the desk: the form parses, one service enrols; a refusal is shown on the
        form and changes nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DeskEnrolmentForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                created = enrolment_request(
                    course=data["course"],
                    session=data["session"],
                    person=form.person(),
                    channel="desk",
                    actor=request.user,
                    walk_in=data["walk_in"],
                    priority=data["priority"] or 0,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                status = created.get_status_display()
                self.message_user(request, _("Status: %(status)s.") % {"status": status})
                return redirect("admin:courses_enrolment_changelist")
        context = {
            **self.admin_site.each_context(request),
            **(extra_context or {}),
            "title": _("Add enrolment"),
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "courses/admin/desk_enrolment.html", context)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "course" and not request.user.is_superuser:
            kwargs["queryset"] = selectors.courses_managed_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Enrolment, form: Any, change: bool) -> None:
        """Only the priority can change here, through the service (audited)."""
        if "priority" in form.changed_data:
            enrolment.enrolment_priority_set(
                enrolment=obj, priority=obj.priority, actor=request.user
            )

    @admin.action(description=_("Cancel the selected enrolments (seats go to the waitlist)"))
    def cancel_enrolments(self, request: HttpRequest, queryset: QuerySet[Enrolment]) -> None:
        cancelled = 0
        for item in queryset:
            was_active = item.is_active
            done = enrolment.enrolment_cancel(enrolment=item, actor=request.user)  # audited
            cancelled += was_active and done.status == EnrolmentStatus.CANCELLED
        self.message_user(request, _("Cancelled: %(n)s.") % {"n": cancelled})
