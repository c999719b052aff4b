"""Closures: the sessions a closure removes are shown before it is saved; saving and deleting go
through the services; another centre's closure is not hers."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from scheduling.models import Closure
from scheduling.services import closure_save, session_cancel
from tests.factories import ClosureFactory, CourseFactory

pytestmark = pytest.mark.django_db

WINTER = {"starts_on": "2027-01-18", "ends_on": "2027-01-29", "reason": "Ferie zimowe"}


def test_the_preview_names_the_sessions_removed_and_saves_nothing(
    coordinator_client: Client, poznan
) -> None:
    course = CourseFactory(centre=poznan, title_pl="Polski A1")  # Tuesdays from 5 January
    cancelled = course.sessions.order_by("starts_at")[3]  # 26 January
    session_cancel(session=cancelled)
    response = coordinator_client.post(
        "/staff/closures/new/", {**WINTER, "centre": poznan.pk, "preview": "1"}
    )
    assert response.status_code == 200
    removed = response.context["removed"]
    assert [s.starts_at.date() for s in removed] == [date(2027, 1, 19)]  # 26th is cancelled: stays
    assert not Closure.objects.exists()
    assert course.sessions.count() == 10


def test_saving_takes_the_sessions_off(coordinator_client: Client, poznan) -> None:
    course = CourseFactory(centre=poznan)
    response = coordinator_client.post(
        "/staff/closures/new/", {**WINTER, "centre": poznan.pk, "confirm": "1"}
    )
    assert response.status_code == 302
    assert Closure.objects.get().reason == "Ferie zimowe"
    days = {s.starts_at.date() for s in course.sessions.all()}
    assert date(2027, 1, 19) not in days
    assert date(2027, 1, 26) not in days


def test_the_last_day_before_the_first_is_refused_at_the_field(
    coordinator_client: Client, poznan
) -> None:
    response = coordinator_client.post(
        "/staff/closures/new/",
        {"starts_on": "2027-01-29", "ends_on": "2027-01-18", "centre": poznan.pk, "confirm": "1"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"]
    assert not Closure.objects.exists()


def test_she_cannot_close_another_centre(coordinator_client: Client, konin) -> None:
    response = coordinator_client.post(
        "/staff/closures/new/", {**WINTER, "centre": konin.pk, "confirm": "1"}
    )
    assert response.status_code == 400
    assert not Closure.objects.exists()
    theirs = ClosureFactory(centre=konin)
    assert coordinator_client.get(f"/staff/closures/{theirs.pk}/").status_code == 404
    assert coordinator_client.post(f"/staff/closures/{theirs.pk}/delete/").status_code == 404
    assert Closure.objects.filter(pk=theirs.pk).exists()


def test_deleting_brings_the_sessions_back(coordinator_client: Client, poznan) -> None:
    course = CourseFactory(centre=poznan)
    closure = closure_save(closure=ClosureFactory.build(centre=poznan, starts_on=date(2027, 1, 19),
                                                        ends_on=date(2027, 1, 19)))  # fmt: skip
    assert course.sessions.count() == 9
    assert coordinator_client.get(f"/staff/closures/{closure.pk}/delete/").status_code == 200
    assert coordinator_client.post(f"/staff/closures/{closure.pk}/delete/").status_code == 302
    assert course.sessions.count() == 10


def test_the_list_shows_hers_and_every_centres_but_not_others(
    coordinator_client: Client, poznan, konin
) -> None:
    ClosureFactory(centre=poznan, reason="Remont sali")
    ClosureFactory(centre=None, reason="Wszystkie centra")
    ClosureFactory(centre=konin, reason="Konin zamknięty")
    body = coordinator_client.get("/staff/closures/").content.decode()
    assert "Remont sali" in body
    assert "Wszystkie centra" in body
    assert "Konin zamknięty" not in body


def test_a_trainer_has_no_closures_page(trainer_client: Client, trainer_user, poznan) -> None:
    CourseFactory(centre=poznan, trainers=[trainer_user])
    assert trainer_client.get("/staff/closures/").status_code == 404
