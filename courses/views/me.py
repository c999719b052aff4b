"""The participant's own page (/me/<token>/): places and waitlist positions, cancel, answer an
offer, stop SMS, download or erase their data. Every page carries the token: never cached."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.errors import DomainError
from courses.exports import json_download
from courses.models import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentStatus,
    Participant,
)
from courses.selectors.seats import waitlist_position
from courses.services import enrolment as services
from courses.services import privacy
from courses.services.participants import (
    participant_sms_consent,
)
from scheduling.links import subscribe_links


def _participant(token: str) -> Participant:
    participant = Participant.objects.select_related("centre").filter(token=token).first()
    if participant is None:
        raise Http404
    return participant


def me(request: HttpRequest, token: str) -> HttpResponse:
    """A participant's own page: enrolments and waitlist places with positions, cancel, accept
    or decline an offer, the calendar link; in the participant's language."""
    participant = _participant(token)
    lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or participant.language
    enrolments = list(
        participant.enrolments.select_related(
            "course__centre", "course__venue", "session"
        ).order_by("-created_at")
    )
    positions = {
        e.pk: waitlist_position(e) for e in enrolments if e.status == EnrolmentStatus.WAITLISTED
    }
    just_enrolled = request.GET.get("enrolled")
    with translation.override(lang):
        response = render(
            request,
            "courses/me.html",
            {
                "participant": participant,
                "enrolments": enrolments,
                "positions": positions,
                "just_enrolled": int(just_enrolled)
                if just_enrolled and just_enrolled.isdigit()
                else None,
                "personal_url": settings.PUBLIC_BASE_URL + participant.get_absolute_url(),
                "subscribe": subscribe_links(
                    participant.centre, participant=participant, lang=lang
                ),
                "now": timezone.now(),
                "LANGUAGE_CODE": lang,
            },
        )
    # The token is in the address: other sites never see it ("no-referrer" would make browsers
    # send "Origin: null" with the page's own forms, which the CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


ACTIONS: dict[str, Callable[..., Enrolment]] = {
    "cancel": services.enrolment_cancel,
    "accept": services.offer_accept,
    "decline": services.offer_decline,
}


DONE = {
    "cancel": _("Done: your place is given up."),
    "accept": _("Your place is confirmed."),
    "decline": _("You declined the offer."),
}


@require_POST
def me_action(request: HttpRequest, token: str, enrolment_id: int, action: str) -> HttpResponse:
    participant = _participant(token)
    enrolment = get_object_or_404(Enrolment, pk=enrolment_id, participant=participant)
    if action not in ACTIONS:
        raise Http404
    was_waiting = enrolment.status == EnrolmentStatus.WAITLISTED
    with translation.override(
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or participant.language
    ):
        try:
            ACTIONS[action](enrolment=enrolment)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            done = _("You left the waitlist.") if was_waiting else DONE[action]
            messages.success(request, str(done))
    return redirect(participant.get_absolute_url() + f"#enrolment-{enrolment.pk}")


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
    return redirect(participant.get_absolute_url())


def _private(response: HttpResponse) -> HttpResponse:
    """Pages under /me/ carry the token: never cached, never sent on to other sites."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def me_export(request: HttpRequest, token: str) -> HttpResponse:
    """Everything held about the person, as a JSON file to download (my-data.json)."""
    data = privacy.participant_export(participant=_participant(token))
    return _private(json_download(data, "my-data.json"))


@require_http_methods(["GET", "POST"])
def me_erase(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what erasing means, and a button. POST (with the CSRF token): erase, then say so.
    The personal link stops working at once, so the answer is a page, not a redirect."""
    participant = _participant(token)
    lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or participant.language
    with translation.override(lang):
        if request.method == "POST":
            privacy.participant_erase(participant=participant, reason="request")
            response = render(request, "courses/privacy/erased.html", {"LANGUAGE_CODE": lang})
        else:
            active = participant.enrolments.filter(status__in=ACTIVE_STATUSES).count()
            response = render(
                request,
                "courses/privacy/erase.html",
                {"participant": participant, "active": active, "LANGUAGE_CODE": lang},
            )
    return _private(response)
