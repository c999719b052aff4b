"""Control, direction-override and zero-width characters never reach people's names, centre and
venue names or course titles (in every language); free texts keep their line breaks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from courses.models import Attendance, Centre, Participant
from courses.services.attendance import attendance_walk_in
from courses.services.catalogue import centre_save, course_update, venue_save
from courses.services.participants import ParticipantData, participant_save, participant_upsert
from courses.text import INVISIBLE, clean_line, clean_text
from scheduling.services import session_update_details
from tests.factories import CourseFactory, VenueFactory, first_session

RLO = "\u202e"  # right-to-left override: "Olena\u202eanelO" shows reversed
NASTY = "\x00\x07\x1b\x7f\x85\x9f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff"


# --- the pure helpers (no database) --------------------------------------------------------


@pytest.mark.parametrize("char", list(NASTY))
def test_clean_line_removes_every_control_and_override_character(char: str) -> None:
    cleaned = clean_line(f"Olena{char}Kovalenko")
    assert char not in cleaned
    assert cleaned in {"OlenaKovalenko", "Olena Kovalenko"}


def test_clean_line_makes_one_line_single_spaced() -> None:
    assert clean_line("  Olena \t\r\n Kovalenko\u2028\u2029 ") == "Olena Kovalenko"
    assert clean_line(None) == ""
    assert clean_line(f"{RLO}{RLO}\u200b") == ""


def test_clean_line_keeps_what_names_and_titles_need() -> None:
    for text in (
        "Олена Коваленко",
        "Łukasz Żółć-Ćwik",
        "محمد علي",  # right-to-left script, no override needed
        "नमस्ते",
        "می\u200cخواهم",  # Persian needs the zero-width non-joiner
        "👩\u200d👩\u200d👧",  # an emoji family needs the zero-width joiner
        "Kurs «A1» — 100%",
    ):
        assert clean_line(text) == text


def test_every_invisible_character_is_listed_once() -> None:
    assert len(set(INVISIBLE)) == len(INVISIBLE)
    for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff":
        assert char in INVISIBLE


def test_clean_text_keeps_line_breaks_and_tabs_only() -> None:
    assert clean_text("Pn–Pt 9–17\r\nSob\t10–14\rNd zamknięte") == (
        "Pn–Pt 9–17\nSob\t10–14\nNd zamknięte"
    )
    assert clean_text(f"Winda{RLO} \x00jest\x0b\x0c\u2028parter\ufeff") == "Winda jest\nparter"
    assert clean_text("  \n text \n ") == "text"


# --- the services that keep the text ---------------------------------------------------------


@pytest.mark.django_db
def test_a_participants_name_is_cleaned_when_they_sign_up(centre) -> None:
    person = participant_upsert(
        centre=centre,
        data=ParticipantData(name=f"Olena{RLO}\x00 \u200bKovalenko\u2066", phone="601000001"),
    )
    assert Participant.objects.get(pk=person.pk).name == "Olena Kovalenko"


@pytest.mark.django_db
def test_a_name_of_invisible_characters_only_is_no_name(centre) -> None:
    from courses.errors import DomainError

    with pytest.raises(DomainError):
        participant_upsert(centre=centre, data=ParticipantData(name=RLO * 3, phone="601000001"))
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_name_staff_type_in_the_admin_is_cleaned(centre, staff_user) -> None:
    person = participant_upsert(
        centre=centre, data=ParticipantData(name="Olena", phone="601000001")
    )
    person.name = f"Olena{RLO}Kovalenko\x1b"
    participant_save(participant=person, fields=["name"], actor=staff_user)
    person.refresh_from_db()
    assert person.name == "OlenaKovalenko"


@pytest.mark.django_db
@time_machine.travel(datetime(2027, 1, 5, 18, 30, tzinfo=ZoneInfo("Europe/Warsaw")), tick=False)
def test_a_walk_ins_name_is_cleaned_and_still_finds_the_person(centre, trainer) -> None:
    course = CourseFactory(centre=centre, trainers=[trainer])
    session = first_session(course)
    mark = attendance_walk_in(
        session=session, name=f"\u200bIvan{RLO}\x07 Petrenko", phone="601000002", actor=trainer
    )
    assert mark.participant.name == "Ivan Petrenko"
    # The same person, typed with an invisible character before the first name, is found again.
    again = attendance_walk_in(
        session=session, name="\ufeffIvan Petrenko", phone="601000002", actor=trainer
    )
    assert again.pk == mark.pk
    assert Attendance.objects.count() == 1


@pytest.mark.django_db
def test_a_centres_texts_are_cleaned_in_every_language(centre) -> None:
    with translation.override("uk"):
        centre_save(
            centre=centre,
            name=f"CIC{RLO} Poznań\x00",
            city="Poz\u200bnań",
            opening_hours=f"Пн–Пт 9–17\r\nСб{RLO} 10–14",
        )
    saved = Centre.objects.get(pk=centre.pk)
    assert saved.name == "CIC Poznań"
    assert saved.city == "Poznań"
    assert saved.opening_hours_uk == "Пн–Пт 9–17\nСб 10–14"


@pytest.mark.django_db
def test_a_venues_name_and_accessibility_note_are_cleaned(centre) -> None:
    venue = VenueFactory(centre=centre)
    venue_save(venue=venue, name="Sala\u2067 2\x1b", accessibility_pl=f"Winda{RLO}\nParter")
    venue.refresh_from_db()
    assert venue.name == "Sala 2"
    assert venue.accessibility_pl == "Winda\nParter"


@pytest.mark.django_db
def test_course_titles_are_cleaned_in_every_language_without_mixing_them(centre) -> None:
    course = CourseFactory(centre=centre, title_pl="Polski A1")
    with translation.override("ru"):  # title_ru is empty: reading `title` falls back to Polish
        course_update(
            course=course,
            title_uk=f"Польська{RLO} А1\u200b",
            description_en=f"Line one\r\nLine two{RLO}\x00",
        )
    course.refresh_from_db()
    assert course.title_pl == "Polski A1"
    assert course.title_uk == "Польська А1"
    assert course.title_ru in ("", None)  # nothing written in another language
    assert course.description_en == "Line one\nLine two"


@pytest.mark.django_db
def test_a_sessions_note_is_cleaned(centre) -> None:
    session = first_session(CourseFactory(centre=centre))
    session_update_details(session=session, note=f"Sala{RLO} 2\r\nwejście B\x00")
    session.refresh_from_db()
    assert session.note == "Sala 2\nwejście B"
