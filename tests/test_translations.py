"""Every interface text exists in Polish, Ukrainian and Russian, with its placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|\{\w*\}")


@pytest.mark.parametrize("language", ["pl", "uk", "ru"])
def test_catalogue_is_complete_and_placeholders_match(language: str) -> None:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalogue = read_po(po)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        text = message.string if isinstance(message.string, str) else " ".join(message.string)
        source = message.id if isinstance(message.id, str) else " ".join(message.id)
        if not text or message.fuzzy:
            problems.append(f"untranslated: {source!r}")
        elif set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
            problems.append(f"placeholders differ: {source!r}")
    assert problems == []
