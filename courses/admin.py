"""Back office for centre staff: each sees and changes only their own centres."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from courses.enrol_views import json_download
from courses.errors import DomainError
from courses.models import (
    AuditAction,
    AuditEntry,
    Centre,
    Course,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
    Language,
    Participant,
    Venue,
)
from courses.phones import country_choices
from courses.selectors import tenancy as selectors
from courses.services import catalogue as services
from courses.services import enrolment, privacy
from courses.services.audit import audit_record
from courses.services.participants import ParticipantData, participant_new_token, participant_upsert
from scheduling import calendar, rules
from scheduling.models import Session


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
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Centre)
class CentreAdmin(TranslationAdmin):
    list_display = ["name", "city", "voivodeship", "network", "phone"]
    list_filter = ["voivodeship", "network"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Centre]:
        return selectors.centres_managed_for_user(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ("embed_snippet", "feed_address")
        return fields if request.user.is_superuser else (*fields, "slug", "staff")

    @admin.display(description=_("Calendar for your website (copy into the page's HTML)"))
    def embed_snippet(self, obj: Centre) -> str:
        if not obj.pk:
            return "-"
        snippet = calendar.embed_snippet(obj)
        return format_html(
            '<textarea readonly rows="3" cols="80" onfocus="this.select()">{}</textarea>'
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
        return calendar.subscribe_links(obj).https


@admin.register(Venue)
class VenueAdmin(CentreScopedAdmin, TranslationAdmin):
    list_display = ["name", "city", "centre"]
    list_filter = ["centre"]
    search_fields = ["name", "city", "address"]


class CourseForm(forms.ModelForm):
    """The rule as plain RFC 5545 text, read in the centre's own time zone."""

    recurrence = forms.CharField(
        label=_("recurrence"),
        required=False,
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

    def clean_recurrence(self) -> Any:
        text = self.cleaned_data.get("recurrence", "")
        centre = self.cleaned_data.get("centre") or getattr(self.instance, "centre", None)
        tz = centre.tz if centre else Centre().tz
        try:
            return rules.parse(text, tz)
        except rules.RuleError as exc:
            raise ValidationError(str(exc.message)) from exc


class SessionInline(admin.TabularInline):
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
class CourseAdmin(CentreScopedAdmin, TranslationAdmin):
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
    list_filter = ["centre", "kind", "audience", "booking_mode", "published", "start_date"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["trainers"]
    inlines = [SessionInline]
    fieldsets = [
        (None, {"fields": ["centre", "slug", "kind", "title", "description", "published"]}),
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
        (_("Booking"), {"fields": ["booking_mode", "capacity", "waitlist_mode", "offer_hours"]}),
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

    def delete_model(self, request: HttpRequest, obj: Course) -> None:
        services.course_delete(course=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        for course in queryset:
            services.course_delete(course=course)

    def save_model(self, request: HttpRequest, obj: Course, form: Any, change: bool) -> None:
        """Save through the services so the course's sessions follow its rule."""
        result = services.course_save(course=obj)
        if result.changed:
            self.message_user(
                request,
                _("Sessions: %(created)s added, %(updated)s changed, %(deleted)s removed.")
                % {"created": result.created, "updated": result.updated, "deleted": result.deleted},
                messages.INFO,
            )


@admin.register(Participant)
class ParticipantAdmin(CentreScopedAdmin):
    list_display = ["display_name", "phone", "centre", "language", "sms_consent", "created_at"]
    list_filter = ["centre", "language", "sms_consent", ("erased_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "phone"]
    readonly_fields = ["personal_link", "sms_consent_at", "created_at", "erased_at"]
    actions = ["new_personal_link", "export_data", "erase_participants"]

    @admin.display(description=_("name"), ordering="name")
    def display_name(self, obj: Participant) -> str:
        return obj.display_name

    @admin.display(description=_("personal link"))
    def personal_link(self, obj: Participant) -> str:
        if not obj.pk or obj.erased_at:
            return "-"
        return settings.PUBLIC_BASE_URL + obj.get_absolute_url()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.erased_at:  # nothing personal to change any more
            return [f.name for f in obj._meta.fields if f.editable] + list(self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Participant, form: Any, change: bool) -> None:
        """Saved in the admin's transaction with its audit entry (field names, never values)."""
        super().save_model(request, obj, form, change)
        if change and not form.changed_data:
            return
        audit_record(
            actor=request.user,
            action=AuditAction.PARTICIPANT_CHANGED if change else AuditAction.PARTICIPANT_CREATED,
            target=obj,
            centre=obj.centre,
            participant=obj,
            detail={"fields": sorted(form.changed_data)},
        )

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
