"""The workspace's registers (/staff/registers/) and the ways to the course reports: from the
navigation, the course page and the list of courses under the funders' figures on /reports/;
who sees which (staff, another centre's staff, a trainer, anonymous)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from courses.models import Attendance, EnrolmentSource
from tests.factories import CourseFactory, EnrolmentFactory, ParticipantFactory, UserFactory
from tests.workspace.conftest import WARSAW

LATER = datetime(2027, 2, 10, 10, tzinfo=WARSAW)  # a Wednesday; 9 February was a Tuesday
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(poznan, konin, coordinator, trainer_user) -> dict[str, Any]:
    course = CourseFactory(centre=poznan, slug="a1", title_pl="Polski A1", trainers=[trainer_user])
    other_course = CourseFactory(centre=konin, slug="b1", title_pl="Kurs w Koninie")
    untaught = CourseFactory(centre=poznan, slug="c1", title_pl="Klub bez trenera")
    person = ParticipantFactory(centre=poznan, name="Olena")
    EnrolmentFactory(course=course, participant=person, source=EnrolmentSource.STAFF)
    return {
        "course": course,
        "other_course": other_course,
        "untaught": untaught,
        "sessions": list(course.sessions.order_by("starts_at")),
        "person": person,
        "coordinator": coordinator,
        "konin_staff": UserFactory(username="konin", staff_of=[konin]),
        "trainer": trainer_user,
    }


def _client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _get(user: Any, path: str) -> Any:
    with time_machine.travel(LATER, tick=False):
        return _client(user).get(path)


def _registers(html: str) -> list[str]:
    return re.findall(r'href="/register/(\d+)/"', html)


def test_staff_see_their_centres_last_four_weeks_newest_first(world) -> None:
    s = world["sessions"]
    Attendance.objects.create(
        session=s[4], participant=world["person"], status="present", marked_at=s[4].starts_at
    )
    response = _get(world["coordinator"], "/staff/registers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page">Registers<' in html
    # Today (10 Feb) back to 13 January: 9 Feb, 2 Feb, 26 Jan, 19 Jan of each Poznań course.
    untaught = list(world["untaught"].sessions.order_by("starts_at"))
    listed = _registers(html)
    assert set(listed) == {str(x.pk) for x in s[2:6] + untaught[2:6]}
    assert listed.index(str(s[5].pk)) < listed.index(str(s[4].pk)) < listed.index(str(s[2].pk))
    assert "Kurs w Koninie" not in html
    assert "1 mark" in html  # 2 February
    assert html.count("Not filled in yet") == 7
    assert f'href="/reports/courses/{world["course"].pk}/"' in html


def test_a_day_is_picked_and_a_bad_one_is_a_400_at_the_field(world) -> None:
    s = world["sessions"]
    html = _get(world["coordinator"], "/staff/registers/?day=2027-01-05").content.decode()
    assert "Sessions on Tuesday 5 January 2027" in html
    assert str(s[0].pk) in _registers(html)
    assert str(s[1].pk) not in _registers(html)
    response = _get(world["coordinator"], "/staff/registers/?day=2027-13-01")
    assert response.status_code == 400
    field = response.content.decode().split('class="field field--error"')[1].split("</div>")[0]
    assert "is not a date" in field


def test_the_permission_matrix_of_the_registers_page(world) -> None:
    s = world["sessions"]
    path = "/staff/registers/?day=2027-01-05"
    # Another centre's staff: the page, without Poznań's sessions.
    konin = _get(world["konin_staff"], path)
    assert konin.status_code == 200
    assert not {str(x.pk) for x in s} & set(_registers(konin.content.decode()))
    assert "Polski A1" not in konin.content.decode()
    # The trainer: their course only, no course report, no Reports in the menu.
    trainer = _get(world["trainer"], path).content.decode()
    assert str(s[0].pk) in _registers(trainer)
    assert "Klub bez trenera" not in trainer
    assert "/reports/" not in trainer
    # Anonymous: to the login; someone neither staff nor trainer: no workspace at all.
    anonymous = _get(None, path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert _get(UserFactory(username="nikt"), path).status_code == 404


def test_the_course_page_links_its_report_for_staff_only(world) -> None:
    course = world["course"]
    link = f'href="/reports/courses/{course.pk}/"'
    staff = _get(world["coordinator"], f"/staff/courses/{course.pk}/").content.decode()
    assert link in staff
    assert '<a href="/reports/">Reports</a>' in staff
    trainer = _get(world["trainer"], f"/staff/courses/{course.pk}/")
    assert trainer.status_code == 200
    assert link not in trainer.content.decode()
    assert _get(world["konin_staff"], f"/staff/courses/{course.pk}/").status_code == 404


def test_reports_list_the_courses_that_held_sessions_and_each_report_is_staff_only(
    world,
) -> None:
    course = world["course"]
    html = _get(world["coordinator"], "/reports/?from=2027-01-01&to=2027-01-31").content.decode()
    listed = html.split('id="courses-title"')[1]
    assert f'href="/reports/courses/{course.pk}/?from=2027-01-01&amp;to=2027-01-31"' in listed
    assert "Polski A1" in listed
    assert "Klub bez trenera" in listed
    assert "Kurs w Koninie" not in listed
    # 4 sessions of each course in January (5, 12, 19, 26).
    assert re.search(r"Polski A1</a></th>\s*<td>CIC Poznań</td><td class=\"num\">4<", listed)
    future = _get(world["coordinator"], "/reports/?from=2027-06-01&to=2027-06-30").content
    assert "No course held a session in the period." in future.decode()

    report = f"/reports/courses/{course.pk}/?from=2027-01-01&to=2027-01-31"
    assert _get(world["coordinator"], report).status_code == 200
    assert _get(world["konin_staff"], report).status_code == 404
    assert _get(world["trainer"], report).status_code == 404
    anonymous = _get(None, report)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    konin = _get(world["konin_staff"], "/reports/?from=2027-01-01&to=2027-01-31").content
    assert "Polski A1" not in konin.decode()
    assert _get(world["trainer"], "/reports/").status_code == 404


def test_the_report_read_from_the_list_counts_a_late_joiner_fairly(world) -> None:
    s = world["sessions"]
    with time_machine.travel(datetime(2027, 1, 20, 9, tzinfo=WARSAW), tick=False):
        late = EnrolmentFactory(course=world["course"], participant__name="Nadia")
    for session in s[3:5]:
        Attendance.objects.create(
            session=session, participant=late.participant, status="present",
            marked_at=session.starts_at,
        )  # fmt: skip
    html = _get(
        world["coordinator"],
        f"/reports/courses/{world['course'].pk}/?from=2027-01-01&to=2027-02-28",
    ).content.decode()
    row = html.split("Nadia")[1].split("</tr>")[0]
    assert "since 20 January" in row
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["2", "3", "0", "67%"]


def test_a_course_and_not_filled_in_only_narrow_the_list(world) -> None:
    s = world["sessions"]
    Attendance.objects.create(
        session=s[4], participant=world["person"], status="present", marked_at=s[4].starts_at
    )
    course = world["course"]
    html = _get(world["coordinator"], f"/staff/registers/?course={course.pk}").content.decode()
    assert set(_registers(html)) == {str(x.pk) for x in s[2:6]}
    unfilled = _get(
        world["coordinator"], f"/staff/registers/?course={course.pk}&unfilled=on"
    ).content.decode()
    assert set(_registers(unfilled)) == {str(x.pk) for x in (s[2], s[3], s[5])}
    # Another centre's course is no choice: a 400 at the field, nothing of it shown.
    other = world["other_course"]
    response = _get(world["coordinator"], f"/staff/registers/?course={other.pk}")
    assert response.status_code == 400
    assert "Kurs w Koninie" not in response.content.decode()
    assert 'class="field field--error"' in response.content.decode()
