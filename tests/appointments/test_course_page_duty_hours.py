"""A slot-booked consultation's public page lists the duty hours within its booking window
(not a year of them) with a button to book, in as many queries for a year of duty hours as for
a month."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from courses.models import Course
from tests.appointments.helpers import slot_course

pytestmark = pytest.mark.django_db


def uk(text: str) -> str:
    with translation.override("uk"):
        return translation.gettext(text)


def _page(client: Client, course: Course) -> str:
    response = client.get(course.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 200
    return response.content.decode()


def test_only_the_duty_hours_one_can_book_are_listed(client: Client, centre: Any, lawyer) -> None:
    course = slot_course(centre, trainers=[lawyer], weeks=52, booking_window_days=21)
    bookable = course.sessions.filter(starts_at__lt=timezone.now() + timedelta(days=21))
    html = _page(client, course)
    assert html.count('<li class="session') == bookable.count() < 4
    assert uk("Next duty hours") in html
    book = f'href="/centres/{centre.slug}/courses/{course.slug}/book/"'
    assert book in html
    assert uk("Choose a free time and book") in html


def test_a_long_window_lists_a_few_weeks_at_most(client: Client, centre: Any, lawyer) -> None:
    course = slot_course(centre, trainers=[lawyer], weeks=52, booking_window_days=365)
    assert _page(client, course).count('<li class="session') == 12


def test_a_year_of_duty_hours_costs_the_queries_of_a_month(
    client: Client, centre: Any, lawyer, django_assert_num_queries: Any
) -> None:
    month = slot_course(centre, trainers=[lawyer], weeks=4, slug="miesiac")
    year = slot_course(centre, trainers=[lawyer], weeks=52, slug="rok")
    _page(client, month)  # warm: translations, the site's caches
    with CaptureQueriesContext(connection) as small:
        _page(client, month)
    with django_assert_num_queries(len(small.captured_queries)):
        _page(client, year)
