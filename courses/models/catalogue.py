"""What a centre offers: its courses (the centre and its venues: `courses.models.centres`)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from recurrence.fields import RecurrenceField

from courses.models.centres import Centre, Venue
from courses.models.kinds import (  # noqa: F401 - importable from here, as before
    SENSITIVE_SPECIALTIES,
    AppointmentMode,
    Audience,
    BookingMode,
    CourseKind,
    Level,
    Specialty,
    WaitlistFit,
    WaitlistMode,
)
from courses.text import whole_number
from scheduling import rules

MAX_REMINDER_HOURS = 24 * 14


def validate_reminder_hours(value: str) -> None:
    """Each reminder from 1 hour to 14 days before a session (larger ones were never sent)."""
    for part in (value or "").split(","):
        part = part.strip()
        hours = whole_number(part)
        if hours is not None and not 1 <= hours <= MAX_REMINDER_HOURS:
            raise ValidationError(
                _("A reminder is sent 1 to %(max)s hours before the session, not %(value)s."),
                params={"max": MAX_REMINDER_HOURS, "value": part},
                code="reminder_hours_range",
            )


class Course(models.Model):
    """What a centre offers, with its time as a recurrence rule plus first date, time, duration."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="courses"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=32, choices=CourseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    specialty = models.CharField(
        _("consultation kind"),
        max_length=16,
        choices=Specialty.choices,
        blank=True,
        help_text=_(
            "For consultations and duty hours. Psychological support is sensitive by default."
        ),
    )
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
    waitlist_fit = models.CharField(
        _("places the head of the waitlist cannot use"),
        max_length=8,
        choices=WaitlistFit.choices,
        default=WaitlistFit.WAIT,
        help_text=_(
            "When a family waits for more places than are free: keep the places until they "
            "fit (fair to families), or give them to the next booking that fits."
        ),
    )
    # Households: how many places one booking may take (1: one person per booking) and, for
    # children's activities, the ages the activity takes, checked against each child's year of
    # birth in the year of the course's first date.
    max_party = models.PositiveSmallIntegerField(
        _("places per booking"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The most places one booking may take, e.g. a parent with children."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("youngest age"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("For children's activities: checked against each child's year of birth."),
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    # A class's childcare: another course of the same centre at the same times, with its own
    # places and ages; booking the class books the children into it in the same step.
    childcare = models.ForeignKey(
        "self",
        verbose_name=_("childcare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="childcare_for",
        help_text=_("A childcare activity at the same times, for the children of this class."),
    )
    offer_hours = models.PositiveIntegerField(
        _("offer valid for (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    # Slot-booked consultations (booking_mode=slots): each session is the duty hours, cut into
    # slots of slot_minutes with buffer_minutes between them, one appointment each.
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("break between slots (minutes)"),
        default=0,
        validators=[MaxValueValidator(120)],
    )
    booking_window_days = models.PositiveSmallIntegerField(
        _("booking opens (days ahead)"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    booking_cutoff_hours = models.PositiveSmallIntegerField(
        _("booking closes (hours before)"),
        default=2,
        validators=[MaxValueValidator(24 * 14)],
    )
    appointment_mode = models.CharField(
        _("appointments"),
        max_length=16,
        choices=AppointmentMode.choices,
        default=AppointmentMode.IN_PERSON,
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
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="course_age_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.centre})"

    def get_absolute_url(self) -> str:
        return reverse("course-detail", kwargs={"centre": self.centre.slug, "course": self.slug})

    def clean(self) -> None:
        """Refuse a time that cannot be published: bad rule, wrong first date, bad duration."""
        if self.venue is not None and self.centre_id and self.venue.centre_id != self.centre_id:
            raise ValidationError({"venue": _("The venue belongs to another centre.")})
        if self.specialty and self.kind != CourseKind.CONSULTATION:
            raise ValidationError(
                {"specialty": _("Only a consultation has a consultation kind: leave it empty.")}
            )
        if self.booking_mode == BookingMode.SLOTS:
            self._clean_slots()
        self._clean_households()
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

    def _clean_slots(self) -> None:
        """Slots are one person's appointments with a specialist: for consultations only,
        one place each, no childcare beside them."""
        if self.kind != CourseKind.CONSULTATION:
            raise ValidationError(
                {"booking_mode": _("Appointments in slots are for consultations only.")}
            )
        if self.max_party > 1 or self.childcare_id:
            raise ValidationError(
                {
                    "max_party": _(
                        "An appointment in a slot is for one person: one place per booking, "
                        "no childcare."
                    )
                }
            )

    def _clean_households(self) -> None:
        """An age range the right way round; a childcare of the same centre at the same times,
        itself no class with a childcare; a childcare keeps the times of its classes."""
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError(
                {"max_age": _("The oldest age must not be below the youngest age.")}
            )
        classes = list(self.childcare_for.all()) if self.pk else []
        if any(not self._same_times(c) for c in classes):
            raise ValidationError(
                _(
                    "This is the childcare of %(class)s: it keeps the class's times (to change "
                    "both, first remove it from the class)."
                )
                % {"class": classes[0].title}
            )
        care = self.childcare
        if care is None:
            return
        if care.pk == self.pk or care.centre_id != self.centre_id or care.childcare_id or classes:
            raise ValidationError(
                {"childcare": _("Choose another activity of the same centre as the childcare.")}
            )
        if not self._same_times(care):
            raise ValidationError(
                {"childcare": _("The childcare must have the same times as the class.")}
            )

    def _same_times(self, other: Course) -> bool:
        return (
            other.start_date == self.start_date
            and other.start_time == self.start_time
            and other.duration_minutes == self.duration_minutes
            and other.booking_mode == self.booking_mode
            and str(other.recurrence or "") == str(self.recurrence or "")
        )

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
