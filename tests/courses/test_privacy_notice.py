"""The privacy notice (RODO/GDPR art. 13): each centre's own, in the reader's language, linked
from the enrolment form, the personal page and every footer; the version shown is recorded."""

from __future__ import annotations

from datetime import date

import pytest

from courses.models import Participant, PhoneVerification
from courses.services.participants import PRIVACY_NOTICE_VERSION, participant_sms_consent
from tests.factories import CentreFactory, CourseFactory, ParticipantFactory
from tests.verification import form_enrol

pytestmark = pytest.mark.django_db
NOTICE = "/centres/cic-poznan/privacy/"
ENROL = "/centres/cic-poznan/courses/polski-a1/enrol/"


@pytest.fixture
def controlled(centre):
    centre.controller_name = "Fundacja Przykład"
    centre.controller_address = "ul. Święty Marcin 80, 61-809 Poznań"
    centre.privacy_contact_email = "iod@przyklad.example"
    centre.privacy_contact_phone = "+48 61 000 00 00"
    centre.save()
    return centre


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, slug="polski-a1", capacity=5, start_date=date(2027, 1, 5))


# What each language must say, in its own words: the heading, the rights, how to use them
# (the personal page's buttons by their own labels) and the complaint to the authority.
WORDS = {
    "pl": (
        "Informacja o prywatności",
        "Pobierz moje dane",
        "Usuń moje dane",
        "Urzędu Ochrony Danych Osobowych",
    ),
    "uk": (
        "Повідомлення про конфіденційність",
        "Завантажити мої дані",
        "Видалити мої дані",
        "Urzędu Ochrony Danych Osobowych",
    ),
    "en": (
        "Privacy notice",
        "Download my data",
        "Delete my data",
        "Urzędu Ochrony Danych Osobowych",
    ),
    "ru": (
        "Уведомление о конфиденциальности",
        "Скачать мои данные",
        "Удалить мои данные",
        "Urzędu Ochrony Danych Osobowych",
    ),
}
RETENTION = {"pl": "18 miesięcy", "uk": "18 місяців", "en": "18 months", "ru": "18 месяцев"}


@pytest.mark.parametrize("lang", ["pl", "uk", "en", "ru"])
def test_the_notice_names_the_centres_controller_contact_retention_and_rights_in_each_language(
    client, controlled, settings, lang
) -> None:
    settings.PRIVACY_RETENTION_MONTHS = 18
    settings.PRIVACY_SMS_PROVIDER = "Twilio Ireland Limited"
    response = client.get(NOTICE, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    for text in (
        "Fundacja Przykład",
        "ul. Święty Marcin 80, 61-809 Poznań",
        'href="mailto:iod@przyklad.example"',
        'href="tel:+48610000000"',
        "Twilio Ireland Limited",
        RETENTION[lang],
        "6 ust. 1 lit. a" if lang == "pl" else "6(1)(a)",
        PRIVACY_NOTICE_VERSION,
        *WORDS[lang],
    ):
        assert text in html, text


def test_without_controller_fields_the_notice_names_the_centre_and_its_address(
    client, centre
) -> None:
    centre.email = "cic@poznan.example"
    centre.postal_code = "61-001"
    centre.save()
    html = client.get(NOTICE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>CIC Poznań</strong><br>ul. Nowowiejskiego 25, 61-001 Poznań" in html
    assert 'href="mailto:cic@poznan.example"' in html


def test_with_no_retention_the_notice_says_until_erasure(client, centre, settings) -> None:
    settings.PRIVACY_RETENTION_MONTHS = 0
    html = client.get(NOTICE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "until you ask us to erase your data" in html
    assert "months after your last" not in html


def test_an_unknown_centre_has_no_notice(client, centre) -> None:
    assert client.get("/centres/nowhere/privacy/").status_code == 404


def test_the_enrolment_form_links_the_centres_notice(client, course) -> None:
    html = client.get(ENROL, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    form = html.split('class="enrol-form"')[1].split("</form>")[0]
    assert f'href="{NOTICE}"' in form


def test_every_footer_links_a_notice(client, course) -> None:
    """A centre's pages link its notice; pages of no centre link the list of notices."""
    for url in ("/centres/cic-poznan/", "/centres/cic-poznan/courses/polski-a1/", ENROL):
        footer = client.get(url).content.decode().split('class="site-footer"')[1]
        assert f'href="{NOTICE}"' in footer, url
    for url in ("/", "/accounts/login/", "/no-such-page/"):
        footer = client.get(url).content.decode().split('class="site-footer"')[1]
        assert 'href="/privacy/"' in footer, url


def test_the_list_of_notices_links_each_centre(client, centre) -> None:
    CentreFactory(slug="cic-konin", name="CIC Konin", city="Konin")
    html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert f'href="{NOTICE}"' in html
    assert 'href="/centres/cic-konin/privacy/"' in html


def test_the_personal_page_links_its_centres_notice(client, centre) -> None:
    person = ParticipantFactory(centre=centre)
    html = client.get(person.get_absolute_url()).content.decode()
    main, footer = html.split('class="site-footer"')
    assert f'href="{NOTICE}"' in main
    assert f'href="{NOTICE}"' in footer


def test_self_enrolment_records_the_version_of_the_notice_shown(client, course) -> None:
    data = {
        "name": "Olena Kowalenko",
        "country": "PL",
        "phone": "601 000 001",
        "language": "uk",
        "sms_consent": "on",
    }
    asked = client.post(ENROL, data)
    assert PhoneVerification.objects.get().privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert not Participant.objects.exists()
    form_enrol(client, ENROL, data)  # asks again, and confirms with the code this time
    person = Participant.objects.get()
    assert asked.status_code == 200
    assert person.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert person.sms_consent_text  # beside the SMS consent's own version


def test_staff_at_the_desk_record_no_notice_version(centre) -> None:
    """Nobody was shown the notice at the desk: no version is claimed."""
    from courses.services.participants import ParticipantData, participant_upsert

    person = participant_upsert(
        centre=centre,
        data=ParticipantData(name="Iwan", phone="601 000 009", sms_consent=True),
    )
    assert person.privacy_notice_version == ""


def test_consent_given_again_on_the_personal_page_records_the_version(centre) -> None:
    person = ParticipantFactory(centre=centre, sms_consent=False)
    participant_sms_consent(participant=person, given=True)
    person.refresh_from_db()
    assert person.privacy_notice_version == PRIVACY_NOTICE_VERSION
