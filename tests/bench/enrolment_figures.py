"""The enrolment bench's figures and its check of one burst: what the database holds after
500 attempts at 25 seats, the client's order against the server's, and the course lock's hold as
the workers recorded it (`tests.bench.timed_app`)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from django.db.models import Count

from courses.models import ACTIVE_STATUSES, Course, Enrolment, EnrolmentStatus, Participant
from courses.selectors.seats import waitlist_position
from tests.bench.enrolment_burst import (
    ATTEMPTS,
    CAPACITY,
    CLIENTS,
    LOCK_MS,
    STATEMENTS_IN_LOCK,
    WORKERS,
    Attempt,
)


def _pairs_in_order(ranks: list[int]) -> float:
    """Share of pairs that keep their order (1.0: the same order, 0.5: unrelated)."""
    kept = total = 0
    for i, rank in enumerate(ranks):
        for later in ranks[i + 1 :]:
            total += 1
            kept += rank < later
    return kept / total if total else 1.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


@dataclass
class Burst:
    """One way in, measured: the attempts, the wall time, what the database holds."""

    name: str
    course: Course
    attempts: list[Attempt]
    wall: float

    @property
    def rate(self) -> float:
        return ATTEMPTS / self.wall


def report_and_check(burst: Burst) -> None:
    """Print the burst's figures, then assert the promise (all 201, 25 seated in arrival order,
    the rest waiting in it, each told their place, nobody twice)."""
    course, attempts = burst.course, sorted(burst.attempts, key=lambda a: a.sent)
    # What the database holds, in the waitlist's own order and in arrival order.
    enrolments = list(
        Enrolment.objects.filter(course=course).order_by("-priority", "created_at", "id")
    )
    arrival = sorted(enrolments, key=lambda e: (e.created_at, e.pk))
    confirmed = [e for e in enrolments if e.status == EnrolmentStatus.CONFIRMED]
    waiting = [e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED]
    positions = {e.pk: waitlist_position(e) for e in waiting}
    doubles = (
        Enrolment.objects.filter(course=course, status__in=ACTIVE_STATUSES)
        .values("participant")
        .annotate(places=Count("id"))
        .filter(places__gt=1)
        .count()
    )
    answered = [a for a in attempts if a.status == 201 and "id" in a.body]
    told = {a.body["id"]: (a.body.get("status"), a.body.get("position")) for a in answered}
    held = {e.pk: (e.status, positions.get(e.pk)) for e in enrolments}

    # The client's send order against the order the server took them in (reported only).
    server_rank = {e.pk: rank for rank, e in enumerate(arrival)}
    ranks = [server_rank[a.body["id"]] for a in answered if a.body["id"] in server_rank]
    seats_to_first_sent = sum(rank < CAPACITY for rank in ranks[:CAPACITY])
    displacement = max((abs(rank - sent) for sent, rank in enumerate(ranks)), default=0)

    latencies = sorted(a.latency for a in attempts)
    statuses = Counter(a.status for a in attempts)
    print(
        f"\n[bench enrolment] {burst.name}: {ATTEMPTS} attempts from {CLIENTS} client threads "
        f"at one course of {CAPACITY} seats, gunicorn {WORKERS} sync workers: "
        f"{burst.wall:.2f} s = {burst.rate:,.0f} enrolments/s; latency "
        f"p50 {_ms(latencies[len(latencies) // 2])}, "
        f"p95 {_ms(latencies[int(len(latencies) * 0.95)])}, max {_ms(latencies[-1])}\n"
        f"[bench enrolment] {burst.name}: answers {dict(sorted(statuses.items()))}; in the "
        f"database {len(confirmed)} confirmed, {len(waiting)} waitlisted (positions "
        f"{min(positions.values(), default=0)}..{max(positions.values(), default=0)}), "
        f"{doubles} people with two places\n"
        f"[bench enrolment] {burst.name}: server order against client send order: "
        f"{_pairs_in_order(ranks):.1%} of pairs kept, {seats_to_first_sent} of the first "
        f"{CAPACITY} sent got the seats, displaced by at most {displacement} places"
    )
    failed = [a for a in attempts if a.status != 201 or a.error]
    assert not failed, [(a.number, a.status, a.error or a.body) for a in failed[:10]]
    assert len(enrolments) == ATTEMPTS
    assert Participant.objects.filter(centre=course.centre).count() == ATTEMPTS
    assert len(confirmed) == CAPACITY
    assert len(waiting) == ATTEMPTS - CAPACITY
    assert [positions[e.pk] for e in waiting] == list(range(1, ATTEMPTS - CAPACITY + 1))
    # Arrival order: first come, first seated, then the waitlist in the same order; creation
    # times (taken under the lock) strictly rise, and the ids (one sequence) rise with them.
    assert arrival[:CAPACITY] == confirmed
    assert arrival[CAPACITY:] == waiting
    assert all(a.created_at < b.created_at for a, b in pairwise(arrival))
    assert [e.pk for e in arrival] == sorted(e.pk for e in arrival)
    assert told == held  # each was told their status and the position they hold
    assert doubles == 0


def lock_figures(log: Path, path: str, attempts: int) -> str:
    """The course row's lock, as the workers recorded it for requests to `path`: how long it
    was held, and of that (medians) the wait for the database (the statements run while locked
    and the COMMIT, round trips included), the worker's own CPU, and the rest: the wait for a
    core while other processes ran."""
    rows = [line.split() for line in log.read_text().splitlines()]
    mine = [
        (float(held), int(total), int(locked), float(waited), float(cpu))
        for where, held, total, locked, waited, cpu in rows
        if where == path
    ]
    assert len(mine) == attempts, (path, len(mine))
    held = sorted(row[0] for row in mine)
    total = statistics.median(row[1] for row in mine)
    locked = statistics.median(row[2] for row in mine)
    waited = statistics.median(row[3] for row in mine)
    cpu = statistics.median(row[4] for row in mine)
    rest = statistics.median(row[0] - row[3] - row[4] for row in mine)
    return (
        f"course row locked median {held[len(held) // 2] * 1000:.2f} ms, p95 "
        f"{held[int(len(held) * 0.95)] * 1000:.2f} ms (target <= {LOCK_MS:.0f} ms; of it "
        f"{waited * 1000:.2f} ms in the database, {cpu * 1000:.2f} ms the worker's CPU, "
        f"{rest * 1000:.2f} ms waiting for a core); statements per enrolment {total:.0f}, "
        f"{locked:.0f} of them while locked (target <= {STATEMENTS_IN_LOCK}; the rate "
        f"limit's and BEGIN/COMMIT not counted)"
    )
