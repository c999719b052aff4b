"""One person of a household's booking gives up their place, from the personal page: a child's,
or the booking person's own while the others keep theirs. As with giving up the whole place, a
page explains it first (GET), and only its button (POST with `confirm`) does it; the freed place
goes on to the waitlist at once (`courses.services.households.party_place_cancel`).

Authorized by the token in the address, like every POST under /me/<token>/ (see
`courses.views.me`): exempt from the CSRF check for the same reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from courses.errors import DomainError
from courses.models import Enrolment, MemberStatus, PartyMember
from courses.selectors.personal import personal_place
from courses.services.households import party_place_cancel
from courses.text import whole_number
from courses.views.me import _language, _participant, _private

ME = "me"  # `who` for the booking person's own place


@csrf_exempt  # authorized by the token in the address (see courses.views.me)
@require_http_methods(["GET", "POST"])
def me_member_cancel(request: HttpRequest, token: str, enrolment_id: int, who: str) -> HttpResponse:
    """GET: whose place is given up and what follows, with the button; POST with `confirm`:
    give it up. A place already given up, or a booking of one place (given up whole through
    its own page), sends back to the personal page."""
    participant = _participant(token)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course__centre", "course__venue", "session__venue"),
        pk=enrolment_id,
        participant=participant,
    )
    member = _member(enrolment, who)
    here = participant.get_absolute_url() + f"#enrolment-{enrolment.pk}"
    if not enrolment.is_active or enrolment.places <= 1:
        return _private(redirect(here))
    if member is None and not enrolment.attending:
        return _private(redirect(here))
    lang = _language(request, participant)
    with translation.override(lang):
        if request.method == "POST" and request.POST.get("confirm") == "1":
            try:
                party_place_cancel(enrolment=enrolment, member=member)
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                done = (
                    _("Done: the place of %(name)s is given up.") % {"name": member.name}
                    if member is not None
                    else _("Done: your own place is given up; the others keep theirs.")
                )
                messages.success(request, done)
            return _private(redirect(here))
        if request.method == "POST":
            return _private(redirect(request.path))
        response = render(
            request,
            "courses/me_member_confirm.html",
            {
                "participant": participant,
                "place": personal_place(enrolment),
                "member": member,
                "back": here,
                "LANGUAGE_CODE": lang,
            },
        )
    return _private(response)


def _member(enrolment: Enrolment, who: str) -> PartyMember | None:
    """The person of the booking named in the address (None: the booking person), or 404."""
    if who == ME:
        return None
    pk = whole_number(who)
    if pk is None:
        raise Http404
    member = PartyMember.objects.filter(pk=pk, enrolment=enrolment).first()
    if member is None or member.status != MemberStatus.ACTIVE:
        raise Http404
    return member
