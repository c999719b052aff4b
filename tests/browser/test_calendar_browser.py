"""What a person sees in Chromium: the centre's week view in their language, the keyboard,
and the embed inside another website's iframe."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from scheduling.services import session_cancel
from tests.browser.conftest import OtherOrigin
from tests.factories import CourseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OpenPage = Callable[..., Page]


@pytest.fixture
def spring_course(centre):
    """Tuesdays 18:00 from 16 March 2027: Poland moves its clocks on Sunday 28 March."""
    return CourseFactory(
        centre=centre,
        slug="polski-a1",
        title_pl="Język polski A1",
        title_uk="Польська мова A1",
        start_date=date(2027, 3, 16),
        start_time=time(18, 0),
        duration_minutes=90,
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6",
    )


@pytest.fixture
def upcoming_course(centre):
    """Tuesdays 17:30 from next week, so the embed's next four weeks hold all three (holidays
    are not skipped, whatever the calendar says next week)."""
    today = timezone.localdate()
    next_tuesday = today + timedelta(days=7 - today.weekday() + 1)
    course = CourseFactory(
        centre=centre,
        slug="klub-jezykowy",
        kind="language_club",
        title_pl="Klub językowy",
        title_ru="Языковой клуб для взрослых",
        start_date=next_tuesday,
        start_time=time(17, 30),
        duration_minutes=90,
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3",
        skip_public_holidays=False,
    )
    first, second, _third = course.sessions.order_by("starts_at")
    session_cancel(session=second)
    return course, first, second


def week_url(live_server, week: str) -> str:
    return f"{live_server.url}/centres/cic-poznan/?view=week&week={week}"


def test_week_view_shows_the_week_in_ukrainian_across_the_clock_change(
    live_server, open_page: OpenPage, spring_course
) -> None:
    page = open_page("uk")
    page.goto(week_url(live_server, "2027-03-29"))

    expect(page.locator("html")).to_have_attribute("lang", "uk")
    sessions = page.locator(".week .session")
    expect(sessions).to_have_count(1)
    expect(sessions).to_contain_text("Польська мова A1")
    # The Tuesday after the switch to summer time is still at 18:00 local time.
    expect(sessions.locator("time")).to_have_text("18:00–19:30")
    expect(sessions.locator("time")).to_have_attribute("datetime", "2027-03-30T18:00:00+02:00")
    expect(page.locator('time[datetime^="2027-03-23"]')).to_have_count(0)

    page.locator('a[rel="next"]').click()

    expect(page).to_have_url(re.compile(r"[?&]week=2027-04-05(&|$)"))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(sessions).to_have_count(1)
    expect(sessions).to_contain_text("Польська мова A1")
    expect(sessions.locator("time")).to_have_text("18:00–19:30")
    expect(sessions.locator("time")).to_have_attribute("datetime", "2027-04-06T18:00:00+02:00")
    expect(page.locator('time[datetime^="2027-03-30"]')).to_have_count(0)


def test_tab_first_reaches_the_skip_link_which_then_shows(
    live_server, open_page: OpenPage, spring_course
) -> None:
    page = open_page("uk")
    page.goto(week_url(live_server, "2027-03-29"))
    skip = page.locator(".skip-link")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")

    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expect(skip).to_have_text("Перейти до основного вмісту")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_week_view_screenshot_on_a_phone(
    live_server, open_page: OpenPage, spring_course, tmp_path: Path
) -> None:
    page = open_page("uk")
    page.goto(week_url(live_server, "2027-03-29"))
    expect(page.locator(".week .session")).to_have_count(1)
    shot = tmp_path / "week-uk-phone.png"

    page.screenshot(path=shot, full_page=True)

    assert shot.exists()
    assert shot.stat().st_size > 0


def test_embed_speaks_russian_inside_another_websites_iframe(
    live_server, open_page: OpenPage, upcoming_course, other_origin: OtherOrigin
) -> None:
    course, first, cancelled = upcoming_course
    tz = course.centre.tz
    embed = f"{live_server.url}/embed/cic-poznan/?lang=ru&weeks=4"
    host = other_origin.page(
        "index.html",
        f'<h1>Our partners</h1><iframe src="{embed}" title="Calendar" width="100%" '
        'height="700" style="border:0"></iframe>',
    )
    page = open_page("pl")  # the visitor's browser asks for Polish: ?lang=ru must win

    response = page.goto(host)

    assert response is not None
    assert response.ok
    assert not embed.startswith(other_origin.url)
    frame = page.frame_locator("iframe")
    expect(frame.locator("html")).to_have_attribute("lang", "ru")
    sessions = frame.locator(".session")
    expect(sessions).to_have_count(3)
    expect(sessions.first).to_contain_text("Языковой клуб для взрослых")
    expect(sessions.first.locator("time")).to_have_text("17:30–19:00")
    starts = timezone.localtime(first.starts_at, tz).isoformat()
    expect(sessions.first.locator("time")).to_have_attribute("datetime", starts)
    # "Cancelled" from locale/ru/LC_MESSAGES/django.po, on the cancelled session only.
    cancelled_at = timezone.localtime(cancelled.starts_at, tz).isoformat()
    first_item = frame.locator(".session", has=frame.locator(f'time[datetime="{starts}"]'))
    cancelled_item = frame.locator(
        ".session", has=frame.locator(f'time[datetime="{cancelled_at}"]')
    )
    expect(first_item).not_to_contain_text("Отменено")
    expect(cancelled_item.locator(".badge--cancelled")).to_have_text("Отменено")
    expect(frame.locator(".subscribe summary")).to_have_text("Добавить в свой календарь")
    # Day names come in Russian too.
    expect(frame.locator("h3.day").first).to_contain_text(re.compile("вторник", re.IGNORECASE))


def test_centre_page_refuses_to_be_framed_by_another_website(
    live_server, open_page: OpenPage, centre, other_origin: OtherOrigin
) -> None:
    framed = f"{live_server.url}/centres/cic-poznan/"
    host = other_origin.page(
        "framed.html", f'<h1>Our partners</h1><iframe src="{framed}" title="Centre"></iframe>'
    )
    page = open_page("pl")

    with page.expect_response(framed) as framed_response:
        page.goto(host)

    assert framed_response.value.status == 200
    assert framed_response.value.headers["x-frame-options"] == "DENY"
    # Chromium shows its own error page in the frame instead of ours (it may take a moment).
    for _ in range(50):
        if [frame.url for frame in page.frames[1:]] == ["chrome-error://chromewebdata/"]:
            break
        page.wait_for_timeout(100)
    assert [frame.url for frame in page.frames[1:]] == ["chrome-error://chromewebdata/"]
    expect(page.frame_locator("iframe").get_by_text("CIC Poznań")).to_have_count(0)
