"""The OpenAPI schema (drf-spectacular): every operation also documents the error answers it
may give, with the bodies `courses.api.base.exception_handler` and DRF return.

- 400 with a message per field (nested like the input) where there is input: a body, or a
  list's filters;
- 401 on every operation (wrong credentials are refused even where no login is needed);
- 403 where an anonymous caller is refused (writes, staff-only reads);
- 404 on an object's address (not found, or another centre's) and on lists (a page past the end);
- 409 (a refusal in the current state, with its `code`) and 503 (busy: nothing changed, try
  again) on writes;
- 429 where the operation is rate-limited (self-enrolment and its code).
"""

from __future__ import annotations

import copy
from typing import Any

import uritemplate
from django.contrib.auth.models import AnonymousUser
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from courses.errors import DomainError


def _domain_codes(status: int) -> list[str]:
    """The `code` of every domain refusal answered with `status`, sorted."""
    found: set[str] = set()
    todo: list[type[DomainError]] = [DomainError]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.status_code == status:
            found.add(cls.code)
    return sorted(found)


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="What is wrong, in the request's language.")


class RefusalSerializer(serializers.Serializer[Any]):
    """A change refused in the current state; nothing changed."""

    detail = serializers.CharField(help_text="Why, in the request's language.")
    code = serializers.CharField(help_text="What kind of refusal (a stable word).")


class ThrottledSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="When to try again, in the request's language.")
    code = serializers.CharField(
        required=False, help_text="`too_many_codes` when too many SMS codes were asked for."
    )


class FieldErrorsSerializer(serializers.Serializer[Any]):
    """Each field that is wrong with its messages; its schema is FieldErrorsExtension's."""


class FieldErrorsExtension(OpenApiSerializerExtension):
    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        messages = {"type": "array", "items": {"type": "string"}}
        return {
            "type": "object",
            "description": (
                "Each field that is wrong maps to its messages (in the request's language), "
                'nested like the input: `{"participant": {"phone": [...]}}`, list items by '
                "index. `non_field_errors` is about the input as a whole. A refusal of the "
                "service (e.g. `invalid_rule`) also gives `detail` and `code`."
            ),
            "properties": {
                "non_field_errors": messages,
                "detail": {"type": "string"},
                "code": {"type": "string", "enum": _domain_codes(400)},
            },
            "additionalProperties": {"oneOf": [messages, {"type": "object"}]},
        }


def _answers() -> dict[int, OpenApiResponse]:
    return {
        400: OpenApiResponse(FieldErrorsSerializer, "The input is wrong; nothing changed."),
        401: OpenApiResponse(
            ErrorSerializer, "No valid credentials: a wrong token, or none where a login is needed."
        ),
        403: OpenApiResponse(ErrorSerializer, "Not allowed for this user."),
        404: OpenApiResponse(
            ErrorSerializer,
            "Not found (also another centre's object, or a page past the last one).",
        ),
        409: OpenApiResponse(
            RefusalSerializer,
            "Refused in the current state; `code` is one of: "
            + ", ".join(f"`{code}`" for code in _domain_codes(409))
            + ".",
        ),
        429: OpenApiResponse(ThrottledSerializer, "Too many attempts: try again later."),
        503: OpenApiResponse(
            RefusalSerializer, "Busy (`code`: `busy`): nothing changed, try again in a moment."
        ),
    }


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with the error answers of each operation (see the module's text)."""

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        answers = _answers()
        for status in self._error_statuses():
            code = str(status)
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    answers[status], code, direction=direction
                )
        return dict(sorted(responses.items()))

    def _error_statuses(self) -> list[int]:
        writes = self.method not in SAFE_METHODS
        listing = self.method == "GET" and self._is_list_view()
        statuses = [401]
        if self.method in ("POST", "PUT", "PATCH") or listing:
            statuses.append(400)
        if not self._anonymous_allowed():
            statuses.append(403)
        if listing or uritemplate.variables(self.path):
            statuses.append(404)
        if writes:
            statuses += [409, 503]
        if self._throttled():
            statuses.append(429)
        return sorted(statuses)

    def _anonymous_allowed(self) -> bool:
        """Whether the view's permissions let someone who is not logged in do this (asked of a
        copy of the request as nobody's: the schema is the same whoever reads it)."""
        request = copy.copy(self.view.request)
        request._user = AnonymousUser()  # type: ignore[attr-defined]
        return all(
            permission.has_permission(request, self.view)
            for permission in self.view.get_permissions()
        )

    def _throttled(self) -> bool:
        return bool(self.view.get_throttles())
