"""A person's data anonymised after long inactivity (retention); after an erasure, the admin's
history without the name and late SMS reports without an empty number; a superuser's desk
enrolment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from courses.models import (
    Attendance,
    AuditAction,
    AuditEntry,
    Enrolment,
    Participant,
)
from courses.services import privacy
from notifications.models import MessageStatus, OutboundMessage, PhoneOptOut
from notifications.services import optout
from tests.courses.privacy.people import NOW, UK_SMS
from tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- retention ---------------------------------------------------------------------------------


def _age(participant: Participant, days: int) -> None:
    """Everything about the person happened `days` ago."""
    then = NOW - timedelta(days=days)
    Participant.objects.filter(pk=participant.pk).update(created_at=then)
    Enrolment.objects.filter(participant=participant).update(updated_at=then)
    Attendance.objects.filter(participant=participant).update(marked_at=then)


def test_retention_erases_people_inactive_for_longer_than_the_period(
    settings, centre, olena, django_assert_num_queries
) -> None:
    settings.PRIVACY_RETENTION_MONTHS = 24
    idle = ParticipantFactory(centre=centre, name="Dawno Temu", phone="+48601000003", **UK_SMS)
    _age(idle, 800)
    _age(olena, 800)
    Attendance.objects.filter(participant=olena).update(marked_at=NOW - timedelta(days=30))
    with django_assert_num_queries(1):
        found = list(privacy.participants_inactive(before=NOW - timedelta(days=730)))
    assert found == [idle]

    assert privacy.participants_retention() == 1
    idle.refresh_from_db()
    olena.refresh_from_db()
    assert idle.erased_at is not None
    assert idle.name == ""
    assert olena.erased_at is None
    assert privacy.participants_retention() == 0  # the erased are not erased again
    entry = AuditEntry.objects.get(action=AuditAction.PARTICIPANT_ERASED, participant=idle)
    assert (entry.actor, entry.actor_name, entry.detail["reason"]) == (None, "system", "retention")


def test_a_recent_enrolment_change_keeps_a_person(settings, olena) -> None:
    settings.PRIVACY_RETENTION_MONTHS = 24
    _age(olena, 800)
    Enrolment.objects.filter(participant=olena).update(updated_at=NOW - timedelta(days=10))
    assert privacy.participants_retention() == 0


def test_retention_zero_erases_nobody(settings, olena) -> None:
    settings.PRIVACY_RETENTION_MONTHS = 0
    _age(olena, 5000)
    assert privacy.participants_retention() == 0
    olena.refresh_from_db()
    assert olena.erased_at is None


def test_the_retention_task_returns_the_count(settings, centre) -> None:
    from courses.tasks import participants_retention

    settings.PRIVACY_RETENTION_MONTHS = 1
    _age(ParticipantFactory(centre=centre, name="Dawno Temu", phone="+48601000003", **UK_SMS), 60)
    assert participants_retention() == 1


def test_retention_keeps_someone_who_still_holds_a_place(settings, centre) -> None:
    """Enrolled long ago in a course that has not started yet: the place is still to be used."""
    settings.PRIVACY_RETENTION_MONTHS = 1
    later = CourseFactory(centre=centre, capacity=5, start_date=date(2027, 3, 2))
    waiting = ParticipantFactory(centre=centre, name="Czeka Długo", phone="+48601000009", **UK_SMS)
    EnrolmentFactory(course=later, participant=waiting, source="staff")
    _age(waiting, 400)
    assert privacy.participants_retention() == 0
    waiting.refresh_from_db()
    assert waiting.erased_at is None


def test_erasure_removes_the_name_from_the_admins_history(staff_client, olena) -> None:
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    enrolment = Enrolment.objects.get(participant=olena)
    clerk = UserFactory(username="clerk")
    for obj in (olena, enrolment):
        LogEntry.objects.create(
            user=clerk,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
            change_message="",
        )
    assert LogEntry.objects.filter(object_repr__contains="Kowalenko").count() == 2
    privacy.participant_erase(participant=olena)
    assert not LogEntry.objects.filter(object_repr__contains="Kowalenko").exists()
    assert not LogEntry.objects.filter(object_repr__contains="+48601000001").exists()
    assert "Kowalenko" not in staff_client.get("/admin/").content.decode()


def test_superusers_add_an_enrolment_at_the_desk(client, centre, superuser) -> None:
    client.force_login(superuser)
    course = CourseFactory(centre=centre, capacity=5, start_date=date(2027, 1, 5))
    response = client.post(
        "/admin/courses/enrolment/add/",
        {
            "course": course.pk,
            "name": "Ivan Petrenko",
            "country": "PL",
            "phone": "601 000 002",
            "language": "uk",
            "priority": "0",
        },
    )
    assert response.status_code == 302
    assert Enrolment.objects.get().participant.name == "Ivan Petrenko"


def test_a_late_failure_report_about_an_erased_persons_sms_lists_no_empty_number(olena) -> None:
    message = OutboundMessage.objects.filter(participant=olena, status=MessageStatus.SENT).first()
    assert message is not None
    privacy.participant_erase(participant=olena)
    message.refresh_from_db()
    optout.phone_opt_out(phone=message.phone, reason="invalid", detail="provider error 30006")
    assert not PhoneOptOut.objects.filter(phone="").exists()
