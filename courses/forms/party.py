"""The people a booking covers, on the public enrolment form: "add people" (a name, a year of
birth for a child) up to the course's `max_party`, "I do not attend myself", the children for a
class's childcare, the parent's consent for children's data and the fewest places a family
would accept.

Without JavaScript: the form shows as many empty rows as `people` says (one at first), and the
"add another person" button sends the form back with one more row, storing nothing; empty rows
are ignored. Each row's mistakes are told next to its field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.forms.lists import Choices, Select
from courses.models import ADULT_AGE, Course
from courses.party import ages_text

MORE = "more_people"  # the name of the "add another person" button
NAME_MAX = 200


@dataclass(frozen=True)
class Row:
    """One person's fields, as the template lays them out."""

    number: int
    name: forms.BoundField
    birth_year: forms.BoundField


def _years(course: Course, *, children_only: bool) -> Choices:
    """The years of birth to pick from: within the activity's ages when it has some (counted in
    the year of its first date), only children's years for a childcare, else the last 100
    years; never a year still to come; the youngest first."""
    year = course.start_date.year
    newest, oldest = max(timezone.localdate().year, year), year - 100
    if course.min_age is not None:
        newest = year - course.min_age
    if course.max_age is not None:
        oldest = max(oldest, year - course.max_age)
    if children_only:
        oldest = max(oldest, year - ADULT_AGE + 1)
    newest = min(newest, timezone.localdate().year)  # nobody is born ahead of time
    ranged = children_only or course.min_age is not None or course.max_age is not None
    empty = ("", _("Choose the year") if ranged else _("Adult: not needed"))
    return Choices([empty, *((y, str(y)) for y in range(newest, oldest - 1, -1))])


class PartyMixin(forms.Form):
    """Adds the party's fields to the enrolment form of a course that takes more than one
    place per booking, or has a childcare activity (`party_setup` from the form's __init__)."""

    course: Course
    party_rows: list[Row]
    childcare_rows: list[Row]

    def party_setup(self, course: Course, *, childcare_full: bool) -> None:
        self.course = course
        self.childcare = course.childcare if course.childcare_id else None
        self.childcare_full = childcare_full
        self.party_rows, self.childcare_rows = [], []
        if course.max_party > 1:
            self.fields["not_attending"] = forms.BooleanField(
                label=_("I do not attend myself: I book only for the people below."),
                required=False,
            )
            limit = course.max_party
            self.party_rows = self._rows("person", limit, course, children_only=False)
            self.fields["min_places"] = forms.TypedChoiceField(
                label=_("If fewer places are free"),
                coerce=int,
                empty_value=None,
                required=False,
                choices=[
                    ("", _("We come only all together")),
                    *(
                        (
                            n,
                            ngettext(
                                "We would take %(count)s place", "We would take %(count)s places", n
                            )
                            % {"count": n},
                        )
                        for n in range(1, limit)
                    ),
                ],
                help_text=_(
                    "Waiting for all places together can take longer. Say so if fewer of you "
                    "would come."
                ),
            )
        if self.childcare is not None:
            self.childcare_rows = self._rows(
                "child", self.childcare.max_party, self.childcare, children_only=True
            )
            if childcare_full:
                self.fields["childcare_wait"] = forms.BooleanField(
                    label=_("Yes, my children may wait for a place in the childcare."),
                    required=False,
                )
        if self.party_rows or self.childcare_rows:
            self.fields["children_consent"] = forms.BooleanField(
                label=_(
                    "I am the parent or legal guardian of the children I add, and I agree that "
                    "their names and years of birth are kept with this booking."
                ),
                required=False,
                help_text=_(
                    "Only for children; nothing else about them is asked. It is deleted with "
                    "your data."
                ),
            )

    def _rows(self, prefix: str, limit: int, course: Course, *, children_only: bool) -> list[Row]:
        """As many rows as the form asks for (one more after "add another person"), at most
        `limit`; each with a name and a year of birth."""
        shown = self._shown(prefix, limit)
        years = _years(course, children_only=children_only)
        added = self.is_bound and self.data.get(MORE) == prefix
        rows = []
        for index in range(shown):
            number = index + 1
            attrs: dict[str, Any] = {"autocomplete": "off"}
            if added and number == shown:  # the row just added: the keyboard goes on there
                attrs["autofocus"] = True
            self.fields[f"{prefix}_{index}_name"] = forms.CharField(
                label=_("Name of child %(number)s") % {"number": number}
                if children_only
                else _("Name of person %(number)s") % {"number": number},
                max_length=NAME_MAX,
                required=False,
                widget=forms.TextInput(attrs=attrs),
            )
            self.fields[f"{prefix}_{index}_birth_year"] = forms.TypedChoiceField(
                label=_("Year of birth"),
                coerce=int,
                empty_value=None,
                required=False,
                choices=years,
                widget=Select,
            )
            rows.append(
                Row(number, self[f"{prefix}_{index}_name"], self[f"{prefix}_{index}_birth_year"])
            )
        return rows

    def _shown(self, prefix: str, limit: int) -> int:
        raw = self.data.get(f"{prefix}_rows") if self.is_bound else None
        try:
            shown = int(str(raw)) if raw not in (None, "") else 1
        except ValueError:
            shown = 1
        if self.is_bound and self.data.get(MORE) == prefix:
            shown += 1
        return max(1, min(shown, limit))

    @property
    def can_add_person(self) -> bool:
        return 0 < len(self.party_rows) < self.course.max_party

    @property
    def can_add_child(self) -> bool:
        care = self.childcare
        return care is not None and 0 < len(self.childcare_rows) < care.max_party

    def without_errors(self) -> None:
        """Shown again with one more row: what was typed stays, nothing is checked yet."""
        self._errors = ErrorDict()
        self.cleaned_data = {}

    @property
    def adding(self) -> bool:
        """The form came back for one more row ("add another person"), not to be sent."""
        return self.is_bound and self.data.get(MORE) in ("person", "child")

    @property
    def party_ages(self) -> str:
        course = getattr(self, "course", None)
        if course is None or (course.min_age is None and course.max_age is None):
            return ""
        return ages_text(course.min_age, course.max_age)

    @property
    def childcare_ages(self) -> str:
        care = getattr(self, "childcare", None)
        if care is None or (care.min_age is None and care.max_age is None):
            return ""
        return ages_text(care.min_age, care.max_age)

    def party_clean(self) -> None:
        """Each row: a year of birth needs a name; the children need their years (in a childcare
        or an activity with ages), a child the parent's consent; someone must take a place; at
        most `max_party` places. The services check the same again (the API's way in)."""
        data = self.cleaned_data
        party = self._read("person", self.party_rows, need_year=self.party_ages != "")
        children = self._read("child", self.childcare_rows, need_year=True)
        attending = not data.get("not_attending", False)
        if self.party_rows:
            places = len(party) + (1 if attending else 0)
            if places < 1:
                self.add_error(
                    "not_attending", _("Add the people you book for, or attend yourself.")
                )
            elif places > self.course.max_party:
                self.add_error(
                    "person_0_name",
                    _("One booking may take at most %(max)s places.")
                    % {"max": self.course.max_party},
                )
            least = data.get("min_places")
            if least is not None and least >= places:
                data["min_places"] = None  # all of them anyway
        year = self.course.start_date.year
        has_child = any(
            p["birth_year"] is not None and year - p["birth_year"] < ADULT_AGE
            for p in party + children
        )
        if has_child and not data.get("children_consent"):
            self.add_error(
                "children_consent",
                _("Please agree, as the parent or guardian, that we keep the children's names."),
            )
        if children and self.childcare_full and not data.get("childcare_wait"):
            self.add_error(
                "childcare_wait",
                _("The childcare is full: tick this to wait for a place, or remove the children."),
            )
        data["party"] = party + children
        data["attending"] = attending

    def _read(self, prefix: str, rows: list[Row], *, need_year: bool) -> list[dict[str, Any]]:
        people = []
        for row in rows:
            name = " ".join(str(self.cleaned_data.get(row.name.name) or "").split())
            birth_year = self.cleaned_data.get(row.birth_year.name)
            if not name:
                if birth_year is not None:
                    self.add_error(row.name.name, _("Enter the name of this person."))
                continue
            if birth_year is None and need_year:
                self.add_error(row.birth_year.name, _("Choose the year of birth."))
            people.append({"name": name, "birth_year": birth_year})
        return people
