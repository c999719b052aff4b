"""The specialists' day view in the workspace (/staff/appointments/): the slots of a day with
their state, blocking and freeing a slot, booking at the desk (a person found or added, with an
interpreter when needed), cancelling with a reason, marking attended or no-show; who may see and
change what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from appointments.models import Appointment, AppointmentStatus, BlockedSlot
from appointments.services.booking import appointment_book
from tests.appointments.helpers import interpreter, local, person, slot_course, specialist
from tests.factories import CentreFactory, ParticipantFactory, UserFactory, first_session

pytestmark = pytest.mark.django_db

URL = "/staff/appointments/"


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    poznan = CentreFactory(slug="cic-poznan", name="CIC Poznań", network="CIC")
    konin = CentreFactory(slug="cic-konin", name="CIC Konin", network="CIC")
    coordinator = UserFactory(username="koordynator", staff_of=[poznan])
    lawyer = specialist("prawnik")
    lawyer.first_name, lawyer.last_name = "Jan", "Prawnik"
    lawyer.save()
    psychologist = specialist("psycholog", "uk")
    course = slot_course(poznan, trainers=[lawyer])
    other = slot_course(poznan, trainers=[psychologist], title_pl="Dyżur psychologa")
    elsewhere = slot_course(konin, trainers=[UserFactory(username="konin-prawnik")])
    session = first_session(course)
    return {
        "poznan": poznan,
        "konin": konin,
        "coordinator": coordinator,
        "lawyer": lawyer,
        "psychologist": psychologist,
        "course": course,
        "other": other,
        "elsewhere": elsewhere,
        "session": session,
        "day": session.starts_at.astimezone(poznan.tz).date(),
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _at(world: dict[str, Any], hour: int, minute: int = 0) -> str:
    return local(world["course"], world["day"], hour, minute).isoformat()


def _day(client: Client, world: dict[str, Any], **query: Any) -> Any:
    return client.get(URL, {"day": world["day"].isoformat(), **query})


def test_the_day_lists_every_slot_of_the_centres_consultations(world: dict[str, Any]) -> None:
    response = _day(_client(world["coordinator"]), world)
    assert response.status_code == 200
    sessions = response.context["sessions"]
    assert [s.session.course for s in sessions] == [world["other"], world["course"]]  # by title
    assert [slot.state for slot in sessions[1].slots] == ["free"] * 6
    body = response.content.decode()
    assert "10:00" in body
    assert "12:30" in body
    assert "Porady prawne" in body


def test_another_centres_consultations_are_not_listed(world: dict[str, Any]) -> None:
    response = _day(_client(world["coordinator"]), world)
    assert world["elsewhere"] not in [s.session.course for s in response.context["sessions"]]


def test_a_specialist_picked_narrows_the_day_to_their_duty_hours(world: dict[str, Any]) -> None:
    response = _day(_client(world["coordinator"]), world, specialist=world["psychologist"].pk)
    assert [s.session.course for s in response.context["sessions"]] == [world["other"]]


def test_the_specialists_offered_are_those_of_the_users_consultations(
    world: dict[str, Any],
) -> None:
    response = _day(_client(world["coordinator"]), world)
    offered = set(response.context["form"].fields["specialist"].queryset)
    assert offered == {world["lawyer"], world["psychologist"]}


def test_a_specialist_of_another_centre_is_refused_at_the_picker(world: dict[str, Any]) -> None:
    konin_lawyer = world["elsewhere"].trainers.get()
    response = _day(_client(world["coordinator"]), world, specialist=konin_lawyer.pk)
    assert response.status_code == 400


def test_a_specialist_sees_only_their_own_consultations(world: dict[str, Any]) -> None:
    response = _day(_client(world["lawyer"]), world)
    assert [s.session.course for s in response.context["sessions"]] == [world["course"]]


def test_a_specialist_gets_no_buttons_that_change_anything(world: dict[str, Any]) -> None:
    body = _day(_client(world["lawyer"]), world).content.decode()
    assert "/block/" not in body
    assert "/book/" not in body


def test_someone_neither_staff_nor_specialist_gets_404(world: dict[str, Any]) -> None:
    response = _day(_client(UserFactory(username="nikt")), world)
    assert response.status_code == 404


def test_a_day_that_is_not_a_date_is_a_400(world: dict[str, Any]) -> None:
    response = _client(world["coordinator"]).get(URL, {"day": "5.01.2027"})
    assert response.status_code == 400


def test_staff_block_a_slot_and_it_shows_blocked(world: dict[str, Any]) -> None:
    client = _client(world["coordinator"])
    session = world["session"]
    response = client.post(
        f"{URL}sessions/{session.pk}/block/", {"at": _at(world, 10, 30), "reason": "Sąd"}
    )
    assert response.status_code == 302
    assert BlockedSlot.objects.filter(session=session).count() == 1
    states = [slot.state for slot in _day(client, world).context["sessions"][1].slots]
    assert states == ["free", "blocked", "free", "free", "free", "free"]


def test_staff_free_a_blocked_slot(world: dict[str, Any]) -> None:
    client = _client(world["coordinator"])
    session = world["session"]
    client.post(f"{URL}sessions/{session.pk}/block/", {"at": _at(world, 10, 30)})
    response = client.post(f"{URL}sessions/{session.pk}/unblock/", {"at": _at(world, 10, 30)})
    assert response.status_code == 302
    assert not BlockedSlot.objects.exists()


def test_blocking_a_time_between_slots_is_refused_and_stores_nothing(
    world: dict[str, Any],
) -> None:
    client = _client(world["coordinator"])
    session = world["session"]
    response = client.post(f"{URL}sessions/{session.pk}/block/", {"at": _at(world, 10, 10)})
    assert response.status_code in (400, 404, 409)
    assert not BlockedSlot.objects.exists()


def test_a_specialist_may_not_block_their_slot(world: dict[str, Any]) -> None:
    session = world["session"]
    response = _client(world["lawyer"]).post(
        f"{URL}sessions/{session.pk}/block/", {"at": _at(world, 10, 30)}
    )
    assert response.status_code == 403
    assert not BlockedSlot.objects.exists()


def test_another_centres_staff_cannot_reach_the_session(world: dict[str, Any]) -> None:
    konin_staff = UserFactory(username="konin-staff", staff_of=[world["konin"]])
    session = world["session"]
    response = _client(konin_staff).post(
        f"{URL}sessions/{session.pk}/block/", {"at": _at(world, 10, 30)}
    )
    assert response.status_code == 404


def _book_page(client: Client, world: dict[str, Any], at: str, **query: Any) -> Any:
    return client.get(f"{URL}sessions/{world['session'].pk}/book/", {"at": at, **query})


def test_the_desk_finds_a_person_by_phone_digits(world: dict[str, Any]) -> None:
    olena = ParticipantFactory(centre=world["poznan"], name="Olena Kowalenko", phone="601000001")
    response = _book_page(_client(world["coordinator"]), world, _at(world, 11), q="000001")
    assert response.context["found"] == [olena]


def test_the_desk_books_a_person_found(world: dict[str, Any]) -> None:
    olena = ParticipantFactory(centre=world["poznan"], name="Olena Kowalenko", phone="601000001")
    client = _client(world["coordinator"])
    response = client.post(
        f"{URL}sessions/{world['session'].pk}/book/",
        {"at": _at(world, 11), "participant": olena.pk, "language": "pl"},
    )
    assert response.status_code == 302
    booked = Appointment.objects.get()
    assert (booked.participant, booked.source) == (olena, "staff")
    assert booked.starts_at == local(world["course"], world["day"], 11)
    body = _day(client, world).content.decode()
    assert "Olena Kowalenko" in body


def test_the_desk_adds_a_person_and_books_them_with_an_interpreter(
    world: dict[str, Any],
) -> None:
    anna = interpreter(world["poznan"], "uk", name="Anna Tłumacz")
    client = _client(world["coordinator"])
    response = client.post(
        f"{URL}sessions/{world['session'].pk}/book/",
        {
            "at": _at(world, 11),
            "name": "Taras Shevchuk",
            "country": "PL",
            "phone": "601 000 077",
            "language": "uk",
            "consultation_language": "uk",
            "sms_consent": "on",
        },
    )
    assert response.status_code == 302
    booked = Appointment.objects.get()
    assert (booked.language, booked.interpreter) == ("uk", anna)
    body = _day(client, world).content.decode()
    assert "Anna Tłumacz" in body


def test_the_book_page_offers_the_languages_an_interpreter_is_free_for(
    world: dict[str, Any],
) -> None:
    interpreter(world["poznan"], "uk,ka")
    response = _book_page(_client(world["coordinator"]), world, _at(world, 11))
    codes = [code for code, _name in response.context["language_form"].fields["language"].choices]
    assert codes == ["pl", "ka", "uk"]


def test_a_slot_taken_meanwhile_is_refused_and_nothing_more_is_stored(
    world: dict[str, Any],
) -> None:
    client = _client(world["coordinator"])
    page = _book_page(client, world, _at(world, 11))
    assert page.status_code == 200
    appointment_book(
        course=world["course"],
        starts_at=local(world["course"], world["day"], 11),
        language="pl",
        person=person(1),
        actor=world["coordinator"],
        channel="desk",
    )
    olena = ParticipantFactory(centre=world["poznan"], phone="601000001")
    response = client.post(
        f"{URL}sessions/{world['session'].pk}/book/",
        {"at": _at(world, 11), "participant": olena.pk, "language": "pl"},
    )
    assert response.status_code == 302  # back to the day: the slot is no longer free
    assert Appointment.objects.count() == 1
    assert not Appointment.objects.filter(participant=olena).exists()


def test_a_slot_that_does_not_exist_is_404(world: dict[str, Any]) -> None:
    response = _book_page(_client(world["coordinator"]), world, _at(world, 10, 10))
    assert response.status_code == 404


def test_a_slot_time_that_is_not_a_time_is_404(world: dict[str, Any]) -> None:
    response = _book_page(_client(world["coordinator"]), world, "tuesday")
    assert response.status_code == 404


def _booked(world: dict[str, Any], hour: int = 11) -> Appointment:
    return appointment_book(
        course=world["course"],
        starts_at=local(world["course"], world["day"], hour),
        language="pl",
        person=person(1),
        actor=world["coordinator"],
        channel="desk",
    )


def test_staff_cancel_with_a_reason(world: dict[str, Any]) -> None:
    booked = _booked(world)
    client = _client(world["coordinator"])
    assert client.get(f"{URL}{booked.pk}/cancel/").status_code == 200
    response = client.post(f"{URL}{booked.pk}/cancel/", {"reason": "Choroba specjalisty"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.status, booked.cancel_reason) == ("cancelled", "Choroba specjalisty")


def test_cancelling_without_a_reason_changes_nothing(world: dict[str, Any]) -> None:
    booked = _booked(world)
    response = _client(world["coordinator"]).post(f"{URL}{booked.pk}/cancel/", {"reason": ""})
    assert response.status_code == 400
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_a_specialist_may_not_cancel(world: dict[str, Any]) -> None:
    booked = _booked(world)
    response = _client(world["lawyer"]).post(f"{URL}{booked.pk}/cancel/", {"reason": "x"})
    assert response.status_code == 403


def test_staff_mark_attended_once_the_slot_has_started(world: dict[str, Any]) -> None:
    booked = _booked(world)
    client = _client(world["coordinator"])
    with time_machine.travel(booked.starts_at + timedelta(minutes=5), tick=False):
        response = client.post(f"{URL}{booked.pk}/mark/", {"status": "attended"})
        assert response.status_code == 302
        booked.refresh_from_db()
        assert booked.status == AppointmentStatus.ATTENDED
        body = _day(client, world).content.decode()
    assert 'value="attended" class="secondary" aria-pressed="true"' in body


def test_staff_mark_a_no_show(world: dict[str, Any]) -> None:
    booked = _booked(world)
    with time_machine.travel(booked.ends_at, tick=False):
        _client(world["coordinator"]).post(f"{URL}{booked.pk}/mark/", {"status": "no_show"})
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.NO_SHOW


def test_marking_before_the_slot_starts_is_refused_on_the_day(world: dict[str, Any]) -> None:
    booked = _booked(world)
    response = _client(world["coordinator"]).post(f"{URL}{booked.pk}/mark/", {"status": "attended"})
    assert response.status_code == 409
    assert 'class="errors" role="alert"' in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_an_unknown_mark_is_a_400(world: dict[str, Any]) -> None:
    booked = _booked(world)
    with time_machine.travel(booked.ends_at, tick=False):
        response = _client(world["coordinator"]).post(
            f"{URL}{booked.pk}/mark/", {"status": "cancelled"}
        )
    assert response.status_code == 400


def test_another_centres_appointment_is_404(world: dict[str, Any]) -> None:
    booked = _booked(world)
    konin_staff = UserFactory(username="konin-staff", staff_of=[world["konin"]])
    response = _client(konin_staff).post(f"{URL}{booked.pk}/cancel/", {"reason": "x"})
    assert response.status_code == 404


def test_the_today_page_links_the_days_appointments(world: dict[str, Any]) -> None:
    _booked(world)
    with time_machine.travel(local(world["course"], world["day"], 8), tick=False):
        response = _client(world["coordinator"]).get("/staff/")
    assert response.context["appointments_today"] == 1
    assert URL in response.content.decode()


def test_the_slot_link_carries_its_time_with_the_offset(world: dict[str, Any]) -> None:
    body = _day(_client(world["coordinator"]), world).content.decode()
    assert f"?at={quote(_at(world, 10))}" in body


def _day_queries(client: Client, world: dict[str, Any]) -> tuple[int, Any]:
    _day(client, world)  # the session and the user's centres read once
    with CaptureQueriesContext(connection) as queries:
        response = _day(client, world)
    assert response.status_code == 200
    return len(queries), response


def test_the_day_costs_the_same_queries_for_two_and_for_eight_duty_hours(
    world: dict[str, Any],
) -> None:
    """Each duty's slots (booked, blocked, free with an interpreter) are read together for the
    whole day, not once per duty: a centre with many specialists opens its day as fast."""
    client = _client(world["coordinator"])
    interpreter(world["poznan"], "uk")
    _booked(world)
    few, response = _day_queries(client, world)
    assert len(response.context["sessions"]) == 2
    for n in range(6):
        course = slot_course(
            world["poznan"], trainers=[specialist(f"doradca-{n}")], title_pl=f"Dyżur {n}"
        )
        appointment_book(
            course=course,
            starts_at=local(course, world["day"], 10),
            language="pl",
            person=person(10 + n),
            actor=world["coordinator"],
            channel="desk",
        )
        BlockedSlot.objects.create(
            session=first_session(course), starts_at=local(course, world["day"], 12)
        )
    many, response = _day_queries(client, world)
    sessions = response.context["sessions"]
    assert len(sessions) == 8
    assert many == few
    duty = next(s for s in sessions if s.session.course.title_pl == "Dyżur 3")
    assert [slot.state for slot in duty.slots] == [
        "booked",
        "free",
        "free",
        "free",
        "blocked",
        "free",
    ]
    assert duty.slots[1].interpreter_names  # Ukrainian: the interpreter is free then
    lawyer = next(s for s in sessions if s.session.course == world["course"])
    assert [slot.state for slot in lawyer.slots].count("booked") == 1


def test_the_day_reads_the_specialists_languages_once(world: dict[str, Any]) -> None:
    """The duties' languages (listed beside each duty, and what their slots offer an interpreter
    for) are read once for the page, not again for the slots."""
    client = _client(world["coordinator"])
    _day(client, world)
    with CaptureQueriesContext(connection) as queries:
        assert _day(client, world).status_code == 200
    languages = [q for q in queries if '"appointments_specialistlanguage"' in q["sql"]]
    assert len(languages) == 1
