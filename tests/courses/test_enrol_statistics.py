"""The optional statistics questions of the enrolment form (country of origin, year of birth,
sex): kept with the pending verification, stored on the person only with the enrolment, and
nothing at all for a refused request."""

from __future__ import annotations

from datetime import date

import pytest

from courses.countries import country_name, origin_country_choices
from courses.errors import DomainError
from courses.models import Enrolment, Participant, PhoneVerification
from courses.services.participants import ParticipantData, participant_upsert
from notifications.models import OutboundMessage
from tests.factories import CourseFactory, ParticipantFactory
from tests.verification import form_enrol, sms_code

pytestmark = pytest.mark.django_db
URL = "/centres/cic-poznan/courses/polski-a1/enrol/"


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, slug="polski-a1", capacity=5, start_date=date(2027, 1, 5))


def form(**changes: str) -> dict:
    return {
        "name": "Olena Kowalenko",
        "country": "PL",
        "phone": "601 000 001",
        "language": "uk",
        "sms_consent": "on",
        "country_of_origin": "UA",
        "birth_year": "1990",
        "sex": "female",
        "website": "",
        **changes,
    }


def test_the_form_asks_three_optional_questions_each_with_prefer_not_to_say(client, course):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="uk")
    html = response.content.decode()
    assert "Для статистики (необов’язково)" in html
    assert "лише для анонімної статистики" in html
    for name in ("country_of_origin", "birth_year", "sex"):
        field = html.split(f'name="{name}"')[1].split("</select>")[0]
        assert '<option value="" selected>Не бажаю вказувати</option>' in field, name
        assert "required" not in html.split(f'name="{name}"')[0].rsplit("<select", 1)[1]
    assert '<option value="UA">Україна</option>' in html


def test_answers_wait_with_the_code_and_reach_the_person_only_with_the_enrolment(client, course):
    asked = client.post(URL, form())
    assert asked.status_code == 200
    pending = PhoneVerification.objects.get()
    assert (pending.country_of_origin, pending.birth_year, pending.sex) == ("UA", 1990, "female")
    assert not Participant.objects.exists()  # nothing half-saved before the code

    verification = asked.context["form"].initial["verification"]
    done = client.post(URL, {"verification": verification, "code": sms_code(verification)})
    assert done.status_code == 302
    person = Participant.objects.get()
    assert (person.country_of_origin, person.birth_year, person.sex) == ("UA", 1990, "female")
    assert Enrolment.objects.filter(participant=person).exists()


def test_answers_survive_asking_for_a_new_code(client, course):
    asked = client.post(URL, form(country_of_origin="GE", birth_year="1985", sex="male"))
    first = asked.context["form"].initial["verification"]
    again = client.post(URL, {"verification": first, "code": "", "resend": "1"})
    second = again.context["form"].initial["verification"]
    assert second != first
    client.post(URL, {"verification": second, "code": sms_code(second)})
    person = Participant.objects.get()
    assert (person.country_of_origin, person.birth_year, person.sex) == ("GE", 1985, "male")


def test_prefer_not_to_say_stores_nothing(client, course):
    form_enrol(client, URL, form(country_of_origin="", birth_year="", sex=""))
    person = Participant.objects.get()
    assert (person.country_of_origin, person.birth_year, person.sex) == ("", None, "")


def test_a_wrong_code_stores_no_person_and_no_answers(client, course):
    asked = client.post(URL, form())
    verification = asked.context["form"].initial["verification"]
    wrong = "000000" if sms_code(verification) != "000000" else "111111"
    assert client.post(URL, {"verification": verification, "code": wrong}).status_code == 400
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country_of_origin": "XX"}, "country_of_origin"),
        ({"country_of_origin": "EU"}, "country_of_origin"),
        ({"birth_year": "1850"}, "birth_year"),
        ({"birth_year": "soon"}, "birth_year"),
        ({"sex": "robot"}, "sex"),
    ],
)
def test_an_answer_not_offered_is_refused_before_any_code_is_sent(client, course, changes, field):
    response = client.post(URL, form(**changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not PhoneVerification.objects.exists()
    assert not OutboundMessage.objects.exists()
    assert not Participant.objects.exists()


def test_a_known_person_gets_the_answers_they_give_and_keeps_the_ones_they_skip(client, course):
    known = ParticipantFactory(
        centre=course.centre, phone="+48601000001", country_of_origin="BY", birth_year=1970
    )
    form_enrol(client, URL, form(country_of_origin="UA", birth_year="", sex="female"))
    known.refresh_from_db()
    assert (known.country_of_origin, known.birth_year, known.sex) == ("UA", 1970, "female")


def test_the_service_refuses_an_impossible_year_and_stores_nothing(centre):
    with pytest.raises(DomainError) as refused:
        participant_upsert(
            centre=centre,
            data=ParticipantData(name="Iwan", phone="601 000 002", birth_year=2999),
        )
    assert refused.value.field == "birth_year"
    assert not Participant.objects.exists()


def test_the_country_list_puts_the_usual_countries_first_and_names_them_in_the_language():
    uk = origin_country_choices("uk")
    assert uk[:2] == [("PL", "Польща"), ("UA", "Україна")]
    codes = [code for code, _name in uk]
    assert "EU" not in codes
    assert "ZZ" not in codes
    assert "XK" in codes  # Kosovo, which people do come from
    assert len(codes) == len(set(codes)) > 240
    rest = [name for _code, name in uk[13:]]
    assert rest.index("Єгипет") < rest.index("Японія")  # Є after Е, not after Я
    assert country_name("UA", "pl") == "Ukraina"
    assert country_name("", "pl") == ""
