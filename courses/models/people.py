"""The people who take part: a name, a mobile phone and their choices."""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courses.models.centres import Centre


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
    name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(
        _("mobile phone"), max_length=20, help_text=_("International format, e.g. +48601234567.")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.PL
    )
    sms_consent = models.BooleanField(_("agrees to SMS"), default=False)
    sms_consent_at = models.DateTimeField(_("SMS consent given"), null=True, blank=True)
    # How the consent was given (ConsentSource) and which version of the consent text was shown.
    sms_consent_source = models.CharField(_("consent given"), max_length=16, blank=True)
    sms_consent_text = models.CharField(_("consent text version"), max_length=16, blank=True)
    # The version of the privacy notice the person was shown when they last enrolled
    # themselves or gave consent (courses.services.participants.PRIVACY_NOTICE_VERSION).
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=16, blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # Optional, only for funders' statistics.
    # An ISO 3166-1 code from courses.countries (pickers show the names); "" when the person
    # prefers not to say.
    country_of_origin = models.CharField(_("country of origin"), max_length=2, blank=True)
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
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

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
