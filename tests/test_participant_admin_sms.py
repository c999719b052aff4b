"""Staff answer "did she get the SMS?" on the person's admin page: notifications adds the list
of the person's SMS there without the core knowing about it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from courses.services.enrolment_request import enrolment_request
from courses.services.participants import ParticipantData
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_a_persons_admin_page_lists_their_sms(client, centre, staff_user) -> None:
    course = CourseFactory(centre=centre)
    enrolment = enrolment_request(
        course=course,
        person=ParticipantData(name="Olena", phone="+48601000001", sms_consent=True),
        channel="web",
        verified=True,  # as after the SMS code
    )
    staff_user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_participant", "change_participant", "view_outboundmessage"]
        )
    )
    client.force_login(staff_user)

    page = client.get(
        f"/admin/courses/participant/{enrolment.participant_id}/change/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    sms = page.split('id="messages-group"')[1]
    assert "Enrolment confirmed" in sms
    assert "Waiting to be sent" in sms
