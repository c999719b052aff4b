"""The site's own error pages (400, 403, 404, 500, a refused form): in the visitor's language,
with the site's header and a way back; and the favicon."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# What each page says, per language: (status, path, heading in pl, uk, en, ru)
PAGES = {
    "404": (
        404,
        "/no-such-page/",
        ("Nie znaleziono strony", "Сторінку не знайдено", "Page not found", "Страница не найдена"),
    ),
    "403": (
        403,
        "/test-forbidden/",
        ("Brak dostępu", "Доступ заборонено", "Access denied", "Доступ запрещён"),
    ),
    "500": (
        500,
        "/test-broken/",
        ("Coś poszło nie tak", "Щось пішло не так", "Something went wrong", "Что-то пошло не так"),
    ),
}
LANGS = ("pl", "uk", "en", "ru")
HOME = {
    "pl": "Przejdź do strony głównej",
    "uk": "Перейти на головну сторінку",
    "en": "Go to the home page",
    "ru": "Перейти на главную страницу",
}


@pytest.fixture(autouse=True)
def _failing_pages(settings) -> None:
    settings.ROOT_URLCONF = "tests.error_urls"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_error_page_is_the_sites_own_in_the_visitors_language(page, lang) -> None:
    status, path, headings = PAGES[page]
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=lang)
    answer = client.get(path)
    assert answer.status_code == status
    assert answer["Content-Language"] == lang
    html = answer.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{headings[LANGS.index(lang)]}</h1>" in html
    assert 'class="site-header"' in html
    assert f'href="/">{HOME[lang]}</a>' in html


def test_an_error_page_follows_a_language_link() -> None:
    answer = Client(HTTP_ACCEPT_LANGUAGE="pl").get("/no-such-page/?lang=uk")
    assert answer.status_code == 404
    assert "<h1>Сторінку не знайдено</h1>" in answer.content.decode()


def test_a_bad_request_is_the_sites_own_400_page() -> None:
    answer = Client(HTTP_ACCEPT_LANGUAGE="uk").get("/", HTTP_HOST="evil.example")
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "<h1>Не вдалося прочитати запит</h1>" in html
    assert 'href="/">Перейти на головну сторінку</a>' in html


def test_a_form_sent_without_its_csrf_token_gets_the_sites_page_and_saves_nothing() -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="uk")
    answer = client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert answer.status_code == 403
    html = answer.content.decode()
    assert '<html lang="uk">' in html
    assert "<h1>Не вдалося надіслати форму</h1>" in html
    assert "Нічого не збережено." in html
    assert "lang" not in answer.cookies  # the language was not changed


def test_an_old_personal_link_says_what_to_do_in_ukrainian() -> None:
    answer = Client(HTTP_ACCEPT_LANGUAGE="uk").get("/me/an-old-token/")
    assert answer.status_code == 404
    assert "актуальне посилання є в останньому SMS" in answer.content.decode()


def test_the_favicon_answers_at_the_root_and_every_page_links_it(centre) -> None:
    icon = Client().get("/favicon.ico")
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = Client().get("/").content.decode()
    assert 'rel="icon" href="/favicon.ico"' in html
    assert 'type="image/svg+xml"' in html
    svg = Client().get("/static/img/favicon.svg")
    assert svg.status_code == 200
