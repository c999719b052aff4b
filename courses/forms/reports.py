"""Forms that read the report pages' query strings: centres or a network, a period, a threshold.

A bound form that is not valid gives its first error (`first_error`), shown on a 400 page; a
centre or network that exists but is not the user's is the error code "not_managed", which the
views answer with 404 (as if it did not exist).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Centre
from courses.selectors.funder_report import centre_slugs_exist, network_exists
from courses.selectors.periods import Period

FIRST_DAY = date(1900, 1, 1)  # "from the beginning" for a course's report
LAST_DAY = date(2999, 12, 31)
MAX_FUNDER_DAYS = 5 * 366  # the chart has a bar per month: at most about 60
NOT_MANAGED = "not_managed"

NOT_A_DATE = _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2027-03-31.")
START_AFTER_END = _("The start of the period is after its end.")
BAD_THRESHOLD = _("The completion threshold must be a whole number from 1 to 100.")


class IsoDateField(forms.DateField):
    """A day written exactly as YYYY-MM-DD (not 2027-1-5, 20270105 or 2027-W01-1), in the years
    1900 to 2999."""

    def to_python(self, value: Any) -> date | None:
        raw = str(value or "").strip()
        if not raw:
            return None
        try:
            day: date | None = date.fromisoformat(raw)
        except ValueError:
            day = None
        if day is None or day.isoformat() != raw or not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(NOT_A_DATE, code="invalid", params={"value": raw[:40]})
        return day


class ThresholdField(forms.IntegerField):
    """A whole number from 1 to 100 written with one to three digits 0-9 (no sign, no decimals,
    no other scripts' digits)."""

    default_error_messages = {
        "invalid": BAD_THRESHOLD,
        "min_value": BAD_THRESHOLD,
        "max_value": BAD_THRESHOLD,
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=100, **kwargs)

    def to_python(self, value: Any) -> int | None:
        raw = str(value or "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 3):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(raw)


class SlugListField(forms.Field):
    """A repeatable query parameter: its non-empty values, stripped, each once, in order."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        values = [str(item).strip() for item in value or []]
        return list(dict.fromkeys(item for item in values if item))


class _PeriodForm(forms.Form):
    """`from` and `to` (both optional); their names are Python keywords, so they are added
    here rather than declared."""

    def __init__(self, params: QueryDict, **kwargs: Any) -> None:
        super().__init__(params, **kwargs)
        self.params = params
        self.fields["from"] = IsoDateField(required=False)
        self.fields["to"] = IsoDateField(required=False)

    def _days(self) -> tuple[date | None, date | None] | None:
        """The two days given (None for a missing one), or None when either is not a date."""
        data = self.cleaned_data
        if "from" not in data or "to" not in data:
            return None
        return data["from"], data["to"]

    @property
    def first_error(self) -> str:
        """The error to show: the first one found, reading the fields in order."""
        for errors in self.errors.values():
            return str(errors[0])
        return ""


class FunderReportForm(_PeriodForm):
    """The centres (`centre`, repeatable, or `network`; none: every centre the user manages)
    and the period (default: 1 January of the end's year to today), at most five years."""

    centre = SlugListField(required=False)
    network = forms.CharField(required=False)

    def __init__(self, params: QueryDict, *, managed: list[Centre]) -> None:
        super().__init__(params)
        self.managed = managed

    def clean_network(self) -> str:
        """Resolves the centres asked for into `cleaned_data["centres"]`."""
        slugs: list[str] = self.cleaned_data.get("centre", [])
        network: str = self.cleaned_data["network"]
        if slugs and network:
            raise ValidationError(_("Choose centres or a network, not both."), code="both")
        if network:
            centres = [centre for centre in self.managed if centre.network == network]
            if not centres:
                raise ValidationError(
                    _("There is no network called “%(name)s”."),
                    code=NOT_MANAGED if network_exists(network) else "unknown",
                    params={"name": network[:200]},
                )
        elif slugs:
            by_slug = {centre.slug: centre for centre in self.managed}
            unknown = [slug for slug in slugs if slug not in by_slug]
            if unknown:
                raise ValidationError(
                    _("There is no centre “%(slug)s”."),
                    code=NOT_MANAGED if centre_slugs_exist(unknown) else "unknown",
                    params={"slug": unknown[0][:80]},
                )
            centres = [by_slug[slug] for slug in slugs]
        else:
            centres = self.managed
        self.cleaned_data["centres"] = centres
        return network

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        days = self._days()
        if days is None:
            return data
        end = days[1] or timezone.localdate()
        start = days[0] or date(end.year, 1, 1)
        if start > end:
            self.add_error("from", START_AFTER_END)
        elif (end - start).days + 1 > MAX_FUNDER_DAYS:
            self.add_error("from", _("Choose a period of at most five years."))
        else:
            data["period"] = Period(start, end)
        return data

    @property
    def not_managed(self) -> bool:
        """A centre or network asked for exists, but the user does not manage it."""
        return self.has_error("network", NOT_MANAGED)

    @property
    def centres(self) -> list[Centre]:
        return list(self.cleaned_data["centres"])

    @property
    def period(self) -> Period:
        period: Period = self.cleaned_data["period"]
        return period

    def page_values(self) -> dict[str, Any]:
        """What the report page's form shows: the user's centres and networks, and the query
        as typed (the period's days when it is empty and the query is valid)."""
        period = self.period if self.is_valid() else None
        params = self.params
        return {
            "managed": self.managed,
            "networks": sorted({centre.network for centre in self.managed if centre.network}),
            "chosen": set(params.getlist("centre")),
            "network": params.get("network", ""),
            "date_from": params.get("from") or (period.start.isoformat() if period else ""),
            "date_to": params.get("to") or (period.end.isoformat() if period else ""),
        }


class CourseReportForm(_PeriodForm):
    """The completion threshold (1-100; empty: the setting) and an optional period (a missing
    end is open: from the beginning, or to the end)."""

    threshold = ThresholdField(required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        days = self._days()
        if days is None:
            return data
        data["period"] = None
        if days != (None, None):
            start, end = days[0] or FIRST_DAY, days[1] or LAST_DAY
            if start > end:
                self.add_error("from", START_AFTER_END)
            else:
                data["period"] = Period(start, end)
        return data

    @property
    def completion_threshold(self) -> int | None:
        threshold: int | None = self.cleaned_data["threshold"]
        return threshold

    @property
    def period(self) -> Period | None:
        period: Period | None = self.cleaned_data["period"]
        return period
