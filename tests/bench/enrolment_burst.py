"""The enrolment bench's tools: gunicorn on the test database, client threads released at once,
the SMS codes asked for beforehand, the bodies of each way in, the bare row-lock loop, and the
check and figures of one burst (`tests/bench/test_enrolment_bench.py`)."""

from __future__ import annotations

import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import override_settings

from courses.models import Course, Participant
from tests.bench.server import ROOT, free_port, postgres_url

ATTEMPTS = 500
CAPACITY = 25
CLIENTS = 64  # client threads, each with one request in flight
# gunicorn's suggested 2 x cores + 1 sync workers for the 2-core machine this was written on.
# The request is CPU-bound, so more concurrency only costs here: on those 2 cores 2 to 8 sync
# workers made 75-95 enrolments/s, 2 to 4 processes of 2 to 8 threads (gthread) 50-65.
WORKERS = 5
BASELINE_ROUNDS = 3
WARM_UP = 2 * CLIENTS  # reads, so that every worker has imported everything and connected
START_TIMEOUT = 30.0
REQUEST_TIMEOUT = 60.0
PROJECT_APP = "tests.bench.timed_app:application"  # the project's, timing the course lock
FLOOR_RATIO = 0.6  # targets (issue 19), printed beside the figures
BARE_RATIO = 0.15
LOCK_MS = 2.0
STATEMENTS_IN_LOCK = 6


@dataclass
class Attempt:
    number: int
    sent: float = 0.0
    latency: float = 0.0
    status: int = 0
    body: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _answers(url: str) -> bool:
    try:
        return get(url) == 200
    except OSError:  # not listening yet
        return False


@contextmanager
def gunicorn(probe_path: str, app: str = PROJECT_APP, **extra: str) -> Iterator[str]:
    """gunicorn serving `app` on a free port; yields its base URL once `probe_path` answers
    200, and always stops it (and so closes its database connections)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url(),
        "TESTING": "1",
        "DEBUG": "0",
        "ENROLMENT_RATE": "100000/hour",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        **extra,
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
    ]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _answers(base + probe_path):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"gunicorn did not start:\n{log.read().decode()[-3000:]}")
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.seek(0)
            # All but gunicorn's own start and stop lines: Django's warnings and tracebacks.
            said = [
                line
                for line in log.read().decode(errors="replace").splitlines()
                if "] [INFO] " not in line and not line.startswith("AXES: BEGIN")
            ]
            if said:
                print("\n[bench enrolment] server log:\n" + "\n".join(said[:30]))


def in_threads(threads: int, work: Callable[[int], Any], items: int) -> tuple[list[Any], float]:
    """Run `work(n)` for n in 0..items-1 on `threads` threads released together (each thread
    first runs `work(-1)` to prepare, e.g. to connect); the results and the wall time."""
    jobs: queue.SimpleQueue[int] = queue.SimpleQueue()
    for number in range(items):
        jobs.put(number)
    ready = threading.Barrier(threads + 1, timeout=START_TIMEOUT)
    results: list[Any] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work(-1)
            ready.wait()
            while True:
                try:
                    number = jobs.get_nowait()
                except queue.Empty:
                    return
                results.append(work(number))
        except BaseException as exc:  # reported below
            failures.append(exc)
            ready.abort()

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    assert not failures, failures[:3]
    return results, elapsed


def codes(course: Course, people: int, series: int) -> list[dict[str, str]]:
    """Each person has asked for a place and holds the SMS code (made as gunicorn will read
    it); the burst is the step that takes the seats: POST verify/ with the code."""
    from courses.services.participants import ParticipantData
    from courses.services.verification import verification_start
    from tests.verification import sms_code

    with override_settings(SECRET_KEY="bench"):
        made = [
            verification_start(
                course=course,
                person=ParticipantData(
                    name=f"Osoba {number + 1}",
                    phone=f"+4860{series}{number + 1:06d}",
                    language="uk",
                    sms_consent=True,
                ),
                channel="api",
                client=f"bench-{number}",
            ).verification.public_id
            for number in range(people)
        ]
    return [{"verification": public_id, "code": sms_code(public_id)} for public_id in made]


def enrol(
    url: str, bodies: list[dict[str, Any]], **headers: str
) -> Callable[[int], Attempt | None]:
    def attempt(number: int) -> Attempt | None:
        if number < 0:
            return None
        payload = bodies[number]
        request = urllib.request.Request(  # noqa: S310
            url,
            data=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                **headers,
            },
            method="POST",
        )
        result = Attempt(number)
        result.sent = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
                result.status, raw = int(response.status), response.read()
        except urllib.error.HTTPError as exc:
            result.status, raw = exc.code, exc.read()
        except OSError as exc:  # refused, reset, timed out: counted as an error
            result.latency = time.perf_counter() - result.sent
            result.error = repr(exc)
            return result
        result.latency = time.perf_counter() - result.sent
        try:
            result.body = json.loads(raw)
        except ValueError:
            result.error = raw.decode(errors="replace")[:300]
        return result

    return attempt


def _bare_lock_loop(course: Course, transactions: int, threads: int) -> float:
    """Seconds for `transactions` transactions, on `threads` connections at once, each locking
    the course row and writing it: no enrolment serialised on that row can go faster."""
    db = connection.settings_dict
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }
    local = threading.local()
    connections: list[psycopg.Connection[Any]] = []

    def transaction(number: int) -> None:
        if number < 0:
            local.conn = psycopg.connect(**{k: v for k, v in params.items() if v is not None})
            connections.append(local.conn)
            return
        conn = local.conn
        with conn.cursor() as cursor:  # not autocommit: psycopg sends BEGIN first
            cursor.execute("SELECT id FROM courses_course WHERE id = %s FOR UPDATE", [course.pk])
            cursor.fetchone()
            cursor.execute(
                "UPDATE courses_course SET revision = revision WHERE id = %s", [course.pk]
            )
        conn.commit()

    try:
        _results, elapsed = in_threads(threads, transaction, transactions)
    finally:
        for conn in connections:
            conn.close()
    return elapsed


def load() -> str:
    """The machine's load average: the figures are only as steady as the machine was idle."""
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def desk_bodies(course: Course, series: int) -> list[dict[str, Any]]:
    return [
        {
            "course": course.pk,
            "participant": {
                "name": f"Osoba {number + 1}",
                "phone": f"+4860{series}{number + 1:06d}",
                "language": "uk",
                "sms_consent": True,
            },
        }
        for number in range(ATTEMPTS)
    ]


def floor_bodies(course: Course, series: int) -> list[dict[str, Any]]:
    """The minimal view adds nobody: the people are there already."""
    people = Participant.objects.bulk_create(
        Participant(centre=course.centre, name=f"Osoba {n + 1}", phone=f"+4860{series}{n + 1:06d}")
        for n in range(ATTEMPTS)
    )
    return [{"course": course.pk, "participant": person.pk} for person in people]


def bare_rounds(course: Course) -> tuple[float, float]:
    """The bare loop's rate (tx/s) on WORKERS and on CLIENTS connections, medians of rounds."""
    on_workers = statistics.median(
        _bare_lock_loop(course, ATTEMPTS, WORKERS) for _ in range(BASELINE_ROUNDS)
    )
    on_clients = statistics.median(
        _bare_lock_loop(course, ATTEMPTS, CLIENTS) for _ in range(BASELINE_ROUNDS)
    )
    return ATTEMPTS / on_workers, ATTEMPTS / on_clients
