"""Logins: after AXES_FAILURE_LIMIT (5) failures the account and the address are refused, with
the site's own translated page (429), until the cool-off (15 minutes) has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PASSWORD = "secret-pass-123"  # the factories' password
ATTACKER = "198.51.100.66"


@pytest.fixture
def trainer_account(db):
    return UserFactory(username="trener-ola")


@pytest.fixture
def admin_account(db):
    return UserFactory(username="root-ola", superuser=True)


def fail(client, url: str = LOGIN, *, username: str = "trener-ola", times: int = 5, **extra):
    return [
        client.post(url, {"username": username, "password": f"wrong-{n}"}, **extra).status_code
        for n in range(times)
    ]


def log_in(client, url: str = LOGIN, *, username: str = "trener-ola", **extra):
    return client.post(url, {"username": username, "password": PASSWORD}, **extra)


def test_the_settings_are_five_failures_and_fifteen_minutes(settings) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_a_correct_password_logs_in(client, trainer_account) -> None:
    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/register/"


def test_four_failures_still_let_the_right_password_in(client, trainer_account) -> None:
    assert fail(client, times=4) == [200] * 4
    assert log_in(client).status_code == 302


def test_five_failures_lock_the_account_even_with_the_right_password(
    client, trainer_account
) -> None:
    assert fail(client, REMOTE_ADDR=ATTACKER) == [200, 200, 200, 200, 429]
    response = log_in(client, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # from any other address too: the account is locked
    assert log_in(client, REMOTE_ADDR="203.0.113.20").status_code == 429


def test_five_failures_lock_the_address_for_every_account(client, trainer_account) -> None:
    UserFactory(username="staff-basia")
    for n in range(5):
        client.post(LOGIN, {"username": f"guess-{n}", "password": "x"}, REMOTE_ADDR=ATTACKER)
    assert log_in(client, username="staff-basia", REMOTE_ADDR=ATTACKER).status_code == 429
    assert log_in(client, username="staff-basia", REMOTE_ADDR="203.0.113.20").status_code == 302


def test_a_spoofed_x_forwarded_for_does_not_unlock_the_address(client, trainer_account) -> None:
    for n in range(5):
        client.post(
            LOGIN,
            {"username": f"guess-{n}", "password": "x"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = log_in(client, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_client_it_names_is_locked_not_the_proxy(
    client, trainer_account, settings
) -> None:
    settings.TRUSTED_PROXIES = 1
    UserFactory(username="staff-basia")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(5):
        client.post(
            LOGIN,
            {"username": f"guess-{n}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}",
            **proxy,
        )
    locked = log_in(client, username="staff-basia", HTTP_X_FORWARDED_FOR=ATTACKER, **proxy)
    assert locked.status_code == 429
    other = log_in(client, username="staff-basia", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert other.status_code == 302


def test_the_lock_expires_after_the_cool_off(client, trainer_account) -> None:
    with time_machine.travel("2026-11-02 10:00 +00:00", tick=False) as traveller:
        fail(client)
        traveller.shift(timedelta(minutes=14))
        assert log_in(client).status_code == 429
        traveller.shift(timedelta(minutes=16))
        assert log_in(client).status_code == 302


def test_each_attempt_while_locked_starts_the_cool_off_again(client, trainer_account) -> None:
    with time_machine.travel("2026-11-02 10:00 +00:00", tick=False) as traveller:
        fail(client)
        traveller.shift(timedelta(minutes=10))
        assert log_in(client).status_code == 429
        traveller.shift(timedelta(minutes=6))  # 16 minutes after the lock, 6 after that attempt
        assert log_in(client).status_code == 429
        traveller.shift(timedelta(minutes=16))
        assert log_in(client).status_code == 302


def test_the_locked_out_page_is_the_sites_own_and_translated(client, trainer_account) -> None:
    fail(client)
    response = log_in(client, HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="uk">' in page
    assert 'class="site-header"' in page
    assert "Забагато невдалих спроб входу" in page
    assert "15 хвилин" in page
    assert response["Cache-Control"] == "private, no-store"


def test_admin_login_is_locked_out_too(client, admin_account) -> None:
    codes = fail(client, ADMIN_LOGIN, username="root-ola")
    assert codes == [200, 200, 200, 200, 429]
    response = log_in(client, ADMIN_LOGIN, username="root-ola")
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in
    # the account is locked on the site's login page as well
    assert log_in(client, username="root-ola").status_code == 429


def test_api_token_authentication_is_unaffected(api, centre, trainer_account) -> None:
    staff = UserFactory(username="staff-tok", is_staff=True, staff_of=[centre])
    token = Token.objects.create(user=staff)
    from django.test import Client

    browser = Client(REMOTE_ADDR="127.0.0.1")
    for n in range(5):  # lock the account and the address the API client comes from
        browser.post(LOGIN, {"username": "staff-tok", "password": f"wrong-{n}"})
    assert log_in(browser, username="staff-tok").status_code == 429
    response = api.get("/api/v1/enrolments/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_force_login_is_unaffected(client, trainer_account) -> None:
    fail(client)
    client.force_login(trainer_account)
    assert client.session["_auth_user_id"] == str(trainer_account.pk)
