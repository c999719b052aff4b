"""What the register tests share: the moment of the first session and the clients that tap
marks as a trainer or staff member would."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client
from rest_framework.test import APIClient

from scheduling.models import Session

WARSAW = ZoneInfo("Europe/Warsaw")
DURING = datetime(2027, 1, 5, 18, 30, tzinfo=WARSAW)  # the first session, Tuesday 18:00–19:30


def client_as(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_as(user: Any = None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def tap(client: Client, session: Session, **op: Any) -> Any:
    return client.post(
        f"/register/{session.pk}/marks/", json.dumps(op), content_type="application/json"
    )
