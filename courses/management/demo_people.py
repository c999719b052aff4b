"""The demo's people and what they did: participants, places, waitlists, attendance.

Every phone number is in Ofcom's range for drama (+44 7700 900000 to +44 7700 900999, UK mobile
numbers reserved for use in fiction, never given to anyone): no SMS the demo plans can reach a
real person. libphonenumber calls these numbers invalid on purpose, so the demo adds its people
directly instead of through the enrolment form's checks. Every name ends in "(demo)".
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_CENTRE = "cic-poznan"
DEMO_MARK = "(demo)"
FICTION_PREFIX = "+447700900"  # Ofcom: numbers for TV, radio and film (UK mobile, 900000-900999)


@dataclass(frozen=True)
class PersonSpec:
    name: str
    language: str
    country_of_origin: str = ""
    birth_year: int | None = None
    sex: str = ""

    def phone(self, index: int) -> str:
        return f"{FICTION_PREFIX}{index + 1:03d}"


PEOPLE = (
    PersonSpec("Olena Kovalenko", "uk", "UA", 1986, "female"),
    PersonSpec("Andrii Shevchenko", "uk", "UA", 1979, "male"),
    PersonSpec("Iryna Bondarenko", "uk", "UA", 1992, "female"),
    PersonSpec("Mariia Tkachenko", "uk", "UA", 1968, "female"),
    PersonSpec("Oksana Kravchenko", "uk", "UA", 1990, "female"),
    PersonSpec("Dmytro Melnyk", "uk", "UA", 2001, "male"),
    PersonSpec("Nataliia Boiko", "ru", "UA", 1975, "female"),
    PersonSpec("Siarhei Kazlou", "ru", "BY", 1984, "male"),
    PersonSpec("Volha Novik", "ru", "BY", 1995, ""),
    PersonSpec("Nino Beridze", "en", "GE", 1988, "female"),
    PersonSpec("Giorgi Kapanadze", "ru", "GE", 1981, "male"),
    PersonSpec("Leyla Aliyeva", "en", "AZ", 1997, "female"),
    PersonSpec("Mehmet Yilmaz", "en", "TR", 1983, "male"),
    PersonSpec("Valentina Rojas", "en", "CO", 1993, "female"),
    PersonSpec("Carlos Pérez", "en", "VE", 1989, "male"),
    PersonSpec("Tetiana Lysenko", "uk", "UA", 1971, "female"),
    PersonSpec("Yurii Moroz", "uk", "UA", 1966, "male"),
    PersonSpec("Svitlana Hnatiuk", "uk", "UA", 1999, "female"),
    PersonSpec("Halyna Savchuk", "uk"),
    PersonSpec("Aliaksandr Hrynko", "ru", "BY", 1987, "male"),
    PersonSpec("Anna Kowalska", "pl", "", 1994, "female"),
    PersonSpec("Kateryna Rudenko", "uk", "UA", 1985, "female"),
)

# Who takes part in what (indexes into PEOPLE). Polish A1 is running: its 16 seats are taken,
# three people wait, and its past sessions have their registers filled in. Polish A2 (waitlist
# offers) starts soon: full, and one person who gave up a place left an offer to the head of
# its waitlist. The children's workshop is booked session by session.
A1_PLACES = tuple(range(16))
A1_WAITING = (16, 17, 18)
A2_PLACES = (19, 20, 21, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
A2_WAITING = (11, 12, 13)
A2_GIVES_UP = 21  # frees a seat: the head of the waitlist gets an offer by SMS
WORKSHOP_PLACES = (0, 3, 9, 13)
# Attendance on the past sessions of A1: who is absent or excused, by (session, person) order.
ABSENT_EVERY = 7  # about one person in seven is absent
EXCUSED_EVERY = 11
