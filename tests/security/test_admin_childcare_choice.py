"""The course admin's families and slots sections: the childcare is chosen among the courses of
the user's centres only (another centre's course is neither listed nor accepted); superusers
choose among all."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(content_type__app_label="courses")


@pytest.fixture
def courses(centre: Any, other_centre: Any) -> dict[str, Any]:
    return {
        "class": CourseFactory(centre=centre, slug="polski", title_pl="Polski dla mam"),
        "care": CourseFactory(centre=centre, slug="opieka", title_pl="Opieka Poznań"),
        "theirs": CourseFactory(
            centre=other_centre, slug="tajna", title_pl="Tajna opieka Konina", published=False
        ),
    }


def _choices(response: Any) -> set[str]:
    form = response.context["adminform"].form
    return {course.title for course in form.fields["childcare"].queryset}


def test_the_childcare_picker_offers_only_our_centres_courses(staff_client, courses) -> None:
    response = staff_client.get(f"/admin/courses/course/{courses['class'].pk}/change/")

    assert response.status_code == 200
    assert "Opieka Poznań" in _choices(response)
    assert "Tajna opieka Konina" not in _choices(response)
    assert "Tajna opieka Konina" not in response.content.decode()
    assert "max_party" in response.context["adminform"].form.fields
    assert "slot_minutes" in response.context["adminform"].form.fields


def test_superusers_pick_any_childcare(client, superuser, courses) -> None:
    client.force_login(superuser)

    response = client.get(f"/admin/courses/course/{courses['class'].pk}/change/")

    assert "Tajna opieka Konina" in _choices(response)
