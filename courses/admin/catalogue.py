"""Centres, venues and courses in the admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from courses.admin.base import CentreScopedAdmin, TextLimitsMixin
from courses.models import (
    Centre,
    Course,
    Venue,
)
from courses.selectors import tenancy as selectors
from courses.services import catalogue as services
from courses.text import RECURRENCE_MAX_LENGTH
from scheduling import rules
from scheduling.links import embed_snippet, subscribe_links
from scheduling.models import Session


@admin.register(Centre)
class CentreAdmin(TextLimitsMixin, TranslationAdmin):
    list_display = ["name", "city", "voivodeship", "network", "phone"]
    list_filter = ["voivodeship", "network"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]

    class Media:
        js = ["js/select-on-focus.js"]  # the embed snippet selects itself (no inline handler)

    exclude = ["calendar_changed_at"]  # kept by the model itself (feed ETags), never typed in

    def get_queryset(self, request: HttpRequest) -> QuerySet[Centre]:
        return selectors.centres_managed_for_user(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def save_model(self, request: HttpRequest, obj: Centre, form: Any, change: bool) -> None:
        services.centre_save(centre=obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ("embed_snippet", "feed_address")
        return fields if request.user.is_superuser else (*fields, "slug", "staff")

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        """The slug is filled in from the name only where it can be edited (superusers):
        prepopulating a read-only field is an error in the admin."""
        if not request.user.is_superuser:
            return {}
        return super().get_prepopulated_fields(request, obj)

    @admin.display(description=_("Calendar for your website (copy into the page's HTML)"))
    def embed_snippet(self, obj: Centre) -> str:
        if not obj.pk:
            return "-"
        snippet = embed_snippet(obj)
        return format_html(
            '<textarea readonly rows="3" cols="80" data-select-on-focus>{}</textarea>'
            '<p class="help">{}</p>',
            snippet,
            _(
                "Options in the address: lang (pl, uk, en, ru), weeks (1-12), kind, audience, "
                "level, course (slug), view (list or week)."
            ),
        )

    @admin.display(description=_("Calendar feed (iCal)"))
    def feed_address(self, obj: Centre) -> str:
        if not obj.pk:
            return "-"
        return subscribe_links(obj).https


@admin.register(Venue)
class VenueAdmin(TextLimitsMixin, CentreScopedAdmin, TranslationAdmin):
    list_display = ["name", "city", "centre"]
    list_filter = [("centre", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "city", "address"]

    def save_model(self, request: HttpRequest, obj: Venue, form: Any, change: bool) -> None:
        services.venue_save(venue=obj)

    def delete_model(self, request: HttpRequest, obj: Venue) -> None:
        services.venue_delete(venue=obj)


# The families' and slots' settings with a default: left out, the course keeps what it has.
KEPT_WHEN_LEFT_OUT = (
    "max_party",
    "waitlist_fit",
    "slot_minutes",
    "buffer_minutes",
    "booking_window_days",
    "booking_cutoff_hours",
    "appointment_mode",
)


class CourseForm(forms.ModelForm):
    """The rule as plain RFC 5545 text, read in the centre's own time zone."""

    recurrence = forms.CharField(
        label=_("recurrence"),
        required=False,
        max_length=RECURRENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "spellcheck": "false"}),
        help_text=_(
            "One rule per line, e.g. RRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=24 — skip a date with "
            "EXDATE:20261229, add one with RDATE:20270105. Empty: a single session on the first "
            "date. Closures and public holidays are skipped automatically."
        ),
    )

    class Meta:
        model = Course
        exclude: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["recurrence"] = self.instance.recurrence_text
        for name in KEPT_WHEN_LEFT_OUT:
            if name in self.fields:
                self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        """A setting with a default left out (a form of before it was shown) keeps the course's."""
        data = super().clean() or {}
        for name in KEPT_WHEN_LEFT_OUT:
            if name in self.fields and data.get(name) in (None, ""):
                data[name] = getattr(self.instance, name)
        return data

    def clean_recurrence(self) -> Any:
        text = self.cleaned_data.get("recurrence", "")
        centre = self.cleaned_data.get("centre") or getattr(self.instance, "centre", None)
        tz = centre.tz if centre else Centre().tz
        try:
            return rules.parse(text, tz)
        except rules.RuleError as exc:
            raise ValidationError(str(exc.message)) from exc


class SessionInline(TextLimitsMixin, admin.TabularInline):
    model = Session
    extra = 0
    fields = ["starts_at", "ends_at", "venue", "status", "moved", "capacity", "note"]
    readonly_fields = ["starts_at", "ends_at", "venue", "status", "moved"]
    show_change_link = True
    can_delete = False
    ordering = ["starts_at"]
    max_num = 0
    verbose_name_plural = _("sessions (open one to cancel or move it)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Session]:
        return super().get_queryset(request).select_related("venue")


@admin.register(Course)
class CourseAdmin(TextLimitsMixin, CentreScopedAdmin, TranslationAdmin):
    form = CourseForm
    list_display = [
        "title",
        "centre",
        "kind",
        "audience",
        "level",
        "booking_mode",
        "published",
        "report_link",
    ]
    list_filter = [
        ("centre", admin.RelatedOnlyFieldListFilter),
        "kind",
        "specialty",
        "audience",
        "booking_mode",
        "published",
        "start_date",
    ]
    search_fields = ["title", "slug"]
    filter_horizontal = ["trainers"]
    inlines = [SessionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "centre",
                    "slug",
                    "kind",
                    "specialty",
                    "title",
                    "description",
                    "published",
                ]
            },
        ),
        (_("Who for"), {"fields": ["audience", "level", "trainers"]}),
        (
            _("When"),
            {
                "fields": [
                    "start_date",
                    "start_time",
                    "duration_minutes",
                    "recurrence",
                    "skip_public_holidays",
                    "venue",
                ]
            },
        ),
        (
            _("Booking"),
            {
                "fields": [
                    "booking_mode",
                    "enrolment_open",
                    "capacity",
                    "waitlist_mode",
                    "offer_hours",
                ]
            },
        ),
        (
            _("Families and childcare"),
            {"fields": ["max_party", "min_age", "max_age", "waitlist_fit", "childcare"]},
        ),
        (
            _("Consultation slots"),
            {
                "fields": [
                    "slot_minutes",
                    "buffer_minutes",
                    "booking_window_days",
                    "booking_cutoff_hours",
                    "appointment_mode",
                ]
            },
        ),
        (_("SMS"), {"fields": ["reminder_hours", "sensitive"]}),
    ]

    actions = ["cancel_courses"]

    @admin.display(description=_("attendance"))
    def report_link(self, obj: Course) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("report-course", args=[obj.pk]), _("Course report")
        )

    @admin.action(description=_("Cancel the selected courses (every session to come)"))
    def cancel_courses(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        cancelled = sum(services.course_cancel(course=c, actor=request.user) for c in queryset)
        self.message_user(request, _("Sessions cancelled: %(n)s.") % {"n": cancelled})

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "trainers":
            kwargs["queryset"] = selectors.trainer_choices_for_user(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def delete_model(self, request: HttpRequest, obj: Course) -> None:
        services.course_delete(course=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        for course in queryset:
            services.course_delete(course=course)

    def save_model(self, request: HttpRequest, obj: Course, form: Any, change: bool) -> None:
        """Save through the services so the course's sessions follow its rule (a course made a
        psychological consultation is sensitive unless the box was changed)."""
        result = services.course_save(course=obj, sensitive_chosen="sensitive" in form.changed_data)
        if result.changed:
            self.message_user(
                request,
                _("Sessions: %(created)s added, %(updated)s changed, %(deleted)s removed.")
                % {"created": result.created, "updated": result.updated, "deleted": result.deleted},
                messages.INFO,
            )
