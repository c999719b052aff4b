"""The confirmation, promotion and offer SMS of a booking of several places say how many, in
each language's plural form; a booking of one place reads as before."""

from __future__ import annotations

import pytest

from notifications import texts
from notifications.models import MessageKind
from notifications.segments import sms_size
from notifications.texts_sample import SAMPLE_CONTEXT

CONFIRMED = {
    ("pl", 3): "3 miejsca potwierdzone",
    ("pl", 5): "5 miejsc potwierdzonych",
    ("uk", 3): "3 місця підтверджено",
    ("uk", 5): "5 місць підтверджено",
    ("ru", 3): "3 места подтверждены",
    ("ru", 21): "21 место подтверждено",
    ("en", 3): "3 places confirmed",
    ("en", 2): "2 places confirmed",
}


@pytest.mark.parametrize(("language", "places"), list(CONFIRMED))
def test_a_confirmation_of_several_places_says_how_many(language: str, places: int) -> None:
    text = texts.render(
        MessageKind.ENROLMENT_CONFIRMED, {**SAMPLE_CONTEXT, "places": places}, language
    )
    assert text.startswith(CONFIRMED[language, places] + ":")
    assert sms_size(text).segments <= texts.MAX_PLACE_SEGMENTS


@pytest.mark.parametrize("language", ["pl", "uk", "ru", "en"])
def test_an_offer_of_several_places_says_how_many_and_until_when(language: str) -> None:
    text = texts.render(MessageKind.OFFER_MADE, {**SAMPLE_CONTEXT, "places": 3}, language)
    head = text.split(":")[0]
    assert "3" in head
    assert "28.03" in head
    assert sms_size(text).segments <= texts.MAX_PLACE_SEGMENTS


def test_a_promotion_of_several_places_is_confirmed_with_their_number() -> None:
    text = texts.render(MessageKind.PROMOTED, {**SAMPLE_CONTEXT, "places": 2}, "uk")
    assert text.startswith("2 місця підтверджено:")


@pytest.mark.parametrize("context", [{"places": 1}, {}])
def test_one_place_and_contexts_planned_before_households_read_as_before(context) -> None:
    sample = {k: v for k, v in SAMPLE_CONTEXT.items() if k != "places"}
    assert texts.render(MessageKind.ENROLMENT_CONFIRMED, {**sample, **context}, "uk").startswith(
        "Ви записані:"
    )
    offer = texts.render(MessageKind.OFFER_MADE, {**sample, **context}, "uk")
    assert offer.startswith("Є місце до 28.03 18:00:")
