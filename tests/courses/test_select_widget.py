"""The long lists (the phone's country, the country of origin, the year of birth, a course's
dates) are drawn by `courses.forms.lists.Select`, written in Python for speed: what a person
and a screen reader get must be Django's own select, option for option."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test.html import parse_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from courses.forms.enrol import EnrolForm
from courses.forms.lists import Select
from courses.views.register import WalkInForm
from tests.factories import CourseFactory

CHOICES: list[tuple[Any, Any]] = [
    ("", _("Prefer not to say")),
    (None, "None is the empty value"),
    ("PL", "Polska (+48)"),
    ("UA", 'Україна <b>"&"</b>'),
    ("Later", [("DE", "Niemcy"), ("PL", "Polska again")]),
    ("", [("CZ", "Czechy, in a group without a name")]),
    (2026, "2026"),
]


def _django_and_ours(value: Any, multiple: bool = False, **attrs: Any) -> tuple[Any, Any]:
    kind = forms.SelectMultiple if multiple else forms.Select
    ours = (
        type("OursMultiple", (Select,), {"allow_multiple_selected": True}) if multiple else Select
    )
    theirs = kind(choices=CHOICES, attrs=attrs).render("country", value)
    mine = ours(choices=CHOICES, attrs=attrs).render("country", value)
    return parse_html(theirs), parse_html(mine)


@pytest.mark.parametrize(
    "value", ["", None, "PL", "UA", "DE", 2026, "2026", "nowhere", ["PL"]], ids=repr
)
def test_the_same_select_as_djangos_for_every_kind_of_value(value: Any) -> None:
    """Labels escaped, groups kept, only the first "PL" selected, a number matched as text."""
    theirs, mine = _django_and_ours(value, id="id_country", required=True, autofocus=False)
    assert mine == theirs
    assert str(mine).count(" selected") == (0 if value in ("", None, "nowhere") else 1) + (
        value in ("", None)
    )


def test_a_multiple_select_marks_every_chosen_option_like_djangos() -> None:
    theirs, mine = _django_and_ours(["PL", "DE", 2026], multiple=True)
    assert mine == theirs
    assert str(mine).count(" selected") == 4  # PL twice, DE, 2026


@pytest.mark.django_db
def test_the_enrolment_forms_country_list_is_djangos_in_ukrainian(centre) -> None:
    course = CourseFactory(centre=centre)
    with override("uk"):
        form = EnrolForm(course=course, sessions=[])
        djangos = EnrolForm(course=course, sessions=[])
        field = djangos.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.widget = forms.Select(choices=field.choices)
        mine, theirs = str(form["country"]), str(djangos["country"])
    assert parse_html(mine) == parse_html(theirs)
    assert '<option value="PL" selected>Польща (+48)</option>' in mine
    assert '<option value="UA">Україна (+380)</option>' in mine


def test_one_form_names_the_countries_in_the_language_it_is_drawn_in() -> None:
    """The lists are read when the form is drawn, not when its class was made."""
    for language, poland, ukraine in (("pl", "Polska", "Ukraina"), ("uk", "Польща", "Україна")):
        with override(language):
            html = str(WalkInForm()["country"])
        assert f'<option value="PL" selected>{poland} (+48)</option>' in html
        assert f'<option value="UA">{ukraine} (+380)</option>' in html
