"""Old SMS texts are deleted after SMS_BODY_RETENTION_DAYS; what cost reports need stays, and
messages still to go are never touched."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courses.models import Participant
from courses.services.participants import ParticipantData, participant_upsert
from notifications.models import MessageKind, MessageStatus, OutboundMessage
from notifications.services.privacy import message_bodies_retention
from notifications.tasks import bodies_retention

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2027, 6, 1, 12, tzinfo=WARSAW)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(settings):
    settings.SMS_BODY_RETENTION_DAYS = 90
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def olena(centre) -> Participant:
    return participant_upsert(
        centre=centre,
        data=ParticipantData(name="Olena", phone="+48601000001", sms_consent=True),
    )


def message(olena, n: int, *, status: str, sent_days_ago: int | None, planned_days_ago: int):
    row = OutboundMessage.objects.create(
        kind=MessageKind.REMINDER,
        participant=olena,
        dedupe_key=f"test:{n}",
        status=status,
        due_at=NOW - timedelta(days=planned_days_ago),
        sent_at=NOW - timedelta(days=sent_days_ago) if sent_days_ago is not None else None,
        phone=olena.phone,
        body=f"Reminder {n}: Polish A1, 5.01 at 18:00, Sala 1.",
        context={"place": "Sala 1", "link": "https://example.org/me/secret/"},
        segments=1,
        encoding="GSM-7",
    )
    OutboundMessage.objects.filter(pk=row.pk).update(
        created_at=NOW - timedelta(days=planned_days_ago)
    )
    row.refresh_from_db()
    return row


def test_texts_of_old_messages_are_cleared_and_the_cost_data_kept(olena) -> None:
    old = message(olena, 1, status=MessageStatus.DELIVERED, sent_days_ago=100, planned_days_ago=101)
    recent = message(olena, 2, status=MessageStatus.SENT, sent_days_ago=10, planned_days_ago=11)
    # planned long ago but sent recently: the sending time counts
    late = message(olena, 3, status=MessageStatus.SENT, sent_days_ago=5, planned_days_ago=120)
    never = message(olena, 4, status=MessageStatus.SKIPPED, sent_days_ago=None, planned_days_ago=95)

    assert message_bodies_retention() == 2

    for row in (old, recent, late, never):
        row.refresh_from_db()
    assert (old.body, old.context) == ("", {})
    assert (never.body, never.context) == ("", {})
    assert old.status == MessageStatus.DELIVERED
    assert (old.kind, old.segments, old.encoding) == (MessageKind.REMINDER, 1, "GSM-7")
    assert old.sent_at == NOW - timedelta(days=100)
    assert recent.body.startswith("Reminder 2")
    assert late.body.startswith("Reminder 3")
    assert message_bodies_retention() == 0  # nothing left to clear


@pytest.mark.parametrize(
    "status", [MessageStatus.PENDING, MessageStatus.CLAIMED, MessageStatus.SENDING]
)
def test_messages_still_to_go_are_untouched(olena, status) -> None:
    waiting = message(olena, 1, status=status, sent_days_ago=None, planned_days_ago=200)
    assert message_bodies_retention() == 0
    waiting.refresh_from_db()
    assert waiting.body
    assert waiting.context


def test_zero_days_keeps_every_text(settings, olena) -> None:
    settings.SMS_BODY_RETENTION_DAYS = 0
    old = message(olena, 1, status=MessageStatus.SENT, sent_days_ago=1000, planned_days_ago=1000)
    assert bodies_retention() == 0
    old.refresh_from_db()
    assert old.body


def test_the_daily_task_returns_how_many_were_cleared(olena) -> None:
    message(olena, 1, status=MessageStatus.SENT, sent_days_ago=91, planned_days_ago=91)
    assert bodies_retention() == 1
