"""The rows of a booking's party, written inside the enrolment services' transactions.

Nothing here locks: the callers (`courses.services.enrolment` and
`courses.services.households`) hold the course's (or session's) lock and the booking's row
when they call these (`party_prepare` is called before any lock or write). The checks and the
waitlist's rule are `courses.party`'s, fed with the course's settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from courses.models import (
    Course,
    Enrolment,
    MemberStatus,
    PartyMember,
)
from courses.party import (
    NEXT,
    PartyInvalid,
    Person,
    Waiting,
    newcomer_fits,
    party_check,
    party_read,
)
from courses.selectors.seats import Standing, capacity_of, waitlist_queue
from scheduling.models import Session

# The version of the text by which a parent agrees that their child's name and year of birth
# are kept with the booking (shown by the enrolment form and the desk).
PARTY_CONSENT_TEXT_VERSION = "2027-02"


def course_year(course: Course) -> int:
    """Ages are counted in the year of the course's first date (a child born in 2018 is 8 in
    a 2026 workshop, whatever the day of its birthday)."""
    return course.start_date.year


def party_places(course: Course, people: Sequence[Person], *, attending: bool) -> int:
    """The places a booking of `people` (and the booking person when `attending`) takes in
    `course`, or PartyInvalid. With an age range, everyone of the party needs a year of birth
    (the booking person's own age is not asked)."""
    ranged = course.min_age is not None or course.max_age is not None
    return party_check(
        people,
        attending=attending,
        max_party=course.max_party,
        year=course_year(course),
        min_age=course.min_age,
        max_age=course.max_age,
        ages_for_all=ranged,
    )


@dataclass(frozen=True)
class PartyBooking:
    """What one booking covers, checked: its people besides the booking person, whether the
    booking person attends, the places it takes and the fewest it accepts (None: all)."""

    people: tuple[Person, ...] = ()
    attending: bool = True
    places: int = 1
    least: int | None = None


ALONE = PartyBooking()  # the booking person alone: what every booking was before households


def party_people(party: Iterable[Person | object]) -> list[Person]:
    """The party as given: `Person`s, or `{name, birth_year}` items read by `party_read`."""
    items = list(party)
    if all(isinstance(item, Person) for item in items):
        return [item for item in items if isinstance(item, Person)]
    return party_read(items)


def party_prepare(
    course: Course,
    party: Iterable[Person | object] = (),
    *,
    attending: bool = True,
    min_places: int | None = None,
) -> PartyBooking:
    """The booking of `party` (and the booking person when `attending`) in `course`, checked
    against its `max_party` and ages before anything is written, or PartyInvalid. `min_places`
    is the fewest places the family would accept when fewer are free (None, or all of them:
    only all together)."""
    people = party_people(party)
    if not people and attending and min_places is None:
        return ALONE
    places = party_places(course, people, attending=attending)
    least = min_places
    if least is not None:
        if isinstance(least, bool) or not isinstance(least, int) or least < 1:
            raise PartyInvalid(_("The fewest places must be a number from 1."), field="min_places")
        if least > places:
            raise PartyInvalid(
                _("The fewest places cannot be more than the booking's %(places)s places.")
                % {"places": places},
                field="min_places",
            )
        if least == places:
            least = None  # all of them anyway
    return PartyBooking(tuple(people), attending, places, least)


def party_fits(course: Course, session: Session | None, seats: Standing, places: int) -> bool:
    """Whether a new booking of `places` takes them now rather than joining the waitlist: all
    of them free and nobody waiting (with `waitlist_fit=next`, nobody waiting who fits first:
    the waitlist is read only then)."""
    free = capacity_of(course, session) - seats.taken
    if not seats.waiting:
        return free >= places
    if course.waitlist_fit != NEXT or free < places:
        return False
    queue = [
        Waiting(pk, held, least)
        for pk, held, least in waitlist_queue(course, session).values_list(
            "pk", "places", "min_places"
        )
    ]
    return newcomer_fits(queue, free, places, NEXT)


def party_store(
    enrolment: Enrolment, people: Sequence[Person], *, course: Course, now: datetime
) -> list[PartyMember]:
    """The party's rows in one query; a child's with the parent's consent and its text version
    (the booking person gave it by booking them)."""
    year = course_year(course)
    rows = [
        PartyMember(
            enrolment=enrolment,
            name=person.name,
            birth_year=person.birth_year,
            position=index,
            consent_at=now if person.is_child_in(year) else None,
            consent_text=PARTY_CONSENT_TEXT_VERSION if person.is_child_in(year) else "",
        )
        for index, person in enumerate(people)
    ]
    return PartyMember.objects.bulk_create(rows) if rows else []


def party_trim(enrolment: Enrolment, places: int, *, now: datetime) -> list[PartyMember]:
    """A booking promoted with fewer places than it held (the family said it would accept
    fewer): the booking person keeps theirs first, then the people in the order given; the
    others' places are given up. Returns those who gave theirs up. The caller saves
    `enrolment.places` and `attending`."""
    if places >= enrolment.places:
        return []
    active = list(enrolment.party.filter(status=MemberStatus.ACTIVE).order_by("position", "id"))
    keeps_own = enrolment.attending and places >= 1
    kept = places - (1 if keeps_own else 0)
    dropped = active[kept:]
    PartyMember.objects.filter(pk__in=[m.pk for m in dropped]).update(
        status=MemberStatus.CANCELLED, cancelled_at=now
    )
    enrolment.attending = keeps_own
    enrolment.places = places
    return dropped


def party_member_drop(member: PartyMember, *, now: datetime) -> None:
    """One person of a booking gives up their place (the booking's places go down by one)."""
    member.status, member.cancelled_at = MemberStatus.CANCELLED, now
    member.save(update_fields=["status", "cancelled_at"])
    Enrolment.objects.filter(pk=member.enrolment_id).update(places=F("places") - 1)
