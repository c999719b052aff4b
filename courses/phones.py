"""Mobile phone numbers: the identity of participants. Pure: no database."""

from __future__ import annotations

import functools
from typing import Any

import phonenumbers
from babel import Locale
from django.utils.translation import gettext_lazy as _

from courses.errors import DomainError

# Where most participants come from first; then every other country by name.
FIRST_COUNTRIES = ("PL", "UA", "BY", "GE", "AZ", "TR", "MD", "RU", "KZ", "UZ", "IN", "CO", "VE")
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


class InvalidPhone(DomainError):
    code = "invalid_phone"

    def __init__(self, message: object = None) -> None:
        super().__init__(
            message or _("Enter a mobile phone number, e.g. 601 234 567, or +380 50 123 4567."),  # type: ignore[arg-type]
            field="phone",
        )


def normalise_mobile(raw: str, country: str = "PL") -> str:
    """The number in E.164 (+48601234567). `country` is the country of the number when it is
    written without a leading + or 00. Refuses anything that is not a valid mobile number."""
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else (country or "PL"))
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone() from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone()
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise InvalidPhone(_("This is not a mobile number: SMS cannot reach it."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


ALPHABETS = {
    "pl": "AĄBCĆDEĘFGHIJKLŁMNŃOÓPQRSŚTUVWXYZŹŻ",
    "uk": "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ",
    "ru": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
}


def collation_key(text: str, language: str) -> tuple[int, ...]:
    """Dictionary order in `language` (Python's default puts Є, І after Я in Ukrainian)."""
    alphabet = ALPHABETS.get(language, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return tuple(
        alphabet.index(ch) if ch in alphabet else len(alphabet) + ord(ch) for ch in text.upper()
    )


@functools.cache
def territory_names(language: str) -> Any:
    """Babel's country names in `language` (English when Babel does not know it)."""
    try:
        return Locale.parse(language).territories
    except (ValueError, TypeError):
        return Locale.parse("en").territories


@functools.cache
def country_choices(language: str) -> list[tuple[str, str]]:
    """(ISO code, "Name (+code)") for every country with phone numbers, in `language`."""
    names = territory_names(language)

    def label(code: str) -> str:
        return f"{names.get(code, code)} (+{phonenumbers.country_code_for_region(code)})"

    others = sorted(
        (c for c in phonenumbers.SUPPORTED_REGIONS if c not in FIRST_COUNTRIES),
        key=lambda c: collation_key(names.get(c, c), language),
    )
    return [(code, label(code)) for code in (*FIRST_COUNTRIES, *others)]


def display_phone(e164: str) -> str:
    """A stored number as people read it: "+48 601 000 011"."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
