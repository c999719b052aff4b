from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import CentreFactory, UserFactory


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `postgres` need row locks and real concurrency; say why when skipped."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL (set DATABASE_URL=postgres://...; CI runs it): SQLite has no "
        "row-level locks"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english_polish_defaults(settings: object) -> None:
    """Tests see the same settings whatever the developer's .env says."""
    settings.SESSION_HORIZON_DAYS = 365  # type: ignore[attr-defined]
    settings.RECURRENCE_MAX_SESSIONS = 1000  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (rendered feeds are cached by ETag)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def centre(db: None):
    return CentreFactory(slug="cic-poznan", name="CIC Poznań")


@pytest.fixture
def staff_user(centre):
    user = UserFactory(username="staff-poznan", is_staff=True)
    centre.staff.add(user)
    return user


@pytest.fixture
def staff_api(api: APIClient, staff_user) -> APIClient:
    api.force_authenticate(staff_user)
    return api
