"""Self-enrolment in tests as a person does it: ask, read the code from the SMS, confirm."""

from __future__ import annotations

from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from notifications.models import MessageKind, OutboundMessage


def sms_code(verification: str) -> str:
    """The code the outbox holds for `verification` (as the person reads it in the SMS)."""
    message = OutboundMessage.objects.get(
        kind=MessageKind.VERIFICATION_CODE, verification__public_id=verification
    )
    return str(message.context["code"])


def api_enrol(api: APIClient, body: dict[str, Any], **extra: Any) -> Any:
    """POST /api/v1/enrolments/ then, when a code was sent (202), POST verify/ with it."""
    asked = api.post("/api/v1/enrolments/", body, format="json", **extra)
    if asked.status_code != 202:
        return asked
    verification = asked.json()["verification"]
    return api.post(
        "/api/v1/enrolments/verify/",
        {"verification": verification, "code": sms_code(verification)},
        format="json",
        **extra,
    )


def form_enrol(client: Client, url: str, data: dict[str, Any], **extra: Any) -> Any:
    """Send the enrolment form, then the code page with the code from the SMS."""
    asked = client.post(url, data, **extra)
    if asked.status_code != 200 or "verification" not in asked.content.decode():
        return asked
    verification = asked.context["form"].initial["verification"]
    return client.post(url, {"verification": verification, "code": sms_code(verification)}, **extra)
