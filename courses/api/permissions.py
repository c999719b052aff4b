from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from courses.selectors.tenancy import is_centre_staff


class StaffWritesPublicReads(BasePermission):
    """Anyone may read what is public; only centre staff (and superusers) may write.

    Which objects a user may write is decided by each view's queryset: another centre's objects
    are simply not found (404).
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return is_centre_staff(request.user)


class CentrePermission(BasePermission):
    """Anyone reads centres; superusers create them; a centre's staff update their own."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if request.method == "POST":
            return bool(request.user and request.user.is_superuser)
        return is_centre_staff(request.user)
