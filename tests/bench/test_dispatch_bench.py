"""The SMS dispatcher: the cost of a pass does not grow with the messages planned for later, and
10,000 due messages go out once each.

- a pass over 100 due messages with 1,000 and with 1,000,000 messages planned for later: the
  same number of queries, and nearly the same time (median of several passes, each over fresh
  due messages); an idle pass (nothing due) for both, too;
- 10,000 due messages through the real Twilio SDK to the local Twilio double: time taken,
  messages per second, none twice.

Prints the figures as `[bench dispatch]` lines. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from courses.models import Course, Enrolment, EnrolmentStatus, Participant
from notifications import texts
from notifications.backends import memory
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services import dispatch as services
from tests.bench.counting import QueryCounter
from tests.factories import CourseFactory
from tests.notifications.twilio_double import TwilioDouble

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "bench-token"
SERVICE_SID = "MG" + "0" * 32

FEW_LATER = 1_000
MANY_LATER = 1_000_000
DUE = 100
PASSES = 7
IDLE_PASSES = 20
CHUNK = 100_000  # future rows per INSERT
INSERT_BUDGET = 60.0  # seconds; past it, the many-later case stops short and says so
TARGET_RATIO = 3.0  # "near 1"
THROUGHPUT = 10_000


def _enrolled(count: int) -> tuple[Course, list[Enrolment]]:
    """A course with `count` confirmed people who agreed to SMS."""
    course = CourseFactory(capacity=count, start_date=date(2027, 1, 5))
    people = Participant.objects.bulk_create(
        (
            Participant(
                centre=course.centre, name=f"Osoba {n}", phone=f"+48601{n:06d}", sms_consent=True
            )
            for n in range(1, count + 1)
        ),
        batch_size=1000,
    )
    enrolled = Enrolment.objects.bulk_create(
        (
            Enrolment(participant=person, course=course, status=EnrolmentStatus.CONFIRMED)
            for person in people
        ),
        batch_size=1000,
    )
    return course, enrolled


def _due(course: Course, enrolled: list[Enrolment], variant: str) -> list[OutboundMessage]:
    """A confirmation notice for each enrolment, due a minute ago."""
    due_at = timezone.now() - timedelta(minutes=1)
    return OutboundMessage.objects.bulk_create(
        (
            OutboundMessage(
                kind=MessageKind.ENROLMENT_CONFIRMED,
                participant=enrolment.participant,
                enrolment=enrolment,
                dedupe_key=f"{MessageKind.ENROLMENT_CONFIRMED}:e{enrolment.pk}:s-:{variant}",
                due_at=due_at,
                context=texts.message_context(
                    course=course, session=None, participant=enrolment.participant
                ),
            )
            for enrolment in enrolled
        ),
        batch_size=1000,
    )


def _later_template(course: Course, enrolment: Enrolment) -> OutboundMessage:
    """A reminder for the first session, not due for weeks: the model of the many."""
    session = course.sessions.order_by("starts_at").first()
    assert session is not None
    return OutboundMessage.objects.create(
        kind=MessageKind.REMINDER,
        participant=enrolment.participant,
        enrolment=enrolment,
        session=session,
        dedupe_key="later:0",
        due_at=session.starts_at - timedelta(hours=24),
        expires_at=session.starts_at,
        context=texts.message_context(
            course=course, session=session, participant=enrolment.participant
        ),
    )


def _insert_later(template: OutboundMessage, first: int, last: int) -> None:
    """Copies of the template numbered first..last (one INSERT ... SELECT on the server)."""
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    columns = [
        f.column for f in OutboundMessage._meta.concrete_fields if not f.primary_key
    ]  # every column but the id
    values = [
        "'later:' || CAST(s.n AS TEXT)" if column == "dedupe_key" else f"t.{column}"
        for column in columns
    ]
    if connection.vendor == "postgresql":
        series = "generate_series(%s, %s) AS s(n)"
        prefix = ""
    else:
        series = "s"
        prefix = "WITH RECURSIVE s(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM s WHERE n < %s) "
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) {prefix}"  # noqa: S608 - our own names
        f"SELECT {', '.join(values)} FROM {table} AS t, {series} WHERE t.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, last, template.pk])


def _grow_later(template: OutboundMessage, target: int, budget: float) -> tuple[int, float]:
    """Messages planned for later up to `target` (counting the template), in chunks, stopping
    early once `budget` seconds are spent. Returns (how many there are, seconds taken)."""
    started = time.perf_counter()
    have = OutboundMessage.objects.filter(dedupe_key__startswith="later:").count()
    while have < target and time.perf_counter() - started < budget:
        chunk = min(CHUNK, target - have)
        _insert_later(template, have, have + chunk - 1)
        have += chunk
    return have, time.perf_counter() - started


def _timed_pass() -> tuple[services.PassResult, int, float]:
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = services.dispatch_pass()
    return result, counter.queries, time.perf_counter() - started


def _passes(course: Course, enrolled: list[Enrolment], label: str) -> dict[str, Any]:
    """PASSES passes, each over DUE fresh due messages, then IDLE_PASSES with nothing due."""
    busy: list[float] = []
    queries: set[int] = set()
    for n in range(PASSES):
        _due(course, enrolled, f"{label}-{n}")
        result, count, seconds = _timed_pass()
        assert result.sent == DUE
        busy.append(seconds)
        queries.add(count)
    idle: list[float] = []
    idle_queries: set[int] = set()
    for _ in range(IDLE_PASSES):
        result, count, seconds = _timed_pass()
        assert result.sent == 0
        idle.append(seconds)
        idle_queries.add(count)
    assert len(queries) == 1  # every busy pass makes the same queries
    assert len(idle_queries) == 1
    return {
        "busy": statistics.median(busy),
        "idle": statistics.median(idle),
        "queries": queries.pop(),
        "idle_queries": idle_queries.pop(),
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def test_bench_a_pass_costs_the_same_with_a_million_messages_planned_for_later(
    settings: Any,
) -> None:
    settings.SMS_BACKEND = "memory"
    settings.SMS_DISPATCH_BATCH = 200
    memory.outbox.clear()
    course, enrolled = _enrolled(DUE)
    template = _later_template(course, enrolled[0])

    few, _seconds = _grow_later(template, FEW_LATER, INSERT_BUDGET)
    few_figures = _passes(course, enrolled, "few")
    many, load = _grow_later(template, MANY_LATER, INSERT_BUDGET)
    many_figures = _passes(course, enrolled, "many")

    pending_later = OutboundMessage.objects.filter(status=MessageStatus.PENDING).count()
    assert pending_later == many  # the passes sent only what was due
    sent = (PASSES * 2) * DUE
    assert len(memory.outbox) == sent
    assert OutboundMessage.objects.filter(status=MessageStatus.SENT).count() == sent
    ratio = many_figures["busy"] / few_figures["busy"]
    idle_ratio = many_figures["idle"] / few_figures["idle"]
    short = "" if many == MANY_LATER else f" (stopped short of {MANY_LATER:,}: insert budget)"
    print(
        f"\n[bench dispatch] {connection.vendor}: a pass over {DUE} due messages, median of "
        f"{PASSES}: {_ms(few_figures['busy'])} with {few:,} planned for later, "
        f"{_ms(many_figures['busy'])} with {many:,}{short} (inserted in {load:.1f} s); "
        f"ratio {ratio:.2f} (target < {TARGET_RATIO:g}); queries per pass "
        f"{few_figures['queries']} and {many_figures['queries']}\n"
        f"[bench dispatch] idle pass (nothing due), median of {IDLE_PASSES}: "
        f"{_ms(few_figures['idle'])} and {_ms(many_figures['idle'])}, ratio {idle_ratio:.2f}; "
        f"queries {few_figures['idle_queries']} and {many_figures['idle_queries']}"
    )
    assert few_figures["queries"] == many_figures["queries"]
    assert few_figures["idle_queries"] == many_figures["idle_queries"]
    assert ratio < TARGET_RATIO
    assert idle_ratio < TARGET_RATIO


def _until_nothing_due(dispatch: Callable[[], services.PassResult]) -> tuple[int, int]:
    """Passes until one finds nothing: (passes, messages sent)."""
    passes = sent = 0
    while True:
        result = dispatch()
        passes += 1
        sent += result.sent
        if not (result.sent + result.skipped + result.failed + result.retried + result.unknown):
            return passes, sent


def test_bench_ten_thousand_due_messages_go_out_once_each(settings: Any) -> None:
    """Through the real Twilio SDK to the local Twilio double, as in production."""
    double = TwilioDouble(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN).start()
    try:
        settings.SMS_BACKEND = "twilio"
        settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
        settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
        settings.TWILIO_MESSAGING_SERVICE_SID = SERVICE_SID
        settings.TWILIO_FROM = ""
        settings.TWILIO_API_BASE_URL = double.base_url
        settings.PUBLIC_BASE_URL = "https://integra.example.org"
        settings.SMS_DISPATCH_BATCH = 200
        started = time.perf_counter()
        course, enrolled = _enrolled(THROUGHPUT)
        _due(course, enrolled, "")
        setup = time.perf_counter() - started

        started = time.perf_counter()
        passes, sent = _until_nothing_due(services.dispatch_pass)
        seconds = time.perf_counter() - started
    finally:
        double.stop()

    print(
        f"\n[bench dispatch] {connection.vendor}: {sent:,} due messages sent to the Twilio "
        f"double through the SDK in {seconds:.1f} s ({sent / seconds:,.0f} messages/s; "
        f"{passes} passes of up to {settings.SMS_DISPATCH_BATCH}; setup {setup:.1f} s)"
    )
    assert sent == THROUGHPUT
    assert len(double.received) == THROUGHPUT  # no request twice
    assert len({r.to for r in double.received}) == THROUGHPUT
    sids = {message["sid"] for message in double.created}
    rows = OutboundMessage.objects.all()
    assert set(rows.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert set(rows.values_list("provider_id", flat=True)) == sids
