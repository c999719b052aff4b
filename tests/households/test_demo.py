"""The demo has households: a children's workshop with places per booking and ages, a Polish
class with its childcare at the same times, and family bookings in both."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from courses.models import Course, Enrolment, PartyMember

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_family_workshop_a_class_with_childcare_and_family_bookings() -> None:
    call_command("load_demo", stdout=StringIO())

    workshop = Course.objects.get(centre__slug="cic-poznan", slug="warsztaty-rodzinne")
    assert (workshop.max_party, workshop.min_age, workshop.max_age) == (3, 6, 12)
    polish = Course.objects.get(centre__slug="cic-poznan", slug="polski-dla-rodzicow")
    care = polish.childcare
    assert care is not None
    assert care.max_age == 10
    assert list(polish.sessions.values_list("starts_at", flat=True)) == list(
        care.sessions.values_list("starts_at", flat=True)
    )
    family = Enrolment.objects.filter(course=workshop, places__gt=1)
    assert family.exists()
    mother = Enrolment.objects.get(course=polish)
    children = Enrolment.objects.get(course=care, childcare_of=mother)
    assert children.places == 2
    assert PartyMember.objects.filter(enrolment=children).count() == 2

    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "nothing created" in again.getvalue()
