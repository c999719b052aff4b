"""Twilio's webhooks: delivery reports and incoming SMS (STOP/START). Signed requests only."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from courses.models import Participant
from courses.phones import InvalidPhone, normalise_mobile
from notifications.services import callbacks


def signed(request: HttpRequest) -> bool:
    """X-Twilio-Signature over the public URL (PUBLIC_BASE_URL: Django may see http:// behind
    a TLS proxy) and the POST parameters. Unsigned or forged: refused, DEBUG or not."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    params = {key: request.POST.get(key) for key in request.POST}
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, params, signature)


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not signed(request):
        return HttpResponseForbidden("invalid signature")
    callbacks.delivery_status_record(
        provider_id=request.POST.get("MessageSid", ""),
        provider_status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


def _language_of(phone: str) -> str:
    participant = Participant.objects.filter(phone=phone).order_by("-updated_at").first()
    return participant.language if participant else settings.LANGUAGE_CODE


@csrf_exempt
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if not signed(request):
        return HttpResponseForbidden("invalid signature")
    try:
        phone = normalise_mobile(request.POST.get("From", ""))
    except InvalidPhone:
        return HttpResponse(str(MessagingResponse()), content_type="text/xml")
    done = callbacks.inbound_message_record(phone=phone, body=request.POST.get("Body") or "")
    reply = MessagingResponse()
    with translation.override(_language_of(phone)):
        if done == "stop":
            reply.message(_("You will get no more SMS from us. Send START to get them again."))
        elif done == "start":
            reply.message(_("SMS are on again. Send STOP to stop them."))
    return HttpResponse(str(reply), content_type="text/xml")
