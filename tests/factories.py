from __future__ import annotations

from datetime import date, time

import factory
from django.contrib.auth import get_user_model

from courses.models import BookingMode, Centre, Course, CourseKind, Venue
from scheduling import rules
from scheduling.models import Closure


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Centrum Integracji {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    city = "Poznań"
    address = "ul. Nowowiejskiego 25"
    voivodeship = "wielkopolskie"

    @factory.post_generation
    def staff(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.staff.set(extracted)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Sala {n}")
    city = factory.SelfAttribute("centre.city")


class CourseFactory(factory.django.DjangoModelFactory):
    """A course saved through the service, so its sessions exist."""

    class Meta:
        model = Course

    centre = factory.SubFactory(CentreFactory)
    slug = factory.Sequence(lambda n: f"course-{n}")
    kind = CourseKind.POLISH_COURSE
    title_pl = factory.Sequence(lambda n: f"Kurs polskiego {n}")
    booking_mode = BookingMode.COURSE
    capacity = 20
    published = True
    start_date = date(2027, 1, 5)  # a Tuesday
    start_time = time(18, 0)
    duration_minutes = 90
    recurrence = factory.LazyAttribute(
        lambda o: rules.parse("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10", o.centre.tz)
    )

    @classmethod
    def _create(cls, model_class: type[Course], *args: object, **kwargs: object) -> Course:
        from courses.services.catalogue import course_save

        trainers = kwargs.pop("trainers", None)
        text = kwargs.pop("rule", None)
        course = model_class(*args, **kwargs)
        if text is not None:
            course.recurrence = rules.parse(str(text), course.centre.tz)
        course_save(course=course, trainers=trainers)  # type: ignore[arg-type]
        return course


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    centre = factory.SubFactory(CentreFactory)
    starts_on = date(2027, 1, 12)
    ends_on = date(2027, 1, 12)
    reason = "Zamknięte"
