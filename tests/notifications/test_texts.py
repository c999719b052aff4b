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
    "texts": {"pl": "Zajęcia dziś odwołane.", "uk": "Заняття сьогодні скасовано."},
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


# The longest names the models allow (200 characters): the texts cut them to their limits.
LONGEST = {
    **LONG,
    "title": {
        "pl": "Zażółć gęślą jaźń – kurs języka polskiego " * 5,
        "uk": "Курс польської мови для дорослих, рівень A2 " * 5,
        "en": "Polish language course for adults, level A2 " * 5,
        "ru": "Курс польского языка для взрослых, уровень A2 " * 5,
    },
    "centre": "Centrum Integracji Cudzoziemców w Gorzowie Wielkopolskim, punkt konsultacyjny "
    "przy Lubuskim Urzędzie Wojewódzkim",
    "place": ("Sala konferencyjna nr 204, Aleje Powstańców Wielkopolskich 75/13 " * 3)[:200],
}
PLACE_KINDS = [MessageKind.ENROLMENT_CONFIRMED, MessageKind.PROMOTED, MessageKind.OFFER_MADE]


@pytest.mark.parametrize("language", ["pl", "uk", "en", "ru"])
@pytest.mark.parametrize("kind", PLACE_KINDS)
@pytest.mark.parametrize("first", [True, False])
@pytest.mark.parametrize("sensitive", [False, True])
def test_place_texts_name_the_centre_and_the_first_session_within_two_segments(
    kind: str, language: str, first: bool, sensitive: bool
) -> None:
    text = texts.render(kind, {**LONGEST, "first": first, "sensitive": sensitive}, language)
    assert sms_size(text).segments <= 2, text
    assert "30.03 18:00" in text  # the first session's day and time
    assert "CIC" in text  # the centre, by its initials and cut in the middle if need be
    assert text.endswith(f"/?lang={language}")  # the personal link, in the person's language
    if kind == MessageKind.OFFER_MADE:
        assert "28.03 18:00" in text  # the deadline
    if sensitive:
        assert "Sala" not in text
        assert not any(t.split()[0] in text for t in LONGEST["title"].values())


@pytest.mark.parametrize("language", ["pl", "uk", "en", "ru"])
@pytest.mark.parametrize("kind", PLACE_KINDS)
def test_no_name_however_long_makes_a_place_text_longer_than_two_segments(
    kind: str, language: str
) -> None:
    longest = {**LONGEST, "first": True, "centre": "Ż" * 200, "place": "Ą" * 200}
    text = texts.render(kind, longest, language)
    assert sms_size(text).segments <= 2, text
    assert "30.03 18:00" in text


def test_with_short_names_everything_is_said_and_the_place_where_it_fits() -> None:
    short = {
        **LONG,
        "first": True,
        "title": {"uk": "Польська A1", "en": "Polish A1", "pl": "Polski A1", "ru": "Польский A1"},
        "centre": "CIC Poznan",
        "place": "Sala 12, ul. Mostowa 3",
    }
    uk = texts.render(MessageKind.PROMOTED, short, "uk")
    assert uk.startswith("Місце ваше: Польська A1, CIC Poznan, 30.03 18:00.")
    assert sms_size(uk).segments <= 2
    en = texts.render(MessageKind.ENROLMENT_CONFIRMED, short, "en")
    assert en.startswith(
        "You are enrolled: Polish A1, CIC Poznan, from Tue 30.03 18:00, Sala 12, ul. "
        "Mostowa 3. https://"
    )
    assert sms_size(en).encoding == "GSM-7"


def test_a_long_centre_is_cut_in_the_middle_and_a_gsm7_text_stays_gsm7() -> None:
    context = {**LONG, "title": {"en": "Polish A1 " * 20}, "centre": "Centrum Integracji " * 8}
    text = texts.render(MessageKind.OFFER_MADE, {**context, "centre": "Centrum Poznan " * 8}, "en")
    assert sms_size(text).encoding == "GSM-7"  # "..." for the cut, not "…"
    assert sms_size(text).segments <= 2
    uk = texts.render(MessageKind.ENROLMENT_CONFIRMED, LONG, "uk")
    assert "CIC w Poznaniu" in uk


@pytest.mark.parametrize("language", ["pl", "uk", "en", "ru"])
@pytest.mark.parametrize(
    "kind",
    [k for k in MessageKind if k not in (MessageKind.VERIFICATION_CODE, MessageKind.STAFF_MESSAGE)],
)
def test_every_link_in_an_sms_carries_the_persons_language(kind: str, language: str) -> None:
    text = texts.render(kind, LONG, language)
    if "/me/" in text:
        assert f"/?lang={language}" in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "Zajęcia dziś odwołane."),
        ("uk", "Заняття сьогодні скасовано."),
        ("ru", "Zajęcia dziś odwołane."),  # no Russian text: the Polish one
        ("en", "Zajęcia dziś odwołane."),
    ],
)
def test_a_message_to_people_is_sent_as_written_in_the_persons_language(
    language: str, expected: str
) -> None:
    assert texts.render(MessageKind.STAFF_MESSAGE, LONG, language) == expected
