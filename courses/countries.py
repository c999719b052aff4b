"""Countries of origin for funders' statistics: one list for the public enrolment form and the
staff pages, named in the reader's language. Pure: no database.

Not the phone's country (see courses.phones.country_choices, which also shows the dialling
code): a person's country of origin is an ISO 3166-1 alpha-2 code, stored on
Participant.country_of_origin.
"""

from __future__ import annotations

import functools

from courses.phones import FIRST_COUNTRIES, collation_key, territory_names

# Babel's two-letter territories that are not countries of origin: reserved ISO codes
# (Ascension, Clipperton, Diego Garcia, Ceuta and Melilla, Canary Islands, Tristan da Cunha),
# groupings (EU, eurozone, UN), pseudo-locales and "unknown region". Kosovo (XK) stays.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)


def is_country(code: str) -> bool:
    """Whether `code` is a two-letter country code the lists offer."""
    return (
        len(code) == 2
        and code.isalpha()
        and code.isupper()
        and code not in NOT_COUNTRIES
        and code in territory_names("en")
    )


@functools.cache
def country_codes() -> frozenset[str]:
    """Every code the lists offer."""
    return frozenset(code for code in territory_names("en") if is_country(code))


@functools.cache
def origin_country_choices(language: str) -> list[tuple[str, str]]:
    """(ISO code, name in `language`): where most participants come from first, then every other
    country in the dictionary order of `language`. No empty choice: callers add their own
    ("prefer not to say" on the public form, "unknown" on staff pages)."""
    names = territory_names(language)
    first = [code for code in FIRST_COUNTRIES if code in country_codes()]
    others = sorted(
        (code for code in country_codes() if code not in FIRST_COUNTRIES),
        key=lambda code: collation_key(names.get(code, code), language),
    )
    return [(code, names.get(code, code)) for code in (*first, *others)]


def country_name(code: str, language: str) -> str:
    """The country's name in `language`; the code itself when it is not a known country; ""
    for no code."""
    if not code:
        return ""
    return str(territory_names(language).get(code, code))
