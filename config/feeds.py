"""Calendar feeds answered right after the security middleware, as WhiteNoise answers static files.

Calendar clients poll the feeds all day, and most polls are a 304 or a cached feed: one cache
read. A feed uses no cookie, session, user, form or message, no CORS (only the API has it), its
language is `?lang=` (never the browser's, never remembered), and it is never a page in a
frame, so none of the middleware after this one applies to it: the feed's own view
(`scheduling.views`) answers at once. What comes before still does: the Retry-After of a 503,
the health checks, and SecurityMiddleware (the HTTPS redirect, HSTS and the other security
headers). Every other address goes on through the stack, and so does a feed address with a NUL
character (`RejectNullCharacters` refuses it further on).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern
from django.utils import translation

from scheduling.urls import feed_patterns

PREFIX = "/calendars/"
NUL = "\x00"

_feeds = URLResolver(RegexPattern(r"^/"), feed_patterns)


def _has_nul(request: HttpRequest) -> bool:
    """A NUL in the path or the query (where it can only be spelled %00)."""
    return NUL in request.path_info or "%00" in request.META.get("QUERY_STRING", "")


class CalendarFeeds:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(PREFIX) or _has_nul(request):
            return self.get_response(request)
        try:
            match = _feeds.resolve(path)
        except Resolver404:
            return self.get_response(request)
        request.resolver_match = match
        try:
            response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        except Http404:
            # No such feed: the 404 page in the asker's language, as LocaleMiddleware would.
            translation.activate(translation.get_language_from_request(request))
            raise
        return response
