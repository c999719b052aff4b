from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Max
from django.utils import timezone

from courses.models import (
    Attendance,
    AttendanceStatus,
    Centre,
    Course,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Participant,
    Venue,
)
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from scheduling.models import Closure, Session

SEED_CENTRES = {
    # slug: (city, address, phone, e-mail), as printed in the ROPS Poznań leaflet (seed 003)
    "cic-leszno": (
        "Leszno",
        "Aleje Jana Pawła II 12",
        "887 068 112",
        "info.cicleszno@rops.poznan.pl",
    ),
    "cic-konin": ("Konin", "ul. Chopina 23B", "887 067 112", "info.cickonin@rops.poznan.pl"),
    "cic-poznan": (
        "Poznań",
        "ul. Nowowiejskiego 25",
        "887 063 112",
        "info.cicpoznan@rops.poznan.pl",
    ),
    "cic-kalisz": ("Kalisz", "ul. Nowy Świat 13", "887 069 112", "info.cickalisz@rops.poznan.pl"),
    "cic-pila": (
        "Piła",
        "Al. Powstańców Wielkopolskich 75/13",
        "887 066 112",
        "info.cicpila@rops.poznan.pl",
    ),
}


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    return {
        "centres": Centre.objects.count(),
        "venues": Venue.objects.count(),
        "courses": Course.objects.count(),
        "sessions": Session.objects.count(),
        "closures": Closure.objects.count(),
        "users": get_user_model().objects.count(),
        "participants": Participant.objects.count(),
        "enrolments": sorted(Enrolment.objects.values_list("pk", "status", "updated_at")),
        "marks": Attendance.objects.count(),
        "messages": sorted(OutboundMessage.objects.values_list("pk", "status", "body")),
        "last_course_change": Course.objects.aggregate(m=Max("updated_at"))["m"],
        "last_session_change": Session.objects.aggregate(m=Max("updated_at"))["m"],
    }


@pytest.mark.django_db
def test_second_run_creates_and_changes_nothing() -> None:
    first = load()
    before = snapshot()
    second = load()

    assert "7 centres" in first
    assert snapshot() == before
    assert "nothing created" in second


@pytest.mark.django_db
def test_centres_carry_the_seed_contact_details() -> None:
    load()

    for slug, (city, address, phone, email) in SEED_CENTRES.items():
        centre = Centre.objects.get(slug=slug)
        assert (centre.city, centre.address, centre.phone, centre.email) == (
            city,
            address,
            phone,
            email,
        )
        assert centre.voivodeship == "wielkopolskie"
        assert centre.network == "Centra Integracji Cudzoziemców (ROPS Poznań)"
        assert centre.opening_hours_pl
        assert centre.opening_hours_uk
        assert centre.opening_hours_en
        assert centre.opening_hours_ru
        assert centre.venues.filter(name="Siedziba centrum", address=address).exists()


@pytest.mark.django_db
def test_centres_without_seed_contacts_stay_blank() -> None:
    load()

    for slug, network in (("iom-wroclaw", "IOM"), ("caritas-poznan", "Caritas Polska")):
        centre = Centre.objects.get(slug=slug)
        assert centre.network == network
        assert (centre.address, centre.phone, centre.email) == ("", "", "")
    assert Centre.objects.get(slug="iom-wroclaw").city == "Wrocław"


@pytest.mark.django_db
def test_every_course_is_published_translated_and_has_sessions() -> None:
    load()

    courses = Course.objects.annotate(n=Count("sessions"))
    assert courses.count() > 0
    for course in courses:
        assert course.published, course.slug
        assert course.n >= 1, course.slug
        assert all(getattr(course, f"title_{lang}") for lang in ("pl", "uk", "en", "ru")), (
            course.slug
        )


@pytest.mark.django_db
def test_skovoroda_fest_has_about_60_hours_of_workshops() -> None:
    load()

    sessions = Session.objects.filter(course__kind=CourseKind.FESTIVAL_SESSION)
    hours = sum((s.ends_at - s.starts_at).total_seconds() for s in sessions) / 3600
    days = {s.starts_at.date() for s in sessions}

    assert 55 <= hours <= 65
    assert len(days) <= 3


@pytest.mark.django_db
def test_demo_users_and_christmas_closures() -> None:
    load()
    users = get_user_model().objects

    staff = users.get(username="demo-staff")
    assert staff.is_staff
    assert not staff.is_superuser
    assert staff.check_password("demo-staff")
    assert staff.has_perm("scheduling.change_session")
    assert staff.has_perm("courses.change_centre")
    assert not staff.has_perm("courses.add_centre")
    assert set(staff.staff_centres.values_list("slug", flat=True)) == set(SEED_CENTRES)
    assert users.get(username="demo-admin").is_superuser
    trainer = users.get(username="demo-trainer")
    assert not trainer.is_staff
    assert trainer.courses.filter(kind=CourseKind.POLISH_COURSE).count() >= 2

    closures = Closure.objects.filter(centre__slug__in=SEED_CENTRES)
    assert closures.count() == len(SEED_CENTRES)
    for closure in closures:
        assert (closure.starts_on.month, closure.starts_on.day) == (12, 24)
        assert closure.ends_on == date(closure.starts_on.year + 1, 1, 1)
        assert not Session.objects.filter(
            course__centre=closure.centre,
            starts_at__date__gte=closure.starts_on,
            starts_at__date__lte=closure.ends_on,
        ).exists()


@pytest.mark.django_db
def test_demo_refuses_to_run_in_production_without_force(settings) -> None:
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="--force"):
        load()
    assert not get_user_model().objects.filter(username="demo-admin").exists()
    call_command("load_demo", "--force", stdout=StringIO())
    assert get_user_model().objects.filter(username="demo-admin").exists()


@pytest.mark.django_db
def test_demo_people_have_numbers_reserved_for_fiction_and_say_demo() -> None:
    load()

    people = Participant.objects.all()
    assert people.count() >= 20
    for person in people:
        # Ofcom's drama range: +44 7700 900000 to 900999, never given to a real phone.
        assert person.phone.startswith("+447700900"), person.phone
        assert 0 <= int(person.phone[-3:]) <= 999
        assert person.name.endswith("(demo)")
        assert person.sms_consent
    assert {p.language for p in people} == {"pl", "uk", "en", "ru"}


@pytest.mark.django_db
def test_the_demo_shows_full_courses_waitlists_and_an_offer() -> None:
    load()
    a1 = Course.objects.get(centre__slug="cic-poznan", slug="kurs-polskiego-a1")
    a2 = Course.objects.get(centre__slug="cic-poznan", slug="kurs-polskiego-a2")

    a1_places = Enrolment.objects.filter(course=a1)
    assert a1_places.filter(status=EnrolmentStatus.CONFIRMED).count() == a1.capacity
    assert a1_places.filter(status=EnrolmentStatus.WAITLISTED).count() == 3
    offer = Enrolment.objects.get(course=a2, status=EnrolmentStatus.OFFERED)
    assert offer.offer_expires_at is not None
    assert Enrolment.objects.filter(course=a2, status=EnrolmentStatus.CANCELLED).count() == 1
    assert Enrolment.objects.filter(course__kind=CourseKind.WORKSHOP, session__isnull=False)


@pytest.mark.django_db
def test_registers_of_past_sessions_are_filled_in() -> None:
    load()
    a1 = Course.objects.get(centre__slug="cic-poznan", slug="kurs-polskiego-a1")
    held = Session.objects.filter(course=a1, ends_at__lt=timezone.now())

    assert held.count() >= 2
    for session in held:
        marks = Attendance.objects.filter(session=session)
        assert marks.count() == a1.capacity
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert statuses == {AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED}


@pytest.mark.django_db
def test_the_sms_log_shows_sent_delivered_and_failed_messages() -> None:
    # In the afternoon: an offer made during the quiet hours waits for the morning.
    with time_machine.travel(datetime(2027, 3, 10, 14, tzinfo=ZoneInfo("Europe/Warsaw"))):
        load()
    messages = OutboundMessage.objects.all()

    done = messages.exclude(status=MessageStatus.PENDING).exclude(kind=MessageKind.REMINDER)
    assert {m.status for m in done} == {
        MessageStatus.SENT,
        MessageStatus.DELIVERED,
        MessageStatus.FAILED,
    }
    for message in done:
        assert message.body
        assert message.segments >= 1
        assert message.phone.startswith("+447700900")
        assert message.sent_at is not None
    assert messages.filter(kind=MessageKind.OFFER_MADE).exclude(status=MessageStatus.PENDING)
    assert messages.filter(status=MessageStatus.FAILED).exclude(error_code="").exists()
    # The reminders of the coming sessions wait for their time, as they would.
    assert messages.filter(kind=MessageKind.REMINDER, status=MessageStatus.PENDING).exists()
