"""The admin shows centre staff nothing of other centres: not in a picker, a list filter or a
list. Trainers are chosen among the staff of the user's centres and the trainers of their
courses; a private calendar link (which shows every course of its trainer, published or not)
only for a trainer who teaches in the user's centres alone; the SMS opt-out list only holds
the numbers of the user's centres' people. Superusers see everything."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from scheduling.models import CalendarToken
from tests.factories import (
    CalendarTokenFactory,
    CourseFactory,
    EnrolmentFactory,
    EnrolmentRowFactory,
    OutboundMessageFactory,
    PhoneOptOutFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SECRET = "Tajny kurs Konina"


@pytest.fixture
def staff_permissions():
    """Every permission of the three apps (none of django.contrib.auth's)."""
    return Permission.objects.filter(
        content_type__app_label__in=["courses", "scheduling", "notifications"]
    )


@pytest.fixture
def world(centre, other_centre, staff_user) -> dict[str, Any]:
    people = {
        name: UserFactory(username=name)
        for name in ("our-trainer", "our-colleague", "their-trainer", "shared-trainer", "nobody")
    }
    centre.staff.add(people["our-colleague"])
    ours = CourseFactory(
        centre=centre,
        slug="nasz",
        title_pl="Nasz kurs",
        trainers=[people["our-trainer"], people["shared-trainer"]],
    )
    CourseFactory(centre=centre, slug="bez-trenera", title_pl="Kurs bez trenera")
    secret = CourseFactory(
        centre=other_centre,
        slug="tajny",
        title_pl=SECRET,
        published=False,
        trainers=[people["their-trainer"], people["shared-trainer"]],
    )
    our_place = EnrolmentFactory(course=ours)
    their_place = EnrolmentRowFactory(course=secret)  # unpublished: a bare row
    OutboundMessageFactory(participant=their_place.participant, enrolment=their_place)
    PhoneOptOutFactory(phone=our_place.participant.phone)
    PhoneOptOutFactory(phone=their_place.participant.phone)
    PhoneOptOutFactory(phone="+48699123123")  # nobody's: a STOP from an unknown number
    return {**people, "ours": ours, "secret": secret, "our": our_place, "their": their_place}


def _choices(response: Any, field: str) -> set[str]:
    form = response.context["adminform"].form
    return {str(user) for user in form.fields[field].queryset}


def test_the_trainer_picker_offers_only_our_staff_and_trainers(staff_client, world) -> None:
    for url in ("/admin/courses/course/add/", f"/admin/courses/course/{world['ours'].pk}/change/"):
        choices = _choices(staff_client.get(url), "trainers")
        assert choices == {"staff-poznan", "our-colleague", "our-trainer", "shared-trainer"}


def test_superusers_pick_any_trainer(client, superuser, world) -> None:
    client.force_login(superuser)
    choices = _choices(client.get("/admin/courses/course/add/"), "trainers")
    assert {"their-trainer", "nobody"} <= choices


def test_another_centres_trainer_cannot_be_made_ours(staff_api, world) -> None:
    url = f"/api/v1/courses/{world['ours'].pk}/"
    refused = staff_api.patch(url, {"trainers": [world["their-trainer"].pk]}, format="json")
    assert refused.status_code == 400
    assert "trainers" in refused.json()
    done = staff_api.patch(url, {"trainers": [world["our-colleague"].pk]}, format="json")
    assert done.status_code == 200, done.json()


def test_private_links_only_for_trainers_who_teach_only_with_us(staff_client, world) -> None:
    add = "/admin/scheduling/calendartoken/add/"
    assert _choices(staff_client.get(add), "user") == {"our-trainer"}
    refused = staff_client.post(add, {"user": world["shared-trainer"].pk})
    assert refused.status_code == 200  # the form says the choice is not available
    assert not CalendarToken.objects.exists()
    assert staff_client.post(add, {"user": world["our-trainer"].pk}).status_code == 302
    assert CalendarToken.objects.get().user == world["our-trainer"]


def test_a_shared_trainers_link_is_not_shown_to_one_centres_staff(staff_client, world) -> None:
    token = CalendarTokenFactory(user=world["shared-trainer"])  # made by a superuser
    html = staff_client.get("/admin/scheduling/calendartoken/").content.decode()
    assert token.token not in html
    assert "shared-trainer" not in html
    opened = staff_client.get(f"/admin/scheduling/calendartoken/{token.pk}/change/")
    assert opened.status_code == 302  # "doesn't exist"


def test_a_trainers_feed_shows_only_what_they_teach(client, world) -> None:
    for trainer, expected in (
        ("our-trainer", {"Nasz kurs"}),
        ("shared-trainer", {"Nasz kurs", SECRET}),
        ("our-colleague", set()),  # staff of the centre, teaching nothing
    ):
        token = CalendarTokenFactory(user=world[trainer]).token
        body = client.get(f"/calendars/private/{token}.ics").content.decode()
        found = {t for t in ("Nasz kurs", "Kurs bez trenera", SECRET) if t in body}
        assert found == expected, trainer


def test_the_opt_out_list_holds_only_our_peoples_numbers(staff_client, world) -> None:
    ours, theirs = world["our"].participant.phone, world["their"].participant.phone
    html = staff_client.get("/admin/notifications/phoneoptout/").content.decode()
    assert ours in html
    assert theirs not in html
    assert "+48699123123" not in html
    found = staff_client.get("/admin/notifications/phoneoptout/", {"q": theirs})
    assert found.context["cl"].result_count == 0


def test_superusers_see_every_opted_out_number(client, superuser, world) -> None:
    client.force_login(superuser)
    html = client.get("/admin/notifications/phoneoptout/").content.decode()
    assert world["their"].participant.phone in html
    assert "+48699123123" in html


CHANGELISTS = [
    "/admin/courses/course/",
    "/admin/courses/venue/",
    "/admin/courses/participant/",
    "/admin/courses/enrolment/",
    "/admin/courses/auditentry/",
    "/admin/scheduling/session/",
    "/admin/scheduling/closure/",
    "/admin/scheduling/calendartoken/",
    "/admin/notifications/outboundmessage/",
    "/admin/notifications/phoneoptout/",
]


@pytest.mark.parametrize("url", CHANGELISTS)
def test_list_filters_offer_only_our_centres_and_courses(staff_client, world, url) -> None:
    response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CIC Konin" not in html
    assert SECRET not in html
    assert "their-trainer" not in html


@pytest.mark.parametrize(
    "url", ["/admin/courses/enrolment/", "/admin/notifications/outboundmessage/"]
)
def test_superusers_filter_by_every_centre_and_course(client, superuser, world, url) -> None:
    client.force_login(superuser)
    html = client.get(url).content.decode()
    assert "CIC Konin" in html
    assert SECRET in html


def test_participants_of_other_centres_are_not_found_by_phone(staff_client, world) -> None:
    phone = world["their"].participant.phone
    for url in ("/admin/courses/participant/", "/admin/courses/enrolment/"):
        assert staff_client.get(url, {"q": phone}).context["cl"].result_count == 0
    ours = world["our"].participant.phone
    found = staff_client.get("/admin/courses/participant/", {"q": ours})
    assert found.context["cl"].result_count == 1
