"""The participant's admin page in Polish: the person's name is "Imię i nazwisko" (not the
"Nazwa" of a centre), every date is named, their places are listed read only, and the country
of origin is picked from the list of countries (the ISO code is stored)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from courses.models import EnrolmentStatus, Participant
from courses.services.staff import STAFF_GROUP
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, staff_user) -> Client:
    staff_user.groups.add(Group.objects.get(name=STAFF_GROUP))
    client.force_login(staff_user)
    return client


@pytest.fixture
def olena(centre):
    person = ParticipantFactory(centre=centre, name="Olena Kovalenko", sms_consent=True)
    EnrolmentFactory(course=CourseFactory(centre=centre, title_pl="Polski A1"), participant=person)
    return person


def post_data(person: Participant, **changes: str) -> dict[str, str]:
    data = {
        "centre": str(person.centre_id), "name": person.name, "phone": person.phone,
        "language": person.language, "email": "", "country_of_origin": "", "birth_year": "",
        "sex": "", "sms_consent": "on", "privacy_notice_version": "",
        "enrolments-TOTAL_FORMS": "1", "enrolments-INITIAL_FORMS": "1",
        "enrolments-MIN_NUM_FORMS": "0", "enrolments-MAX_NUM_FORMS": "0",
        "messages-TOTAL_FORMS": "0", "messages-INITIAL_FORMS": "0",
        "messages-MIN_NUM_FORMS": "0", "messages-MAX_NUM_FORMS": "0",
        "enrolments-0-id": str(person.enrolments.get().pk),
        "enrolments-0-participant": str(person.pk),
    }  # fmt: skip
    return {**data, **changes}


def test_the_page_names_every_field_and_lists_the_places(admin_client: Client, olena) -> None:
    body = admin_client.get(f"/admin/courses/participant/{olena.pk}/change/").content.decode()
    assert 'for="id_name">Imię i nazwisko:' in body
    assert 'for="id_name">Nazwa' not in body
    assert "Created at" not in body
    assert "Dodano" in body or "dodano" in body
    places = body.split('id="enrolments-group"')[1]
    assert "Polski A1" in places
    assert str(EnrolmentStatus.CONFIRMED.label) in places or "Potwierdzone" in places
    assert '<option value="UA">Ukraina</option>' in body
    listing = admin_client.get("/admin/courses/participant/").content.decode()
    assert "Imię i nazwisko" in listing


def test_the_country_is_stored_as_its_code(admin_client: Client, olena) -> None:
    url = f"/admin/courses/participant/{olena.pk}/change/"
    response = admin_client.post(url, post_data(olena, country_of_origin="UA"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    olena.refresh_from_db()
    assert olena.country_of_origin == "UA"


def test_a_code_not_on_the_list_is_refused(admin_client: Client, olena) -> None:
    url = f"/admin/courses/participant/{olena.pk}/change/"
    response = admin_client.post(url, post_data(olena, country_of_origin="XX"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["country_of_origin"]
    olena.refresh_from_db()
    assert olena.country_of_origin == ""
