"""What a centre offers: the centre itself, its venues and its courses."""

from __future__ import annotations

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

from courses.logos import validate_logo
from scheduling import rules


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


MAX_REMINDER_HOURS = 24 * 14


def validate_reminder_hours(value: str) -> None:
    """Each reminder from 1 hour to 14 days before a session (larger ones were never sent)."""
    for part in (value or "").split(","):
        part = part.strip()
        if part.isdigit() and not 1 <= int(part) <= MAX_REMINDER_HOURS:
            raise ValidationError(
                _("A reminder is sent 1 to %(max)s hours before the session, not %(value)s."),
                params={"max": MAX_REMINDER_HOURS, "value": part},
                code="reminder_hours_range",
            )


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


class FundingEmblem(models.TextChoices):
    EU = "eu", _("European Union (e.g. AMIF, ESF+)")


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
    # Who is responsible for participants' data (RODO/GDPR art. 13), shown in the privacy
    # notice at /centres/<slug>/privacy/: usually the organisation that runs the centre.
    controller_name = models.CharField(
        _("data controller"),
        max_length=200,
        blank=True,
        help_text=_(
            "The organisation responsible for participants' data, e.g. Fundacja Przykład. "
            "Empty: the centre's name."
        ),
    )
    controller_address = models.CharField(
        _("data controller's address"),
        max_length=300,
        blank=True,
        help_text=_("Empty: the centre's address."),
    )
    privacy_contact_email = models.EmailField(
        _("data protection contact (e-mail)"),
        blank=True,
        help_text=_("The data protection officer or the person who answers about data."),
    )
    privacy_contact_phone = models.CharField(
        _("data protection contact (phone)"), max_length=32, blank=True
    )
    # Shown at the top of the centre's pages; funded centres must show the funder's emblem
    # and line (for EU funds such as AMIF: the EU emblem with "Co-funded by the European Union").
    logo = models.FileField(
        _("logo"),
        upload_to="centres/logos/",
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG, JPEG or WebP, at most 512 KB."),
    )
    funding_emblem = models.CharField(
        _("funder's emblem"), max_length=8, choices=FundingEmblem.choices, blank=True
    )
    funding_text = models.TextField(
        _("funding line"),
        blank=True,
        help_text=_("E.g. the project's name and its funding, as the funder asks to show it."),
    )
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
            ),
            validate_reminder_hours,
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
        return sorted((h for h in hours if 0 < h <= MAX_REMINDER_HOURS), reverse=True)

    @property
    def recurrence_text(self) -> str:
        """The rule as RFC 5545 lines in the centre's local time."""
        return rules.to_text(self.recurrence, self.centre.tz)
