"""A centre (the tenant) and its venues."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import now as current_time
from django.utils.translation import gettext_lazy as _

from courses import calendar_epoch
from courses.logos import validate_logo


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

        `centre_ids` may be a list or a subquery of ids. The calendar epoch is renewed with it,
        so no feed validator remembered in the cache outlives the change (`calendar_epoch`)."""
        Centre.objects.filter(pk__in=centre_ids).update(
            calendar_revision=F("calendar_revision") + 1, calendar_changed_at=timezone.now()
        )
        calendar_epoch.renew()

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
