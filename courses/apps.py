from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_staff_group(**kwargs: Any) -> None:
    """After each app's migrations: the "Centre staff" group gets the default permissions that
    exist by then (every app's, once the last one is migrated)."""
    from courses.services.staff import staff_group_sync

    staff_group_sync()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        post_migrate.connect(_sync_staff_group, dispatch_uid="courses.staff_group")
