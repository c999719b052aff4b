"""A public booking page and a personal page asked with a superscript for a number ("²", which
`str.isdigit` takes and `int` cannot read: a 500 before) answer as without it; a code typed on a
Persian or Arabic keyboard is the code that was sent."""

from __future__ import annotations

import pytest
from django.test import Client

from appointments.models import Appointment
from courses.models import Course, Enrolment
from tests.appointments.test_public_booking import (  # noqa: F401 - with_interpreter: a fixture
    ask,
    book_url,
    confirm,
    first_start,
    with_interpreter,
)
from tests.factories import CourseFactory, EnrolmentFactory
from tests.verification import sms_code

pytestmark = pytest.mark.django_db

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_a_superscript_in_the_public_booking_page_or_the_personal_page_is_no_500(
    client: Client,
    with_interpreter: Course,  # noqa: F811
) -> None:
    odd = client.get(book_url(with_interpreter), {"language": "pl", "day": "²"})
    unknown = client.get(book_url(with_interpreter), {"language": "pl", "day": "999999"})
    assert odd.status_code == unknown.status_code < 500  # as a day there is not
    enrolment = EnrolmentFactory(course=CourseFactory(centre=with_interpreter.centre))
    url = enrolment.participant.get_absolute_url()
    for query in ({"enrolled": "²"}, {"booked": "²"}, {"enrolled": "99999999999999999999"}):
        assert client.get(url, query).status_code == 200, query


@pytest.mark.parametrize("script", [PERSIAN, ARABIC])
def test_a_code_typed_on_a_persian_or_arabic_keyboard_books_the_slot(
    client: Client,
    with_interpreter: Course,  # noqa: F811
    script: dict[int, int],
) -> None:
    asked = ask(client, with_interpreter, first_start(with_interpreter))
    verification = asked.context["form"].initial["verification"]
    done = confirm(client, with_interpreter, asked, code=sms_code(verification).translate(script))
    assert done.status_code == 302
    assert Appointment.objects.count() == 1
    assert not Enrolment.objects.filter(course=with_interpreter).exists()
