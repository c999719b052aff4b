"""The appointments' admin (read only) shows a centre's staff nothing of another centre: not its
appointments, blocked slots, day waitlists, interpreters or specialists' languages, in a list,
a list filter or an opened record (not found, as an id that does not exist)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from appointments.models import (
    BlockedSlot,
    DayWaitlistEntry,
    Interpreter,
    SpecialistLanguage,
)
from appointments.services.booking import appointment_book
from courses.services.participants import ParticipantData
from tests.appointments.helpers import interpreter, slot_course, specialist

pytestmark = pytest.mark.django_db

SECRET = "Tajna Konina"


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(content_type__app_label="appointments")


@pytest.fixture
def theirs(other_centre: Any) -> dict[str, Any]:
    lawyer = specialist("prawniczka-konin", "ka")
    course = slot_course(other_centre, trainers=[lawyer], title_pl=f"{SECRET} porada")
    helper = interpreter(other_centre, "ka", name=f"{SECRET} tłumaczka")
    session = course.sessions.order_by("starts_at").first()
    booked = appointment_book(
        course=course,
        starts_at=session.starts_at,
        language="ka",
        person=ParticipantData(name=f"{SECRET} osoba", phone="+48698000007", sms_consent=True),
        verified=True,
    )
    BlockedSlot.objects.create(
        session=session, starts_at=session.ends_at.replace(minute=0), reason=SECRET
    )
    DayWaitlistEntry.objects.create(
        session=session, participant=booked.participant, language="pl", source="web"
    )
    return {"appointment": booked, "interpreter": helper, "lawyer": lawyer}


URLS = [
    "/admin/appointments/appointment/",
    "/admin/appointments/blockedslot/",
    "/admin/appointments/daywaitlistentry/",
    "/admin/appointments/interpreter/",
    "/admin/appointments/specialistlanguage/",
]


@pytest.mark.parametrize("url", URLS)
def test_the_lists_show_nothing_of_another_centre(staff_client, theirs, url) -> None:
    response = staff_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET not in html
    assert "CIC Konin" not in html
    assert "prawniczka-konin" not in html


def test_another_centres_records_are_not_found(staff_client, theirs) -> None:
    records = {
        "appointment": theirs["appointment"].pk,
        "interpreter": theirs["interpreter"].pk,
        "specialistlanguage": SpecialistLanguage.objects.get(user=theirs["lawyer"]).pk,
    }
    for model, pk in records.items():
        response = staff_client.get(f"/admin/appointments/{model}/{pk}/change/")
        assert response.status_code == 302, model  # "does not exist": back to the admin
        assert SECRET not in staff_client.get(response["Location"]).content.decode()
    assert Interpreter.objects.filter(pk=theirs["interpreter"].pk).exists()


@pytest.mark.parametrize("url", URLS[:4])
def test_superusers_see_them(client, superuser, theirs, url) -> None:
    client.force_login(superuser)

    assert SECRET in client.get(url).content.decode()
