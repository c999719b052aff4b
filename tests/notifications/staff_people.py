"""The people of a course for the messages-to-people tests: who should get an SMS, in which
language, and who must not (no consent, an opted-out number, an erased person, the waitlist)."""

from __future__ import annotations

from dataclasses import dataclass

from courses.models import Course, Enrolment, EnrolmentStatus
from notifications.models import PhoneOptOut
from tests.factories import EnrolmentRowFactory, ParticipantRowFactory


@dataclass
class People:
    anna: Enrolment  # pl, consent
    olena: Enrolment  # uk, consent, a Ukrainian number
    ivan: Enrolment  # ru, consent
    piotr: Enrolment  # pl, no SMS consent
    maria: Enrolment  # pl, consent, number opted out
    oksana: Enrolment  # uk, consent, on the waitlist
    jan: Enrolment  # pl, consent, offered a place (waiting for an answer)

    @property
    def told(self) -> set[str]:
        return {e.participant.phone for e in (self.anna, self.olena, self.ivan)}


def _place(course: Course, name: str, phone: str, language: str, **kwargs) -> Enrolment:
    consent = kwargs.pop("sms_consent", True)
    person = ParticipantRowFactory(
        centre=course.centre, name=name, phone=phone, language=language, sms_consent=consent
    )
    return EnrolmentRowFactory(course=course, participant=person, **kwargs)


def people_of(course: Course) -> People:
    people = People(
        anna=_place(course, "Anna Nowak", "+48601000001", "pl"),
        olena=_place(course, "Olena Koval", "+380501234567", "uk"),
        ivan=_place(course, "Ivan Petrov", "+48601000003", "ru"),
        piotr=_place(course, "Piotr Zieliński", "+48601000004", "pl", sms_consent=False),
        maria=_place(course, "Maria Wiśniewska", "+48601000005", "pl"),
        oksana=_place(
            course, "Oksana Bondar", "+48601000006", "uk", status=EnrolmentStatus.WAITLISTED
        ),
        jan=_place(course, "Jan Kowalski", "+48601000007", "pl", status=EnrolmentStatus.OFFERED),
    )
    PhoneOptOut.objects.create(phone="+48601000005", reason="stop")
    return people
