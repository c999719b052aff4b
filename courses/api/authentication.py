"""The API's token authentication: DRF's, with the centres the user is staff of read in the
same query on PostgreSQL, so that a staff request asks the database once for who it is and
where it may act (`courses.selectors.tenancy.staffed_centre_ids` then asks nothing more)."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef
from rest_framework.authentication import TokenAuthentication

from courses.models import Centre
from courses.selectors.tenancy import staffed_centre_ids_known


class StaffTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as DRF reads it and refuses it."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if connection.vendor != "postgresql":
            return super().authenticate_credentials(key)
        staffed = Centre.staff.through.objects.filter(user_id=OuterRef("user_id"))
        token = (
            self.get_model()
            ._default_manager.select_related("user")
            .annotate(staffed=ArraySubquery(staffed.values("centre_id")))
            .filter(key=key)
            .first()
        )
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # refused in DRF's words
        staffed_centre_ids_known(token.user, token.staffed)
        return token.user, token
