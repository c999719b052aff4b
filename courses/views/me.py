"""The participant's own page (/me/<token>/): places and waitlist positions, cancel, answer an
offer, stop SMS, change the language, download or erase their data. Every page carries the
token: never cached, and sent with `Referrer-Policy: no-referrer`, so no other site (nor a
log of our own) ever sees the address.

The POSTs under /me/<token>/ are exempt from Django's CSRF check, on purpose. They are
authorized by the unguessable token in their address (256 bits), not by a cookie: a site that
does not know the token cannot forge them, and one that knows it needs no forgery, it can act
as the person directly. The check would add nothing and break them: with no-referrer, browsers
send `Origin: null` with the page's own forms, which Django refuses. For the same reason the
language switcher of these pages posts here (me_language), not to Django's set_language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appointments.selectors.public import person_waiting_days, personal_appointments
from courses.errors import DomainError
from courses.exports import json_download
from courses.languages import language_remember
from courses.models import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentStatus,
    Participant,
)
from courses.selectors.personal import personal_place, personal_places
from courses.services import enrolment as services
from courses.services import offers, privacy
from courses.services.participants import (
    participant_sms_consent,
)
from courses.text import whole_number
from scheduling import selectors as session_selectors
from scheduling.links import subscribe_links
from scheduling.models import Session


def _participant(token: str) -> Participant:
    participant = Participant.objects.select_related("centre").filter(token=token).first()
    if participant is None:
        raise Http404
    return participant


def _language(request: HttpRequest, participant: Participant) -> str:
    return request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or participant.language


def me(request: HttpRequest, token: str) -> HttpResponse:
    """A participant's own page: per place the centre, the schedule in words, the next session
    with its address (or the booked one), the status, the waitlist position or the offer's
    deadline, the coming sessions that were cancelled or moved (with staff's note); give up a
    place (through a confirmation), accept or decline an offer, the calendar link; in the
    participant's language. A fixed number of queries however many places."""
    participant = _participant(token)
    lang = _language(request, participant)
    now = timezone.now()
    just_enrolled = request.GET.get("enrolled")
    just_booked = request.GET.get("booked")
    with translation.override(lang):
        places = personal_places(participant, now=now)
        active = [p.enrolment for p in places if p.enrolment.status in ACTIVE_STATUSES]
        changed = session_selectors.sessions_changed_by_course(
            list({e.course_id for e in active if e.session_id is None}), now=now
        )
        response = render(
            request,
            "courses/me.html",
            {
                "participant": participant,
                "places": places,
                "session_changes": {e.pk: _changes(e, changed, now) for e in active},
                "just_enrolled": whole_number(just_enrolled),
                "appointments": personal_appointments(participant),
                "waiting_days": person_waiting_days(participant),
                "just_booked": whole_number(just_booked),
                "personal_url": settings.PUBLIC_BASE_URL + participant.get_absolute_url(),
                "subscribe": subscribe_links(
                    participant.centre, participant=participant, lang=lang
                ),
                "now": now,
                "LANGUAGE_CODE": lang,
            },
        )
    return _private(response)


def _changes(
    enrolment: Enrolment, by_course: dict[int, list[Session]], now: datetime
) -> list[Session]:
    """The coming sessions of an enrolment that were cancelled, moved or annotated: its own
    session for a booking of one session, else the course's."""
    session = enrolment.session
    if session is None:
        return by_course[enrolment.course_id]
    return [session] if session.ends_at >= now and session_selectors.is_changed(session) else []


ACTIONS: dict[str, Callable[..., Enrolment]] = {
    "cancel": services.enrolment_cancel,
    "accept": offers.offer_accept,
    "decline": offers.offer_decline,
}
# What gives a seat or a waitlist place away for good: explained on a page first (GET), done
# only by that page's button (POST with `confirm`).
CONFIRMED_FIRST = {"cancel", "decline"}


DONE = {
    "cancel": _("Done: your place is given up."),
    "accept": _("Your place is confirmed."),
    "decline": _("You declined the offer."),
}


@csrf_exempt  # authorized by the token in the address (see the module's docstring)
@require_http_methods(["GET", "POST"])
def me_action(request: HttpRequest, token: str, enrolment_id: int, action: str) -> HttpResponse:
    """POST: cancel a place or leave the waitlist, accept or decline an offer. Cancelling and
    declining are confirmed first: GET explains what happens (the seat passes to the next
    person at once) with the button; a POST without the page's `confirm` is sent there."""
    participant = _participant(token)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course__centre", "course__venue", "session__venue"),
        pk=enrolment_id,
        participant=participant,
    )
    if action not in ACTIONS or (request.method == "GET" and action not in CONFIRMED_FIRST):
        raise Http404
    here = participant.get_absolute_url() + f"#enrolment-{enrolment.pk}"
    lang = _language(request, participant)
    if action in CONFIRMED_FIRST and request.POST.get("confirm") != "1":
        if request.method == "POST" or not _can(enrolment, action):
            return _private(redirect(request.path if request.method == "POST" else here))
        with translation.override(lang):
            place = personal_place(enrolment)
            response = render(
                request,
                "courses/me_confirm.html",
                {
                    "participant": participant,
                    "place": place,
                    "action": action,
                    "back": here,
                    "LANGUAGE_CODE": lang,
                },
            )
        return _private(response)
    was_waiting = enrolment.status == EnrolmentStatus.WAITLISTED
    with translation.override(lang):
        try:
            ACTIONS[action](enrolment=enrolment)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            done = _("You left the waitlist.") if was_waiting else DONE[action]
            messages.success(request, str(done))
    return _private(redirect(here))


def _can(enrolment: Enrolment, action: str) -> bool:
    """Whether the confirmation page has anything to confirm (an old link may remain)."""
    if action == "decline":
        return enrolment.status == EnrolmentStatus.OFFERED
    return enrolment.status in ACTIVE_STATUSES


@csrf_exempt  # authorized by the token in the address (see the module's docstring)
@require_POST
def me_sms(request: HttpRequest, token: str, action: str) -> HttpResponse:
    """Stop or restart SMS from the personal page (alphanumeric senders cannot receive STOP)."""
    participant = _participant(token)
    if action not in ("stop", "start"):
        raise Http404
    with translation.override(
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or participant.language
    ):
        participant_sms_consent(participant=participant, given=action == "start")
        if action == "stop":
            messages.success(request, str(_("You will get no more SMS from us.")))
        else:
            messages.success(request, str(_("SMS are on again.")))
    return _private(redirect(participant.get_absolute_url()))


@csrf_exempt  # authorized by the token in the address (see the module's docstring)
@require_POST
def me_language(request: HttpRequest, token: str) -> HttpResponse:
    """The page's language switcher: remembered in the language cookie, as Django's
    set_language does, then back to the personal page."""
    participant = _participant(token)
    response = redirect(participant.get_absolute_url())
    lang = request.POST.get("language", "")
    if lang in {code for code, _name in settings.LANGUAGES}:
        language_remember(response, lang)
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    """Pages under /me/ carry the token: never cached, never sent on to other sites (nor in
    the Referer of the page's own requests)."""
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def me_export(request: HttpRequest, token: str) -> HttpResponse:
    """Everything held about the person, as a JSON file to download (my-data.json)."""
    data = privacy.participant_export(participant=_participant(token))
    return _private(json_download(data, "my-data.json"))


@csrf_exempt  # authorized by the token in the address (see the module's docstring)
@require_http_methods(["GET", "POST"])
def me_erase(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what erasing means, and a button. POST: erase, then say so.
    The personal link stops working at once, so the answer is a page, not a redirect."""
    participant = _participant(token)
    lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or participant.language
    with translation.override(lang):
        if request.method == "POST":
            privacy.participant_erase(participant=participant, reason="request")
            response = _private(
                render(request, "courses/privacy/erased.html", {"LANGUAGE_CODE": lang})
            )
            # The token in the address is dead now: the page's language switcher (Django's
            # set_language, CSRF-checked) may send the origin again.
            response["Referrer-Policy"] = "same-origin"
            return response
        else:
            active = participant.enrolments.filter(status__in=ACTIVE_STATUSES).count()
            response = render(
                request,
                "courses/privacy/erase.html",
                {"participant": participant, "active": active, "LANGUAGE_CODE": lang},
            )
    return _private(response)
