"""A message staff write to people: the Polish text and, optionally, one per other language;
checked the same way for the API and the workspace. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from notifications.segments import sms_size

DEFAULT_LANGUAGE = "pl"
# A message to people is cut into at most this many segments (each one is paid for): 918
# characters in GSM-7, 402 with a Polish or Cyrillic letter.
MAX_SEGMENTS = 6
MAX_LENGTH = 1000  # characters, before the segments are counted


def other_languages() -> list[str]:
    """The languages a text may be given for, besides Polish."""
    return [code for code, _name in settings.LANGUAGES if code != DEFAULT_LANGUAGE]


def too_long_message(text: str) -> str | None:
    """Why `text` cannot go (too many segments), or None."""
    size = sms_size(text)
    if size.segments <= MAX_SEGMENTS:
        return None
    return _(
        "The text takes %(segments)s SMS segments (%(encoding)s, %(units)s characters); at most "
        "%(limit)s are allowed."
    ) % {
        "segments": size.segments,
        "encoding": size.encoding,
        "units": size.units,
        "limit": MAX_SEGMENTS,
    }


def texts_clean(text: str, texts: Mapping[str, str] | None = None) -> dict[str, str]:
    """{"pl": text, "uk": ..., ...}: the texts with their ends trimmed, a blank one left out
    (that language gets the Polish text). ValidationError by field (`text`, `texts`) when the
    Polish text is empty, a text is too long, or a language is not one the site speaks."""
    errors: dict[str, list[str]] = {}
    polish = (text or "").strip()
    if not polish:
        errors["text"] = [
            _("Write the message in Polish: everyone without a text in their own language gets it.")
        ]
    elif message := too_long_message(polish):
        errors["text"] = [message]
    cleaned = {DEFAULT_LANGUAGE: polish}
    known = other_languages()
    for language, value in (texts or {}).items():
        if language not in known:
            errors.setdefault("texts", []).append(
                _("%(language)s is not a language of the messages (one of: %(known)s).")
                % {"language": language, "known": ", ".join(known)}
            )
            continue
        value = (value or "").strip()
        if not value:
            continue
        if message := too_long_message(value):
            errors.setdefault("texts", []).append(f"{language}: {message}")
            continue
        cleaned[language] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def text_for(texts: Mapping[str, str], language: str) -> str:
    """The text a person speaking `language` gets: theirs, else the Polish one."""
    return texts.get(language) or texts[DEFAULT_LANGUAGE]
