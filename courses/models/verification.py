"""Proof of a phone number: a one-time code sent by SMS before a self-enrolment takes a place.

Until the code is proven nothing about a person is looked up, shown or changed: the request
(name, number, language, the course) waits here, and is deleted a day after it was made."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.catalogue import Course
from courses.models.people import Language, Sex


def new_verification_id() -> str:
    return secrets.token_urlsafe(18)


class ConsentSource(models.TextChoices):
    VERIFIED_CODE = "verified_code", _("Self-enrolment, phone proven by SMS code")
    DESK = "desk", _("Given at the desk")
    WALK_IN = "walk_in", _("Given at the door (walk-in)")
    PERSONAL_PAGE = "personal_page", _("Switched on again on the personal page")
    API_STAFF = "api_staff", _("Given to staff, entered through the API")


class PhoneVerification(models.Model):
    """A self-enrolment waiting for its SMS code (6 digits, 10 minutes, 5 tries)."""

    public_id = models.CharField(max_length=32, unique=True, default=new_verification_id)
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="verifications", verbose_name=_("course")
    )
    session = models.ForeignKey(
        "scheduling.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="verifications",
    )
    phone = models.CharField(_("mobile phone"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    # The optional statistics answers ("" / None: not given) and the privacy notice shown: they
    # reach the person only with the enrolment, once the code is proven.
    country_of_origin = models.CharField(max_length=2, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=8, choices=Sex.choices, blank=True)
    privacy_notice_version = models.CharField(max_length=16, blank=True)
    # Households: the others the booking covers ([{"name", "birth_year"}]), whether the person
    # attends themselves, the fewest places they would accept; they reach the booking only with
    # the enrolment, once the code is proven.
    party = models.JSONField(default=list, blank=True)
    attending = models.BooleanField(default=True)
    min_places = models.PositiveSmallIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=8)  # web | api
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        indexes = [models.Index(fields=["created_at"], name="verification_created")]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.course_id})"
