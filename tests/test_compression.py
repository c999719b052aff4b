"""Text answers are gzip-compressed for a client that accepts it (a phone on a slow connection
gets a centre's page in a fraction of the bytes); images are sent as they are, and static
files and calendar feeds come with compressed copies of their own (WhiteNoise's, and
`tests/scheduling/test_feeds_http.py`)."""

from __future__ import annotations

import gzip
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import CourseFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 400  # compresses well: left as it is all the same
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2027, 1, 4, 9, tzinfo=ZoneInfo("Europe/Warsaw")), tick=False):
        yield


@pytest.mark.parametrize(
    "path", ["/", "/centres/cic-poznan/", "/embed/cic-poznan/", "/api/v1/courses/"]
)
def test_a_page_or_an_api_answer_comes_compressed_to_a_client_that_accepts_it(
    client, centre, path
) -> None:
    for n in range(6):
        CourseFactory(centre=centre, slug=f"polski-{n}", title_pl="Polski A1")
    plain = client.get(path)
    packed = client.get(path, **GZIP)
    assert plain.status_code == packed.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content)
    assert "Polski A1" in body.decode()
    assert len(packed.content) < len(body) / 2


def test_images_are_sent_as_they_are(client, centre) -> None:
    CourseFactory(centre=centre, title_pl="Polski A1")
    centre.logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    centre.full_clean()
    centre.save()
    logo = client.get("/centres/cic-poznan/logo/", **GZIP)
    assert logo["Content-Type"] == "image/png"
    assert not logo.has_header("Content-Encoding")
    assert b"".join(logo.streaming_content) == PNG
    icon = client.get("/favicon.ico", **GZIP)
    assert not icon.has_header("Content-Encoding")


@pytest.mark.parametrize("accepts", ["x-gzip", "deflate, gzip;q=0.5"])
def test_x_gzip_and_a_weight_are_understood(client, centre, accepts) -> None:
    packed = client.get("/centres/cic-poznan/", HTTP_ACCEPT_ENCODING=accepts)
    assert packed["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("accepts", ["gzip;q=0", "deflate;q=0.5, gzip;q=0", "identity"])
def test_a_client_that_refuses_gzip_gets_the_page_as_it_is(client, centre, accepts) -> None:
    page = client.get("/centres/cic-poznan/", HTTP_ACCEPT_ENCODING=accepts)
    assert page.status_code == 200
    assert not page.has_header("Content-Encoding")


def test_pages_of_a_personal_link_or_of_someone_logged_in_are_never_compressed(
    client, centre
) -> None:
    """A compressed page that holds a secret (a personal link's token, a person's data) beside
    text an attacker can put in it is what BREACH reads: such pages go as they are."""
    enrolment = EnrolmentFactory(course=CourseFactory(centre=centre))
    personal = client.get(enrolment.participant.get_absolute_url(), **GZIP)
    assert personal.status_code == 200
    assert not personal.has_header("Content-Encoding")
    client.force_login(UserFactory(is_staff=True))
    for path in ("/", "/centres/cic-poznan/"):
        page = client.get(path, **GZIP)
        assert page.status_code == 200, path
        assert not page.has_header("Content-Encoding"), path
