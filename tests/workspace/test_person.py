"""A person's page: details changed through the service (country from the list, year of birth,
sex, each with "prefers not to say"), refusals at the field with nothing saved; SMS off and on
through the opt-out list; the data export; erasure after a confirmation page."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from courses.models import AuditEntry, EnrolmentStatus, Participant
from notifications.models import PhoneOptOut
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, PhoneOptOutFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(poznan):
    return ParticipantFactory(
        centre=poznan, name="Olena Kovalenko", phone="601 234 567", sms_consent=True
    )


def form(person: Participant, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": person.name,
        "phone": person.phone,
        "language": person.language,
        "email": person.email,
        "country_of_origin": person.country_of_origin,
        "birth_year": person.birth_year or "",
        "sex": person.sex,
    }
    return {**data, **changes}


def test_the_details_are_saved_with_the_answers_from_the_lists(
    coordinator_client: Client, olena
) -> None:
    page = coordinator_client.get(f"/staff/people/{olena.pk}/")
    body = page.content.decode()
    assert '<option value="UA">Ukraina</option>' in body
    assert "Nie chce podać" in body or "Prefers not to say" in body
    response = coordinator_client.post(
        f"/staff/people/{olena.pk}/",
        form(olena, phone="+48 602 000 111", country_of_origin="UA", birth_year=1990,
             sex="female", language="uk"),
    )  # fmt: skip
    assert response.status_code == 302
    olena.refresh_from_db()
    assert (olena.phone, olena.country_of_origin, olena.birth_year, olena.sex, olena.language) == (
        "+48602000111", "UA", 1990, "female", "uk",
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="participant.changed")
    assert entry.detail == {
        "fields": ["birth_year", "country_of_origin", "language", "phone", "sex"]
    }
    assert "602000111" not in json.dumps(entry.detail)


def test_prefers_not_to_say_clears_an_answer(coordinator_client: Client, olena) -> None:
    Participant.objects.filter(pk=olena.pk).update(
        country_of_origin="UA", birth_year=1990, sex="male"
    )
    olena.refresh_from_db()
    response = coordinator_client.post(
        f"/staff/people/{olena.pk}/", form(olena, country_of_origin="", birth_year="", sex="")
    )
    assert response.status_code == 302
    olena.refresh_from_db()
    assert (olena.country_of_origin, olena.birth_year, olena.sex) == ("", None, "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country_of_origin": "XX"}, "country_of_origin"),
        ({"country_of_origin": "EU"}, "country_of_origin"),
        ({"birth_year": 1850}, "birth_year"),
        ({"birth_year": 2031}, "birth_year"),
        ({"sex": "robot"}, "sex"),
        ({"phone": "12"}, "phone"),
        ({"phone": "61 222 33 44"}, "phone"),  # a landline: SMS cannot reach it
        ({"name": "   "}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"language": "de"}, "language"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(
    coordinator_client: Client, olena, changes, field
) -> None:
    before = Participant.objects.values().get(pk=olena.pk)
    response = coordinator_client.post(
        f"/staff/people/{olena.pk}/", form(olena, **{"name": "Nowe Imię", **changes})
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Participant.objects.values().get(pk=olena.pk) == before
    assert not AuditEntry.objects.filter(action="participant.changed").exists()


def test_another_persons_number_is_refused(coordinator_client: Client, poznan, olena) -> None:
    ParticipantFactory(centre=poznan, phone="602 000 111")
    response = coordinator_client.post(f"/staff/people/{olena.pk}/", form(olena, phone="602000111"))
    assert response.status_code == 400
    assert response.context["form"].errors["phone"]
    olena.refresh_from_db()
    assert olena.phone == "+48601234567"


def test_sms_off_and_on_through_the_opt_out_list(coordinator_client: Client, olena) -> None:
    url = f"/staff/people/{olena.pk}/sms/"
    assert coordinator_client.post(url, {"sms": "off"}).status_code == 302
    assert PhoneOptOut.objects.get(phone=olena.phone).reason == "stop"
    body = coordinator_client.get(f"/staff/people/{olena.pk}/").content.decode()
    assert 'name="sms" value="on"' in body
    assert coordinator_client.post(url, {"sms": "on"}).status_code == 302
    assert not PhoneOptOut.objects.filter(phone=olena.phone).exists()


def test_an_unreachable_number_stays_on_the_list(coordinator_client: Client, olena) -> None:
    PhoneOptOutFactory(phone=olena.phone, reason="invalid")
    response = coordinator_client.post(f"/staff/people/{olena.pk}/sms/", {"sms": "on"}, follow=True)
    assert PhoneOptOut.objects.filter(phone=olena.phone).exists()
    assert any("zostaje na liście wypisanych" in str(m) for m in response.context["messages"])


def test_the_export_downloads_everything_and_is_audited(coordinator_client: Client, olena) -> None:
    assert coordinator_client.get(f"/staff/people/{olena.pk}/export/").status_code == 405
    response = coordinator_client.post(f"/staff/people/{olena.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="participant-{olena.pk}.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["participant"]["phone"] == "+48601234567"
    assert "messages" in data or "sms" in json.dumps(data).lower()
    assert AuditEntry.objects.filter(action="participant.exported").count() == 1


def test_erasure_asks_first_then_erases(coordinator_client: Client, poznan, olena) -> None:
    place = EnrolmentFactory(
        course=CourseFactory(centre=poznan, title_pl="Polski A1"), participant=olena
    )
    page = coordinator_client.get(f"/staff/people/{olena.pk}/erase/")
    assert page.status_code == 200
    assert "Polski A1" in page.content.decode()  # the place that will be cancelled
    olena.refresh_from_db()
    assert olena.erased_at is None
    response = coordinator_client.post(f"/staff/people/{olena.pk}/erase/")
    assert response.status_code == 302
    olena.refresh_from_db()
    place.refresh_from_db()
    assert olena.erased_at is not None
    assert (olena.name, olena.phone) == ("", "")
    assert place.status == EnrolmentStatus.CANCELLED
    after = coordinator_client.get(f"/staff/people/{olena.pk}/")
    assert after.status_code == 200
    assert "Kovalenko" not in after.content.decode()
    assert 'name="name"' not in after.content.decode()
    # nothing left to change
    assert (
        coordinator_client.post(f"/staff/people/{olena.pk}/", form(olena, name="X")).status_code
        == 400
    )
