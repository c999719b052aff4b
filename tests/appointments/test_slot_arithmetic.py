"""The slot arithmetic and language matching, without a database (appointments.slots)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from appointments.slots import (
    Hours,
    free_slots,
    interpreters_for,
    session_slots,
    slot_at,
    specialist_languages,
    timing_refusal,
)

WARSAW = ZoneInfo("Europe/Warsaw")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WARSAW)


TUESDAY = date(2027, 3, 2)


def test_duty_hours_are_cut_into_slots_with_breaks_and_a_short_remainder_dropped() -> None:
    slots = session_slots(at(TUESDAY, 10), at(TUESDAY, 13), 40, 10)
    starts = [s.astimezone(WARSAW).strftime("%H:%M") for s, _e in slots]
    # 10:00, 10:50, 11:40 fit; 12:30 would end at 13:10, after the duty hours.
    assert starts == ["10:00", "10:50", "11:40"]


def test_each_slot_lasts_the_slot_length() -> None:
    slots = session_slots(at(TUESDAY, 10), at(TUESDAY, 13), 40, 10)
    assert {e - s for s, e in slots} == {timedelta(minutes=40)}


def test_a_slot_ending_exactly_at_the_end_is_kept() -> None:
    assert len(session_slots(at(TUESDAY, 10), at(TUESDAY, 13), 30, 0)) == 6


def test_slots_across_the_autumn_switch_are_real_time() -> None:
    """Duty hours 01:00-04:00 local on the night the clocks go back last four real hours."""
    night = date(2026, 10, 25)
    start = at(night, 1)
    end = start.astimezone(UTC) + timedelta(hours=4)  # 04:00 local is four real hours later
    slots = session_slots(start, end, 60, 0)
    assert [e - s for s, e in slots] == [timedelta(hours=1)] * 4


def test_slot_at_finds_only_slot_starts() -> None:
    start, end = at(TUESDAY, 10), at(TUESDAY, 13)
    assert slot_at(start, end, 30, 0, at(TUESDAY, 10, 30)) is not None
    assert slot_at(start, end, 30, 0, at(TUESDAY, 10, 15)) is None


def test_slot_at_outside_the_duty_hours_is_none() -> None:
    assert slot_at(at(TUESDAY, 10), at(TUESDAY, 13), 30, 0, at(TUESDAY, 13)) is None


@pytest.mark.parametrize(
    ("hours_ahead", "reason"),
    [(-1, "past"), (1, "closed"), (3, None), (24 * 29, "not_open")],
)
def test_timing_refusals(hours_ahead: int, reason: str | None) -> None:
    now = at(TUESDAY, 8)
    assert timing_refusal(now + timedelta(hours=hours_ahead), now, 28, 2) == reason


def test_a_specialist_with_no_languages_consults_in_polish() -> None:
    assert specialist_languages([[], ["uk"]]) == frozenset({"pl", "uk"})


def test_a_course_without_specialists_consults_in_polish() -> None:
    assert specialist_languages([]) == frozenset({"pl"})


UK = Hours(1, frozenset({"uk", "ru"}), TUESDAY.weekday(), time(10), time(12))
KA = Hours(2, frozenset({"ka"}), TUESDAY.weekday(), time(9), time(14))


def test_an_interpreter_covers_a_slot_inside_their_hours() -> None:
    span = (at(TUESDAY, 11), at(TUESDAY, 11, 30))
    assert interpreters_for(span, "uk", WARSAW, [UK, KA], {}) == [1]


def test_an_interpreter_does_not_cover_a_slot_crossing_the_end_of_their_hours() -> None:
    span = (at(TUESDAY, 11, 45), at(TUESDAY, 12, 15))
    assert interpreters_for(span, "uk", WARSAW, [UK], {}) == []


def test_an_interpreter_booked_for_an_overlapping_time_is_not_free() -> None:
    span = (at(TUESDAY, 11), at(TUESDAY, 11, 30))
    busy = {1: [(at(TUESDAY, 11, 15), at(TUESDAY, 11, 45))]}
    assert interpreters_for(span, "uk", WARSAW, [UK], busy) == []


def test_hours_outside_their_validity_cover_nothing() -> None:
    later = Hours(1, frozenset({"uk"}), TUESDAY.weekday(), time(10), time(12), date(2027, 4, 1))
    assert interpreters_for((at(TUESDAY, 10), at(TUESDAY, 10, 30)), "uk", WARSAW, [later], {}) == []


def _free(language: str, **kwargs: object) -> list[object]:
    values: dict[str, object] = {
        "course_id": 7,
        "sessions": [(70, at(TUESDAY, 10), at(TUESDAY, 12))],
        "slot_minutes": 30,
        "buffer_minutes": 0,
        "window_days": 28,
        "cutoff_hours": 2,
        "now": at(TUESDAY, 8) - timedelta(days=1),
        "language": language,
        "spoken": frozenset({"pl"}),
        "tz": WARSAW,
        "hours": [UK],
        "busy": {},
        "taken": {},
        "blocked": set(),
    }
    values.update(kwargs)
    return free_slots(**values)  # type: ignore[arg-type]


def test_free_slots_in_the_specialists_language_need_no_interpreter() -> None:
    slots = _free("pl")
    assert [s.interpreter for s in slots] == [False] * 4  # type: ignore[attr-defined]


def test_free_slots_in_another_language_only_when_an_interpreter_is_there() -> None:
    slots = _free("uk")
    assert [s.interpreter for s in slots] == [True] * 4  # type: ignore[attr-defined]


def test_no_slots_in_a_language_nobody_covers() -> None:
    assert _free("ka", hours=[UK]) == []


def test_taken_and_blocked_slots_are_not_free() -> None:
    slots = _free(
        "pl",
        taken={70: [(at(TUESDAY, 10), at(TUESDAY, 10, 30))]},
        blocked={(70, at(TUESDAY, 11).astimezone(UTC))},
    )
    assert [s.starts_at.astimezone(WARSAW).strftime("%H:%M") for s in slots] == [  # type: ignore[attr-defined]
        "10:30",
        "11:30",
    ]


def test_slots_inside_the_cutoff_are_not_free() -> None:
    slots = _free("pl", now=at(TUESDAY, 8, 30))
    assert [s.starts_at.astimezone(WARSAW).strftime("%H:%M") for s in slots] == [  # type: ignore[attr-defined]
        "10:30",
        "11:00",
        "11:30",
    ]
