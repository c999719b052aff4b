"""Password reset by e-mail: offered from the login page, sent in the reader's language with a
link to the public address, and the page never tells whether an address belongs to an account."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
RESET = "/accounts/password_reset/"


def without_csrf(page: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


@pytest.fixture
def trainer_account(db):
    return UserFactory(username="trener-ola", email="ola@example.org")


def test_the_login_page_offers_the_reset(client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert f'href="{RESET}"' in page


def test_the_reset_page_is_the_sites_own_and_translated(client) -> None:
    response = client.get(RESET, HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="uk">' in page
    assert 'class="site-header"' in page
    assert "Встановіть новий пароль" in page


def test_the_email_goes_out_in_the_readers_language_with_the_public_link(
    client, trainer_account, settings
) -> None:
    settings.PUBLIC_BASE_URL = "https://zapisy.example.org"
    response = client.post(
        RESET, {"email": "OLA@example.org"}, HTTP_ACCEPT_LANGUAGE="uk", HTTP_HOST="localhost"
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    [message] = mail.outbox
    assert message.to == ["ola@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Новий пароль для вашого облікового запису"
    assert "trener-ola" in message.body
    assert "Щоб вибрати новий пароль" in message.body
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1
    assert links[0].startswith("https://zapisy.example.org/accounts/reset/")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, trainer_account) -> None:
    known = client.post(RESET, {"email": "ola@example.org"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf(known.content) == without_csrf(unknown.content)
    assert len(mail.outbox) == 1


def test_the_link_sets_a_new_password_once(client, trainer_account) -> None:
    client.post(RESET, {"email": "ola@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new = {"new_password1": "Nowe-haslo-2027!", "new_password2": "Nowe-haslo-2027!"}
    done = client.post(form.redirect_chain[-1][0], new, follow=True)
    assert done.redirect_chain[-1][0] == "/accounts/reset/done/"
    assert client.post(
        "/accounts/login/", {"username": "trener-ola", "password": "Nowe-haslo-2027!"}
    ).status_code == 302  # fmt: skip
    again = client.get(link.group(1), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "This link no longer works" in again.content.decode()
    assert "new_password1" not in again.content.decode()


def test_by_default_mail_is_printed_to_the_console(tmp_path) -> None:
    env = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split()[-1] == "django.core.mail.backends.console.EmailBackend"
