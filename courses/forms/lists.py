"""The long lists of the forms (the phone's country, the country of origin, the year of birth, a
course's dates), public and the workspace's, drawn fast: the enrolment form is the page that
hundreds load at once when registration opens, and its three lists were most of its cost."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString

from courses.countries import origin_country_choices
from courses.phones import country_choices


class Choices(BaseChoiceIterator):
    """Choices already in Django's form, (value, label) pairs (a group: its name and its pairs),
    taken as they are: a field given them does not walk the whole list again to normalise it
    on every request (≈0.7 ms for the countries)."""

    def __init__(self, choices: Iterable[tuple[Any, Any]]) -> None:
        self.choices = tuple(choices)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


def _escaped(value: Any) -> str:
    """Django's `conditional_escape` (safe text as it is, the rest through `html.escape`), without
    its check of every call for lazy text: ten times faster, twice for each option."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


class Select(forms.Select):
    """Django's `Select`, its options written in Python rather than through a template each:
    the phone's country (≈245 options) in a tenth of a millisecond instead of 7.

    The HTML is Django's: `<optgroup>` for grouped choices, an option's value as text, and only
    the first option whose value matches marked `selected` (every match for a multiple select).
    Named `Select`, so that a field's `widget_type` stays "select" for the templates."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final), self.options_html(value)
        )

    def options_html(self, value: Any) -> SafeString:
        wanted = set(self.format_value(value))
        left = [True]  # whether an option may still be marked selected (a single select: one)

        def option(choice: Any, label: Any) -> str:
            text = "" if choice is None else str(choice)
            selected = text in wanted and left[0]
            if selected and not self.allow_multiple_selected:
                left[0] = False
            mark = " selected" if selected else ""
            return f'<option value="{_escaped(text)}"{mark}>{_escaped(label)}</option>'

        parts = []
        for choice, label in self.choices:
            if isinstance(label, list | tuple):  # a group: (its name, its choices)
                inner = "".join(option(c, text) for c, text in label)
                named = f'<optgroup label="{_escaped(choice)}">{inner}</optgroup>'
                parts.append(named if choice else inner)  # Django's: no name, no <optgroup>
            else:
                parts.append(option(choice, label))
        return SafeString("".join(parts))  # every value and label escaped above


class InLanguage(BaseChoiceIterator):
    """Choices named in the request's language, read when the form is drawn or checked: `first`
    (say, "prefer not to say"), then `choices_for(language)`, a list its function makes once
    per language."""

    def __init__(
        self, choices_for: Callable[[str], Sequence[tuple[Any, Any]]], *first: tuple[Any, Any]
    ) -> None:
        self.choices_for = choices_for
        self.first = first

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        yield from self.first
        yield from self.choices_for(translation.get_language() or "pl")


class PhoneCountryField(forms.ChoiceField):
    """The country of a mobile number: every country with phone numbers, "Name (+code)" in the
    request's language, the usual ones first and Poland chosen."""

    widget = Select

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=InLanguage(country_choices), initial="PL", **kwargs)


class OriginCountryField(forms.ChoiceField):
    """A person's country of origin, optional: `empty_label` (nothing stored), then where most
    participants come from, then every other country, in the request's language."""

    widget = Select

    def __init__(self, *, empty_label: Any, **kwargs: Any) -> None:
        choices = InLanguage(origin_country_choices, ("", empty_label))
        super().__init__(choices=choices, required=False, **kwargs)
