"""Households without the database: who a booking covers, and who on a waitlist gets free places.

A booking takes `places`: the booking person when they attend, plus each person of their party.
A waiting booking is promoted only when all its places are free, or at least its `least` (the
fewest places the family said it would accept, then it gets as many as are free up to all of
them). What happens to places the head of the waitlist cannot use is the course's
`waitlist_fit`:

- `wait` (the default): they stay free until the head fits. Nobody behind passes the head, so a
  family keeps its turn however many single bookings arrive after it. It costs empty places for
  a while, which is why a family may say it would accept fewer.
- `next`: they go to the next booking in order that fits (a single person behind a family of 3
  when 2 places are free). Places are used at once; a large family may wait long.

Everything here is pure so that the rule is tested without a database; the services call it
with the queue they read under the course's (or session's) lock.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.errors import DomainError

WAIT = "wait"
NEXT = "next"
ADULT_AGE = 18
NAME_MAX = 200


class PartyInvalid(DomainError):
    """A party the course does not take: too many places, a child outside the ages, no name."""

    code = "party_invalid"


@dataclass(frozen=True)
class Waiting:
    """One booking on the waitlist, in the queue's order."""

    key: Hashable
    places: int
    least: int | None = None  # None: all its places or none

    @property
    def fewest(self) -> int:
        least = self.places if self.least is None else self.least
        return max(1, min(least, self.places))


@dataclass(frozen=True)
class Promotion:
    key: Hashable
    places: int  # what it gets: all its places, or fewer it said it would accept


def promotions(queue: Sequence[Waiting], free: int, rule: str = WAIT) -> list[Promotion]:
    """The bookings of `queue` (in its order) that get places when `free` places are free."""
    promoted: list[Promotion] = []
    for waiting in queue:
        if free <= 0:
            break
        if free >= waiting.fewest:
            granted = min(waiting.places, free)
            promoted.append(Promotion(waiting.key, granted))
            free -= granted
        elif rule != NEXT:
            break  # the head waits for its places, and nobody passes it
    return promoted


def newcomer_fits(queue: Sequence[Waiting], free: int, places: int, rule: str = WAIT) -> bool:
    """Whether a new booking of `places` takes them at once rather than joining the waitlist.
    It asks for all its places (taking fewer is for those already waiting), and it comes last:
    with `wait` only when nobody waits; with `next` when the waiting ones that fit now (none,
    as they would have been promoted) leave enough."""
    if rule != NEXT:
        return not queue and free >= places
    marker = object()
    everyone = [*queue, Waiting(marker, places)]
    return any(p.key is marker for p in promotions(everyone, free, rule))


@dataclass(frozen=True)
class Person:
    """Someone a booking covers besides the booking person (children with a year of birth)."""

    name: str
    birth_year: int | None = None

    def age_in(self, year: int) -> int | None:
        return None if self.birth_year is None else year - self.birth_year

    def is_child_in(self, year: int) -> bool:
        age = self.age_in(year)
        return age is not None and age < ADULT_AGE


def party_read(items: Iterable[object]) -> list[Person]:
    """The party as typed (the API's `{name, birth_year}` items or the form's), tidied: names
    on one line, no empty name, nobody twice, a year of birth from 1900 to this year. Refused
    whole, nothing kept."""
    people: list[Person] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise PartyInvalid(_("Each person needs a name."), field="party")
        name = " ".join(str(item.get("name") or "").split())[:NAME_MAX]
        if not name:
            raise PartyInvalid(
                _("Person %(number)s has no name.") % {"number": index}, field="party"
            )
        if any(p.name.casefold() == name.casefold() for p in people):
            raise PartyInvalid(_("%(name)s is listed twice.") % {"name": name}, field="party")
        people.append(Person(name, _year(item.get("birth_year"), index)))
    return people


def _year(value: object, index: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not 1900 <= year <= timezone.localdate().year:
        raise PartyInvalid(
            _("The year of birth of person %(number)s is not a year.") % {"number": index},
            field="party",
        )
    return year


def places_of(people: Sequence[Person], *, attending: bool) -> int:
    return len(people) + (1 if attending else 0)


def party_check(
    people: Sequence[Person],
    *,
    attending: bool,
    max_party: int,
    year: int,
    min_age: int | None = None,
    max_age: int | None = None,
    ages_for_all: bool = False,
) -> int:
    """The places the booking takes, or a refusal: none at all, more than `max_party`, a child
    (or, with `ages_for_all`, anyone of a children's activity) outside the ages in `year`."""
    places = places_of(people, attending=attending)
    if places < 1:
        raise PartyInvalid(_("The booking covers nobody: add a person."), field="party")
    if places > max_party:
        raise PartyInvalid(
            _("One booking may take at most %(max)s places.") % {"max": max_party},
            field="party",
        )
    if min_age is None and max_age is None:
        return places
    for person in people:
        age = person.age_in(year)
        if age is None:
            if ages_for_all:
                raise PartyInvalid(
                    _("Give the year of birth of %(name)s.") % {"name": person.name},
                    field="party",
                )
            continue
        if (min_age is not None and age < min_age) or (max_age is not None and age > max_age):
            raise PartyInvalid(
                _("%(name)s is outside the ages of this activity (%(ages)s).")
                % {"name": person.name, "ages": ages_text(min_age, max_age)},
                field="party",
            )
    return places


def ages_text(min_age: int | None, max_age: int | None) -> str:
    if min_age is not None and max_age is not None:
        return f"{min_age}–{max_age}"
    if min_age is not None:
        return f"{min_age}+"
    return f"0–{max_age}"


def split_for_childcare(people: Sequence[Person], year: int) -> tuple[list[Person], list[Person]]:
    """A class with childcare: the children go to the childcare, the others to the class."""
    children = [p for p in people if p.is_child_in(year)]
    others = [p for p in people if not p.is_child_in(year)]
    return others, children


def keep_first(places: int, *, attending: bool, members: int) -> tuple[bool, int]:
    """A booking promoted with fewer places than it holds: the booking person keeps theirs
    first, then the people in the order given. Whether they still attend, and how many
    members keep a place."""
    keeps_own = attending and places >= 1
    return keeps_own, min(members, places - (1 if keeps_own else 0))
