"""The enrolment's code page says when a new code was sent, once, in the page's language."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db
URL = "/centres/cic-poznan/courses/polski-a1/enrol/"
NOTICE = "A new code is on its way."


@pytest.fixture
def course(centre):
    return CourseFactory(
        centre=centre, slug="polski-a1", title_pl="Język polski A1", start_date=date(2027, 1, 5)
    )


def _ask(client, lang: str) -> str:
    asked = client.post(
        URL,
        {
            "name": "Olena Kowalenko",
            "country": "PL",
            "phone": "601 000 001",
            "language": "uk",
            "sms_consent": "on",
            "website": "",
        },
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert asked.status_code == 200
    assert NOTICE not in asked.content.decode()
    return asked.context["form"].initial["verification"]


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_after_send_a_new_code_the_page_says_it_is_on_its_way(client, course, lang) -> None:
    verification = _ask(client, lang)
    again = client.post(
        URL, {"verification": verification, "resend": "1"}, HTTP_ACCEPT_LANGUAGE=lang
    )
    assert again.status_code == 200
    with translation.override(lang):
        notice = translation.gettext(NOTICE)
    body = again.content.decode()
    assert f'<div class="notice" role="status"><p>{notice}</p></div>' in body
    # said once: the next page does not repeat it
    later = client.get(URL, HTTP_ACCEPT_LANGUAGE=lang)
    assert notice not in later.content.decode()
