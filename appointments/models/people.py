"""Who consults and in which language: the specialists' languages and the interpreters with
their duty hours."""

from __future__ import annotations

from datetime import date, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from appointments.languages import CONSULTATION_LANGUAGES, LANGUAGE_CODES, language_codes
from courses.models import Centre


def validate_language_list(value: str) -> None:
    """A comma-separated list of known language codes (e.g. "uk,ru")."""
    unknown = [
        part.strip()
        for part in (value or "").split(",")
        if part.strip() and part.strip().lower() not in LANGUAGE_CODES
    ]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s."),
            params={"codes": ", ".join(unknown)},
            code="unknown_language",
        )


class SpecialistLanguage(models.Model):
    """A language a specialist (a trainer of consultations) consults in. A specialist with none
    recorded consults in Polish: a centre's own staff do."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        on_delete=models.CASCADE,
        related_name="consultation_languages",
    )
    language = models.CharField(_("language"), max_length=8, choices=CONSULTATION_LANGUAGES)

    class Meta:
        verbose_name = _("specialist's language")
        verbose_name_plural = _("specialists' languages")
        ordering = ["user", "language"]
        constraints = [
            models.UniqueConstraint(fields=["user", "language"], name="specialist_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"


class Interpreter(models.Model):
    """An interpreter a centre records. They may be booked for the consultations of every centre
    of the same network (`Centre.network`), never for two overlapping appointments."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="interpreters"
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=100,
        validators=[validate_language_list],
        help_text=_("Language codes separated by commas, e.g. uk,ru."),
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note for staff"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.languages})"

    @property
    def language_list(self) -> list[str]:
        return language_codes(self.languages)


class InterpreterHours(models.Model):
    """When an interpreter is available at one centre: a weekday and local start and end,
    valid from and until (either may be empty: always)."""

    interpreter = models.ForeignKey(
        Interpreter, verbose_name=_("interpreter"), on_delete=models.CASCADE, related_name="hours"
    )
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        related_name="interpreter_hours",
        help_text=_("Where these hours are: the interpreter's centre or another of its network."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    starts_at = models.TimeField(_("from"), help_text=_("Local time at the centre."))
    ends_at = models.TimeField(_("until"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("interpreter's hours")
        verbose_name_plural = _("interpreters' hours")
        ordering = ["interpreter", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="interpreter_hours_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="interpreter_hours_weekday"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.interpreter.name} {self.get_weekday_display()} {self.starts_at}-{self.ends_at}"
        )

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The hours end after they start.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The last day is before the first.")})
        if self.interpreter_id and self.centre_id:
            home = self.interpreter.centre
            if home.pk != self.centre_id and (
                not home.network or home.network != self.centre.network
            ):
                raise ValidationError(
                    {"centre": _("The centre is not in the interpreter's network.")}
                )

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    @property
    def span(self) -> tuple[time, time]:
        return self.starts_at, self.ends_at
