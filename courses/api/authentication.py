"""The API's token authentication: DRF's, with the centres the user is staff of read in the
same query on PostgreSQL, so that a staff request asks the database once for who it is and
where it may act (`courses.selectors.tenancy.staffed_centre_ids` then asks nothing more); the
query compiled once (`courses.compiled`)."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef, QuerySet
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from courses.compiled import compiled
from courses.models import Centre
from courses.selectors.tenancy import staffed_centre_ids_known


def _token_with_centres(key: str) -> QuerySet[Token]:
    staffed = Centre.staff.through.objects.filter(user_id=OuterRef("user_id"))
    return (
        Token.objects.select_related("user")
        .annotate(staffed=ArraySubquery(staffed.values("centre_id")))
        .filter(key=key)[:1]
    )


class StaffTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as DRF reads it and refuses it."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if connection.vendor != "postgresql":
            return super().authenticate_credentials(key)
        found = compiled(_token_with_centres, key=key)
        token = found[0] if found else None
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # refused in DRF's words
        staffed_centre_ids_known(token.user, getattr(token, "staffed"))  # noqa: B009 - annotated
        return token.user, token
