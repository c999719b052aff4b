"""Factories for every model the tests make.

Where the application makes an object through a service, so does the factory, and the object is
what the application would have made (the service's refusals raise):
    CourseFactory       course_save: its sessions are generated
    ParticipantFactory  participant_upsert: the phone normalised; the same phone in the same
                        centre is the same person
    EnrolmentFactory    enrolment_create: a seat or the waitlist, its event, the staff audit
                        entry, the SMS planned
    SessionFactory      session_add: a one-off session beside the rule's
    AuditEntryFactory   audit_record
The *RowFactory variants save a bare row instead, for what a test sets up by hand on purpose:
what the service would refuse or change (an erased person, a given status), many rows at once,
a course whose sessions are not generated yet. The other factories make bare rows, which need no
service to be valid. Default phones are +48 699 ..., which no test writes by hand.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import (
    Attendance,
    AttendanceStatus,
    AuditAction,
    AuditEntry,
    BookingMode,
    Centre,
    Course,
    CourseKind,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Participant,
    Venue,
)
from notifications.models import MessageKind, MessageStatus, OutboundMessage, PhoneOptOut
from scheduling import rules
from scheduling.models import CalendarToken, Closure, Session


def _phone(n: int) -> str:
    return f"+48699{n:06d}"


def _without(kwargs: dict[str, Any], *names: str) -> dict[str, Any]:
    """`kwargs` less the factory's own parameters (what a bare model would not take)."""
    for name in names:
        kwargs.pop(name, None)
    return kwargs


# --- people and centres ---------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    """A user (get or create by username). `superuser=True` for a superuser;
    `staff_of=[centre, ...]` makes them staff of those centres (Centre.staff), who manage them;
    a trainer is a user in a course's `trainers`."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def staff_of(self, create: bool, extracted: list[Centre] | None, **kwargs: object) -> None:
        if create and extracted:
            for centre in extracted:
                centre.staff.add(self)


class CentreFactory(factory.django.DjangoModelFactory):
    """A centre; `staff=[user, ...]` are its staff."""

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


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A person added through `participant_upsert`, as the form, the API or the desk add them.

    `phone` is read in `country` (a national number like "601 000 001" is fine) and kept in
    E.164. A phone already known in the centre gives that person back, name unchanged (a newly
    given SMS consent and language are recorded, as the service does). With `actor` (and `via`)
    it is a staff action and in the audit log. Any other ParticipantData field goes to the
    service too; model fields it lacks (country_of_origin, sex, ...) are saved afterwards."""

    class Meta:
        model = Participant

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Osoba {n}")
    phone = factory.Sequence(_phone)
    country = "PL"
    language = "pl"
    sms_consent = False
    email = ""
    actor = None
    via = ""

    @classmethod
    def _build(cls, model_class: type[Participant], *args: Any, **kwargs: Any) -> Participant:
        return super()._build(model_class, *args, **_without(kwargs, "country", "actor", "via"))

    @classmethod
    def _create(cls, model_class: type[Participant], *args: Any, **kwargs: Any) -> Participant:
        from courses.services.participants import ParticipantData, participant_upsert

        centre, actor, via = kwargs.pop("centre"), kwargs.pop("actor"), kwargs.pop("via")
        given = {field.name for field in dataclasses.fields(ParticipantData)} & set(kwargs)
        data = ParticipantData(**{field: kwargs.pop(field) for field in given})
        participant = participant_upsert(centre=centre, data=data, actor=actor, via=via)
        if kwargs:
            for field, value in kwargs.items():
                setattr(participant, field, value)
            participant.save(update_fields=[*kwargs, "updated_at"])
        return participant


class ParticipantRowFactory(ParticipantFactory):
    """A bare Participant row, exactly as given: the phone is not normalised, nothing is audited.
    For an erased person (name="", phone="", erased_at=...) or many people at once."""

    @classmethod
    def _create(cls, model_class: type[Participant], *args: Any, **kwargs: Any) -> Participant:
        kwargs = _without(kwargs, "country", "actor", "via")
        return super(ParticipantFactory, cls)._create(model_class, *args, **kwargs)


# --- courses and their sessions ---------------------------------------------------------------


class CourseFactory(factory.django.DjangoModelFactory):
    """A course saved through `course_save`, so its sessions exist (ten Tuesdays at 18:00 from
    5 January 2027 unless told otherwise). `rule="RRULE:..."` gives the rule as text, in the
    centre's local time; `trainers=[user, ...]` its trainers."""

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

    @staticmethod
    def _course(model_class: type[Course], args: Any, kwargs: dict[str, Any]) -> Course:
        text = kwargs.pop("rule", None)
        course = model_class(*args, **kwargs)
        if text is not None:
            course.recurrence = rules.parse(str(text), course.centre.tz)
        return course

    @classmethod
    def _build(cls, model_class: type[Course], *args: Any, **kwargs: Any) -> Course:
        return cls._course(model_class, args, _without(kwargs, "trainers"))

    @classmethod
    def _create(cls, model_class: type[Course], *args: Any, **kwargs: Any) -> Course:
        from courses.services.catalogue import course_save

        trainers = kwargs.pop("trainers", None)
        course = cls._course(model_class, args, kwargs)
        course_save(course=course, trainers=trainers)  # type: ignore[arg-type]
        return course


class CourseRowFactory(CourseFactory):
    """A course saved as a bare row (`Course.save`): none of its sessions are generated yet."""

    @classmethod
    def _create(cls, model_class: type[Course], *args: Any, **kwargs: Any) -> Course:
        trainers = kwargs.pop("trainers", None)
        course = cls._course(model_class, args, kwargs)
        course.save()
        if trainers:
            course.trainers.set(trainers)
        return course


def first_session(course: Course) -> Session:
    """The course's first session by start time (made by its rule when the course was saved)."""
    session = course.sessions.order_by("starts_at").first()
    assert session is not None, f"{course} has no sessions"
    return session


class SessionFactory(factory.django.DjangoModelFactory):
    """A one-off session added through `session_add` (outside the course's rule, so it has no
    `original_start`): by default the day after the course's first date, at its time."""

    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyAttribute(
        lambda o: datetime.combine(
            o.course.start_date + timedelta(days=1), o.course.start_time, o.course.centre.tz
        )
    )
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + timedelta(minutes=o.course.duration_minutes)
    )
    venue = None
    capacity = None
    note = ""

    @classmethod
    def _create(cls, model_class: type[Session], *args: Any, **kwargs: Any) -> Session:
        from scheduling.services import session_add

        return session_add(**kwargs)


class ClosureFactory(factory.django.DjangoModelFactory):
    """A bare closure row: sessions already generated stay until the course is synced again
    (`scheduling.services.closure_save` re-generates them at once)."""

    class Meta:
        model = Closure

    centre = factory.SubFactory(CentreFactory)
    starts_on = date(2027, 1, 12)
    ends_on = date(2027, 1, 12)
    reason = "Zamknięte"


class CalendarTokenFactory(factory.django.DjangoModelFactory):
    """A private calendar link of a user (a trainer's feed of the courses they teach)."""

    class Meta:
        model = CalendarToken

    user = factory.SubFactory(UserFactory)


# --- places, the register and the audit log -----------------------------------------------------


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A place taken through `enrolment_create`: confirmed while seats last, then the waitlist.

    By default a person who agreed to SMS enrols themselves in the course (source web, no
    actor); give `session` for a course booked session by session, and `actor` (with
    source="staff" or "walk_in") for staff at the desk, who may give a `priority`. The
    service's refusals (AlreadyEnrolled, EnrolmentClosed, ConsentRequired, ...) raise."""

    class Meta:
        model = Enrolment

    course = factory.SubFactory(CourseFactory)
    participant = factory.SubFactory(
        ParticipantFactory, centre=factory.SelfAttribute("..course.centre"), sms_consent=True
    )
    session = None
    source = EnrolmentSource.WEB
    priority = 0
    actor = None

    @classmethod
    def _build(cls, model_class: type[Enrolment], *args: Any, **kwargs: Any) -> Enrolment:
        return super()._build(model_class, *args, **_without(kwargs, "actor"))

    @classmethod
    def _create(cls, model_class: type[Enrolment], *args: Any, **kwargs: Any) -> Enrolment:
        from courses.services.enrolment import enrolment_create

        return enrolment_create(**kwargs)


class EnrolmentRowFactory(EnrolmentFactory):
    """A bare Enrolment row with the `status` given (confirmed by default), of a bare
    participant row: no seats counted, no event, no audit entry, no SMS planned."""

    participant = factory.SubFactory(
        ParticipantRowFactory, centre=factory.SelfAttribute("..course.centre"), sms_consent=True
    )
    status = EnrolmentStatus.CONFIRMED

    @classmethod
    def _create(cls, model_class: type[Enrolment], *args: Any, **kwargs: Any) -> Enrolment:
        kwargs = _without(kwargs, "actor")
        return super(EnrolmentFactory, cls)._create(model_class, *args, **kwargs)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A bare mark on a session's register (present unless told otherwise), made at the start
    of the session. `attendance_mark` is the service, with its checks of who may mark and
    when; this is for the marks a test needs to be there already."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    participant = factory.SubFactory(
        ParticipantFactory, centre=factory.SelfAttribute("..session.course.centre")
    )
    status = AttendanceStatus.PRESENT
    walk_in = False
    marked_at = factory.LazyAttribute(lambda o: o.session.starts_at)


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An entry recorded through `audit_record`: by default user "actor-<centre slug>" changed
    `participant` (or, without one, the centre). `system=True` without an actor: a periodic
    task's entry."""

    class Meta:
        model = AuditEntry

    centre = factory.SubFactory(CentreFactory)
    actor = factory.SubFactory(
        UserFactory,
        username=factory.LazyAttribute(lambda u: f"actor-{u.factory_parent.centre.slug}"),
    )
    action = AuditAction.PARTICIPANT_CHANGED
    participant = None
    target = factory.LazyAttribute(lambda o: o.participant or o.centre)
    detail = None
    system = False

    @classmethod
    def _create(cls, model_class: type[AuditEntry], *args: Any, **kwargs: Any) -> AuditEntry:
        from courses.services.audit import audit_record

        made = audit_record(**kwargs)
        if made is None:
            raise ValueError("audit_record records nobody's act: give an actor or system=True")
        return made


# --- SMS ------------------------------------------------------------------------------------------


class OutboundMessageFactory(factory.django.DjangoModelFactory):
    """A bare row in the SMS outbox, pending and due now: a reminder to a person who agreed to
    SMS. `notifications.services` plans the real ones (with their context for the text)."""

    class Meta:
        model = OutboundMessage

    kind = MessageKind.REMINDER
    participant = factory.SubFactory(ParticipantFactory, sms_consent=True)
    enrolment = None
    session = None
    dedupe_key = factory.Sequence(lambda n: f"factory:{n}")
    status = MessageStatus.PENDING
    due_at = factory.LazyFunction(timezone.now)


class PhoneOptOutFactory(factory.django.DjangoModelFactory):
    """A number that gets no SMS (it said STOP, unless `reason="invalid"`)."""

    class Meta:
        model = PhoneOptOut

    phone = factory.Sequence(_phone)
    reason = "stop"
