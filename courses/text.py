"""Text that people and staff type, made safe to keep and to show (pure: no models, no database).

- `clean_line`: one line (a person's name, a centre's or venue's name, a course title): control
  characters (C0, DEL, C1) and line breaks become spaces, runs of spaces one space; invisible
  characters that reorder or hide text (bidirectional embeddings, overrides and isolates
  U+202A–U+202E and U+2066–U+2069, direction marks, zero-width space, word joiner, BOM) are
  removed. Zero-width (non-)joiners stay: some scripts and emoji need them.
- `clean_text`: several lines (a description, opening hours, a note): the same, but line breaks
  (normalised to "\\n") and tabs are kept.
- `whole_number`: a number typed in decimal digits ("12", "١٢"), else None: never the
  ValueError of a character `str.isdigit` takes and `int` does not ("²").
- `code_digits`: the digits of a code as typed, each the ASCII digit it is, so a code typed on a
  Persian or Arabic keyboard ("۴۸۱۵۱۶") is the code sent ("481516").
- `TEXT_LIMITS` / `text_limit`: the most characters each free text field may hold, checked by
  the forms, the serializers, the admin and the services (not by the database: no migration).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# Reorder or hide text without showing anything: "Olena\u202eanelO" displays reversed.
INVISIBLE = (
    "\u200b\u2060\ufeff"  # zero-width space, word joiner, BOM / zero-width no-break space
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)
_REMOVE = dict.fromkeys(map(ord, INVISIBLE))
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")

TEXT_LIMITS: dict[str, int] = {
    "courses.Centre.opening_hours": 2_000,
    "courses.Venue.accessibility": 2_000,
    "courses.Course.description": 10_000,
    "scheduling.Session.note": 1_000,  # shown on the public pages
    "scheduling.Session.register_note": 2_000,  # the trainer's note on the register
}
RECURRENCE_MAX_LENGTH = 5_000  # a rule's RFC 5545 text, as typed in the admin or the API


# The largest id a table can hold (PostgreSQL's bigint, SQLite's INTEGER): a larger number
# asked for as an id is refused before it reaches the database, which cannot take it.
MAX_ID = 2**63 - 1


def whole_number(value: object) -> int | None:
    """`value` ("12", " 12 ", "١٢") as a whole number when it is written in decimal digits
    alone, else None ("", "1.5", "-3", "1_0", "²")."""
    text = str(value).strip()
    return int(text) if text.isdecimal() else None


def code_digits(value: object) -> str:
    """The decimal digits of `value`, each as its ASCII digit ("۴۸۱ ۵۱۶" → "481516"); all
    else (spaces, dashes, "²") left out."""
    return "".join(str(unicodedata.decimal(ch)) for ch in str(value) if ch.isdecimal())


def clean_line(value: str | None) -> str:
    """One line of text without control or invisible characters, single-spaced and trimmed."""
    text = (value or "").translate(_REMOVE)
    return " ".join(_CONTROLS.sub(" ", text).split())


def clean_text(value: str | None) -> str:
    """Text of several lines without control or invisible characters; line breaks ("\\n") and
    tabs kept, other controls removed, trailing spaces of the whole text trimmed."""
    text = _LINE_BREAKS.sub("\n", (value or "").translate(_REMOVE))
    return _CONTROLS.sub("", text).strip()


def text_limit(label: str) -> int:
    """The limit of a field named "app.Model.field" (KeyError for a field without one)."""
    return TEXT_LIMITS[label]


def field_text_limit(field: object) -> int | None:
    """The limit of a model field, or of its modeltranslation copy (description_uk is limited
    like description)."""
    base = getattr(field, "translated_field", None) or field
    model = getattr(base, "model", None)
    meta = getattr(model, "_meta", None)
    if meta is None:
        return None
    return TEXT_LIMITS.get(f"{meta.label}.{getattr(base, 'name', '')}")


def instance_tidy(obj: object, *, lines: tuple[str, ...] = (), texts: tuple[str, ...] = ()) -> None:
    """Clean a model instance's text fields in place before it is saved: `lines` with
    `clean_line`, `texts` with `clean_text`, each with its per-language copies (title_pl,
    title_uk...). Then check every limited field; ValidationError({field: [message]}) names each
    one that is too long (the same message as the forms'). The values are read and written
    without modeltranslation's descriptors, which would follow the current language."""
    fields = list(getattr(obj, "_meta").concrete_fields)  # noqa: B009 - any model instance
    stored = obj.__dict__
    for cleaner, names in ((clean_line, lines), (clean_text, texts)):
        for field in fields:
            base = getattr(field, "translated_field", None) or field
            if base.name in names and isinstance(stored.get(field.attname), str):
                stored[field.attname] = cleaner(stored[field.attname])
    errors: dict[str, list[str]] = {}
    for field in fields:
        value = stored.get(field.attname)
        if isinstance(value, str):
            try:
                limit_check(field.name, value, field_text_limit(field))
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def limit_check(name: str, value: str, limit: int | None) -> None:
    """ValidationError({name: [message]}) when `value` is longer than `limit` (None: no limit),
    with Django's own translated message, as the forms give it."""
    if limit is None:
        return
    try:
        MaxLengthValidator(limit)(value)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None
