"""Back office for sessions and closures. Every change goes through the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from courses.admin.base import CentreScopedAdmin, TextLimitsMixin
from courses.errors import DomainError
from courses.selectors import tenancy as selectors
from scheduling import rules, services
from scheduling.models import CalendarToken, Closure, Session, SessionStatus


class SessionForm(forms.ModelForm):
    """A time at the edge of the calendar is a form error, before the model's own checks (which
    would have to hand the database a moment it cannot hold)."""

    note_in_sms = forms.BooleanField(
        label=_("Put the note in the SMS"),
        required=False,
        help_text=_(
            "When you cancel or move the session: the SMS to participants carries the note "
            "(shortened to fit; never for sensitive courses)."
        ),
    )

    class Meta:
        model = Session
        exclude: list[str] = []

    def _in_range(self, name: str) -> datetime | None:
        moment: datetime | None = self.cleaned_data.get(name)
        if moment is not None and not rules.in_range(moment):
            raise forms.ValidationError(rules.out_of_range_message())
        return moment

    def clean_starts_at(self) -> datetime | None:
        return self._in_range("starts_at")

    def clean_ends_at(self) -> datetime | None:
        return self._in_range("ends_at")

    def clean(self) -> dict[str, Any]:
        """A new start alone moves the end with it: the session keeps its real length."""
        data = super().clean() or self.cleaned_data
        start, instance = data.get("starts_at"), self.instance
        if (
            instance.pk
            and start is not None
            and "starts_at" in self.changed_data
            and "ends_at" not in self.changed_data
        ):
            data["ends_at"] = rules.ends_after(start, instance.ends_at - instance.starts_at)
        return data


@admin.register(Session)
class SessionAdmin(TextLimitsMixin, CentreScopedAdmin):
    form = SessionForm
    centre_path = "course__centre"
    list_display = ["__str__", "starts_at", "venue", "status", "moved", "register_link"]
    list_filter = [
        ("course__centre", admin.RelatedOnlyFieldListFilter),
        "course__kind",
        "status",
        "moved",
        ("starts_at", admin.DateFieldListFilter),
    ]
    search_fields = ["course__title", "course__slug"]
    date_hierarchy = "starts_at"
    list_select_related = ["course__centre", "venue"]
    fields = [
        "course",
        "starts_at",
        "ends_at",
        "venue",
        "status",
        "capacity",
        "note",
        "note_in_sms",
        "register_note",
        "original_start",
        "moved",
        "sequence",
        "register_link",
    ]
    readonly_fields = ["original_start", "moved", "sequence", "register_note", "register_link"]
    actions = ["cancel_sessions", "restore_sessions"]

    @admin.display(description=_("register"))
    def register_link(self, obj: Session) -> str:
        """Staff type in results from a paper sheet on the register page."""
        if obj.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("register", args=[obj.pk]),
            _("Open the register"),
            reverse("register-sheet", args=[obj.pk]),
            _("Sign-in sheet"),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # sessions are cancelled, not deleted: feeds, registers and reports keep them

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [*self.readonly_fields, "status"]
        return [*self.readonly_fields, "course"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "course" and not request.user.is_superuser:
            kwargs["queryset"] = selectors.courses_managed_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Session, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            if not change:
                created = services.session_add(
                    course=data["course"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    venue=data.get("venue"),
                    capacity=data.get("capacity"),
                    note=data.get("note", ""),
                )
                obj.pk = created.pk
                return
            current = Session.objects.get(pk=obj.pk)
            note = {"note": data.get("note", ""), "note_in_sms": bool(data.get("note_in_sms"))}
            if {"starts_at", "ends_at", "venue"} & set(form.changed_data):
                if (
                    current.status == SessionStatus.CANCELLED
                    and data["status"] == SessionStatus.SCHEDULED
                ):
                    services.session_restore(session=current, actor=request.user)
                services.session_move(
                    session=current,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    venue=data.get("venue"),
                    actor=request.user,
                    **note,
                )
            if "status" in form.changed_data:
                if data["status"] == SessionStatus.CANCELLED:
                    services.session_cancel(session=current, actor=request.user, **note)
                else:
                    services.session_restore(session=current, actor=request.user)
            services.session_update_details(
                session=current, capacity=data.get("capacity"), note=data.get("note", "")
            )
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)

    @admin.action(description=_("Cancel selected sessions"))
    def cancel_sessions(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        for session in queryset:
            services.session_cancel(session=session, actor=request.user)
        self.message_user(request, _("Cancelled: %(n)s.") % {"n": queryset.count()})

    @admin.action(description=_("Restore selected sessions"))
    def restore_sessions(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        for session in queryset:
            services.session_restore(session=session, actor=request.user)
        self.message_user(request, _("Restored: %(n)s.") % {"n": queryset.count()})


@admin.register(Closure)
class ClosureAdmin(CentreScopedAdmin, TranslationAdmin):
    list_display = ["__str__", "centre", "starts_on", "ends_on"]
    list_filter = [
        ("centre", admin.RelatedOnlyFieldListFilter),
        ("starts_on", admin.DateFieldListFilter),
    ]

    def save_model(self, request: HttpRequest, obj: Closure, form: Any, change: bool) -> None:
        services.closure_save(closure=obj)

    def delete_model(self, request: HttpRequest, obj: Closure) -> None:
        services.closure_delete(closure=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Closure]) -> None:
        for closure in queryset:
            services.closure_delete(closure=closure)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.is_superuser:
            form.base_fields["centre"].required = True
        return form


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Private calendar links of trainers: create one for a person, revoke it when it leaks.

    A link shows every course its trainer teaches, published or not: centre staff see and make
    links only for trainers who teach in their centres and nowhere else (superusers: all)."""

    list_display = ["user", "created_at", "revoked_at", "address"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    fields = ["user", "address", "created_at", "revoked_at"]
    readonly_fields = ["address", "created_at", "revoked_at"]
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarToken]:
        qs = super().get_queryset(request).select_related("user")
        if request.user.is_superuser:
            return qs
        return qs.filter(user__in=selectors.trainers_managed_for_user(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = selectors.trainers_managed_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("address"))
    def address(self, obj: CalendarToken) -> str:
        if not obj.pk:
            return "-"
        return settings.PUBLIC_BASE_URL + obj.get_absolute_url()

    @admin.action(description=_("Revoke the selected links"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[CalendarToken]) -> None:
        count = services.calendar_tokens_revoke(tokens=queryset)
        self.message_user(request, _("Revoked: %(n)s.") % {"n": count})
