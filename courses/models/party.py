"""The people one booking covers besides the booking person: a mother's children, a friend.

A booking (`Enrolment`) is made by one person with the phone; `Enrolment.attending` says whether
they take a place themselves, and each other person it covers is a `PartyMember` here, by name,
with a year of birth for a child and nothing more (no phone, no country, no sex). A booking
without members is the booking person alone, as every booking was before households: it stores
no row here, so a one-person booking costs what it always cost.

`Enrolment.places` is the number of places the booking holds (the booking person if attending,
plus each member not cancelled): seats are the sum of the places of the confirmed and offered
bookings. Cancelling one member gives back one place; the booking itself stays.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.enrolment import Enrolment

ADULT_AGE = 18  # a member younger than this in the course's year is a child


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Has a place")
    CANCELLED = "cancelled", _("Place given up")


class PartyMember(models.Model):
    """One more person a booking covers. Children need the parent's consent, recorded with the
    version of the consent text they were shown (`consent_text`)."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="party"
    )
    name = models.CharField(_("name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("For children: the age range of the activity is checked against it."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    # The parent's consent for a child (courses.services.party.PARTY_CONSENT_TEXT_VERSION).
    consent_at = models.DateTimeField(_("parent's consent given"), null=True, blank=True)
    consent_text = models.CharField(_("consent text version"), max_length=16, blank=True)
    cancelled_at = models.DateTimeField(_("place given up at"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("person in the booking")
        verbose_name_plural = _("people in the booking")
        ordering = ["enrolment", "position", "id"]
        indexes = [models.Index(fields=["enrolment", "status"], name="party_member_booking")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    def age_in(self, year: int) -> int | None:
        """The age the person reaches in `year` (None without a year of birth)."""
        return None if self.birth_year is None else year - self.birth_year

    def is_child_in(self, year: int) -> bool:
        age = self.age_in(year)
        return age is not None and age < ADULT_AGE
