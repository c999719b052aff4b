"""What an SMS costs by the country it goes to, from SMS_PRICE_PER_SEGMENT (e.g.
"PL=0.07,UA=0.25,*=0.30": a price per segment for each ISO country code, `*` for every other
country). Pure: read and checked once at startup (NotificationsConfig.ready)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

import phonenumbers

OTHER = "*"


class PriceSpecError(ValueError):
    """SMS_PRICE_PER_SEGMENT cannot be read."""


@lru_cache(maxsize=8)
def parse_prices(spec: str) -> dict[str, Decimal]:
    """{"PL": Decimal("0.07"), ..., "*": ...} from "PL=0.07,UA=0.25,*=0.30". A price is a
    number of zero or more; each country once; `*` (every other country) is required, so that
    no recipient is left out of an estimate."""
    prices: dict[str, Decimal] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        country, sep, amount = (part.strip() for part in item.partition("="))
        country = country.upper()
        if not sep:
            raise PriceSpecError(f"{item.strip()!r} is not COUNTRY=PRICE")
        if country != OTHER and country not in phonenumbers.SUPPORTED_REGIONS:
            raise PriceSpecError(f"{country!r} is not an ISO country code")
        if country in prices:
            raise PriceSpecError(f"{country} is given twice")
        try:
            price = Decimal(amount)
        except InvalidOperation:
            raise PriceSpecError(f"{amount!r} is not a price") from None
        if not price.is_finite() or price < 0:
            raise PriceSpecError(f"{amount!r} is not a price")
        prices[country] = price
    if OTHER not in prices:
        raise PriceSpecError("a price for every other country ('*=...') is missing")
    return prices


def country_of(phone: str) -> str:
    """The ISO country of an E.164 number ("" when it cannot be told)."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.region_code_for_number(number) or ""


def segment_price(phone: str, prices: dict[str, Decimal]) -> Decimal:
    """The price of one segment to `phone`: its country's, else the `*` price."""
    return prices.get(country_of(phone), prices[OTHER])
