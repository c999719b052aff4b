"""The demo's households (`load_demo`): in the demo centre, a family art workshop for children
aged 6-12 that takes up to 3 places per booking, and a Polish class for parents with a
childcare beside it (children up to 10, the same times), with a few family bookings made at
the desk: a mother booking her two children into the workshop, a mother booking herself into
the class and her two children into its childcare, a father with his son in the workshop.

Everything goes through the services the desk uses. Loading again changes nothing: the
courses are found by slug, and the bookings are made only while the workshop has none.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from courses.management.demo import first_date, recurrence_text, translated
from courses.management.demo_data import MAIN_VENUE, CourseSpec, Tr
from courses.management.demo_people import DEMO_CENTRE, PEOPLE
from courses.models import Centre, Course, Enrolment, EnrolmentSource, Participant, Venue
from courses.services.catalogue import course_create
from courses.services.households import booking_create

FAMILY_WORKSHOP = CourseSpec(
    slug="warsztaty-rodzinne",
    kind="workshop",
    title=Tr(
        pl="Warsztaty plastyczne dla dzieci 6–12",
        uk="Художні майстер-класи для дітей 6–12",
        en="Art workshops for children aged 6–12",
        ru="Художественные мастер-классы для детей 6–12",
    ),
    description=Tr(
        pl="Rodzic zapisuje do trzech osób naraz: dzieci i siebie, jeśli zostaje.",
        uk="Один батько записує до трьох осіб одразу: дітей і себе, якщо залишається.",
        en="One parent books up to three places at once: the children, and themselves "
        "if they stay.",
        ru="Один родитель записывает до трёх человек сразу: детей и себя, если остаётся.",
    ),
    rule="FREQ=WEEKLY;BYDAY=SA;COUNT=6",
    start_time=time(12, 30),
    duration_minutes=90,
    weeks=1,
    audience="children",
    capacity=12,
)
POLISH_FOR_PARENTS = CourseSpec(
    slug="polski-dla-rodzicow",
    kind="polish_course",
    title=Tr(
        pl="Polski dla rodziców (z opieką nad dziećmi)",
        uk="Польська для батьків (з доглядом за дітьми)",
        en="Polish for parents (with childcare)",
        ru="Польский для родителей (с присмотром за детьми)",
    ),
    description=Tr(
        pl="Kurs A1 dla rodziców. W tym samym czasie dzieci do 10 lat mają opiekę obok.",
        uk="Курс A1 для батьків. У цей самий час поруч є догляд за дітьми до 10 років.",
        en="An A1 course for parents. At the same time children up to 10 are looked after "
        "next door.",
        ru="Курс A1 для родителей. В это же время рядом присматривают за детьми до 10 лет.",
    ),
    rule="FREQ=WEEKLY;BYDAY=WE;COUNT=10",
    start_time=time(10, 0),
    duration_minutes=90,
    weeks=1,
    level="A1",
    capacity=12,
)
CHILDCARE = CourseSpec(
    slug="opieka-nad-dziecmi",
    kind="workshop",
    title=Tr(
        pl="Opieka nad dziećmi w czasie kursu",
        uk="Догляд за дітьми під час курсу",
        en="Childcare during the course",
        ru="Присмотр за детьми во время курса",
    ),
    description=Tr(
        pl="Zabawy dla dzieci do 10 lat, gdy rodzice są na kursie polskiego.",
        uk="Ігри для дітей до 10 років, поки батьки на курсі польської.",
        en="Play for children up to 10 while their parents are in the Polish course.",
        ru="Игры для детей до 10 лет, пока родители на курсе польского.",
    ),
    rule=POLISH_FOR_PARENTS.rule,
    start_time=POLISH_FOR_PARENTS.start_time,
    duration_minutes=POLISH_FOR_PARENTS.duration_minutes,
    weeks=POLISH_FOR_PARENTS.weeks,
    audience="children",
    capacity=6,
)

# (index into PEOPLE, course slug, the others the booking covers, whether the person attends)
BOOKINGS: tuple[tuple[int, str, tuple[tuple[str, int], ...], bool], ...] = (
    (21, FAMILY_WORKSHOP.slug, (("Sofiia Rudenko", 2017), ("Maksym Rudenko", 2019)), False),
    (4, POLISH_FOR_PARENTS.slug, (("Daryna Kravchenko", 2020), ("Ivan Kravchenko", 2022)), True),
    (1, FAMILY_WORKSHOP.slug, (("Taras Shevchenko", 2016),), True),
)


def _course(centre: Centre, spec: CourseSpec, **settings: Any) -> tuple[Course, int]:
    found = Course.objects.filter(centre=centre, slug=spec.slug).first()
    if found is not None:
        return found, 0
    start = first_date(spec, timezone.localdate())
    course, result = course_create(
        centre=centre,
        slug=spec.slug,
        kind=spec.kind,
        **translated("title", spec.title),
        **translated("description", spec.description),
        audience=spec.audience,
        level=spec.level,
        capacity=spec.capacity,
        booking_mode=spec.booking_mode,
        venue=Venue.objects.filter(centre=centre, name=MAIN_VENUE).first(),
        published=True,
        recurrence_text=recurrence_text(spec, start),
        start_date=start,
        start_time=spec.start_time,
        duration_minutes=spec.duration_minutes,
        **settings,
    )
    return course, result.created


def households_demo_load(*, staff: User) -> dict[str, int]:
    """The two household courses (and the childcare) and their family bookings, once."""
    counts = {"household_courses": 0, "household_sessions": 0, "household_bookings": 0}
    centre = Centre.objects.filter(slug=DEMO_CENTRE).first()
    if centre is None:
        return counts
    care, care_sessions = _course(centre, CHILDCARE, max_party=4, max_age=10)
    made = [
        _course(centre, FAMILY_WORKSHOP, max_party=3, min_age=6, max_age=12),
        (care, care_sessions),
        _course(centre, POLISH_FOR_PARENTS, childcare=care),
    ]
    courses = {course.slug: course for course, _sessions in made}
    counts["household_courses"] = sum(1 for _course_, sessions in made if sessions)
    counts["household_sessions"] = sum(sessions for _course_, sessions in made)
    if Enrolment.objects.filter(course__in=list(courses.values())).exists():
        return counts
    for index, slug, party, attending in BOOKINGS:
        person = Participant.objects.filter(centre=centre, phone=PEOPLE[index].phone(index)).first()
        if person is None:  # the demo's people are added by demo_activity first
            continue
        booking_create(
            course=courses[slug],
            participant=person,
            party=[{"name": name, "birth_year": year} for name, year in party],
            attending=attending,
            source=EnrolmentSource.STAFF,
            actor=staff,
        )
        counts["household_bookings"] += 1
    return counts
