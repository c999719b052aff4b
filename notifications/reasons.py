"""Why an SMS was not sent, or failed, in words for the staff: the outbox keeps a short code
(`OutboundMessage.error_code`: the dispatcher's reason to leave a message out, or the SMS
provider's error number), the SMS log and the day's page show it in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The dispatcher's and the outbox's own codes (`notifications.services.dispatch`).
REASONS: dict[str, Promise] = {
    "opted out": _("the number gets no SMS (it asked to stop, or cannot get them)"),
    "too late": _("too late to be of use"),
    "not needed": _("no longer needed"),
    "nobody": _("nobody to send it to"),
    "no consent": _("the person has not agreed to SMS"),
    "session not on": _("the session is not on"),
    "not enrolled": _("no confirmed place any more"),
    "a later reminder is due": _("a later reminder takes its place"),
    "told with the class": _("the class's reminder tells the family"),
    "quiet hours": _("quiet hours: sent when they end"),
    "offer no longer open": _("the offer is no longer open"),
    "appointment not on": _("the appointment is not on"),
    "appointment moved": _("the appointment moved"),
    "erased": _("the person's data was erased"),
    "no answer": _("the SMS provider did not answer"),
}

# The SMS provider's (Twilio's) error numbers that staff meet most.
PROVIDER_ERRORS: dict[str, Promise] = {
    "21211": _("not a valid phone number"),
    "21610": _("the person replied STOP"),
    "21614": _("not a mobile number"),
    "30003": _("the phone was off or out of reach"),
    "30004": _("the message was blocked"),
    "30005": _("unknown phone number"),
    "30006": _("a landline, or a network that cannot be reached"),
    "30007": _("filtered by the phone network"),
    "30008": _("unknown error of the phone network"),
}


def reason_text(code: str) -> str:
    """`code` in words ("" for none); a provider's error with its number, which its help lists;
    an unknown code as it is."""
    if not code:
        return ""
    if code in REASONS:
        return str(REASONS[code])
    if code in PROVIDER_ERRORS:
        return f"{PROVIDER_ERRORS[code]} ({code})"
    if code.isdigit():
        return gettext("SMS provider error %(code)s") % {"code": code}
    return code
