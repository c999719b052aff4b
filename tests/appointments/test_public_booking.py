"""Booking a consultation slot from the public pages: the language first, the free slots by day
(an interpreter shown where one is needed), the enrolment's questions, the SMS code; a full day's
waitlist; bad input and a slot taken meanwhile refused with a clear, translated message, with
nothing stored; a stranger who knows a number learns nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from appointments.models import Appointment, AppointmentStatus, DayWaitlistEntry
from appointments.services.booking import appointment_book, appointment_cancel
from courses.models import Course, Participant, PhoneVerification
from courses.services.participants import ParticipantData
from notifications.models import MessageKind, OutboundMessage
from tests.appointments.helpers import interpreter, local, person, slot_course
from tests.verification import sms_code

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Олена Коваленко",
    "country": "UA",
    "phone": "050 123 4567",
    "language": "uk",
    "sms_consent": "on",
    "country_of_origin": "",
    "birth_year": "",
    "sex": "",
    "website": "",
}


def uk(text: str) -> str:
    with translation.override("uk"):
        return translation.gettext(text)


def book_url(course: Course) -> str:
    return f"/centres/{course.centre.slug}/courses/{course.slug}/book/"


@pytest.fixture
def with_interpreter(consultation: Course) -> Course:
    """The lawyer speaks Polish only; a Ukrainian interpreter is there on Tuesdays 9-14."""
    interpreter(consultation.centre, "uk")
    return consultation


def first_start(course: Course) -> Any:
    session = course.sessions.order_by("starts_at").first()
    assert session is not None
    return session.starts_at


def ask(client: Client, course: Course, at: Any, **changes: str) -> Any:
    data = {**FORM, "consultation": "uk", "at": at.isoformat(), **changes}
    return client.post(book_url(course), data, HTTP_ACCEPT_LANGUAGE="uk")


def confirm(client: Client, course: Course, asked: Any, code: str | None = None) -> Any:
    verification = asked.context["form"].initial["verification"]
    return client.post(
        book_url(course),
        {
            "verification": verification,
            "code": code if code is not None else sms_code(verification),
            "consultation": "uk",
        },
        HTTP_ACCEPT_LANGUAGE="uk",
    )


def test_the_course_page_asks_for_the_language_instead_of_an_enrolment(
    client: Client, with_interpreter: Course
) -> None:
    page = client.get(with_interpreter.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="uk")
    html = page.content.decode()
    assert page.status_code == 200
    assert uk("Language you need for the consultation") in html
    assert f'action="{book_url(with_interpreter)}"' in html
    assert "/enrol/" not in html
    languages = [code for code, _name in page.context["booking_languages"]]
    assert languages == ["pl", "uk", "ru", "en"]  # the site's four, in the catalogue's order


def test_an_interpreters_language_is_offered_too(client: Client, consultation: Course) -> None:
    interpreter(consultation.centre, "ka")
    page = client.get(book_url(consultation), HTTP_ACCEPT_LANGUAGE="uk")
    assert '<option value="ka" lang="ka">ქართული</option>' in page.content.decode()


def test_free_slots_by_day_say_where_an_interpreter_will_be_there(
    client: Client, with_interpreter: Course
) -> None:
    page = client.get(book_url(with_interpreter), {"language": "uk"}, HTTP_ACCEPT_LANGUAGE="uk")
    html = page.content.decode()
    assert page.status_code == 200
    days = page.context["days"]
    assert len(days) == 4
    assert [len(day.slots) for day in days] == [6, 6, 6, 6]
    assert all(slot.interpreter for day in days for slot in day.slots)
    assert html.count(uk("An interpreter will be there")) == 24
    polish = client.get(book_url(with_interpreter), {"language": "pl"}, HTTP_ACCEPT_LANGUAGE="uk")
    assert uk("An interpreter will be there") not in polish.content.decode()


def test_booking_a_slot_with_an_interpreter_through_the_code(
    client: Client, with_interpreter: Course
) -> None:
    at = first_start(with_interpreter)
    form = client.get(
        book_url(with_interpreter),
        {"language": "uk", "at": at.isoformat()},
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert form.status_code == 200
    assert uk("I agree to receive SMS about my appointment (the confirmation and reminders).") in (
        form.content.decode()
    )
    asked = ask(client, with_interpreter, at)
    assert asked.status_code == 200
    assert uk("Confirm your phone number") in asked.content.decode()
    assert not Appointment.objects.exists()  # nothing before the code
    assert not Participant.objects.exists()

    done = confirm(client, with_interpreter, asked)

    appointment = Appointment.objects.get()
    assert appointment.starts_at == at
    assert appointment.language == "uk"
    assert appointment.interpreter is not None
    assert appointment.participant.phone == "+380501234567"
    assert appointment.participant.language == "uk"
    url = appointment.participant.get_absolute_url()
    assert done.status_code == 302
    assert done["Location"] == f"{url}?booked={appointment.pk}#appointment-{appointment.pk}"
    kinds = set(
        OutboundMessage.objects.filter(appointment=appointment).values_list("kind", flat=True)
    )
    assert kinds == {MessageKind.APPOINTMENT_BOOKED, MessageKind.APPOINTMENT_REMINDER}


def test_a_wrong_code_books_nothing(client: Client, with_interpreter: Course) -> None:
    asked = ask(client, with_interpreter, first_start(with_interpreter))
    wrong = confirm(client, with_interpreter, asked, code="000000")
    if wrong.status_code == 302:  # the one-in-a-million right guess
        pytest.skip("the random code was 000000")
    assert wrong.status_code == 400
    assert not Appointment.objects.exists()


def test_bad_input_is_a_translated_error_and_stores_nothing(
    client: Client, with_interpreter: Course
) -> None:
    answer = ask(client, with_interpreter, first_start(with_interpreter), phone="12")
    assert answer.status_code == 400
    html = answer.content.decode()
    assert uk("Please correct the fields marked below.") in html
    assert uk("Enter a mobile phone number, e.g. 601 234 567, or +380 50 123 4567.") in html
    no_consent = ask(client, with_interpreter, first_start(with_interpreter), sms_consent="")
    assert no_consent.status_code == 400
    assert (
        uk("Please agree to receive SMS: it is how we tell you about your appointment.")
        in no_consent.content.decode()
    )
    assert not PhoneVerification.objects.exists()
    assert not Participant.objects.exists()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "at",
    [
        "not-a-time",  # unreadable
        "2027-01-05T10:00:00",  # without its offset
    ],
)
def test_an_unreadable_slot_is_refused(client: Client, with_interpreter: Course, at: str) -> None:
    answer = client.get(
        book_url(with_interpreter), {"language": "uk", "at": at}, HTTP_ACCEPT_LANGUAGE="uk"
    )
    assert answer.status_code == 400
    assert (
        uk("This time is not free any more, or it is not one of the slots. Choose another.")
        in answer.content.decode()
    )


def test_a_time_between_slots_or_outside_the_duty_hours_is_refused(
    client: Client, with_interpreter: Course
) -> None:
    start = first_start(with_interpreter)
    for at in (start + timedelta(minutes=10), start - timedelta(hours=3)):
        answer = ask(client, with_interpreter, at)
        assert answer.status_code == 409
        assert (
            uk("This time is not free any more, or it is not one of the slots. Choose another.")
            in answer.content.decode()
        )
    assert not PhoneVerification.objects.exists()
    assert not Appointment.objects.exists()


def test_a_language_nobody_covers_is_refused(client: Client, consultation: Course) -> None:
    answer = client.get(book_url(consultation), {"language": "ka"}, HTTP_ACCEPT_LANGUAGE="uk")
    assert answer.status_code == 400
    assert uk("Choose one of the languages offered.") in answer.content.decode()
    assert answer.context["days"] == []


def test_a_slot_taken_while_the_person_typed_is_a_clear_409(
    client: Client, with_interpreter: Course
) -> None:
    at = first_start(with_interpreter)
    appointment_book(
        course=with_interpreter, starts_at=at, language="pl", person=person(1), verified=True
    )
    answer = ask(client, with_interpreter, at)
    assert answer.status_code == 409
    assert (
        uk("This time is not free any more, or it is not one of the slots. Choose another.")
        in answer.content.decode()
    )
    assert Appointment.objects.count() == 1
    assert not PhoneVerification.objects.exists()


def test_a_slot_taken_before_the_code_is_given_sends_back_to_the_free_slots(
    client: Client, with_interpreter: Course
) -> None:
    at = first_start(with_interpreter) + timedelta(minutes=30)
    asked = ask(client, with_interpreter, at)
    appointment_book(
        course=with_interpreter, starts_at=at, language="pl", person=person(1), verified=True
    )
    done = confirm(client, with_interpreter, asked)
    assert done.status_code == 302
    assert done["Location"] == f"{book_url(with_interpreter)}?language=uk"
    shown = client.get(done["Location"], HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert uk("Someone has just booked this slot. Please choose another.") in shown
    assert Appointment.objects.count() == 1
    assert not Participant.objects.filter(phone="+380501234567").exists()


def test_a_stranger_who_knows_a_number_learns_nothing(
    client: Client, with_interpreter: Course
) -> None:
    """The answer to the form is the same code page whether the number has appointments or not,
    and without the code nothing about the person is shown."""
    start = first_start(with_interpreter)
    known = appointment_book(
        course=with_interpreter,
        starts_at=start,
        language="uk",
        person=ParticipantData(
            name="Osoba 1", phone="050 123 4567", country="UA", sms_consent=True
        ),
        verified=True,
    )
    asked = ask(client, with_interpreter, start + timedelta(minutes=60))
    fresh = ask(client, with_interpreter, start + timedelta(minutes=90), phone="050 765 4321")
    assert asked.status_code == fresh.status_code == 200
    assert asked.templates[0].name == fresh.templates[0].name == "appointments/book_code.html"
    html = asked.content.decode()
    assert known.participant.name not in html
    assert known.participant.token not in html


def test_a_full_day_offers_its_waitlist_and_the_first_freed_slot_is_booked_for_them(
    client: Client, centre: Any, lawyer: Any
) -> None:
    course = slot_course(centre, trainers=[lawyer], weeks=1, duration_minutes=60)  # two slots
    start = first_start(course)
    taken = [
        appointment_book(
            course=course,
            starts_at=start + timedelta(minutes=30 * n),
            language="pl",
            person=person(n),
            verified=True,
        )
        for n in range(2)
    ]
    page = client.get(book_url(course), {"language": "pl"}, HTTP_ACCEPT_LANGUAGE="uk")
    html = page.content.decode()
    assert uk("This day is full.") in html
    assert uk("Wait for a free slot that day") in html
    session = course.sessions.get()
    form = client.get(
        book_url(course), {"language": "pl", "day": str(session.pk)}, HTTP_ACCEPT_LANGUAGE="uk"
    )
    assert form.status_code == 200
    asked = client.post(
        book_url(course),
        {**FORM, "consultation": "pl", "day": session.pk},
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert asked.status_code == 200
    assert not DayWaitlistEntry.objects.exists()
    verification = asked.context["form"].initial["verification"]
    done = client.post(
        book_url(course),
        {"verification": verification, "code": sms_code(verification), "for_day": "True"},
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    entry = DayWaitlistEntry.objects.get()
    assert done.status_code == 302
    assert done["Location"].endswith(f"#waiting-{entry.pk}")
    me = client.get(done["Location"].split("#")[0], HTTP_ACCEPT_LANGUAGE="uk")
    assert uk("Leave the waitlist") in me.content.decode()

    appointment_cancel(appointment=taken[1], by_person=True)

    freed = Appointment.objects.get(participant=entry.participant)
    assert freed.status == AppointmentStatus.BOOKED
    assert freed.starts_at == local(course, start.astimezone(course.centre.tz).date(), 10, 30)
    assert OutboundMessage.objects.filter(
        appointment=freed, kind=MessageKind.APPOINTMENT_OFFERED
    ).exists()


def test_a_waitlist_code_never_books_a_slot(client: Client, centre: Any, lawyer: Any) -> None:
    """The day's waitlist code is its own: given as a booking's code, it is a wrong code."""
    course = slot_course(centre, trainers=[lawyer], weeks=1, duration_minutes=30)
    start = first_start(course)
    appointment_book(course=course, starts_at=start, language="pl", person=person(1), verified=True)
    session = course.sessions.get()
    asked = client.post(book_url(course), {**FORM, "consultation": "pl", "day": session.pk})
    verification = asked.context["form"].initial["verification"]
    answer = client.post(
        book_url(course), {"verification": verification, "code": sms_code(verification)}
    )
    assert answer.status_code == 400
    assert Appointment.objects.count() == 1
    assert not DayWaitlistEntry.objects.exists()
