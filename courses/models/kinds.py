"""The choices that describe a course: its kind, a consultation's specialty, whom it is for, its
level, how it is booked, and how its waitlist moves (`courses.models.catalogue.Course`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    POLISH_COURSE = "polish_course", _("Polish course")
    LANGUAGE_CLUB = "language_club", _("Language club")
    ADAPTATION_MEETING = "adaptation_meeting", _("Adaptation meeting")
    WORKSHOP = "workshop", _("Workshop")
    FESTIVAL_SESSION = "festival_session", _("Festival session")
    CONSULTATION = "consultation", _("Consultation / duty hours")


class Specialty(models.TextChoices):
    """What a consultation is about: the funders' report counts consultations held by it."""

    LEGAL = "legal", _("Legal advice")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    TAX = "tax", _("Tax advice")
    CAREER = "career", _("Career and vocational counselling")
    LEGALISATION = "legalisation", _("Legalisation of stay and residence")
    OTHER = "other", _("Other consultation")


# Consultations whose SMS never name the topic unless staff choose otherwise: a course that
# becomes one of these with no explicit choice of `sensitive` is saved sensitive
# (courses.services.catalogue.course_save).
SENSITIVE_SPECIALTIES = frozenset({Specialty.PSYCHOLOGICAL})


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
    SLOTS = "slots", _("Appointments in slots (consultations)")


class AppointmentMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class WaitlistMode(models.TextChoices):
    AUTO = "auto", _("Confirm the next person at once")
    OFFER = "offer", _("Offer the seat for a limited time")


class WaitlistFit(models.TextChoices):
    """What becomes of free places the booking at the head of the waitlist cannot use (a family
    of 3 waits, 2 places are free). WAIT is the default because it is fair to families: with
    NEXT a family is passed by every smaller booking behind it and may never get in."""

    WAIT = "wait", _("Keep them until the head of the waitlist fits")
    NEXT = "next", _("Give them to the next booking that fits")
