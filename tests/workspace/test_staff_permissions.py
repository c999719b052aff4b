"""A centre's staff reach every page the navigation shows them: the workspace goes by
`Centre.staff`; the admin pages the README promises (SMS log, opt-out list, private calendar
links...) by the "Centre staff" group, which `migrate` keeps up to date."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from courses.services.staff import STAFF_GROUP, staff_group_sync, staff_permission_names
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/notifications/outboundmessage/",
    "/admin/notifications/phoneoptout/",
    "/admin/scheduling/calendartoken/",
    "/admin/scheduling/calendartoken/add/",
    "/admin/courses/participant/",
    "/admin/courses/auditentry/",
    "/admin/courses/course/",
    "/admin/scheduling/session/",
    "/admin/scheduling/closure/",
]


@pytest.fixture
def staff_member(poznan):
    user = UserFactory(username="pracownik", is_staff=True, staff_of=[poznan])
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


def test_migrate_leaves_the_group_with_every_default_permission() -> None:
    group = Group.objects.get(name=STAFF_GROUP)
    held = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
    assert staff_permission_names() <= held
    assert ("notifications", "view_outboundmessage") in held


def test_syncing_again_keeps_what_a_superuser_added() -> None:
    group, missing = staff_group_sync()
    extra = group.permissions.model.objects.get(codename="delete_participant")
    group.permissions.add(extra)
    call_command("migrate", verbosity=0)  # post_migrate runs the sync again
    assert missing == set()
    assert group.permissions.filter(pk=extra.pk).exists()


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_staff_open_the_admin_pages_the_readme_promises(client: Client, staff_member, path) -> None:
    client.force_login(staff_member)
    response = client.get(path)
    assert response.status_code == 200, path


def test_the_admin_index_links_the_sms_log_and_the_opt_out_list(
    client: Client, staff_member
) -> None:
    client.force_login(staff_member)
    body = client.get("/admin/").content.decode()
    assert "/admin/notifications/outboundmessage/" in body
    assert "/admin/notifications/phoneoptout/" in body
    assert "/admin/scheduling/calendartoken/" in body
