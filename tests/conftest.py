from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.utils import translation
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
def _default_language() -> Iterator[None]:
    """Each test starts in the default language (Polish): a request through the test client
    leaves its language active in this thread (LocaleMiddleware activates it), and the next
    test's data (a closure's reason, a course's title: translated fields) would be written in
    that language instead."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _english_polish_defaults(settings: object) -> None:
    """Tests see the same settings whatever the developer's .env says."""
    settings.SESSION_HORIZON_DAYS = 365  # type: ignore[attr-defined]
    settings.RECURRENCE_MAX_SESSIONS = 1000  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _empty_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts with empty caches: the feed cache (rendered feeds, by ETag) and the
    default cache (rate limits), a database table that a test's rollback empties; a test that
    commits (transactional, live server) empties it before and after."""
    from django.core.cache import caches

    from scheduling import feed_versions

    caches["feeds"].clear()
    feed_versions.forget_release_since()  # it was remembered in the emptied cache
    if not isinstance(caches["default"], DatabaseCache):  # CACHE_URL in the developer's .env
        caches["default"].clear()
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    commits = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not commits:
        yield
        return
    request.getfixturevalue("transactional_db")
    caches["default"].clear()
    yield
    caches["default"].clear()
    feed_versions.forget_release_since()


@pytest.fixture
def api() -> APIClient:
    """An API client; the same one `staff_api` logs in, when a test asks for both."""
    return APIClient()


@pytest.fixture
def anonymous_api() -> APIClient:
    """An API client of its own that nobody logs in."""
    return APIClient()


@pytest.fixture
def centre(db: None):
    return CentreFactory(slug="cic-poznan", name="CIC Poznań")


@pytest.fixture
def other_centre(db: None):
    """Another centre, whose data `centre`'s staff must not see."""
    return CentreFactory(slug="cic-konin", name="CIC Konin")


@pytest.fixture
def staff_user(centre):
    """A staff member of `centre` (and of no other centre)."""
    return UserFactory(username="staff-poznan", is_staff=True, staff_of=[centre])


@pytest.fixture
def staff_api(api: APIClient, staff_user) -> APIClient:
    api.force_authenticate(staff_user)
    return api


@pytest.fixture
def staff_permissions() -> QuerySet[Permission]:
    """The admin permissions `staff_client` has: none here; a test module that needs some
    overrides this fixture."""
    return Permission.objects.none()


@pytest.fixture
def staff_client(client: Client, staff_user, staff_permissions: QuerySet[Permission]) -> Client:
    """The test client logged in as `staff_user`, with `staff_permissions`."""
    staff_user.user_permissions.set(staff_permissions)
    client.force_login(staff_user)
    return client


@pytest.fixture
def trainer(db: None):
    """A user who is no centre's staff; a trainer of the courses made with trainers=[trainer]."""
    return UserFactory(username="trener")


@pytest.fixture
def superuser(db: None):
    return UserFactory(username="root", superuser=True)
