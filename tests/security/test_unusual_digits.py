"""Numbers in addresses and forms written with characters Python calls digits but `int` cannot
read (superscripts: "²"; found in review after the fuzzer's `?course=-1.8e308`): a 404, the
page or the form's error, never a 500 (the public booking page and the personal page:
tests/appointments/test_booking_unusual_digits.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from courses.phones import normalise_mobile
from courses.text import code_digits, whole_number
from scheduling.builder import _integer
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_numbers_and_codes_as_typed() -> None:
    assert [whole_number(v) for v in ("12", " 7 ", "١٢", "²", "1.5", "-3", "1_0", "", "x")] == [
        12, 7, 12, None, None, None, None, None, None,
    ]  # fmt: skip
    assert code_digits("۴۸۱ ۵۱۶") == code_digits("481-516") == "481516"
    assert code_digits("²³") == ""
    assert _integer("²") is None
    assert _integer("5") == 5


def test_a_superscript_or_a_huge_id_in_the_staff_pages_is_no_500(client: Client, centre) -> None:
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for query in ({"person": "99999999999999999999"}, {"person": "²"}):
        assert client.get("/staff/sms/", query).status_code in (200, 400), query


def test_reminder_hours_with_a_superscript_are_a_form_error(centre) -> None:
    course = CourseFactory.build(centre=centre, slug="a1", reminder_hours="24,²")
    with pytest.raises(ValidationError) as refused:
        course.full_clean()
    assert "reminder_hours" in refused.value.message_dict


def test_a_phone_number_typed_in_persian_or_arabic_digits_is_the_same_number() -> None:
    assert normalise_mobile("۰۵۰ ۱۲۳ ۴۵۶۷", "UA") == "+380501234567"
    assert normalise_mobile("٦٠١ ٠٠٠ ٠٠١", "PL") == "+48601000001"
