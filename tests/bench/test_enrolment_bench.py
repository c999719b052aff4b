"""Enrolment burst: 500 people enrol at once in one course of 25 seats, through gunicorn on
PostgreSQL, by each of the two ways in: a person proving their phone (POST verify/ with the SMS
code; the codes are asked for beforehand) and staff at the desk (POST /api/v1/enrolments/ with a
token), each at a course of its own.

Measures the promise of the enrolment API under a rush (each from a different phone, sent by
CLIENTS threads at once), for both ways:
- every attempt answers 201: no error, nobody turned away as busy;
- exactly 25 are confirmed and 475 wait, at positions 1..475 in the order they arrived, which is
  the order in which the lock on the course row let them in (creation time and id rise together
  with the position), and each answer told the person that position;
- nobody holds two active places.

The three bursts run one after the other in each of ROUNDS rounds (each at courses of its own),
so that a busy moment of the shared machine hurts all three alike; a ratio is the median of the
rounds' ratios. Prints the wall time, throughput, p50/p95/max latency and the counts; how
closely the order the server took them in follows the order the client sent them (reported, not
asserted: requests sent within a millisecond of each other race through the sockets and the
workers); how long the course row stayed locked (median and p95, wall time from the locking
SELECT returning to the COMMIT returning, recorded in each worker by `tests.bench.timed_app`, a
test-only wrapper of the project's WSGI application) and how many statements one enrolment ran,
in all and while the row was locked (the rate limit's left out). Then the floors, measured in
the same run:
- a minimal Django view (`tests.bench.floor_app`: the project's settings and middleware, its own
  URLconf) served by a gunicorn like the project's, doing the same locking transaction: SELECT
  ... FOR UPDATE of the course row, a count of its seats, the insert of the place; 500 requests
  at a third course; each way's throughput against it (the target is at least 0.6), and how long
  its course row stayed locked, timed as the project's: the lock hold's floor here;
- the same transaction with the decision taken by the database, sent as one message (BEGIN,
  the lock, the place inserted, made confirmed when the count leaves a seat, COMMIT; the same
  floor app), 500 requests at a fourth course: what the lock hold comes to when no round trip
  and no Python runs while the row is locked, timed by the server's clock from the lock to
  right after the COMMIT; exactly 25 confirmed in each round, asserted;
- a bare loop of 500 transactions on the same database that each lock the course row and write
  it (`SELECT ... FOR UPDATE`, `UPDATE`, `COMMIT`), the most anything that serialises on that
  row could do, on as many connections as the server has workers (median of 3 rounds), before
  and after the bursts; each way's throughput against the faster of the two (the target is at
  least 0.15); its figure on CLIENTS connections is printed too.

The server is gunicorn (WORKERS sync workers) on the test database pytest-django made (bench
tests are transactional, so what the test made is committed), with ENROLMENT_RATE raised so one
client address is not throttled. Skipped on SQLite. Prints the figures as `[bench enrolment]`
lines; the targets are printed with them, not asserted (the machine is shared). Run with
`DATABASE_URL=postgres://... make bench`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.bench.enrolment_burst import (
    ATTEMPTS,
    BARE_RATIO,
    CAPACITY,
    CLIENTS,
    FLOOR_RATIO,
    PROJECT_APP,
    WARM_UP,
    WORKERS,
    bare_rounds,
    codes,
    desk_bodies,
    enrol,
    floor_bodies,
    get,
    gunicorn,
    in_threads,
    load,
)
from tests.bench.enrolment_figures import Burst, lock_figures, report_and_check
from tests.factories import CourseFactory

ROUNDS = 3
VERIFY, DESK, FLOOR = "/api/v1/enrolments/verify/", "/api/v1/enrolments/", "/floor/enrol/"
ONE_MESSAGE = "/floor/enrol-one-message/"


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _warm(base: str, path: str) -> None:
    warm, _elapsed = in_threads(CLIENTS, lambda n: None if n < 0 else get(base + path), WARM_UP)
    assert set(warm) == {200}


def test_bench_500_people_enrol_at_once_in_25_seats_through_gunicorn(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: DATABASE_URL=postgres://... make bench")
    from rest_framework.authtoken.models import Token

    from tests.factories import UserFactory

    made = {"start_date": date(2027, 1, 5), "booking_mode": "course", "capacity": CAPACITY}
    rounds: list[dict[str, Any]] = [
        {way: CourseFactory(**made) for way in ("verified", "staff", "floor", "one message")}
        for _round in range(ROUNDS)
    ]
    first = rounds[0]["verified"]
    assert first.published
    assert first.sessions.exists()
    desks = [r["staff"].centre for r in rounds]
    staff: Any = UserFactory(username="bench-desk", is_staff=True, staff_of=desks)
    token = Token.objects.create(user=staff).key

    print(f"\n[bench enrolment] load average (1, 5, 15 min) before the run: {load()}")
    # The bare loop first, on the quiet database; the median of a few rounds (each under 1 s).
    bare_before, bare_clients = bare_rounds(first)

    project_log, floor_log = tmp_path / "project.log", tmp_path / "floor.log"
    bursts: dict[str, list[Burst]] = {way: [] for way in rounds[0]}
    with (
        gunicorn(f"/api/v1/courses/{first.pk}/", BENCH_LOCK_LOG=str(project_log)) as base,
        gunicorn(
            "/floor/ready/",
            PROJECT_APP,  # timed the same way, serving the floor's URLconf
            DJANGO_SETTINGS_MODULE="tests.bench.floor_app",
            BENCH_LOCK_LOG=str(floor_log),
        ) as floor_base,
    ):
        _warm(base, f"/api/v1/courses/{first.pk}/")
        _warm(floor_base, "/floor/ready/")
        for number, courses in enumerate(rounds):
            proofs = codes(courses["verified"], ATTEMPTS, series=1 + number)
            results, wall = in_threads(CLIENTS, enrol(base + VERIFY, proofs), ATTEMPTS)
            bursts["verified"].append(
                Burst("verified (POST verify/)", courses["verified"], results, wall)
            )
            at_desk = enrol(
                base + DESK,
                desk_bodies(courses["staff"], series=4 + number),
                Authorization=f"Token {token}",
            )
            results, wall = in_threads(CLIENTS, at_desk, ATTEMPTS)
            bursts["staff"].append(
                Burst("staff (POST with a token)", courses["staff"], results, wall)
            )
            bodies = floor_bodies(courses["floor"], series=7 + number)
            results, wall = in_threads(CLIENTS, enrol(floor_base + FLOOR, bodies), ATTEMPTS)
            bursts["floor"].append(Burst("minimal view", courses["floor"], results, wall))
            bodies = floor_bodies(courses["one message"], series=10 + number)
            results, wall = in_threads(CLIENTS, enrol(floor_base + ONE_MESSAGE, bodies), ATTEMPTS)
            bursts["one message"].append(
                Burst("one message", courses["one message"], results, wall)
            )
    bare_after, _clients = bare_rounds(first)

    floor_failed = [
        a
        for way in ("floor", "one message")
        for b in bursts[way]
        for a in b.attempts
        if a.status != 201 or a.error
    ]
    # The decision taken by the database is exact too: 25 confirmed in each round.
    confirmed = [
        b.course.enrolments.filter(status="confirmed").count() for b in bursts["one message"]
    ]
    bare = max(bare_before, bare_after)
    floor_rates = [b.rate for b in bursts["floor"]]
    attempts = ROUNDS * ATTEMPTS

    def rates(way: str) -> str:
        return "/".join(f"{b.rate:,.0f}" for b in bursts[way])

    print(
        f"\n[bench enrolment] bare single-row-lock transactions on {WORKERS} connections: "
        f"{bare_before:,.0f} tx/s before the bursts, {bare_after:,.0f} tx/s after (on "
        f"{CLIENTS} connections {bare_clients:,.0f} tx/s)\n"
        f"[bench enrolment] minimal Django view (FOR UPDATE + count + insert, a gunicorn like "
        f"the project's), {ROUNDS} rounds: {rates('floor')} enrolments/s "
        f"({len(floor_failed)} not 201); to the bare loop {_median(floor_rates) / bare:.2f}; "
        f"{lock_figures(floor_log, FLOOR, attempts)}\n"
        f"[bench enrolment] the same in one message (the decision taken by the database: BEGIN, "
        f"the lock, the insert, the count, COMMIT sent together; no round trip while locked), "
        f"{ROUNDS} rounds: {rates('one message')} enrolments/s, confirmed {confirmed}; to the "
        f"bare loop {_median([b.rate for b in bursts['one message']]) / bare:.2f}; "
        f"{lock_figures(floor_log, ONE_MESSAGE, attempts)}"
    )
    print(f"[bench enrolment] load average (1, 5, 15 min) after the run: {load()}")
    for way, path in (("verified", VERIFY), ("staff", DESK)):
        ratios = [b.rate / f for b, f in zip(bursts[way], floor_rates, strict=True)]
        print(
            f"[bench enrolment] {bursts[way][0].name}: {rates(way)} enrolments/s = "
            + "/".join(f"{r:.2f}" for r in ratios)
            + f" x the minimal view in the same round (median {_median(ratios):.2f}, target "
            f">= {FLOOR_RATIO}), {_median([b.rate for b in bursts[way]]) / bare:.2f} x the "
            f"faster bare loop (target >= {BARE_RATIO}); "
            f"{lock_figures(project_log, path, attempts)}"
        )
    assert not floor_failed, [(a.number, a.status, a.error or a.body) for a in floor_failed[:5]]
    assert confirmed == [CAPACITY] * ROUNDS, confirmed
    for way in ("verified", "staff"):
        for burst in bursts[way]:
            report_and_check(burst)
