"""A course's people as the desk uses them: the lists, finding and enrolling a person, moving
a waiting person with a reason, cancelling with a reason, and the exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import (
    AttendanceStatus,
    AuditAction,
    AuditEntry,
    BookingMode,
    ConsentSource,
    EnrolmentSource,
    EnrolmentStatus,
    Participant,
)
from tests.factories import (
    AttendanceFactory,
    CourseFactory,
    EnrolmentRowFactory,
    ParticipantFactory,
    first_session,
)

pytestmark = pytest.mark.django_db

WAITING = EnrolmentStatus.WAITLISTED


@pytest.fixture
def course(poznan):
    return CourseFactory(centre=poznan, capacity=1, title_pl="Polski A2", slug="polski-a2")


def _url(course, tail: str = "") -> str:
    return f"/staff/courses/{course.pk}/people/{tail}"


def _waiting(course, *names, session=None):
    return [
        EnrolmentRowFactory(course=course, session=session, status=WAITING, participant__name=name)
        for name in names
    ]


def test_the_page_shows_each_list_in_order_with_priorities_offers_and_reasons(
    coordinator_client: Client, course
) -> None:
    EnrolmentRowFactory(course=course, participant__name="Olena Seated")
    EnrolmentRowFactory(
        course=course,
        status=EnrolmentStatus.OFFERED,
        offer_expires_at=timezone.now() + timedelta(hours=5),
        participant__name="Oksana Offered",
    )
    _waiting(course, "Anna First", "Borys Second")
    EnrolmentRowFactory(
        course=course,
        status=WAITING,
        priority=3,
        priority_reason="skierowana przez MOPS",
        participant__name="Celina Priority",
    )
    EnrolmentRowFactory(
        course=course,
        status=EnrolmentStatus.CANCELLED,
        cancel_reason="wyjechała",
        participant__name="Dana Gone",
    )
    AttendanceFactory(
        session=first_session(course),
        participant=ParticipantFactory(centre=course.centre, name="Wojtek Walkin"),
        walk_in=True,
        status=AttendanceStatus.PRESENT,
    )

    page = coordinator_client.get(_url(course)).content.decode()

    assert page.index("Celina Priority") < page.index("Anna First") < page.index("Borys Second")
    assert "skierowana przez MOPS" in page
    assert "Oksana Offered" in page
    assert "14:00" in page  # the offer's deadline: 09:00 + 5 h in Warsaw
    assert "Dana Gone" in page
    assert "wyjechała" in page
    assert "Wojtek Walkin" in page
    assert "Olena Seated" in page


def test_find_by_the_last_digits_of_a_phone_or_by_name_within_the_centre(
    coordinator_client: Client, course, konin
) -> None:
    ParticipantFactory(centre=course.centre, name="Olena Kowal", phone="601 234 567")
    ParticipantFactory(centre=konin, name="Olena Elsewhere", phone="601 234 568")

    by_phone = coordinator_client.get(_url(course), {"q": "234 567"}).content.decode()
    by_name = coordinator_client.get(_url(course), {"q": "olena"}).content.decode()

    assert "Olena Kowal" in by_phone
    assert "Olena Kowal" in by_name
    assert "Elsewhere" not in by_phone + by_name


def test_the_desk_enrols_a_person_found_keeping_their_details(
    coordinator_client: Client, course
) -> None:
    person = ParticipantFactory(
        centre=course.centre, name="Olena Kowal", language="uk", sms_consent=False
    )

    response = coordinator_client.post(
        _url(course, "enrol/"), {"participant": person.pk, "sms_consent": "on"}
    )

    assert response.status_code == 302
    place = course.enrolments.get()
    assert (place.participant, place.status, place.source) == (
        person,
        EnrolmentStatus.CONFIRMED,
        EnrolmentSource.STAFF,
    )
    person.refresh_from_db()
    assert (person.language, person.sms_consent, person.sms_consent_source) == (
        "uk",
        True,
        ConsentSource.DESK,
    )


def test_a_walk_in_added_at_the_desk_waits_when_the_course_is_full(
    coordinator_client: Client, course
) -> None:
    EnrolmentRowFactory(course=course)

    response = coordinator_client.post(
        _url(course, "enrol/"),
        {
            "name": "Nowa Osoba",
            "country": "UA",
            "phone": "50 123 4567",
            "language": "uk",
            "sms_consent": "on",
            "walk_in": "on",
        },
        follow=True,
    )

    assert "Nowa Osoba" in response.content.decode()
    person = Participant.objects.get(name="Nowa Osoba")
    assert person.phone == "+380501234567"
    assert person.sms_consent_source == ConsentSource.WALK_IN
    place = course.enrolments.get(participant=person)
    assert (place.status, place.source) == (WAITING, EnrolmentSource.WALK_IN)


def test_a_mistyped_phone_keeps_what_was_typed_shows_the_error_at_the_field_and_stores_nothing(
    coordinator_client: Client, course
) -> None:
    response = coordinator_client.post(
        _url(course, "enrol/"),
        {"name": "Nowa Osoba", "country": "PL", "phone": "12", "language": "pl"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Nowa Osoba"' in page
    assert 'id="id_phone_error"' in page
    assert not Participant.objects.filter(name="Nowa Osoba").exists()
    assert not course.enrolments.exists()


def test_someone_already_enrolled_is_told_and_not_enrolled_twice(
    coordinator_client: Client, course
) -> None:
    place = EnrolmentRowFactory(course=course, participant__name="Olena Kowal")

    response = coordinator_client.post(
        _url(course, "enrol/"), {"participant": place.participant.pk}
    )

    assert response.status_code == 400
    assert course.enrolments.count() == 1


def test_staff_move_a_waiting_person_up_with_a_reason(coordinator_client: Client, course) -> None:
    EnrolmentRowFactory(course=course)
    _anna, borys = _waiting(course, "Anna First", "Borys Second")

    response = coordinator_client.post(
        f"/staff/places/{borys.pk}/move/",
        {"direction": "up", "reason": "skierowany przez urząd"},
        follow=True,
    )

    page = response.content.decode()
    assert page.index("Borys Second") < page.index("Anna First")
    assert "skierowany przez urząd" in page
    borys.refresh_from_db()
    assert borys.priority_reason == "skierowany przez urząd"
    assert AuditEntry.objects.filter(action=AuditAction.ENROLMENT_CHANGED).count() == 1


def test_a_move_without_a_reason_is_refused_at_the_field_and_changes_nothing(
    coordinator_client: Client, course
) -> None:
    _anna, borys = _waiting(course, "Anna First", "Borys Second")

    response = coordinator_client.post(
        f"/staff/places/{borys.pk}/move/", {"direction": "up", "reason": ""}
    )

    assert response.status_code == 400
    assert f'id="reason-{borys.pk}"' in response.content.decode()
    borys.refresh_from_db()
    assert borys.priority == 0
    assert not AuditEntry.objects.exists()


def test_cancel_with_a_reason_passes_the_seat_on(coordinator_client: Client, course) -> None:
    seated = EnrolmentRowFactory(course=course, participant__name="Olena Seated")
    (anna,) = _waiting(course, "Anna First")
    url = f"/staff/places/{seated.pk}/cancel/"
    assert "Olena Seated" in coordinator_client.get(url).content.decode()

    refused = coordinator_client.post(url, {"reason": ""})
    assert refused.status_code == 400
    seated.refresh_from_db()
    assert seated.status == EnrolmentStatus.CONFIRMED

    coordinator_client.post(url, {"reason": "znalazła pracę"})

    seated.refresh_from_db()
    anna.refresh_from_db()
    assert (seated.status, seated.cancel_reason) == (EnrolmentStatus.CANCELLED, "znalazła pracę")
    assert anna.status in (EnrolmentStatus.CONFIRMED, EnrolmentStatus.OFFERED)


def test_the_exports_are_formula_safe_and_audited(coordinator_client: Client, course) -> None:
    EnrolmentRowFactory(course=course, participant__name='=HYPERLINK("http://x")')
    EnrolmentRowFactory(
        course=course, status=WAITING, priority_reason="+pilne", participant__name="Anna"
    )

    response = coordinator_client.get(_url(course, "export/"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'+pilne" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert "polski-a2" in response["Content-Disposition"]

    response = coordinator_client.get(_url(course, "export/"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(v.startswith(("=", "+", "@")) for v in values)

    assert AuditEntry.objects.filter(action=AuditAction.REPORT_EXPORTED).count() == 2
    assert coordinator_client.get(_url(course, "export/"), {"format": "pdf"}).status_code == 404


def test_a_course_booked_per_session_lists_its_sessions_and_each_session_its_people(
    coordinator_client: Client, poznan
) -> None:
    course = CourseFactory(centre=poznan, capacity=1, booking_mode=BookingMode.SESSION)
    session = first_session(course)
    EnrolmentRowFactory(course=course, session=session, participant__name="Olena Seated")

    listing = coordinator_client.get(_url(course)).content.decode()
    assert f"/staff/sessions/{session.pk}/people/" in listing
    assert "/people/enrol/" not in listing  # a place is in one session

    response = coordinator_client.post(
        f"/staff/sessions/{session.pk}/people/enrol/",
        {"name": "Nowa Osoba", "country": "PL", "phone": "601000777", "language": "pl"},
    )
    assert response.status_code == 302
    place = course.enrolments.get(participant__name="Nowa Osoba")
    assert (place.session, place.status) == (session, WAITING)
    assert "Olena Seated" in coordinator_client.get(response["Location"]).content.decode()


def test_a_session_of_a_course_booked_whole_sends_to_the_courses_people(
    coordinator_client: Client, course
) -> None:
    session = first_session(course)
    response = coordinator_client.get(f"/staff/sessions/{session.pk}/people/")
    assert response.status_code == 302
    assert response["Location"] == _url(course)


def test_the_people_page_is_linked_from_the_course_and_from_today(
    coordinator_client: Client, course
) -> None:
    _waiting(course, "Anna First")
    assert _url(course) in coordinator_client.get(f"/staff/courses/{course.pk}/").content.decode()
    assert _url(course) in coordinator_client.get("/staff/").content.decode()


def test_names_lead_to_the_persons_page_and_a_message_can_be_written_to_them(
    coordinator_client: Client, trainer_client: Client, course, trainer_user
) -> None:
    place = EnrolmentRowFactory(course=course, participant__name="Olena Seated")
    course.trainers.add(trainer_user)
    person_url = f"/staff/people/{place.participant.pk}/"

    page = coordinator_client.get(_url(course)).content.decode()
    assert person_url in page
    assert f"/staff/courses/{course.pk}/messages/" in page

    read_only = trainer_client.get(_url(course)).content.decode()
    assert person_url not in read_only
    assert "/messages/" not in read_only
