"""Centre feed: 100 weekly courses over a year, with cancelled and moved sessions and a closure.

Measures the promises of the calendar feed:
- it is generated with a constant number of queries (the same for 10 and for 100 courses);
- its size and the time to build it from an empty cache;
- a conditional GET answers 304 without rendering (mean/p50/p95 latency in process);
- a cached feed and a 304 cost no database query with the production cache (Redis, when one
  answers at 127.0.0.1:6379; with the embedded database cache its read is the one query);
- the enrolment throttle costs a request under 0.3 ms, on the database cache and on Redis;
- through gunicorn (WORKERS sync workers, DEBUG off, the production static files, Redis when
  there is one), under the same closed-loop load (CLIENTS processes of `tests.bench.load`, one
  request in flight each): the cached feed at least half as fast as WhiteNoise serving the same
  bytes, and its 304 at least as fast as that static file, in ROUNDS interleaved rounds (the
  median of each round's ratio); the public pages' throughput, printed against the feed's;
- the floors of a 304 in the same workers, without Django (`tests.bench.feed_floor_app`): a bare
  304, and one after a Redis round trip as the feed's validator read, against the static file.

On SQLite the server reads a copy of the test database. Prints the figures as `[bench feed]`
lines. Run with `make bench`.
"""

from __future__ import annotations

import gzip
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory

from courses.models import Course
from courses.throttles import EnrolmentThrottle
from scheduling import feeds
from scheduling.feed_versions import release_since
from scheduling.models import Session, SessionStatus
from tests.bench.counting import QueryCounter, seconds_per_call
from tests.bench.feed_centre import feed_centre
from tests.bench.server import ROOT, gunicorn, load, postgres_url, sqlite_copy

COURSES = 100
FEW_COURSES = 10
CONDITIONAL_REQUESTS = 300
ROUNDS = 3
WORKERS = 5  # as the enrolment bench: gunicorn's 2 x cores + 1 on this 2-core machine
CLIENTS = 4  # load processes, one request in flight each
LOAD_SECONDS = 3.0
PAGE_SECONDS = 4.0
NOT_MODIFIED_TARGET = 1.0
THROTTLE_TARGET_MS = 0.3
THROTTLE_ROUNDS = 5
THROTTLE_CALLS = 400
REDIS = ("127.0.0.1", 6379)
GZIP = "Accept-Encoding: gzip"
PACKED = ("cached feed, gzip", "static file, gzip")
# The public pages, beside the feed: the enrolment form is what everyone loads when registration
# opens.
PAGES = ("home", "centre page", "course page", "embed", "enrolment form")
REDIS_DB = 13
# Seconds a slow loop may take before it stops short of its count (the bench stays under a
# minute); the figures say how many requests were measured.
CONDITIONAL_BUDGET = 10.0
COLD_BUILDS = 5
TARGET_RATIO = 0.5
GOOGLE_LIMIT = 1024 * 1024


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
    big = feed_centre(COURSES)
    small = feed_centre(FEW_COURSES)
    setup = time.perf_counter() - started
    sessions = Session.objects.filter(course__centre=big).count()
    cancelled = Session.objects.filter(course__centre=big, status=SessionStatus.CANCELLED).count()
    moved = Session.objects.filter(course__centre=big, moved=True).count()
    url = f"/calendars/{big.slug}.ics"
    client = Client()

    # Constant number of queries, and the cold build. The release's first answer is learnt once
    # per process (`release_since`: an add and a read of the default cache), before.
    release_since()
    few_queries = _cold_get(client, f"/calendars/{small.slug}.ics")[1]
    body, queries, _ = _cold_get(client, url)
    builds = [_cold_get(client, url)[2] for _ in range(COLD_BUILDS)]
    assert body.count(b"BEGIN:VEVENT") >= COURSES
    assert b"EXDATE" in body
    assert b"RECURRENCE-ID" in body
    assert few_queries == queries
    assert len(body) < GOOGLE_LIMIT
    packed = gzip.compress(body, mtime=0)  # as the feed's own compressed copy

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

    # Queries of a cached feed and of a 304 with the production cache (Redis), and with the
    # embedded default (the database cache: its read is the one query).
    redis = _redis_cache_url()
    queries_by_cache: dict[str, tuple[int, int]] = {}
    if redis:
        with _default_cache(settings, redis):
            queries_by_cache["Redis"] = _cached_queries(client, url)
    queries_by_cache["database cache"] = _cached_queries(client, url)
    if redis:
        assert queries_by_cache["Redis"] == (0, 0)
    throttle = {name: _throttle_ms(settings, location) for name, location in _stores(redis)}

    print(
        f"\n[bench feed] {connection.vendor}: {COURSES} courses, {sessions} sessions "
        f"({cancelled} cancelled, {moved} moved, 1 closure; setup {setup:.1f} s); "
        f"queries to build {few_queries} for {FEW_COURSES} courses, {queries} for {COURSES}; "
        f"cold build median {_ms(statistics.median(builds))} (min {_ms(min(builds))}, "
        f"{COLD_BUILDS} builds), {len(body) / 1024:.0f} KB\n"
        f"[bench feed] in process: 304 mean {_ms(statistics.mean(latencies))}, "
        f"p50 {_ms(latencies[len(latencies) // 2])}, "
        f"p95 {_ms(latencies[int(len(latencies) * 0.95)])} over {len(latencies)} requests; "
        "queries (cached feed, 304): "
        + ", ".join(f"{name} {q[0]}, {q[1]}" for name, q in queries_by_cache.items())
        + "\n[bench feed] throttle (EnrolmentThrottle.allow_request, one count in a live window): "
        + ", ".join(
            f"{name} {ms:.3f} ms (one read of the same store: {floor:.3f} ms)"
            for name, (ms, floor) in throttle.items()
        )
        + f" a request (target < {THROTTLE_TARGET_MS} ms)"
    )

    # Through gunicorn in production mode: the cached feed, its 304 and the same bytes as a
    # static file (WhiteNoise), then the public pages, under the same load.
    course_slug = Course.objects.filter(centre=big).order_by("pk").values_list("slug", flat=True)[0]
    paths = {
        "cached feed": (url, ()),
        "static file": ("/static/bench/feed.ics", ()),
        "304": (url, (f"If-None-Match: {etag}",)),
        "cached feed, gzip": (url, (GZIP,)),
        "static file, gzip": ("/static/bench/feed.ics", (GZIP,)),
        "home": ("/", ()),
        "centre page": (f"/centres/{big.slug}/", ()),
        "course page": (f"/centres/{big.slug}/courses/{course_slug}/", ()),
        "embed": (f"/embed/{big.slug}/", ()),
        "enrolment form": (f"/centres/{big.slug}/courses/{course_slug}/enrol/", ()),
        "floor 304": ("/floor/304", ()),
        **({"floor 304 + Redis": ("/floor/304-redis", ())} if redis else {}),
    }
    floors = [name for name in paths if name.startswith("floor")]
    with _production_server(tmp_path, body, redis) as port:
        for path, headers in paths.values():  # every worker warm, every answer right
            warm = load(port, path, clients=CLIENTS, seconds=0.5, headers=headers)
            assert set(warm.statuses) <= {200, 304}, (path, warm.statuses)
        runs: dict[str, list[float]] = {name: [] for name in paths}
        for _ in range(ROUNDS):  # interleaved, so that a busy moment hurts all alike
            for name in ("cached feed", "static file", "304", *PACKED, *floors):
                path, headers = paths[name]
                run = load(port, path, clients=CLIENTS, seconds=LOAD_SECONDS, headers=headers)
                unchanged = name == "304" or name in floors
                size = 0 if unchanged else len(packed) if name in PACKED else len(body)
                assert run.statuses == {304 if unchanged else 200: run.requests}, run
                assert set(run.sizes) == {size}, (name, run.sizes)
                runs[name].append(run.rate)
        for name in PAGES:
            path, headers = paths[name]
            run = load(port, path, clients=CLIENTS, seconds=PAGE_SECONDS, headers=headers)
            assert run.statuses == {200: run.requests}, run
            runs[name].append(run.rate)

    # Each round's ratio (the paths of a round ran within seconds of each other), the median.
    feed_ratios = [f / s for f, s in zip(runs["cached feed"], runs["static file"], strict=True)]
    not_modified_ratios = [n / s for n, s in zip(runs["304"], runs["static file"], strict=True)]
    feed_ratio = statistics.median(feed_ratios)
    not_modified_ratio = statistics.median(not_modified_ratios)
    feed_rate = statistics.median(runs["cached feed"])

    def rates(name: str) -> str:
        return "/".join(f"{r:,.0f}" for r in runs[name])

    def of_static(name: str) -> str:
        ratios = [r / s for r, s in zip(runs[name], runs["static file"], strict=True)]
        return "/".join(f"{r:.2f}" for r in ratios) + f" (median {statistics.median(ratios):.2f})"

    print(
        f"[bench feed] gunicorn {WORKERS} sync workers, DEBUG off, "
        f"{'Redis' if redis else 'database cache'}, {CLIENTS} clients, {ROUNDS} rounds of "
        f"{LOAD_SECONDS:g} s: cached feed {rates('cached feed')} req/s, static file (WhiteNoise) "
        f"{rates('static file')}, 304 {rates('304')}; cached feed / static "
        + "/".join(f"{r:.2f}" for r in feed_ratios)
        + f" (median {feed_ratio:.2f}, target >= {TARGET_RATIO}), 304 / static "
        + "/".join(f"{r:.2f}" for r in not_modified_ratios)
        + f" (median {not_modified_ratio:.2f}, target >= {NOT_MODIFIED_TARGET})\n"
        "[bench feed] public pages, same server and load: "
        + ", ".join(
            f"{name} {runs[name][0]:,.1f} req/s ({runs[name][0] / feed_rate:.3f} of the feed)"
            for name in PAGES
        )
        + f"\n[bench feed] a client that takes gzip ({len(body) / 1024:.0f} KB sent as "
        f"{len(packed) / 1024:.0f} KB): cached feed {rates('cached feed, gzip')} req/s, static "
        f"file (WhiteNoise's compressed copy) {rates('static file, gzip')}, cached feed / static "
        + _ratios(runs["cached feed, gzip"], runs["static file, gzip"])
        + "\n[bench feed] floors of a 304, same workers, no Django: "
        + ", ".join(f"{name} {rates(name)} req/s, {of_static(name)} of static" for name in floors)
    )
    assert feed_ratio >= TARGET_RATIO
    assert not_modified_ratio >= NOT_MODIFIED_TARGET
    assert all(ms < THROTTLE_TARGET_MS for ms, _ in throttle.values()), throttle


def _ratios(rates: list[float], floor: list[float]) -> str:
    ratios = [r / f for r, f in zip(rates, floor, strict=True)]
    return "/".join(f"{r:.2f}" for r in ratios) + f" (median {statistics.median(ratios):.2f})"


def _redis_cache_url() -> str | None:
    """A Redis cache of the bench's own (a key prefix no one else uses), if Redis runs here."""
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            pass
    except OSError:
        return None
    return f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}?key_prefix=feedbench-{uuid.uuid4().hex}"


@contextmanager
def _default_cache(settings: Any, redis_url: str) -> Iterator[None]:
    """The default cache on Redis, as in production, for the time of the block."""
    location, _, prefix = redis_url.partition("?key_prefix=")
    before = settings.CACHES
    settings.CACHES = {
        **before,
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        },
    }
    try:
        caches["default"].clear()
        yield
    finally:
        caches["default"].clear()
        settings.CACHES = before


def _cached_queries(client: Client, url: str) -> tuple[int, int]:
    """Queries of a cached feed and of its 304, once the validator is remembered."""
    first = client.get(url)
    counted = []
    for headers in ({}, {"if-none-match": first["ETag"]}):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = client.get(url, headers=headers)
        assert response.status_code == (304 if headers else 200)
        counted.append(counter.queries)
    return counted[0], counted[1]


def _stores(redis: str | None) -> list[tuple[str, str | None]]:
    return [("database cache", None), *([("Redis", redis)] if redis else [])]


def _throttle_ms(settings: Any, redis: str | None) -> tuple[float, float]:
    """Milliseconds a request spends in the enrolment throttle (its window already open), and
    the floor in the same rounds: one read of the same store through Django's cache (one
    round trip, as the count's)."""
    settings.ENROLMENT_RATE = "1000000/hour"
    request = RequestFactory().post("/api/v1/enrolments/", REMOTE_ADDR="203.0.113.7")
    request.user = AnonymousUser()
    throttle = EnrolmentThrottle()
    with _default_cache(settings, redis) if redis else nullcontext():
        store = caches["default"]
        assert throttle.allow_request(request, None)  # type: ignore[arg-type]
        counts, reads = [], []
        for _ in range(THROTTLE_ROUNDS):
            count = partial(throttle.allow_request, request, None)
            counts.append(seconds_per_call(count, THROTTLE_CALLS))
            reads.append(seconds_per_call(partial(store.get, "bench:no-such-key"), THROTTLE_CALLS))
    return statistics.median(counts) * 1000, statistics.median(reads) * 1000


@contextmanager
def _production_server(tmp_path: Path, body: bytes, redis: str | None) -> Iterator[int]:
    """gunicorn on the test database with DEBUG off and the production static files (collected,
    compressed, hashed: WhiteNoise serves them from memory as it would in production), with
    the feed's bytes among them as /static/bench/feed.ics."""
    var = tmp_path / "var"
    database = (
        postgres_url()
        if connection.vendor == "postgresql"
        else sqlite_copy(tmp_path / "db.sqlite3")
    )
    env = {
        "VAR_DIR": str(var),
        "DATABASE_URL": database,
        "DEBUG": "0",
        "TESTING": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        **({"CACHE_URL": redis} if redis else {}),
    }
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr[-3000:]
    static = var / "staticfiles" / "bench"
    static.mkdir(parents=True, exist_ok=True)
    (static / "feed.ics").write_bytes(body)
    (static / "feed.ics.gz").write_bytes(gzip.compress(body, mtime=0))  # as collectstatic's
    with gunicorn(
        env,
        workers=WORKERS,
        probe="/healthz",
        label="bench feed",
        app="tests.bench.feed_floor_app:application",
    ) as port:
        yield port
