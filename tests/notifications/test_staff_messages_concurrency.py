"""The same message sent twice at the same moment (a double click reaching two web workers, a
client retrying while the first request still runs) is sent once: the message's key is unique
in the database, so the second insert waits for the first and then fails, and the second
request answers with the first message.

The race is made to happen: both requests meet at a barrier right after looking for an earlier
message with their key, so both find none. The control gives each request a key of its own
(as if there were no idempotency key): both are then sent, everyone gets two SMS."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from notifications.models import OutboundMessage, StaffMessage
from notifications.services import messages
from tests.factories import CourseFactory, UserFactory
from tests.notifications.staff_people import people_of
from tests.threads import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TEXT = "Zajęcia dziś odwołane."


@pytest.fixture
def sending(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[Any]]:
    course = CourseFactory()
    people_of(course)
    author = UserFactory(staff_of=[course.centre])
    looked = threading.Barrier(2, timeout=10)
    first_look: set[int] = set()
    real = messages._sent_already

    def meeting(key: str) -> Any:
        found = real(key)
        if threading.get_ident() not in first_look:  # both have looked before either writes
            first_look.add(threading.get_ident())
            looked.wait()
        return found

    monkeypatch.setattr(messages, "_sent_already", meeting)

    def send() -> Any:
        return messages.staff_message_send(
            actor=author, course=course, audience="confirmed", text=TEXT
        )

    def both() -> list[Any]:
        results, errors = all_at_once([send, send])
        assert not errors, errors
        return results

    return both


def test_two_identical_requests_at_once_send_once(sending) -> None:
    results = sending()

    assert sorted(r.repeated for r in results) == [False, True]
    assert len({r.message.pk for r in results}) == 1
    assert StaffMessage.objects.count() == 1
    assert OutboundMessage.objects.count() == 3  # Anna, Olena, Ivan: once each


def test_control_without_the_shared_key_both_are_sent(sending, monkeypatch) -> None:
    keys = iter(["a" * 64, "b" * 64])
    lock = threading.Lock()

    def own_key(**_kwargs: Any) -> str:
        with lock:
            return next(keys)

    monkeypatch.setattr(messages, "message_key", own_key)

    results = sending()

    assert [r.repeated for r in results] == [False, False]
    assert StaffMessage.objects.count() == 2
    assert OutboundMessage.objects.count() == 6  # everyone twice
