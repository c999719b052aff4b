"""An appointment held by video gets its link from staff on the day view; only the booked person
sees it (their personal page), never a public page or feed; a link that is not an https address,
an appointment not held by video, or another centre's is refused and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from appointments.models import Appointment
from appointments.services.booking import appointment_book
from appointments.services.video import appointment_video_link_set
from courses.errors import DomainError, WrongCentre
from courses.models import AppointmentMode, AuditEntry
from tests.appointments.helpers import local, person, slot_course, specialist
from tests.factories import CentreFactory, UserFactory, first_session

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/cic-abc-def"


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań")
    konin = CentreFactory(slug="cic-konin", name="CIC Konin")
    staff = UserFactory(username="koordynator", staff_of=[poznan])
    course = slot_course(
        poznan, trainers=[specialist("doradca")], appointment_mode=AppointmentMode.VIDEO
    )
    day = first_session(course).starts_at.astimezone(poznan.tz).date()

    def book(hour: int, n: int, **extra: Any) -> Appointment:
        return appointment_book(
            course=course,
            starts_at=local(course, day, hour),
            language="pl",
            person=person(n),
            actor=staff,
            channel="desk",
            **extra,
        )

    return {
        "staff": staff,
        "other_staff": UserFactory(username="konin", staff_of=[konin]),
        "course": course,
        "video": book(10, 1),
        "in_person": book(11, 2, mode=AppointmentMode.IN_PERSON),
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_set_the_link_and_only_the_person_sees_it(world: dict[str, Any]) -> None:
    video = world["video"]
    page = video.participant.get_absolute_url()
    assert LINK not in Client().get(page).content.decode()

    answer = _client(world["staff"]).post(
        f"/staff/appointments/{video.pk}/video/", {"video_link": LINK}
    )

    assert answer.status_code == 302
    video.refresh_from_db()
    assert video.video_link == LINK
    assert f'href="{LINK}"' in Client().get(page).content.decode()
    course = world["course"]
    public = [course.get_absolute_url(), f"/calendars/{course.centre.slug}/{course.slug}.ics"]
    for url in public:
        assert LINK not in Client().get(url).content.decode(), url
    event = AuditEntry.objects.get(action="appointment.video_link")
    assert LINK not in str(event.detail)


@pytest.mark.parametrize(
    "link",
    [
        "http://meet.example.org/abc",
        "javascript:alert(1)",
        "meet.example.org",
        "https://" + "a" * 300,
    ],
)
def test_a_link_that_is_not_an_https_address_is_refused(world: dict[str, Any], link: str) -> None:
    video = world["video"]

    answer = _client(world["staff"]).post(
        f"/staff/appointments/{video.pk}/video/", {"video_link": link}
    )

    assert answer.status_code == 400
    assert "https://" in answer.content.decode()
    video.refresh_from_db()
    assert video.video_link == ""


def test_an_appointment_in_person_takes_no_link(world: dict[str, Any]) -> None:
    with pytest.raises(DomainError):
        appointment_video_link_set(appointment=world["in_person"], link=LINK, actor=world["staff"])
    world["in_person"].refresh_from_db()
    assert world["in_person"].video_link == ""


def test_another_centres_staff_cannot_set_it(world: dict[str, Any]) -> None:
    video = world["video"]
    with pytest.raises(WrongCentre):
        appointment_video_link_set(appointment=video, link=LINK, actor=world["other_staff"])
    answer = _client(world["other_staff"]).post(
        f"/staff/appointments/{video.pk}/video/", {"video_link": LINK}
    )
    assert answer.status_code == 404
    video.refresh_from_db()
    assert video.video_link == ""


def test_the_day_view_offers_the_link_for_video_appointments_only(world: dict[str, Any]) -> None:
    video, in_person = world["video"], world["in_person"]
    day = video.starts_at.astimezone(video.course.centre.tz).date()

    html = _client(world["staff"]).get("/staff/appointments/", {"day": day}).content.decode()

    assert f"/staff/appointments/{video.pk}/video/" in html
    assert f"/staff/appointments/{in_person.pk}/video/" not in html
