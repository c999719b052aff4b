"""The dispatcher run by real Celery workers on a real broker (CI: Redis).

Each test has a queue of its own, so that no other worker on the same broker (another test
process, the scheduling worker test) takes its tasks, and it takes none of theirs. The worker in
this process shares `notifications.backends.memory.outbox` with the test.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.db import connection, transaction
from kombu import Exchange, Queue

from config.celery import app
from courses.models import Course, Enrolment
from courses.services import enrolment as enrolments
from courses.services.participants import ParticipantData, participant_upsert
from notifications import tasks
from notifications.backends import memory
from notifications.models import MessageKind, MessageStatus, OutboundMessage, PhoneOptOut
from notifications.services import dispatch
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parents[2]
DEADLINE = 20.0  # seconds to wait for a worker to do something
APPLICATION = "killed-dispatch-worker"  # how the killed worker's database sessions are known


@pytest.fixture(autouse=True)
def _memory_backend(settings: Any) -> None:
    settings.SMS_BACKEND = "memory"
    memory.outbox.clear()


@pytest.fixture
def queue() -> Iterator[str]:
    if not django_settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip(
            "needs a Redis broker (CELERY_BROKER_URL=redis://127.0.0.1:6379/0; CI sets it): "
            "starts real workers"
        )
    name = f"test-dispatch-{uuid.uuid4().hex[:12]}"
    yield name
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        # A killed worker leaves its task unacknowledged: Redis keeps it to hand it back to the
        # queue after the visibility timeout. Drop it with the queue.
        for tag, entry in channel.client.hscan_iter(channel.unacked_key):
            if json.loads(entry)[2] == name:  # (message, exchange, routing key)
                channel.client.zrem(channel.unacked_index_key, tag)
                channel.client.hdel(channel.unacked_key, tag)
        declared = Queue(name, Exchange(name), routing_key=name)(channel)
        declared.declare()
        declared.delete()  # the queue, and its binding to its exchange


@contextlib.contextmanager
def worker_in_this_process(queue: str) -> Iterator[None]:
    from celery.contrib.testing.worker import start_worker

    # A worker given queues narrows what the app consumes for good (`Queues.select`), and a
    # later worker started without queues (tests/test_celery_worker.py) would inherit it.
    queues = app.amqp.queues
    consume_from = queues._consume_from
    try:
        with start_worker(
            app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=10
        ):
            yield
    finally:
        queues._consume_from = consume_from


@contextlib.contextmanager
def finished_tasks() -> Iterator[threading.Semaphore]:
    """Released once each time a task finishes in this process."""
    done = threading.Semaphore(0)

    def release(**kwargs: Any) -> None:
        done.release()

    task_postrun.connect(release, weak=False)
    try:
        yield done
    finally:
        task_postrun.disconnect(release)


def dispatch_through(queue: str) -> None:
    tasks.dispatch.apply_async(queue=queue)


def wait_for(condition: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
    give_up = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < give_up, f"gave up waiting for {what}"
        time.sleep(0.1)


def enrol(course: Course, n: int) -> Enrolment:
    person = participant_upsert(
        centre=course.centre,
        data=ParticipantData(
            name=f"Osoba {n}", phone=f"+4860100{n:04d}", language="pl", sms_consent=True
        ),
    )
    return enrolments.enrolment_create(course=course, participant=person)


def notices() -> Any:
    return OutboundMessage.objects.exclude(kind=MessageKind.REMINDER).select_related("participant")


def statuses() -> Counter[str]:
    return Counter(notices().values_list("status", flat=True))


def test_a_worker_sends_the_enrolment_notice_once(queue: str) -> None:
    course = CourseFactory(capacity=1, start_date=date(2027, 1, 5))
    seated, waiting = enrol(course, 1), enrol(course, 2)
    assert {(m.participant_id, m.kind) for m in notices()} == {
        (seated.participant_id, MessageKind.ENROLMENT_CONFIRMED),
        (waiting.participant_id, MessageKind.WAITLISTED),
    }

    with worker_in_this_process(queue), finished_tasks() as done:
        dispatch_through(queue)
        wait_for(lambda: statuses() == {MessageStatus.SENT: 2}, "both notices sent")
        assert done.acquire(timeout=DEADLINE)
        dispatch_through(queue)  # a second pass finds nothing due
        assert done.acquire(timeout=DEADLINE)

    sent_to = Counter(sms.to for sms in memory.outbox)
    assert sent_to == {seated.participant.phone: 1, waiting.participant.phone: 1}
    for message in notices():
        [sms] = [sms for sms in memory.outbox if sms.provider_id == message.provider_id]
        assert sms.to == message.participant.phone
        assert sms.body == message.body


def _test_database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}?application_name={APPLICATION}"
    )


def _worker_process(queue: str, log: Path) -> subprocess.Popen[bytes]:
    """`celery -A config worker` (one process: the solo pool) on this test database."""
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        "CONN_MAX_AGE": "0",
        "SMS_BACKEND": "memory",
        "TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        f"--queues={queue}",
        f"--hostname={queue}@%h",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=INFO",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _worker_sessions() -> list[tuple[Any, ...]]:
    """The killed worker's database sessions: (pid, state, lock it waits for, query)."""
    with connection.cursor() as cursor:
        # Within a transaction, pg_stat_activity is read once and kept: read it afresh.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT a.pid, a.state, l.relation::regclass::text, l.mode, a.query "
            "FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted "
            "WHERE a.application_name = %s",
            [APPLICATION],
        )
        return cursor.fetchall()


def _waiting_for_the_opt_outs() -> bool:
    """One worker session waits for the opt-out table (locked by this test)."""
    table = PhoneOptOut._meta.db_table
    return [lock for _pid, _state, lock, _mode, _query in _worker_sessions()] == [table]


def test_a_worker_killed_mid_pass_leaves_nothing_unsent_nor_sent_twice(
    queue: str, tmp_path: Path
) -> None:
    """A worker is SIGKILLed while it is inside a pass: it has claimed every due message and is
    held on its way to the first send (the opt-out check waits for a table lock this test
    holds). Within its lease (SMS_CLAIM_LEASE_SECONDS) nobody touches the claimed rows; past
    it, and within two minutes of the claim, a worker restarted in this process puts them back
    and sends each exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "the killed worker is another process on the test database: needs PostgreSQL "
            "(DATABASE_URL=postgres://...; the SQLite test database lives in this process)"
        )
    course = CourseFactory(capacity=5, start_date=date(2027, 1, 5))
    people = [enrol(course, n).participant for n in range(1, 6)]
    assert statuses() == {MessageStatus.PENDING: 5}
    log = tmp_path / "worker.log"

    worker = _worker_process(queue, log)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {PhoneOptOut._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            dispatch_through(queue)
            try:
                wait_for(
                    lambda: (
                        statuses() == {MessageStatus.CLAIMED: 5} and _waiting_for_the_opt_outs()
                    ),
                    "the worker to claim the messages and wait for the opt-outs",
                )
            except AssertionError as exc:
                raise AssertionError(
                    f"{exc}\nmessages: {dict(statuses())}\n"
                    f"worker sessions: {_worker_sessions()}\n{log.read_text()}"
                ) from None
            worker.send_signal(signal.SIGKILL)
            assert worker.wait(timeout=DEADLINE) == -signal.SIGKILL
        # The lock is released: the dead worker's database session ends on its next write.
        wait_for(lambda: not _worker_sessions(), "the killed worker's database session to end")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    rows = list(notices())
    assert {(m.status, m.attempts, m.provider_id) for m in rows} == {(MessageStatus.CLAIMED, 0, "")}
    assert memory.outbox == []

    with worker_in_this_process(queue), finished_tasks() as done:
        dispatch_through(queue)  # restarted at once: the claimed rows are left alone
        assert done.acquire(timeout=DEADLINE)
        assert statuses() == {MessageStatus.CLAIMED: 5}
        assert memory.outbox == []

        claimed_at = max(m.claimed_at for m in notices())
        later = claimed_at + dispatch.lease() + timedelta(seconds=1)
        assert later - claimed_at <= timedelta(minutes=2)
        with time_machine.travel(later, tick=True):
            dispatch_through(queue)
            wait_for(lambda: statuses() == {MessageStatus.SENT: 5}, "the messages to be sent")
            assert done.acquire(timeout=DEADLINE)

    assert Counter(sms.to for sms in memory.outbox) == {p.phone: 1 for p in people}
    assert len({sms.provider_id for sms in memory.outbox}) == 5
    assert {m.attempts for m in notices()} == {1}
