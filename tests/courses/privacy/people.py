"""What the privacy tests share: the moment they run at (before the course's first session) and
how everyone here wants their SMS."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2027, 1, 1, 12, tzinfo=WARSAW)  # the course starts on Tuesday 5 January, 18:00
UK_SMS = {"language": "uk", "sms_consent": True}  # how everyone here wants their SMS
