"""The audit log: what staff did to participants and enrolments (who, what, which fields, never
the values), read only, and each centre's staff see only their centre's entries."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth.models import Permission

from courses.models import AuditAction, AuditEntry, Enrolment, EnrolmentStatus, Participant
from tests.factories import AuditEntryFactory, CourseFactory, ParticipantFactory
from tests.verification import api_enrol

pytestmark = pytest.mark.django_db
PARTICIPANTS = "/admin/courses/participant/"
AUDIT = "/admin/courses/auditentry/"


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(
        content_type__app_label="courses",
        codename__in=[
            "view_participant",
            "add_participant",
            "change_participant",
            "view_enrolment",
            "add_enrolment",
            "change_enrolment",
            "view_auditentry",
            "add_auditentry",
            "change_auditentry",
            "delete_auditentry",
        ],
    )


@pytest.fixture
def olena(centre) -> Participant:
    return ParticipantFactory(centre=centre, name="Olena Kowalenko", phone="+48601000001")


def participant_form(participant: Participant, **changes: str) -> dict:
    return {
        "centre": participant.centre_id,
        "name": participant.name,
        "phone": participant.phone,
        "language": participant.language,
        "email": participant.email,
        "country_of_origin": participant.country_of_origin,
        "birth_year": participant.birth_year or "",
        "sex": participant.sex,
        "messages-TOTAL_FORMS": "0",
        "messages-INITIAL_FORMS": "0",
        "messages-MIN_NUM_FORMS": "0",
        "messages-MAX_NUM_FORMS": "0",
        # the person's places, listed read-only on the change page
        "enrolments-TOTAL_FORMS": "0",
        "enrolments-INITIAL_FORMS": "0",
        "enrolments-MIN_NUM_FORMS": "0",
        "enrolments-MAX_NUM_FORMS": "0",
        **changes,
    }


def test_changing_a_participant_records_the_changed_fields_not_the_values(
    staff_client, olena
) -> None:
    response = staff_client.post(
        f"{PARTICIPANTS}{olena.pk}/change/",
        participant_form(olena, language="uk", country_of_origin="UA"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.PARTICIPANT_CHANGED
    assert entry.detail == {"fields": ["country_of_origin", "language"]}
    assert entry.actor_name == "staff-poznan"
    assert entry.centre == olena.centre
    assert entry.participant == olena
    assert "Olena" not in json.dumps(entry.detail)


def test_saving_without_a_change_records_nothing(staff_client, olena) -> None:
    staff_client.post(f"{PARTICIPANTS}{olena.pk}/change/", participant_form(olena))
    assert not AuditEntry.objects.exists()


def test_adding_a_participant_is_recorded(staff_client, centre) -> None:
    form = participant_form(Participant(centre=centre, name="Ivan", phone="+48601000002"))
    assert staff_client.post(f"{PARTICIPANTS}add/", form).status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.PARTICIPANT_CREATED
    assert entry.participant == Participant.objects.get(name="Ivan")
    assert "name" in entry.detail["fields"]


def test_desk_enrolment_and_staff_cancel_are_recorded(staff_client, centre) -> None:
    course = CourseFactory(centre=centre, capacity=5, start_date=date(2027, 1, 5))
    response = staff_client.post(
        "/admin/courses/enrolment/add/",
        {
            "course": course.pk,
            "name": "Ivan Petrenko",
            "country": "PL",
            "phone": "601 000 002",
            "language": "uk",
            "priority": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "events-MIN_NUM_FORMS": "0",
            "events-MAX_NUM_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    enrolment = Enrolment.objects.get()
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == [AuditAction.ENROLMENT_CREATED, AuditAction.PARTICIPANT_CREATED]
    created = AuditEntry.objects.get(action=AuditAction.ENROLMENT_CREATED)
    assert created.detail["status"] == EnrolmentStatus.CONFIRMED
    assert created.target_id == enrolment.pk

    staff_client.post(
        "/admin/courses/enrolment/",
        {"action": "cancel_enrolments", "_selected_action": [enrolment.pk]},
    )
    changed = AuditEntry.objects.get(action=AuditAction.ENROLMENT_CHANGED)
    assert changed.detail == {"from": "confirmed", "to": "cancelled"}
    assert changed.participant == enrolment.participant
    assert "Ivan" not in json.dumps([e.detail for e in AuditEntry.objects.all()])


def test_the_audit_log_shows_only_the_centres_the_user_manages(staff_client, centre) -> None:
    AuditEntryFactory(centre=centre)  # by "actor-cic-poznan"
    AuditEntryFactory(centre__slug="elsewhere")  # by "actor-elsewhere"
    html = staff_client.get(AUDIT).content.decode()
    assert "actor-cic-poznan" in html
    assert "actor-elsewhere" not in html
    other = AuditEntry.objects.get(actor_name="actor-elsewhere")
    response = staff_client.get(f"{AUDIT}{other.pk}/change/")
    assert response.status_code == 302  # "does not exist" for them


def test_a_superuser_sees_every_entry(client, centre, superuser) -> None:
    AuditEntryFactory(centre=centre)
    AuditEntryFactory(centre__slug="elsewhere")
    client.force_login(superuser)
    html = client.get(AUDIT).content.decode()
    assert "actor-cic-poznan" in html
    assert "actor-elsewhere" in html


def test_the_audit_log_is_read_only_even_with_every_permission(staff_client, centre) -> None:
    mine = AuditEntryFactory(centre=centre, action=AuditAction.PARTICIPANT_CHANGED)
    assert staff_client.get(f"{AUDIT}add/").status_code == 403
    page = staff_client.get(f"{AUDIT}{mine.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    staff_client.post(f"{AUDIT}{mine.pk}/change/", {"action": "report.exported"})
    assert staff_client.get(f"{AUDIT}{mine.pk}/delete/").status_code == 403
    staff_client.post(AUDIT, {"action": "delete_selected", "_selected_action": [mine.pk]})
    mine.refresh_from_db()
    assert mine.action == AuditAction.PARTICIPANT_CHANGED


def test_the_audit_log_filters_by_action_centre_and_date(staff_client, centre, olena) -> None:
    AuditEntryFactory(centre=centre, participant=olena, action=AuditAction.PARTICIPANT_ERASED)
    AuditEntryFactory(centre=centre, participant=olena, action=AuditAction.PARTICIPANT_EXPORTED)
    html = staff_client.get(f"{AUDIT}?action=participant.erased", HTTP_ACCEPT_LANGUAGE="en")
    text = html.content.decode()
    assert text.count('<td class="field-action">') == 1
    assert '<td class="field-action">Participant erased' in text
    assert staff_client.get(f"{AUDIT}?centre__id__exact={centre.pk}").status_code == 200
    assert staff_client.get(f"{AUDIT}?at__year=2020").status_code == 200


def test_staff_enrolment_and_cancel_through_the_api_are_recorded(staff_api, centre) -> None:
    course = CourseFactory(centre=centre, capacity=5, start_date=date(2027, 1, 5))
    response = staff_api.post(
        "/api/v1/enrolments/",
        {"course": course.pk, "participant": {"name": "Ivan", "phone": "601 000 002"}},
        format="json",
    )
    assert response.status_code == 201
    created = AuditEntry.objects.get(action=AuditAction.ENROLMENT_CREATED)
    assert created.target_id == response.json()["id"]
    assert created.actor_name == "staff-poznan"
    added = AuditEntry.objects.get(action=AuditAction.PARTICIPANT_CREATED)
    assert added.detail == {"via": "api"}
    assert added.participant == created.participant
    staff_api.post(f"/api/v1/enrolments/{response.json()['id']}/cancel/")
    changed = AuditEntry.objects.get(action=AuditAction.ENROLMENT_CHANGED)
    assert changed.detail == {"from": "confirmed", "to": "cancelled"}


def test_a_person_enrolling_themselves_leaves_no_audit_entry(api, centre) -> None:
    course = CourseFactory(centre=centre, capacity=5, start_date=date(2027, 1, 5))
    response = api_enrol(
        api,
        {
            "course": course.pk,
            "participant": {"name": "Ivan", "phone": "601 000 002", "sms_consent": True},
        },
    )
    assert response.status_code == 201
    assert not AuditEntry.objects.exists()
