"""/api/v1/courses/: `schedule` beside `recurrence`, the settings staff could not change, and
POST /api/v1/courses/preview/ (what saving would generate, saving nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from courses.models import Course
from scheduling.models import Closure, Session
from tests.factories import ClosureFactory, CourseFactory, UserFactory

pytestmark = pytest.mark.django_db

SCHEDULE = {
    "weekdays": ["TU", "TH"],
    "interval": 1,
    "until": None,
    "count": 10,
    "skip_dates": ["2027-01-14"],
}


def course(**overrides: object) -> dict[str, Any]:
    data: dict[str, Any] = {
        "centre": "cic-poznan",
        "slug": "polski-a2",
        "kind": "polish_course",
        "title": "Język polski A2",
        "schedule": SCHEDULE,
        "start_date": "2027-01-05",
        "start_time": "17:30",
        "duration_minutes": 90,
    }
    data.update(overrides)
    return data


def preview_input(**overrides: object) -> dict[str, Any]:
    data = {
        key: value
        for key, value in course().items()
        if key in ("centre", "start_date", "start_time", "duration_minutes", "schedule")
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int]:
    return Course.objects.count(), Session.objects.count(), Closure.objects.count()


def test_a_course_created_with_a_schedule_has_its_sessions_and_both_forms(staff_api) -> None:
    response = staff_api.post("/api/v1/courses/", course(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["schedule"] == SCHEDULE
    assert body["recurrence"] == "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU,TH\nEXDATE:20270114"
    assert Session.objects.filter(course_id=body["id"]).count() == 9  # the count counts 14 Jan
    again = staff_api.get(f"/api/v1/courses/{body['id']}/").json()
    assert (again["schedule"], again["recurrence"]) == (body["schedule"], body["recurrence"])


def test_a_rule_the_builder_cannot_show_has_no_schedule(staff_api) -> None:
    given = course(schedule=None, recurrence="RRULE:FREQ=MONTHLY;BYDAY=1TU;COUNT=3")
    body = staff_api.post("/api/v1/courses/", given, format="json").json()
    assert body["schedule"] is None
    assert body["recurrence"] == "RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=1TU"


def test_changing_the_schedule_regenerates_the_sessions(staff_api) -> None:
    course_id = staff_api.post("/api/v1/courses/", course(), format="json").json()["id"]
    response = staff_api.patch(
        f"/api/v1/courses/{course_id}/",
        {"schedule": {"weekdays": ["TU"], "until": "2027-01-26"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["recurrence"] == "RRULE:FREQ=WEEKLY;UNTIL=20270126;BYDAY=TU"
    assert Session.objects.filter(course_id=course_id).count() == 4


def test_what_get_answers_can_be_put_back_unchanged(staff_api) -> None:
    course_id = staff_api.post("/api/v1/courses/", course(), format="json").json()["id"]
    body = staff_api.get(f"/api/v1/courses/{course_id}/").json()
    body.pop("venue")
    response = staff_api.put(f"/api/v1/courses/{course_id}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["schedule"] == SCHEDULE


def test_a_schedule_and_a_recurrence_that_disagree_are_refused(staff_api) -> None:
    given = course(recurrence="RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10")
    response = staff_api.post("/api/v1/courses/", given, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "schedule": ["Give either schedule or recurrence: these two describe different rules."]
    }
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("schedule", "errors"),
    [
        ({"interval": 1}, {"weekdays": ["Choose at least one weekday."]}),
        (
            {"weekdays": ["TU"], "until": "2027-01-01"},
            {"until": ["The last date cannot be before the first date (2027-01-05)."]},
        ),
        (
            {"weekdays": ["TU"], "count": 1001},
            {"count": ["The number of sessions is a whole number from 1 to 1000."]},
        ),
    ],
)
def test_a_wrong_schedule_is_a_400_at_its_field_and_saves_nothing(
    staff_api, schedule: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    for path, data in (
        ("/api/v1/courses/", course(schedule=schedule)),
        ("/api/v1/courses/preview/", preview_input(schedule=schedule)),
    ):
        response = staff_api.post(path, data, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, path
        assert response.json() == {"schedule": errors}
    assert counts() == (0, 0, 0)


def test_the_three_settings_are_read_and_changed_through_the_api(staff_api) -> None:
    body = staff_api.post("/api/v1/courses/", course(), format="json").json()
    assert (body["sensitive"], body["reminder_hours"], body["enrolment_open"]) == (
        False,
        "24,2",
        True,
    )
    response = staff_api.patch(
        f"/api/v1/courses/{body['id']}/",
        {"sensitive": True, "reminder_hours": "48, 3", "enrolment_open": False},
        format="json",
    )
    assert response.status_code == 200, response.json()
    saved = Course.objects.get(pk=body["id"])
    assert (saved.sensitive, saved.reminder_offsets, saved.enrolment_open) == (True, [48, 3], False)


@pytest.mark.parametrize("hours", ["24;2", "soon", "0", "24,400"])
def test_wrong_reminder_hours_are_refused(staff_api, hours: str) -> None:
    course_id = staff_api.post("/api/v1/courses/", course(), format="json").json()["id"]
    response = staff_api.patch(
        f"/api/v1/courses/{course_id}/", {"reminder_hours": hours}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["reminder_hours"][0]
    assert Course.objects.get(pk=course_id).reminder_hours == "24,2"


def test_the_preview_is_what_saving_then_generates_and_saves_nothing(staff_api, centre) -> None:
    ClosureFactory(
        centre=centre, starts_on=date(2027, 1, 19), ends_on=date(2027, 1, 19), reason="Remont"
    )
    before = counts()
    response = staff_api.post(
        "/api/v1/courses/preview/", preview_input(), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert counts() == before
    assert body["skipped"] == [
        {"date": "2027-01-14", "reason": "excluded", "name": ""},
        {"date": "2027-01-19", "reason": "closure", "name": "Remont"},
    ]
    assert (body["total"], body["truncated"], body["horizon_end"]) == (8, False, None)
    created = staff_api.post("/api/v1/courses/", course(), format="json").json()
    sessions = staff_api.get("/api/v1/sessions/", {"course": created["id"]}).json()["results"]
    assert [(s["starts_at"], s["ends_at"]) for s in sessions] == [
        (s["starts_at"], s["ends_at"]) for s in body["sessions"]
    ]
    assert body["sessions"][0] == {
        "starts_at": "2027-01-05T17:30:00+01:00",
        "ends_at": "2027-01-05T19:00:00+01:00",
    }


def test_the_preview_reads_a_recurrence_and_names_holidays_in_the_request_language(
    staff_api,
) -> None:
    given = preview_input(
        schedule=None,
        recurrence="RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20251118",
        start_date="2025-11-04",
    )
    body = staff_api.post(
        "/api/v1/courses/preview/", given, format="json", HTTP_ACCEPT_LANGUAGE="pl"
    ).json()
    assert body["skipped"] == [
        {"date": "2025-11-11", "reason": "holiday", "name": "Narodowe Święto Niepodległości"}
    ]
    assert len(body["sessions"]) == 2
    kept = staff_api.post(
        "/api/v1/courses/preview/", {**given, "skip_public_holidays": False}, format="json"
    ).json()
    assert (len(kept["sessions"]), kept["skipped"]) == (3, [])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_date": "2027-01-06"}, "start_date"),  # a Wednesday: the rule never falls on it
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"start_time": "25:00"}, "start_time"),
        ({"schedule": None, "recurrence": "RRULE:FREQ=HOURLY"}, "recurrence"),
        ({"schedule": "TU"}, "schedule"),
        ({"centre": "no-such-centre"}, "centre"),
    ],
)
def test_bad_preview_input_is_a_400_with_a_field_message(
    staff_api, overrides: dict[str, Any], field: str
) -> None:
    response = staff_api.post("/api/v1/courses/preview/", preview_input(**overrides), format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0]
    assert counts() == (0, 0, 0)


def test_another_centres_preview_is_refused_like_a_centre_that_does_not_exist(
    staff_api, other_centre
) -> None:
    foreign = staff_api.post(
        "/api/v1/courses/preview/", preview_input(centre=other_centre.slug), format="json"
    )
    missing = staff_api.post(
        "/api/v1/courses/preview/", preview_input(centre="cic-nowhere"), format="json"
    )
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["centre"] == [
        m.replace("cic-nowhere", other_centre.slug) for m in missing.json()["centre"]
    ]


def test_only_staff_may_preview(api, anonymous_api, centre) -> None:
    assert anonymous_api.post(
        "/api/v1/courses/preview/", preview_input(), format="json"
    ).status_code in (401, 403)
    api.force_authenticate(UserFactory(username="trainer"))
    CourseFactory(centre=centre)  # a centre with courses, which this user does not staff
    assert api.post("/api/v1/courses/preview/", preview_input(), format="json").status_code == 403
