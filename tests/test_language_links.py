"""The language from any link: `?lang=xx` on a public page sets the language and remembers it;
Content-Language always names the language the answer is written in."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.factories import CourseFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, slug="polski-a1", capacity=5, start_date=date(2027, 1, 5))


PAGES = (
    "/",
    "/centres/cic-poznan/",
    "/centres/cic-poznan/courses/polski-a1/",
    "/centres/cic-poznan/courses/polski-a1/enrol/",
    "/centres/cic-poznan/privacy/",
    "/accounts/login/",
)


@pytest.mark.parametrize("path", PAGES)
def test_a_link_with_lang_shows_the_page_in_that_language_and_remembers_it(course, path):
    client = Client(HTTP_ACCEPT_LANGUAGE="pl")
    answer = client.get(f"{path}?lang=uk")
    assert answer.status_code == 200
    assert '<html lang="uk">' in answer.content.decode()
    assert answer["Content-Language"] == "uk"
    cookie = answer.cookies["lang"]
    assert cookie.value == "uk"
    assert int(cookie["max-age"]) >= 300 * 24 * 3600  # remembered, not for the session only

    later = client.get("/")  # no parameter: the choice holds
    assert '<html lang="uk">' in later.content.decode()
    assert later["Content-Language"] == "uk"


def test_a_regional_variant_is_understood_and_an_unknown_language_ignored(course):
    assert '<html lang="ru">' in Client().get("/?lang=ru-RU").content.decode()
    ignored = Client(HTTP_ACCEPT_LANGUAGE="en").get("/?lang=xx")
    assert '<html lang="en">' in ignored.content.decode()
    assert "lang" not in ignored.cookies


def test_the_link_language_wins_over_a_remembered_one(course):
    client = Client()
    client.cookies["lang"] = "ru"
    answer = client.get("/centres/cic-poznan/?lang=en")
    assert '<html lang="en">' in answer.content.decode()
    assert client.cookies["lang"].value == "en"


def test_the_language_switcher_does_not_send_people_back_to_the_links_language(course):
    """With `lang=` in the switcher's `next`, switching would flip straight back."""
    html = Client().get("/centres/cic-poznan/courses/polski-a1/enrol/?session=5&lang=uk")
    page = html.content.decode()
    assert (
        'name="next" type="hidden" value="/centres/cic-poznan/courses/polski-a1/enrol/?session=5"'
        in page
    )
    client = Client()
    client.get("/?lang=uk")
    switched = client.post("/i18n/setlang/", {"language": "pl", "next": "/"}, follow=True)
    assert '<html lang="pl">' in switched.content.decode()


def test_a_personal_link_with_lang_shows_the_personal_page_in_that_language(centre):
    person = ParticipantFactory(centre=centre, language="uk")
    answer = Client().get(f"{person.get_absolute_url()}?lang=ru")
    assert '<html lang="ru">' in answer.content.decode()
    assert answer["Content-Language"] == "ru"


def test_content_language_is_the_pages_own_where_it_differs_from_the_browsers(centre):
    """The personal page speaks the person's language (Ukrainian) to a browser set to English:
    Content-Language must say uk, not the browser's en."""
    person = ParticipantFactory(centre=centre, language="uk")
    answer = Client(HTTP_ACCEPT_LANGUAGE="en").get(person.get_absolute_url())
    assert '<html lang="uk">' in answer.content.decode()
    assert answer["Content-Language"] == "uk"


def test_calendar_feeds_keep_their_own_lang_and_remember_nothing(course):
    feed = Client(HTTP_ACCEPT_LANGUAGE="pl").get("/calendars/cic-poznan.ics?lang=uk")
    assert feed.status_code == 200
    assert feed["Content-Language"] == "uk"
    assert "lang" not in feed.cookies


def test_api_answers_name_their_language(course):
    answer = Client(HTTP_ACCEPT_LANGUAGE="uk").get("/api/v1/courses/")
    assert answer["Content-Language"] == "uk"
