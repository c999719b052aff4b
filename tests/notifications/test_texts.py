"""SMS texts in every language: reminders stay within two segments; encoding is right."""

from __future__ import annotations

import pytest

from notifications import texts
from notifications.models import MessageKind
from notifications.segments import sms_size

LONG = {
    "course_id": 1,
    "sensitive": False,
    "title": {
        "pl": "Kurs języka polskiego dla dorosłych – poziom A2, grupa popołudniowa",
        "uk": "Курс польської мови для дорослих – рівень A2, післяобідня група",
        "en": "Polish language course for adults – level A2, afternoon group",
        "ru": "Курс польского языка для взрослых – уровень A2, дневная группа",
    },
    "centre": "Centrum Integracji Cudzoziemców w Poznaniu",
    "place": "Sala konferencyjna nr 204, Aleje Powstańców Wielkopolskich 75/13",
    "starts_at": "2027-03-30T18:00:00+02:00",
    "tz": "Europe/Warsaw",
    "position": 12,
    "offer_until": "2027-03-28T18:00:00+02:00",
    "previous_start": None,
    "link": "https://zapisy.example.org/me/" + "x" * 43 + "/",
    "code": "123456",
}


@pytest.mark.parametrize("language", ["pl", "uk", "en", "ru"])
def test_every_reminder_fits_two_segments(language: str) -> None:
    text = texts.render(MessageKind.REMINDER, LONG, language)
    assert sms_size(text).segments <= 2, text
    assert "18:00" in text
    assert "30.03" in text


@pytest.mark.parametrize("language", ["pl", "uk", "en", "ru"])
@pytest.mark.parametrize("kind", list(MessageKind))
def test_every_kind_renders_in_every_language(kind: str, language: str) -> None:
    text = texts.render(kind, LONG, language)
    assert text
    assert "%(" not in text


def test_cyrillic_and_polish_letters_make_ucs2_plain_english_is_gsm7() -> None:
    assert sms_size(texts.render(MessageKind.REMINDER, LONG, "uk")).encoding == "UCS-2"
    assert sms_size("Reminder: Polish A1, 30.03 at 18:00.").encoding == "GSM-7"
    assert sms_size("ż").encoding == "UCS-2"


def test_segment_counts_follow_gsm7_and_ucs2_limits() -> None:
    assert sms_size("a" * 160).segments == 1
    assert sms_size("a" * 161).segments == 2
    assert sms_size("a" * 306).segments == 2
    assert sms_size("a" * 307).segments == 3
    assert sms_size("€" * 80).segments == 1  # extension characters count twice
    assert sms_size("ж" * 70).segments == 1
    assert sms_size("ж" * 71).segments == 2
    assert sms_size("ж" * 134).segments == 2


def test_sensitive_courses_say_only_an_appointment_at_the_centre() -> None:
    text = texts.render(MessageKind.REMINDER, {**LONG, "sensitive": True}, "pl")
    assert "Kurs" not in text
    assert "Sala" not in text
    assert "Centrum Integracji" in text


@pytest.mark.parametrize("language", ["pl", "uk", "en", "ru"])
def test_the_code_sms_is_one_segment_and_names_no_course(language: str) -> None:
    text = texts.render(MessageKind.VERIFICATION_CODE, {**LONG, "sensitive": True}, language)
    assert "123456" in text
    assert sms_size(text).segments == 1
    assert not any(title in text for title in LONG["title"].values())
