"""The course editor: every field in sections, the schedule builder and its preview (holidays and
closures named) before anything is saved, the RFC 5545 text kept in step; her centres only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from courses.models import Course
from scheduling.services import closure_save
from tests.factories import ClosureFactory, CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _a2(centre: Any, **changes: Any) -> dict[str, Any]:
    """Polish A2, Tuesdays and Thursdays 17:30-19:00 from 2 February to 30 June 2027."""
    return {
        "title_pl": "Polski A2",
        "title_uk": "Польська A2",
        "slug": "polski-a2",
        "kind": "polish_course",
        "audience": "adults",
        "level": "A2",
        "centre": centre.pk,
        "start_date": "2027-02-02",
        "start_time": "17:30",
        "duration_minutes": "90",
        "weekdays": ["TU", "TH"],
        "interval": "1",
        "ends": "until",
        "until": "2027-06-30",
        "skip_public_holidays": "on",
        "capacity": "16",
        "booking_mode": "course",
        "waitlist_mode": "offer",
        "offer_hours": "24",
        "reminder_hours": "24",
        "enrolment_open": "on",
        **changes,
    }


def test_the_preview_names_the_holidays_and_closures_and_saves_nothing(
    coordinator_client: Client, poznan
) -> None:
    days = {"starts_on": date(2027, 2, 15), "ends_on": date(2027, 2, 26)}
    closure_save(closure=ClosureFactory.build(centre=poznan, reason="Ferie zimowe", **days))
    response = coordinator_client.post("/staff/courses/new/", {**_a2(poznan), "preview": "1"})
    assert response.status_code == 200
    preview = response.context["preview"]
    skipped = {(s.date, s.reason, s.name) for s in preview.skipped}
    assert (date(2027, 5, 27), "holiday", "Dzień Bożego Ciała") in skipped
    assert (date(2027, 2, 16), "closure", "Ferie zimowe") in skipped
    assert preview.total == len(preview.sessions) == 38
    body = response.content.decode()
    assert "Boże" in body
    assert "Ferie zimowe" in body
    # the advanced text follows the builder
    assert response.context["form"]["recurrence_text"].value() == (
        "RRULE:FREQ=WEEKLY;UNTIL=20270630;BYDAY=TU,TH"
    )
    assert not Course.objects.exists()


def test_saving_makes_the_course_with_every_field_and_its_sessions(
    coordinator_client: Client, poznan
) -> None:
    anna = UserFactory(username="anna", staff_of=[poznan])
    data = _a2(poznan, trainers=[anna.pk], sensitive="on", save="1")
    del data["enrolment_open"]
    response = coordinator_client.post("/staff/courses/new/", data)
    assert response.status_code == 302
    course = Course.objects.get()
    assert response["Location"] == f"/staff/courses/{course.pk}/"
    assert (course.title_pl, course.title_uk) == ("Polski A2", "Польська A2")
    assert course.sensitive
    assert not course.enrolment_open
    assert course.reminder_hours == "24"
    assert not course.published
    assert list(course.trainers.all()) == [anna]
    assert course.sessions.count() == 42
    assert date(2027, 5, 27) not in {s.starts_at.date() for s in course.sessions.all()}


def test_a_rule_typed_as_text_fills_the_builder(coordinator_client: Client, poznan) -> None:
    data = _a2(poznan, use_text="on", recurrence_text="RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5",
               preview="1", weekdays=[], start_date="2027-02-01")  # fmt: skip
    response = coordinator_client.post("/staff/courses/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["weekdays"].value() == ["MO"]
    assert form["ends"].value() == "count"
    assert response.context["preview"].total == 5


def test_no_weekday_is_refused_at_the_field_and_nothing_is_saved(
    coordinator_client: Client, poznan
) -> None:
    response = coordinator_client.post("/staff/courses/new/", _a2(poznan, weekdays=[], save="1"))
    assert response.status_code == 400
    assert response.context["form"].errors["weekdays"]
    assert not Course.objects.exists()


def test_a_bad_rule_text_is_refused_at_the_text(coordinator_client: Client, poznan) -> None:
    data = _a2(poznan, use_text="on", recurrence_text="RRULE:FREQ=SOMETIMES", save="1")
    response = coordinator_client.post("/staff/courses/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["recurrence_text"]
    assert not Course.objects.exists()


def test_editing_changes_the_three_settings_no_one_could_change(
    coordinator_client: Client, poznan
) -> None:
    course = CourseFactory(centre=poznan, slug="polski-a2", title_pl="Polski A2")
    page = coordinator_client.get(f"/staff/courses/{course.pk}/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form["weekdays"].value() == ["TU"]
    assert form["count"].value() == "10"
    data = {k: v for k, v in _a2(poznan).items() if k not in ("enrolment_open",)}
    data.update(start_date="2027-01-05", weekdays=["TU"], ends="count", count="10",
                reminder_hours="2", sensitive="on", published="on", save="1")  # fmt: skip
    response = coordinator_client.post(f"/staff/courses/{course.pk}/", data)
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.sensitive, course.enrolment_open, course.reminder_hours) == (True, False, "2")
    assert course.published


def test_another_centre_is_not_hers(coordinator_client: Client, poznan, konin) -> None:
    other = CourseFactory(centre=konin)
    assert coordinator_client.get(f"/staff/courses/{other.pk}/").status_code == 404
    assert coordinator_client.post(f"/staff/courses/{other.pk}/", _a2(konin)).status_code == 404
    response = coordinator_client.post("/staff/courses/new/", {**_a2(konin), "save": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["centre"]
    assert konin.courses.count() == 1


def test_a_trainer_reads_their_course_and_changes_nothing(
    trainer_client: Client, trainer_user, poznan
) -> None:
    course = CourseFactory(centre=poznan, trainers=[trainer_user], title_pl="Mój kurs")
    page = trainer_client.get(f"/staff/courses/{course.pk}/")
    assert page.status_code == 200
    assert 'name="save"' not in page.content.decode()
    assert (
        trainer_client.post(
            f"/staff/courses/{course.pk}/", {**_a2(poznan), "save": "1"}
        ).status_code
        == 403
    )
    assert trainer_client.get("/staff/courses/new/").status_code == 404
    course.refresh_from_db()
    assert course.title_pl == "Mój kurs"
