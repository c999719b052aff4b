"""A centre's staff open their own centre in the admin: the slug is read-only for them, so it is
not prepopulated from the name (which made the page a 500); saving asks for no internal field."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_permissions():
    return Permission.objects.filter(
        content_type__app_label="courses", codename__in=["view_centre", "change_centre"]
    )


def test_staff_open_their_centre_in_the_admin(staff_client, centre) -> None:
    response = staff_client.get(f"/admin/courses/centre/{centre.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert centre.slug in html  # shown, not editable
    assert 'name="slug"' not in html
    assert 'name="calendar_changed_at' not in html


def test_staff_who_may_only_view_open_their_centre_too(staff_client, staff_user, centre) -> None:
    staff_user.user_permissions.set(Permission.objects.filter(codename="view_centre"))
    assert staff_client.get(f"/admin/courses/centre/{centre.pk}/change/").status_code == 200


def test_staff_save_their_centre_without_changing_its_slug(staff_client, centre) -> None:
    form = staff_client.get(f"/admin/courses/centre/{centre.pk}/change/").context["adminform"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.form.initial.items()
        if name in form.form.fields and name != "logo"  # no file chosen: nothing is sent
    }
    data.update({"name": "CIC Poznań (nowa nazwa)", "slug": "hacked"})
    response = staff_client.post(f"/admin/courses/centre/{centre.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    centre.refresh_from_db()
    assert (centre.name, centre.slug) == ("CIC Poznań (nowa nazwa)", "cic-poznan")


def test_superusers_still_get_the_slug_filled_in_from_the_name(client, superuser) -> None:
    client.force_login(superuser)
    html = client.get("/admin/courses/centre/add/").content.decode()
    assert 'name="slug"' in html
    assert "prepopulated" in html
