"""Load the demo: the Wielkopolska CIC network, IOM Wrocław and a Caritas centre, with courses.

The data is in `courses/management/demo_data.py` (users, course templates) and
`demo_centres.py` (the centres and their courses), the date helpers in `demo.py` beside them.
Dates are relative to today, so the demo never looks stale. The demo's people (phone numbers
reserved for fiction, see `demo_people.py`) enrol, wait, get an offer and come to class in one
centre (`demo_activity.py`), so registers, reports and the SMS log are not empty.
Running the command again creates only what is missing and changes nothing that exists (centres
are found by slug, venues by centre and name, courses by centre and slug, closures by centre
and first day, people by phone).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from appointments.management.demo import appointments_demo_load
from courses.management.demo import christmas_break, first_date, recurrence_text, translated
from courses.management.demo_activity import activity_load
from courses.management.demo_centres import CENTRES
from courses.management.demo_data import (
    CHRISTMAS_BREAK_REASON,
    MAIN_VENUE,
    STAFF_USER,
    TRAINER_USER,
    USERS,
    CentreSpec,
    CourseSpec,
    VenueSpec,
)
from courses.management.demo_households import households_demo_load
from courses.models import Centre, Course, FundingEmblem, Venue
from courses.services.catalogue import course_create
from courses.services.staff import staff_group_sync
from scheduling.models import Closure
from scheduling.services import closure_save


class Command(BaseCommand):
    help = (
        "Load demo centres, venues, courses and users, dated relative to today. Safe to run "
        "again: only what is missing is created."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even with DEBUG off (it creates users with known passwords).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.TESTING or options["force"]):
            raise CommandError(
                "The demo creates users with known passwords (demo-admin, demo-staff): it runs "
                "only with DEBUG on, or with --force."
            )
        self.created: dict[str, int] = dict.fromkeys(
            ("centres", "venues", "courses", "sessions", "closures", "users"), 0
        )
        activity: dict[str, int] = {}
        today = timezone.localdate()
        with transaction.atomic():
            users = self._users()
            for spec in CENTRES:
                centre = self._centre(spec)
                if spec.demo_staff:
                    centre.staff.add(users[STAFF_USER])
                venues = {v.name: self._venue(centre, v) for v in self._venue_specs(spec)}
                if spec.closed_at_christmas:
                    self._closure(centre, *christmas_break(today))
                for course in spec.courses:
                    self._course(centre, course, venues, users[TRAINER_USER], today)
            activity = activity_load(staff=users[STAFF_USER], trainer=users[TRAINER_USER])
            activity |= appointments_demo_load(staff=users[STAFF_USER])
            activity |= households_demo_load(staff=users[STAFF_USER])
        if any(self.created.values()) or any(activity.values()):
            c, a = self.created, activity
            self.stdout.write(
                f"Created {c['centres']} centres, {c['venues']} venues, {c['courses']} courses "
                f"with {c['sessions']} sessions, {c['closures']} closures and {c['users']} users; "
                f"{a['participants']} demo participants (phones +44 7700 900xxx, reserved for "
                f"fiction) with {a['enrolments']} places and {a['marks']} attendance marks."
            )
        else:
            self.stdout.write("Demo data already loaded: nothing created.")

    def _users(self) -> dict[str, User]:
        user_model = get_user_model()
        group = self._staff_group()
        users: dict[str, User] = {}
        for spec in USERS:
            user = user_model.objects.filter(username=spec.username).first()
            if user is None:
                user = user_model.objects.create_user(
                    username=spec.username,
                    password=spec.password,
                    is_staff=spec.is_staff,
                    is_superuser=spec.is_superuser,
                )
                self.created["users"] += 1
            if spec.in_staff_group:
                user.groups.add(group)
            users[spec.username] = user
        return users

    def _staff_group(self) -> Group:
        group, missing = staff_group_sync()
        if missing:
            raise CommandError("Some model permissions are missing: run `manage.py migrate`.")
        return group

    def _centre(self, spec: CentreSpec) -> Centre:
        centre = Centre.objects.filter(slug=spec.slug).first()
        if centre is not None:
            return centre
        centre = Centre(
            slug=spec.slug,
            name=spec.name,
            network=spec.network,
            address=spec.address,
            city=spec.city,
            voivodeship=spec.voivodeship,
            phone=spec.phone,
            email=spec.email,
            **(translated("opening_hours", spec.opening_hours) if spec.opening_hours else {}),
            **(translated("funding_text", spec.funding) if spec.funding else {}),
            funding_emblem=FundingEmblem.EU if spec.eu_funded else "",
        )
        centre.full_clean()
        centre.save()
        self.created["centres"] += 1
        return centre

    @staticmethod
    def _venue_specs(spec: CentreSpec) -> Iterable[VenueSpec]:
        yield VenueSpec(MAIN_VENUE, city=spec.city, address=spec.address)
        yield from spec.outreach

    def _venue(self, centre: Centre, spec: VenueSpec) -> Venue:
        venue = Venue.objects.filter(centre=centre, name=spec.name).first()
        if venue is not None:
            return venue
        venue = Venue(centre=centre, name=spec.name, address=spec.address, city=spec.city)
        venue.full_clean()
        venue.save()
        self.created["venues"] += 1
        return venue

    def _closure(self, centre: Centre, starts_on: date, ends_on: date) -> None:
        if Closure.objects.filter(centre=centre, starts_on=starts_on).exists():
            return
        closure = Closure(
            centre=centre,
            starts_on=starts_on,
            ends_on=ends_on,
            **translated("reason", CHRISTMAS_BREAK_REASON),
        )
        closure_save(closure=closure)
        self.created["closures"] += 1

    def _course(
        self,
        centre: Centre,
        spec: CourseSpec,
        venues: dict[str, Venue],
        trainer: User,
        today: date,
    ) -> None:
        if Course.objects.filter(centre=centre, slug=spec.slug).exists():
            return
        start = first_date(spec, today)
        _, result = course_create(
            centre=centre,
            slug=spec.slug,
            kind=spec.kind,
            **translated("title", spec.title),
            **translated("description", spec.description),
            audience=spec.audience,
            level=spec.level,
            capacity=spec.capacity,
            booking_mode=spec.booking_mode,
            waitlist_mode=spec.waitlist_mode,
            venue=venues[spec.venue],
            published=True,
            recurrence_text=recurrence_text(spec, start),
            start_date=start,
            start_time=spec.start_time,
            duration_minutes=spec.duration_minutes,
            trainers=[trainer] if spec.trainer else None,
        )
        self.created["courses"] += 1
        self.created["sessions"] += result.created
