"""Centre feed: 100 weekly courses over a year, with cancelled and moved sessions and a closure.

Measures the promises of the calendar feed:
- it is generated with a constant number of queries (the same for 10 and for 100 courses);
- its size and the time to build it from an empty cache;
- a conditional GET answers 304 without rendering (mean/p50/p95 latency);
- the cached feed is served at least half as fast as the same bytes served as a static file
  by the same stack (WhiteNoise behind the same WSGI handler and middleware).

Prints the figures as `[bench feed]` lines. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import timezone

from courses.models import Centre, Course
from scheduling import feeds, rules, services
from scheduling.models import Closure, Session, SessionStatus
from tests.bench.counting import QueryCounter
from tests.factories import CentreFactory, VenueFactory

COURSES = 100
FEW_COURSES = 10
CONDITIONAL_REQUESTS = 300
THROUGHPUT_REQUESTS = 500
ROUNDS = 5
# Seconds a slow loop may take before it stops short of its count (the bench stays under a
# minute); the figures say how many requests were measured.
CONDITIONAL_BUDGET = 10.0
FEED_BUDGET = 15.0
COLD_BUILDS = 5
TARGET_RATIO = 0.5
GOOGLE_LIMIT = 1024 * 1024
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA"]


def _centre(courses: int) -> Centre:
    """A centre with `courses` weekly courses from up to 7 weeks ago to a year ahead, a closure,
    and a few cancelled and moved sessions; sessions come from the generation services."""
    centre = CentreFactory()
    venues = [VenueFactory(centre=centre, address=f"ul. Długa {n + 1}") for n in range(3)]
    today = timezone.localdate()
    until = (today + timedelta(days=365)).strftime("%Y%m%d")
    rows = []
    for n in range(courses):
        weekday = n % len(WEEKDAYS)
        start = today + timedelta(days=(weekday - today.weekday()) % 7 - 7 * (n % 8))
        rows.append(
            Course(
                centre=centre,
                slug=f"course-{n}",
                kind="polish_course",
                title_pl=f"Kurs polskiego {n}",
                description_pl="Zajęcia dla dorosłych, poziom A1–B1.",
                published=True,
                venue=venues[n % len(venues)],
                start_date=start,
                start_time=timezone.datetime(2000, 1, 1, 8 + n % 12, 30 * (n % 2)).time(),
                duration_minutes=(60, 90, 120)[n % 3],
                recurrence=rules.parse(
                    f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[weekday]};UNTIL={until}", centre.tz
                ),
            )
        )
    Course.objects.bulk_create(rows)
    saved = list(Course.objects.filter(centre=centre).select_related("centre").order_by("pk"))
    services.courses_sessions_sync(courses=saved)
    services.closure_save(
        closure=Closure(
            centre=centre,
            starts_on=today + timedelta(days=120),
            ends_on=today + timedelta(days=126),
            reason="Przerwa",
        )
    )
    now = timezone.now()
    for course in saved[::4]:
        upcoming = list(
            Session.objects.filter(course=course, starts_at__gt=now).order_by("starts_at")[:12]
        )
        services.session_cancel(session=upcoming[2])
        services.session_cancel(session=upcoming[7])
        services.session_move(
            session=upcoming[4],
            starts_at=upcoming[4].starts_at + timedelta(days=1, hours=1),
            ends_at=upcoming[4].ends_at + timedelta(days=1, hours=1),
        )
        services.session_move(
            session=upcoming[10],
            starts_at=upcoming[10].starts_at,
            ends_at=upcoming[10].ends_at,
            venue=venues[(venues.index(course.venue) + 1) % len(venues)],
        )
    return centre


def _cold_get(client: Client, url: str) -> tuple[bytes, int, float]:
    """The feed built from an empty cache: (bytes, queries, seconds)."""
    caches["feeds"].clear()
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return response.content, counter.queries, elapsed


def _timed(request: Callable[[], object], count: int, budget: float) -> list[float]:
    """Seconds taken by each of `count` calls, stopping early once `budget` seconds are spent."""
    durations: list[float] = []
    while len(durations) < count and sum(durations) < budget:
        started = time.perf_counter()
        request()
        durations.append(time.perf_counter() - started)
    return durations


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def test_bench_centre_feed_100_courses_for_a_year(settings, tmp_path: Path) -> None:
    started = time.perf_counter()
    big = _centre(COURSES)
    small = _centre(FEW_COURSES)
    setup = time.perf_counter() - started
    sessions = Session.objects.filter(course__centre=big).count()
    cancelled = Session.objects.filter(course__centre=big, status=SessionStatus.CANCELLED).count()
    moved = Session.objects.filter(course__centre=big, moved=True).count()
    url = f"/calendars/{big.slug}.ics"
    client = Client()

    # Constant number of queries, and the cold build.
    few_queries = _cold_get(client, f"/calendars/{small.slug}.ics")[1]
    body, queries, _ = _cold_get(client, url)
    builds = [_cold_get(client, url)[2] for _ in range(COLD_BUILDS)]
    assert body.count(b"BEGIN:VEVENT") >= COURSES
    assert b"EXDATE" in body
    assert b"RECURRENCE-ID" in body
    assert few_queries == queries
    assert len(body) < GOOGLE_LIMIT

    # 304 without rendering: the cache is empty, so building would have to call render.
    response = client.get(url)
    etag = response["ETag"]
    caches["feeds"].clear()
    refuse = AssertionError("a conditional GET rendered the feed")

    def get_conditional() -> None:
        response = client.get(url, headers={"if-none-match": etag})
        assert response.status_code == 304
        assert not response.content

    with mock.patch.object(feeds.Feed, "render", side_effect=refuse) as render:
        latencies = sorted(_timed(get_conditional, CONDITIONAL_REQUESTS, CONDITIONAL_BUDGET))
    assert not render.called
    assert caches["feeds"].get("feed:" + etag.strip('"')) is None  # nothing was built

    # Cached feed against the same bytes as a static file, through the same handler.
    static_dir = tmp_path / "static"
    (static_dir / "bench").mkdir(parents=True)
    (static_dir / "bench" / "feed.ics").write_bytes(body)
    settings.STATICFILES_DIRS = [static_dir]
    assert django_settings.WHITENOISE_AUTOREFRESH
    static_url = f"{django_settings.STATIC_URL}bench/feed.ics"
    client = Client()

    def get_feed() -> bytes:
        response = client.get(url)
        assert response.status_code == 200
        return response.content

    def get_static() -> bytes:
        response = client.get(static_url)
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    assert get_feed() == body  # warms the cache
    assert get_static() == body  # WhiteNoise finds the file in the overridden directory
    feed_times: list[float] = []
    static_times: list[float] = []
    for _ in range(ROUNDS):  # interleaved, so that a busy moment hurts both alike
        feed_times += _timed(get_feed, THROUGHPUT_REQUESTS // ROUNDS, FEED_BUDGET / ROUNDS)
        static_times += _timed(get_static, THROUGHPUT_REQUESTS // ROUNDS, FEED_BUDGET / ROUNDS)
    feed_rate = len(feed_times) / sum(feed_times)
    static_rate = len(static_times) / sum(static_times)
    ratio = feed_rate / static_rate

    print(
        f"\n[bench feed] {connection.vendor}: {COURSES} courses, {sessions} sessions "
        f"({cancelled} cancelled, {moved} moved, 1 closure; setup {setup:.1f} s); "
        f"queries {few_queries} for {FEW_COURSES} courses, {queries} for {COURSES}; "
        f"cold build median {_ms(statistics.median(builds))} (min {_ms(min(builds))}, "
        f"{COLD_BUILDS} builds), {len(body) / 1024:.0f} KB\n"
        f"[bench feed] 304: mean {_ms(statistics.mean(latencies))}, "
        f"p50 {_ms(latencies[len(latencies) // 2])}, "
        f"p95 {_ms(latencies[int(len(latencies) * 0.95)])} over {len(latencies)} requests; "
        f"cached feed {feed_rate:,.0f} req/s ({len(feed_times)} requests), "
        f"static file {static_rate:,.0f} req/s ({len(static_times)}), "
        f"ratio {ratio:.2f} (target >= {TARGET_RATIO})"
    )
    assert ratio >= TARGET_RATIO
