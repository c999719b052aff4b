from __future__ import annotations

import secrets
import zoneinfo
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import now as current_time
from django.utils.translation import gettext_lazy as _
from recurrence.fields import RecurrenceField

from scheduling import rules


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Voivodeship(models.TextChoices):
    DOLNOSLASKIE = "dolnoslaskie", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "kujawsko-pomorskie", "kujawsko-pomorskie"
    LUBELSKIE = "lubelskie", "lubelskie"
    LUBUSKIE = "lubuskie", "lubuskie"
    LODZKIE = "lodzkie", "łódzkie"
    MALOPOLSKIE = "malopolskie", "małopolskie"
    MAZOWIECKIE = "mazowieckie", "mazowieckie"
    OPOLSKIE = "opolskie", "opolskie"
    PODKARPACKIE = "podkarpackie", "podkarpackie"
    PODLASKIE = "podlaskie", "podlaskie"
    POMORSKIE = "pomorskie", "pomorskie"
    SLASKIE = "slaskie", "śląskie"
    SWIETOKRZYSKIE = "swietokrzyskie", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "warminsko-mazurskie", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "wielkopolskie", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "zachodniopomorskie", "zachodniopomorskie"


class Centre(models.Model):
    """An integration centre: the tenant. Staff see and change only their own centres."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    network = models.CharField(
        _("network or organisation"),
        max_length=200,
        blank=True,
        help_text=_("For example: Centra Integracji Cudzoziemców, Caritas, IOM."),
    )
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100)
    voivodeship = models.CharField(
        _("voivodeship"), max_length=32, choices=Voivodeship.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Warsaw", validators=[validate_timezone]
    )
    opening_hours = models.TextField(_("opening hours"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        related_name="staff_centres",
        blank=True,
        help_text=_("People who manage this centre's courses, sessions and closures."),
    )
    calendar_revision = models.PositiveBigIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Rises whenever anything its calendar feeds show changes."),
    )
    calendar_changed_at = models.DateTimeField(_("calendar changed"), default=current_time)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["city", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        Centre.calendar_touch(centre_ids=[self.pk])

    def get_absolute_url(self) -> str:
        return reverse("centre-detail", kwargs={"centre": self.slug})

    @staticmethod
    def calendar_touch(*, centre_ids: Any) -> None:
        """Record that what the centres' feeds show changed (their ETags change with it).

        `centre_ids` may be a list or a subquery of ids."""
        Centre.objects.filter(pk__in=centre_ids).update(
            calendar_revision=F("calendar_revision") + 1, calendar_changed_at=timezone.now()
        )

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def full_address(self) -> str:
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.address, place) if p)

    def horizon_end(self, now: datetime | None = None) -> date:
        """The last local date open-ended rules are materialised to (SESSION_HORIZON_DAYS)."""
        now = now or timezone.now()
        return now.astimezone(self.tz).date() + timedelta(days=settings.SESSION_HORIZON_DAYS)


class Venue(models.Model):
    """A place where sessions happen: the centre's rooms or an outreach venue in a small town."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="venues"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, lift, toilets, hearing loop: what a visitor needs to know."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="venue_name_unique_in_centre"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        Centre.calendar_touch(centre_ids=[self.centre_id])  # its address is in the feeds

    @property
    def full_address(self) -> str:
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.name, self.address, place) if p)


class CourseKind(models.TextChoices):
    POLISH_COURSE = "polish_course", _("Polish course")
    LANGUAGE_CLUB = "language_club", _("Language club")
    ADAPTATION_MEETING = "adaptation_meeting", _("Adaptation meeting")
    WORKSHOP = "workshop", _("Workshop")
    FESTIVAL_SESSION = "festival_session", _("Festival session")
    CONSULTATION = "consultation", _("Consultation / duty hours")


class Audience(models.TextChoices):
    ALL = "all", _("Everyone")
    CHILDREN = "children", _("Children")
    ADULTS = "adults", _("Adults")
    SENIORS = "seniors", _("Seniors")
    FAMILIES = "families", _("Families")


class Level(models.TextChoices):
    A0 = "A0", "A0"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"


class BookingMode(models.TextChoices):
    COURSE = "course", _("Enrol once for the whole course")
    SESSION = "session", _("Book each session separately")
    OPEN = "open", _("No booking: just come")


class WaitlistMode(models.TextChoices):
    AUTO = "auto", _("Confirm the next person at once")
    OFFER = "offer", _("Offer the seat for a limited time")


class Course(models.Model):
    """What a centre offers, with its time as a recurrence rule plus first date, time, duration."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="courses"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=32, choices=CourseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.ALL
    )
    level = models.CharField(
        _("Polish level"),
        max_length=2,
        choices=Level.choices,
        blank=True,
        help_text=_("For Polish courses and language clubs."),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), related_name="courses", blank=True
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("default venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_("Seats per course (or per session when each session is booked separately)."),
    )
    booking_mode = models.CharField(
        _("booking"), max_length=16, choices=BookingMode.choices, default=BookingMode.COURSE
    )
    waitlist_mode = models.CharField(
        _("waitlist"), max_length=16, choices=WaitlistMode.choices, default=WaitlistMode.AUTO
    )
    offer_hours = models.PositiveIntegerField(
        _("offer valid for (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    published = models.BooleanField(_("published"), default=False)
    recurrence = RecurrenceField(
        _("recurrence"),
        blank=True,
        help_text=_(
            "RFC 5545 lines, e.g. RRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=24 and EXDATE:20261229. "
            "Empty: a single session on the first date."
        ),
    )
    start_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"), help_text=_("Local time at the centre."))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    reminder_hours = models.CharField(
        _("SMS reminders (hours before)"),
        max_length=40,
        default="24,2",
        blank=True,
        validators=[
            RegexValidator(
                r"^\s*(\d{1,3}\s*(,\s*\d{1,3}\s*)*)?$",
                _("Hours before the session, separated by commas, e.g. 24,2."),
            )
        ],
        help_text=_("Hours before each session, e.g. 24,2. Empty: no reminders."),
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "SMS never name the topic (e.g. psychologist, violence prevention): they say only "
            "'your appointment at the centre'."
        ),
    )
    enrolment_open = models.BooleanField(
        _("enrolment open"),
        default=True,
        help_text=_("Untick to close the enrolment form (the waitlist keeps moving)."),
    )
    skip_public_holidays = models.BooleanField(
        _("skip public holidays"),
        default=True,
        help_text=_("No sessions on Polish public holidays."),
    )
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Rises whenever the course or any of its sessions changes (iCal SEQUENCE)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["centre", "start_date", "start_time", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "slug"], name="course_slug_unique_in_centre"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0, duration_minutes__lte=24 * 60),
                name="course_duration_range",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="course_capacity_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.centre})"

    def get_absolute_url(self) -> str:
        return reverse("course-detail", kwargs={"centre": self.centre.slug, "course": self.slug})

    def clean(self) -> None:
        """Refuse a time that cannot be published: bad rule, wrong first date, bad duration."""
        if self.venue is not None and self.centre_id and self.venue.centre_id != self.centre_id:
            raise ValidationError({"venue": _("The venue belongs to another centre.")})
        if not (self.centre_id and self.start_date and self.start_time and self.duration_minutes):
            return
        try:
            rules.validate(
                self.schedule(),
                max_sessions=settings.RECURRENCE_MAX_SESSIONS,
                horizon_end=self.centre.horizon_end(),
            )
        except rules.RuleError as exc:
            raise ValidationError({exc.field or "recurrence": [exc.message]}) from exc

    def schedule(self) -> rules.Schedule:
        return rules.Schedule(
            recurrence=self.recurrence,
            start_date=self.start_date,
            start_time=self.start_time,
            duration_minutes=self.duration_minutes,
            tz=self.centre.tz,
        )

    @property
    def reminder_offsets(self) -> list[int]:
        """Hours before a session at which to remind, largest first."""
        hours = {int(h) for h in self.reminder_hours.replace(" ", "").split(",") if h}
        return sorted((h for h in hours if 0 < h <= 24 * 14), reverse=True)

    @property
    def recurrence_text(self) -> str:
        """The rule as RFC 5545 lines in the centre's local time."""
        return rules.to_text(self.recurrence, self.centre.tz)


class Language(models.TextChoices):
    PL = "pl", "Polski"
    UK = "uk", "Українська"
    EN = "en", "English"
    RU = "ru", "Русский"


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


ERASED_NAME = _("Erased participant")


def new_participant_token() -> str:
    return secrets.token_urlsafe(32)


class Participant(models.Model):
    """A person who takes part, known by mobile phone within a centre (no account, no e-mail
    needed). The same phone number in the same centre is the same person."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(
        _("mobile phone"), max_length=20, help_text=_("International format, e.g. +48601234567.")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.PL
    )
    sms_consent = models.BooleanField(_("agrees to SMS"), default=False)
    sms_consent_at = models.DateTimeField(_("SMS consent given"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Optional, only for funders' statistics.
    country_of_origin = models.CharField(
        _("country of origin"), max_length=2, blank=True, help_text=_("ISO code, e.g. UA.")
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    token = models.CharField(
        max_length=64, unique=True, default=new_participant_token, editable=False
    )
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Personal data removed; only anonymous counts remain."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name"]
        constraints = [
            # Erased people have no phone any more; the rest are one per number and centre.
            models.UniqueConstraint(
                fields=["centre", "phone"],
                condition=~models.Q(phone=""),
                name="participant_phone_per_centre",
            ),
        ]

    def __str__(self) -> str:
        if self.erased_at is not None:
            return self.display_name
        return f"{self.name} ({self.phone})"

    def get_absolute_url(self) -> str:
        return reverse("me", kwargs={"token": self.token})

    @property
    def display_name(self) -> str:
        """The name to show: an erased person has none left."""
        return str(ERASED_NAME) if self.erased_at is not None else self.name


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Seat offered")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Offer declined")
    EXPIRED = "expired", _("Offer expired")


ACTIVE_STATUSES = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.OFFERED)
SEAT_STATUSES = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.OFFERED)


class EnrolmentSource(models.TextChoices):
    WEB = "web", _("Enrolment form")
    API = "api", _("API")
    STAFF = "staff", _("Staff, at the desk")
    WALK_IN = "walk_in", _("Walk-in")


class Enrolment(models.Model):
    """A place in a course (booking_mode=course) or in one session (booking_mode=session):
    confirmed, or on the waitlist, which is a state machine:
    waitlisted -> offered -> confirmed | declined | expired; anything active -> cancelled."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    session = models.ForeignKey(
        "scheduling.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enrolments",
        help_text=_("Only for courses booked session by session."),
    )
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices)
    priority = models.SmallIntegerField(
        _("waitlist priority"),
        default=0,
        help_text=_("Higher goes first on the waitlist; equal priorities go by arrival."),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=EnrolmentSource.choices, default=EnrolmentSource.WEB
    )
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("arrived"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-priority", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "course"],
                condition=models.Q(session__isnull=True, status__in=ACTIVE_STATUSES),
                name="enrolment_one_active_per_course",
            ),
            models.UniqueConstraint(
                fields=["participant", "session"],
                condition=models.Q(session__isnull=False, status__in=ACTIVE_STATUSES),
                name="enrolment_one_active_per_session",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "session", "status"], name="enrolment_seats"),
            models.Index(fields=["status", "offer_expires_at"], name="enrolment_offers"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.course.title} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class EnrolmentEvent(models.Model):
    """Every state change of an enrolment, with its time and who made it."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="events", verbose_name=_("enrolment")
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=EnrolmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=EnrolmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_kind = models.CharField(
        _("by"),
        max_length=16,
        choices=[
            ("participant", _("the participant")),
            ("staff", _("staff")),
            ("system", _("the system")),
        ],
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment change")
        verbose_name_plural = _("enrolment changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    """One person's mark on the register of one session. A walk-in came without a booking."""

    session = models.ForeignKey(
        "scheduling.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    # When the mark was made on the trainer's phone (a mark queued offline keeps its time, so
    # an older mark arriving late never overwrites a newer one).
    marked_at = models.DateTimeField(_("marked at"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance")
        ordering = ["session", "participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_one_per_session"
            ),
        ]
        indexes = [
            models.Index(fields=["participant", "status"], name="attendance_person"),
            models.Index(fields=["session", "status"], name="attendance_session"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.get_status_display()}"


class AuditAction(models.TextChoices):
    ATTENDANCE_MARKED = "attendance.marked", _("Attendance marked")
    ATTENDANCE_WALK_IN = "attendance.walk_in", _("Walk-in added")
    REGISTER_NOTE = "register.note", _("Register note changed")
    PARTICIPANT_CREATED = "participant.created", _("Participant added")
    PARTICIPANT_CHANGED = "participant.changed", _("Participant changed")
    PARTICIPANT_EXPORTED = "participant.exported", _("Participant's data exported")
    PARTICIPANT_ERASED = "participant.erased", _("Participant erased")
    ENROLMENT_CREATED = "enrolment.created", _("Enrolled by staff")
    ENROLMENT_CHANGED = "enrolment.changed", _("Enrolment changed by staff")
    REPORT_EXPORTED = "report.exported", _("Report exported")


class AuditEntry(models.Model):
    """Who on the staff did what to whose data, and when. Holds ids and field names, never the
    personal data itself, so it may outlive an erasure."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    target_type = models.CharField(_("object type"), max_length=32)
    target_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["participant", "at"], name="audit_participant")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'}: {self.get_action_display()}"
