"""Who may open People and the SMS log: the person's centre's staff; another centre's staff,
a trainer (even of the person's course) and the anonymous get nothing (404, or the login
page), and nothing changes. Every page the navigation shows opens: no 403."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from courses.models import AuditEntry, Participant
from notifications.models import PhoneOptOut
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(poznan, trainer_user):
    person = ParticipantFactory(centre=poznan, name="Olena Kovalenko", sms_consent=True)
    EnrolmentFactory(
        course=CourseFactory(centre=poznan, trainers=[trainer_user]), participant=person
    )
    return person


def pages(person: Participant) -> list[tuple[str, str]]:
    p = person.pk
    return [
        ("get", "/staff/people/?q=Olena"),
        ("get", f"/staff/people/{p}/"),
        ("post", f"/staff/people/{p}/"),
        ("post", f"/staff/people/{p}/sms/"),
        ("post", f"/staff/people/{p}/export/"),
        ("get", f"/staff/people/{p}/erase/"),
        ("post", f"/staff/people/{p}/erase/"),
        ("get", "/staff/sms/"),
    ]


def call(client: Client, method: str, url: str, person: Participant):
    if method == "get":
        return client.get(url)
    data = {"name": "Zmienione", "phone": "602000999", "language": "pl", "sms": "off"}
    return client.post(url, data)


@pytest.fixture
def konin_staff(konin) -> Client:
    client = Client()
    client.force_login(UserFactory(username="konin", staff_of=[konin]))
    return client


@pytest.mark.parametrize("who", ["konin_staff", "trainer_client"])
def test_others_get_404_and_change_nothing(request, olena, who) -> None:
    client = request.getfixturevalue(who)
    for method, url in pages(olena):
        response = call(client, method, url, olena)
        if url.startswith(("/staff/people/?", "/staff/sms/")) and who == "konin_staff":
            # their own (empty) lists: Olena is not in them
            assert response.status_code == 200, url
            assert "Kovalenko" not in response.content.decode(), url
        else:
            assert response.status_code == 404, (method, url)
    olena.refresh_from_db()
    assert olena.name == "Olena Kovalenko"
    assert olena.erased_at is None
    assert not PhoneOptOut.objects.exists()
    assert not AuditEntry.objects.filter(
        action__in=["participant.exported", "participant.changed"]
    ).exists()


def test_the_anonymous_are_sent_to_log_in(client: Client, olena) -> None:
    for method, url in pages(olena):
        response = call(client, method, url, olena)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    olena.refresh_from_db()
    assert olena.erased_at is None


def test_staff_open_every_page(coordinator_client: Client, olena) -> None:
    for method, url in pages(olena):
        if method == "get":
            assert coordinator_client.get(url).status_code == 200, url


def _nav_links(body: str) -> list[str]:
    nav = body[body.index('class="ws-nav"') : body.index("</nav>", body.index('class="ws-nav"'))]
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize("who", ["coordinator_client", "trainer_client"])
def test_no_page_the_navigation_shows_is_refused(request, olena, who) -> None:
    client = request.getfixturevalue(who)
    links = _nav_links(client.get("/staff/").content.decode())
    assert links
    for url in links:
        assert client.get(url).status_code == 200, url
    if who == "trainer_client":
        assert "/staff/people/" not in links
        assert "/staff/sms/" not in links
    else:
        assert {"/staff/people/", "/staff/sms/"} <= set(links)


def test_a_refused_change_is_the_sites_styled_page(trainer_client: Client, olena) -> None:
    """A trainer may read a course but not change it: the site's 403 page (templates/403.html),
    in the site's layout and language, not a bare "403 Forbidden"."""
    course = olena.enrolments.get().course
    response = trainer_client.post(f"/staff/courses/{course.pk}/", {})
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="pl">' in body
    assert 'class="error-page"' in body
    assert "403 Forbidden" not in body
