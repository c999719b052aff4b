"""SMS_PRICE_PER_SEGMENT: read once at startup, a list that cannot be read stops the process;
each number is priced by its country, else at the `*` price."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from notifications.pricing import PriceSpecError, country_of, parse_prices, segment_price


def test_prices_by_country_and_for_every_other() -> None:
    prices = parse_prices(" pl=0.07, UA = 0.25 ,*=0.30 ")
    assert prices == {"PL": Decimal("0.07"), "UA": Decimal("0.25"), "*": Decimal("0.30")}
    assert segment_price("+48601000001", prices) == Decimal("0.07")
    assert segment_price("+380501234567", prices) == Decimal("0.25")
    assert segment_price("+4915112345678", prices) == Decimal("0.30")  # Germany: `*`
    assert segment_price("not a number", prices) == Decimal("0.30")
    assert country_of("+380501234567") == "UA"


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("PL=0.07", "'\\*=...'"),
        ("PL=0.07,XX=1,*=0.3", "not an ISO country code"),
        ("PL=cheap,*=0.3", "not a price"),
        ("PL=-1,*=0.3", "not a price"),
        ("PL=NaN,*=0.3", "not a price"),
        ("PL=0.07,PL=0.08,*=0.3", "given twice"),
        ("PL 0.07,*=0.3", "COUNTRY=PRICE"),
        ("", "'\\*=...'"),
    ],
)
def test_a_list_that_cannot_be_read_is_refused(spec: str, why: str) -> None:
    with pytest.raises(PriceSpecError, match=why):
        parse_prices(spec)


def test_the_app_refuses_to_start_with_a_bad_list(settings) -> None:
    settings.SMS_PRICE_PER_SEGMENT = "PL=0.07"
    with pytest.raises(ImproperlyConfigured, match="SMS_PRICE_PER_SEGMENT"):
        apps.get_app_config("notifications").ready()
    settings.SMS_PRICE_PER_SEGMENT = "PL=0.07,*=0.1"
    apps.get_app_config("notifications").ready()  # a good one starts
