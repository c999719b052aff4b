"""Pure helpers of `load_demo`: the demo's dates (first days, recurrence text, Christmas break)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays

from courses.management.demo_data import CourseSpec, Tr

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def translated(name: str, text: Tr) -> dict[str, str]:
    """The model fields `name_pl`, `name_uk`, `name_en`, `name_ru` holding `text`."""
    return {f"{name}_{lang}": getattr(text, lang) for lang in ("pl", "uk", "en", "ru")}


def christmas_break(today: date) -> tuple[date, date]:
    """24 December to 1 January: the break that is on now or comes next."""
    year = today.year - 1 if (today.month, today.day) == (1, 1) else today.year
    return date(year, 12, 24), date(year + 1, 1, 1)


def first_date(spec: CourseSpec, today: date) -> date:
    """The first day on or after today + `weeks` weeks that the rule (or `weekday`) matches."""
    params = dict(part.split("=", 1) for part in spec.rule.split(";") if part)
    days = params["BYDAY"].split(",") if "BYDAY" in params else [spec.weekday]
    base = today + timedelta(weeks=spec.weeks)
    start = min(base + timedelta(days=(WEEKDAYS.index(d) - base.weekday()) % 7) for d in days)
    if not spec.rule:
        public_holidays = holidays.country_holidays("PL")
        while any(start + timedelta(days=offset) in public_holidays for offset, _ in spec.extra):
            start += timedelta(weeks=1)
    return start


def recurrence_text(spec: CourseSpec, start: date) -> str:
    """The course's RFC 5545 lines in local time: its RRULE and the RDATEs of `extra`."""
    lines = [f"RRULE:{spec.rule}"] if spec.rule else []
    for offset, at in spec.extra:
        hour, minute = at.split(":")
        lines.append(f"RDATE:{start + timedelta(days=offset):%Y%m%d}T{hour}{minute}00")
    return "\n".join(lines)
