"""What every API view shares: pagination, error mapping, local-time datetimes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from courses.compiled import compiled
from courses.errors import DomainError
from courses.text import MAX_ID, whole_number

NULL_CHARACTERS = ProhibitNullCharactersValidator.message  # Django's, translated


class WholeNumberField(forms.IntegerField):
    """Django's IntegerField, read as `courses.text.whole_number` reads: decimal digits alone,
    so "1_0" or "+1" (which Python's int() takes, as 10 and 1) is refused, not another id."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = whole_number(value)
        if number is None:
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")
        return number


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """A filter by a row's id (`?course=12`): a whole number from 1 to MAX_ID, else a 400 that
    says so (not a number the database cannot take, answered with a 500)."""

    field_class = WholeNumberField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def null_character_errors(data: Any) -> Any:
    """Where parsed input holds a NUL character (which PostgreSQL refuses in text), as field
    errors nested like the input (list items by index); None when there is none."""
    if isinstance(data, str):
        return [NULL_CHARACTERS] if "\x00" in data else None
    if isinstance(data, dict):
        items: Any = data.items()
    elif isinstance(data, list):
        items = ((str(index), value) for index, value in enumerate(data))
    else:
        return None
    errors: dict[str, Any] = {}
    for key, value in items:
        if "\x00" in str(key):
            errors["non_field_errors"] = [NULL_CHARACTERS]
        elif (found := null_character_errors(value)) is not None:
            errors[str(key)] = found
    return errors or None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested too deep to read is a 400, not a 500, and so is a NUL
    character anywhere in it (a 400 naming each field that holds one), for every endpoint and
    every field: no lookup or write ever hands the database a NUL."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
            errors = null_character_errors(data)
        except RecursionError as exc:
            raise ParseError(_("The request body is nested too deeply to read.")) from exc
        if errors is not None:
            raise serializers.ValidationError(errors)
        return data


class SlugRelatedField(serializers.SlugRelatedField[Any]):
    """DRF's, but a NUL character is the field's 400 before any lookup (a form-encoded body is
    not read by our JSON parser; PostgreSQL refuses NUL in a query, which was a 500)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError(NULL_CHARACTERS, code="null_characters_not_allowed")
        return super().to_internal_value(data)


class CompiledPrimaryKeyField(serializers.PrimaryKeyRelatedField[Any]):
    """DRF's PrimaryKeyRelatedField, its row read by a query compiled once (`courses.compiled`):
    `build(pk)` is the queryset of that one row (`queryset` only names the model). Ids that
    are no integers, or out of the column's range, are refused as DRF refuses them."""

    def __init__(self, *, build: Callable[[int], QuerySet[Any]], **kwargs: Any) -> None:
        self.build = build
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        pk = data if isinstance(data, int) else whole_number(data)
        if pk is None:  # "1_0" or "+1" names no row, though int() reads them
            self.fail("incorrect_type", data_type=type(data).__name__)
        model = self.queryset.model  # type: ignore[union-attr] # given, as DRF requires
        low, high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
        found = compiled(self.build, pk=pk) if low <= pk <= high else []
        if not found:
            self.fail("does_not_exist", pk_value=data)
        return found[0]


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain refusals and model validation become 4xx answers with translated messages."""
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": str(exc.message), "code": exc.code}
        if exc.field and exc.field not in body:  # a field named `code` keeps the error's code
            body[exc.field] = [str(exc.message)]
        place = getattr(exc, "enrolment", None)
        if place is not None:  # only after the phone was proven: their own place
            body["personal_url"] = settings.PUBLIC_BASE_URL + place.participant.get_absolute_url()
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data: Any = {
                ("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
                for k, v in exc.message_dict.items()
            }
        else:
            data = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(data, status=400)
    # Imported here: rest_framework.views reads the parser setting, which names this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)


class DateTimeField(serializers.DateTimeField):
    """DRF's, except that a moment at the edge of the calendar (0001-01-01T00:00 without an
    offset, 9999-12-31T23:00-12:00) is a 400 "out of range" instead of a 500: DRF's check of a
    local time overflows there, and so would the database, which is given the moment in UTC."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "overflow": _("This date and time is out of range."),
    }

    def enforce_timezone(self, value: datetime) -> datetime:
        try:
            value = super().enforce_timezone(value)
            if timezone.is_aware(value):
                value.astimezone(UTC)
        except OverflowError:
            self.fail("overflow")
        return value


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "18:00",
        "description": "Local time, HH:MM (HH:MM:SS is read too; answers give HH:MM).",
    }
)
class HourMinuteField(serializers.TimeField):
    """A wall-clock time as "HH:MM" (what DRF calls format "time" is HH:MM:SS[.ffffff])."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class LocalDateTimeField(DateTimeField):
    """ISO 8601 in the zone of the object's centre, with its offset (e.g. +02:00)."""

    def __init__(self, *, tz_source: str = "course.centre.tz", **kwargs: Any) -> None:
        self.tz_source = tz_source
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        value = super().get_attribute(instance)
        tz = instance
        for part in self.tz_source.split("."):
            tz = getattr(tz, part)
        return (value, tz)

    def to_representation(self, value: Any) -> Any:
        moment, tz = value
        if not isinstance(moment, datetime):
            return None
        return moment.astimezone(tz).isoformat()
