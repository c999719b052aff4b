"""The languages a consultation can be held in: wider than the site's four (a person may need
Georgian or Belarusian with an interpreter). Codes are ISO 639-1; names are each language's own,
as a person looks for theirs."""

from __future__ import annotations

POLISH = "pl"

CONSULTATION_LANGUAGES: list[tuple[str, str]] = [
    ("pl", "Polski"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("be", "Беларуская"),
    ("ka", "ქართული"),
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("vi", "Tiếng Việt"),
    ("hi", "हिन्दी"),
]
LANGUAGE_CODES = frozenset(code for code, _name in CONSULTATION_LANGUAGES)


def language_codes(text: str) -> list[str]:
    """`"uk, ru"` → `["uk", "ru"]`: the known codes of a comma-separated list, in order, once."""
    seen: list[str] = []
    for part in (text or "").replace(";", ",").split(","):
        code = part.strip().lower()
        if code in LANGUAGE_CODES and code not in seen:
            seen.append(code)
    return seen
