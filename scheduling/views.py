"""Calendar feeds over HTTP: text/calendar, ETag and Last-Modified, 304 without building."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from csp.decorators import csp_replace
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from appointments.feeds import specialist_events, specialist_version_key
from courses.logos import image_type
from courses.models import Centre, Course, Participant
from scheduling import calendar, feeds, ical
from scheduling.forms import CalendarFilterForm, read_filters
from scheduling.links import subscribe_links
from scheduling.models import CalendarToken

FEED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def feed_language(request: HttpRequest) -> str:
    """`?lang=uk` if given and known, else Polish: calendar clients send no language."""
    if not request.META.get("QUERY_STRING"):
        return settings.LANGUAGE_CODE  # most polls: no query to parse
    lang = request.GET.get("lang", "")
    return lang if lang in FEED_LANGUAGES else settings.LANGUAGE_CODE


def feed_response(
    request: HttpRequest,
    version: feeds.FeedVersion,
    make_feed: Callable[[], feeds.Feed],
    *,
    lang: str | None = None,
    private: bool = False,
) -> HttpResponse:
    """The feed, or a 304 when the client's copy is current. A `private` feed (a trainer's or
    a participant's, behind a token) may be kept by the calendar client but never by a shared
    cache: it is `Cache-Control: private`, and so is its 304. `Content-Language` is the feed's
    language (`?lang=`, or a participant's own)."""
    lang = lang or feed_language(request)
    cache_control = "private, max-age=300" if private else "public, max-age=300"
    etag = version.etag(lang=lang)
    packed = accepts_gzip(request)
    quoted = f'"{etag}-gzip"' if packed else f'"{etag}"'  # each coding its own validator
    modified = version.last_modified
    modified_ts = int(modified.timestamp()) if modified else None
    not_modified = (
        HttpResponseNotModified()
        if _only_this_copy(request, quoted)
        else get_conditional_response(
            request, etag=quoted, last_modified=modified_ts, response=None
        )
    )
    if not_modified is not None:
        not_modified["Vary"] = "Accept-Encoding"  # which ETag was current depends on it
        if not_modified.status_code == 304:  # a 412 (a failed If-Match) is kept by no cache
            not_modified["ETag"] = quoted  # which copy is current (RFC 9110, 15.4.5)
            not_modified["Cache-Control"] = cache_control
            not_modified["Content-Language"] = lang
        return not_modified
    body = feeds.cached_render(etag, make_feed, lang=lang, packed=packed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if packed:
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    response["ETag"] = quoted
    if modified_ts is not None:
        response["Last-Modified"] = http_date(modified_ts)
    response["Cache-Control"] = cache_control
    response["Content-Language"] = lang  # the feed's, not the request's (LocaleMiddleware)
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{version.filename}"'
    return response


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the client takes gzip (`Accept-Encoding: gzip`, or `x-gzip`, in any case, not
    with `q=0`; RFC 9110, 12.5.3): Google's, Apple's and Outlook's fetchers do, and a year of a
    centre's courses then travels in a twentieth of its bytes. Pages ask it too
    (`config.middleware.CompressText`)."""
    header = request.META.get("HTTP_ACCEPT_ENCODING", "").lower()
    if "gzip" not in header:
        return False
    for item in header.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        if name in ("gzip", "x-gzip"):
            weights = [p.removeprefix("q=") for p in params if p.startswith("q=")]
            return not weights or _weight(weights[0]) > 0
    return False


def _weight(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _only_this_copy(request: HttpRequest, quoted: str) -> bool:
    """The calendar client's usual poll: `If-None-Match` with exactly the current ETag and no
    other precondition, so the answer is a 304 (RFC 9110, 13.2.2: If-Modified-Since is then
    not looked at) without parsing the header. Anything else (a list of ETags, `*`, a weak
    one, If-Match, If-Unmodified-Since) goes through Django's `get_conditional_response`."""
    meta = request.META
    return (
        meta.get("HTTP_IF_NONE_MATCH") == quoted
        and "HTTP_IF_MATCH" not in meta
        and "HTTP_IF_UNMODIFIED_SINCE" not in meta
    )


@require_safe
def centre_calendar(request: HttpRequest, centre: str) -> HttpResponse:
    version = feeds.centre_version(centre)
    if version is None:
        raise Http404

    def make_feed() -> feeds.Feed:
        return feeds.centre_feed(Centre.objects.get(slug=centre))

    return feed_response(request, version, make_feed)


@require_safe
def course_calendar(request: HttpRequest, centre: str, course: str) -> HttpResponse:
    found = feeds.course_version(centre, course)
    if found is None:
        raise Http404
    course_id, version = found

    def make_feed() -> feeds.Feed:
        course_obj = Course.objects.select_related("centre").get(pk=course_id)
        with translation.override(feed_language(request)):
            return feeds.course_feed(course_obj)

    return feed_response(request, version, make_feed)


@require_safe
def private_calendar(request: HttpRequest, token: str) -> HttpResponse:
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if found is None:
        participant = Participant.objects.select_related("centre").filter(token=token).first()
        if participant is None:
            raise Http404
        # A person's own feed speaks their language unless the address asks for another.
        lang = feed_language(request) if "lang" in request.GET else participant.language

        def make_participant_feed() -> feeds.Feed:
            with translation.override(lang):
                return feeds.participant_feed(participant)

        return feed_response(
            request,
            feeds.participant_version(participant),
            make_participant_feed,
            lang=lang,
            private=True,
        )
    user = found.user

    def appointments(now: datetime, shape: feeds.FeedShape) -> list[ical.SingleEvent]:
        return specialist_events(user.pk, now=now, shape=shape)

    def make_feed() -> feeds.Feed:
        with translation.override(feed_language(request)):
            return feeds.trainer_feed(user, extra_events=appointments)

    # A specialist's feed lists their appointments too (initials only: appointments.feeds).
    version = feeds.trainer_version(user.pk, extra=specialist_version_key(user.pk))
    return feed_response(request, version, make_feed, private=True)


def centre_page(request: HttpRequest, centre: str) -> HttpResponse:
    """A centre: its offer first (filtered like the calendar, with seats left and the next
    date), then the calendar (list or week) and subscribe links. Constant queries."""
    centre_obj = get_object_or_404(Centre, slug=centre)
    filters, errors = read_filters(request.GET)
    page = calendar.calendar_page(centre_obj, filters, errors=errors)
    offered = calendar.offer(centre_obj, filters, page)
    seats = calendar.page_seats(page)
    lang = translation.get_language()
    return render(
        request,
        "scheduling/centre.html",
        {
            "centre": centre_obj,
            "page": page,
            "form": CalendarFilterForm(request.GET or None),
            "offer": offered,
            "offer_key": calendar.offer_key(offered, lang=lang),
            "seats": seats,
            "calendar_key": calendar.page_key(page, seats, lang=lang),
            "subscribe": subscribe_links(centre_obj, lang=lang),
        },
    )


@require_safe
def centre_logo(request: HttpRequest, centre: str) -> FileResponse:
    """The centre's uploaded logo, from MEDIA_ROOT. Its address carries the file's name, so
    it may be cached for long; the type is the one its first bytes proved at upload."""
    centre_obj: Centre = get_object_or_404(Centre.objects.exclude(logo=""), slug=centre)
    try:
        handle = centre_obj.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = image_type(handle.read(16))
    handle.seek(0)
    if not content_type:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]  # the one page other sites may frame
def embed(request: HttpRequest, centre: str) -> HttpResponse:
    """The centre's calendar for an iframe on the centre's own website.

    Query string: `kind`, `audience`, `level`, `course` (slug), `lang`, `weeks` (1-12), `view`.
    """
    centre_obj = get_object_or_404(Centre, slug=centre)
    lang = request.GET.get("lang", "")
    lang = lang if lang in FEED_LANGUAGES else translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(lang):
        filters, errors = read_filters(request.GET)
        page = calendar.calendar_page(centre_obj, filters, errors=errors)
        seats = calendar.page_seats(page)
        response = render(
            request,
            "scheduling/embed.html",
            {
                "centre": centre_obj,
                "page": page,
                "seats": seats,
                "calendar_key": calendar.page_key(page, seats, lang=lang),
                "subscribe": subscribe_links(centre_obj, lang=lang),
                "embed_lang": lang,
            },
        )
    return response
