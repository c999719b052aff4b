"""The language from any link: `?lang=uk` on a public page shows it in Ukrainian and remembers
the choice (the `lang` cookie, as the language switcher does), so a centre can share a link in
the language of the people it is meant for. And `Content-Language` always names the language a
page is really written in, also where a view chose another than the request's (the personal
page speaks the person's language)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from courses.languages import language_remember

PARAMETER = "lang"
# Calendar feeds read `?lang=` as the language of the feed itself (scheduling.views), not as a
# choice for the site; the API and the static files have no language to remember.
NOT_REMEMBERED = ("/calendars/", "/api/", "/static/", "/media/", "/favicon.ico", "/healthz")
HTML_LANG = re.compile(rb"<html[^>]*\slang=\"([A-Za-z-]{2,12})\"", re.IGNORECASE)


def link_language(request: HttpRequest) -> str:
    """The supported language a link asks for (`?lang=uk`, `?lang=uk-UA`), or ""."""
    asked = request.GET.get(PARAMETER, "")
    if not asked or len(asked) > 12:
        return ""
    try:
        return translation.get_supported_language_variant(asked.strip().lower())
    except LookupError:
        return ""


def path_without_language(request: HttpRequest) -> str:
    """This page's address without `lang=`: where the language switcher sends people back to
    (with `lang=` still in it, the page would switch back to the link's language)."""
    query = [(key, value) for key, value in request.GET.items() if key != PARAMETER]
    return request.path + (f"?{urlencode(query)}" if query else "")


class LanguageFromLink:
    """After LocaleMiddleware: `?lang=xx` overrides the cookie and the browser's language for
    this request and is remembered in the language cookie; every answer's Content-Language is
    the one its page declares (<html lang>), else the active language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = "" if request.path_info.startswith(NOT_REMEMBERED) else link_language(request)
        if lang:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
            # Views that read the cookie themselves (the personal page) see the link's choice.
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = lang
            request.path_without_language = path_without_language(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        if lang:
            language_remember(response, lang)
        declared = _declared_language(response)
        if declared:
            response["Content-Language"] = declared
        return response


def _declared_language(response: HttpResponse) -> str:
    """The language an HTML page says it is in, from its first kilobytes."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return ""
    found = HTML_LANG.search(response.content[:4096])
    return found.group(1).decode("ascii").lower() if found else ""
