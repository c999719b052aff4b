"""The privacy notice (RODO/GDPR art. 13) of each centre, and the list of them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from courses.models import Centre
from courses.services.participants import PRIVACY_NOTICE_VERSION


def privacy_index(request: HttpRequest) -> HttpResponse:
    """Pages that belong to no centre link here: each centre's notice."""
    centres = Centre.objects.order_by("city", "name").only("name", "slug", "city")
    return render(request, "courses/privacy/index.html", {"centres": centres})


def privacy_notice(request: HttpRequest, centre: str) -> HttpResponse:
    """Who holds a participant's data, why, on what basis, for how long, who else receives it,
    and how to use their rights; the centre's own details, in the reader's language."""
    centre_obj = get_object_or_404(Centre, slug=centre)
    return render(
        request,
        "courses/privacy/notice.html",
        {
            "centre": centre_obj,
            "controller": centre_obj.controller_name or centre_obj.name,
            "controller_address": centre_obj.controller_address or _address(centre_obj),
            "contact_email": centre_obj.privacy_contact_email or centre_obj.email,
            "contact_phone": centre_obj.privacy_contact_phone or centre_obj.phone,
            "retention_months": settings.PRIVACY_RETENTION_MONTHS,
            "sms_body_days": settings.SMS_BODY_RETENTION_DAYS,
            "sms_provider": settings.PRIVACY_SMS_PROVIDER,
            "version": PRIVACY_NOTICE_VERSION,
        },
    )


def _address(centre: Centre) -> str:
    place = " ".join(part for part in (centre.postal_code, centre.city) if part)
    return ", ".join(part for part in (centre.address, place) if part)
