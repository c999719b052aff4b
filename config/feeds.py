"""Calendar feeds answered ahead of most of the middleware, as WhiteNoise answers static files.

Calendar clients poll the feeds all day. A feed uses no cookie, user, form or message, and it is
never a page in a frame, so what the middleware after this one does (trailing slashes, CSRF,
authentication, messages, the frame and content-security headers of pages, the login lock-out)
is not done for it: the feed's own view (`scheduling.views`) answers at once. What comes before
still applies: health checks, the security headers and the HTTPS redirect, WhiteNoise,
sessions (never read by a feed), CORS, the language (a feed's is `?lang=`, never remembered)
and the refusal of NUL characters. Every other address goes on through the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from scheduling.urls import feed_patterns

_feeds = URLResolver(RegexPattern(r"^/"), feed_patterns)


class CalendarFeeds:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/calendars/"):
            return self.get_response(request)
        try:
            match = _feeds.resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        request.resolver_match = match
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        return response
