"""Who may open a course's people: the centre's staff (everything), the course's trainers (the
list, read-only, without phones or reasons), nobody else (404), and nobody logged out."""

from __future__ import annotations

import pytest
from django.test import Client

from courses.models import BookingMode, EnrolmentStatus
from tests.factories import (
    CourseFactory,
    EnrolmentRowFactory,
    ParticipantRowFactory,
    UserFactory,
    first_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(poznan, trainer_user):
    return CourseFactory(centre=poznan, capacity=1, trainers=[trainer_user])


@pytest.fixture
def session_course(poznan, trainer_user):
    return CourseFactory(
        centre=poznan, capacity=1, booking_mode=BookingMode.SESSION, trainers=[trainer_user]
    )


@pytest.fixture
def places(course):
    seated = EnrolmentRowFactory(
        course=course, participant__name="Olena Kowal", participant__phone="+48601000001"
    )
    waiting = EnrolmentRowFactory(
        course=course,
        status=EnrolmentStatus.WAITLISTED,
        priority=2,
        priority_reason="samotna matka",
        participant__name="Iryna Bondar",
        participant__phone="+48601000002",
    )
    return seated, waiting


def _pages(course, session_course, places) -> dict[str, tuple[str, str]]:
    """Every new page: (method, url)."""
    session = first_session(session_course)
    seated, waiting = places
    return {
        "course people": ("get", f"/staff/courses/{course.pk}/people/"),
        "session people": ("get", f"/staff/sessions/{session.pk}/people/"),
        "course export": ("get", f"/staff/courses/{course.pk}/people/export/?format=csv"),
        "session export": ("get", f"/staff/sessions/{session.pk}/people/export/?format=xlsx"),
        "cancel page": ("get", f"/staff/places/{seated.pk}/cancel/"),
        "course enrol": ("post", f"/staff/courses/{course.pk}/people/enrol/"),
        "session enrol": ("post", f"/staff/sessions/{session.pk}/people/enrol/"),
        "move": ("post", f"/staff/places/{waiting.pk}/move/"),
        "cancel": ("post", f"/staff/places/{seated.pk}/cancel/"),
    }


def _call(client: Client, method: str, url: str, data: dict | None = None):
    return client.post(url, data or {}) if method == "post" else client.get(url)


def test_the_centres_staff_reach_every_page(
    coordinator_client: Client, course, session_course, places
) -> None:
    for name, (method, url) in _pages(course, session_course, places).items():
        if method == "get":
            assert _call(coordinator_client, method, url).status_code == 200, name


def test_other_centres_staff_get_404_everywhere(
    client: Client, konin, course, session_course, places
) -> None:
    client.force_login(UserFactory(username="konin-desk", staff_of=[konin]))
    for name, (method, url) in _pages(course, session_course, places).items():
        assert _call(client, method, url).status_code == 404, name


def test_a_trainer_of_another_course_gets_404(
    client: Client, poznan, course, session_course, places
) -> None:
    other = UserFactory(username="inny-trener")
    CourseFactory(centre=poznan, trainers=[other])
    client.force_login(other)
    for name, (method, url) in _pages(course, session_course, places).items():
        assert _call(client, method, url).status_code == 404, name


def test_anonymous_people_are_sent_to_log_in(
    client: Client, course, session_course, places
) -> None:
    for name, (method, url) in _pages(course, session_course, places).items():
        response = _call(client, method, url)
        assert response.status_code == 302, name
        assert "/login/" in response["Location"] or "/accounts/" in response["Location"], name


def test_the_courses_trainer_sees_the_list_read_only(
    trainer_client: Client, course, session_course, places
) -> None:
    pages = _pages(course, session_course, places)
    for name in ("course people", "session people"):
        assert trainer_client.get(pages[name][1]).status_code == 200, name
    page = trainer_client.get(pages["course people"][1]).content.decode()
    assert "Olena Kowal" in page
    assert "Iryna Bondar" in page
    assert "+48601000001" not in page  # no phones
    assert "samotna matka" not in page  # no reasons
    assert "/enrol/" not in page
    assert "/move/" not in page
    assert "/export/" not in page
    for name in ("course export", "session export", "cancel page"):
        assert trainer_client.get(pages[name][1]).status_code == 403, name
    seated, waiting = places
    refused = [
        trainer_client.post(pages["move"][1], {"reason": "r", "direction": "up"}),
        trainer_client.post(pages["cancel"][1], {"reason": "r"}),
        trainer_client.post(
            pages["course enrol"][1],
            {"name": "Nowa Osoba", "country": "PL", "phone": "601000009", "language": "pl"},
        ),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.status, waiting.priority) == (EnrolmentStatus.CONFIRMED, 2)
    assert not course.enrolments.filter(participant__name="Nowa Osoba").exists()


def test_a_place_of_another_centre_cannot_be_enrolled_from_here(
    coordinator_client: Client, konin, course
) -> None:
    """A participant id of another centre's person, posted to this course's desk form."""
    stranger = ParticipantRowFactory(centre=konin, name="Obcy")
    response = coordinator_client.post(
        f"/staff/courses/{course.pk}/people/enrol/", {"participant": stranger.pk}
    )
    assert response.status_code == 400
    assert not course.enrolments.exists()
