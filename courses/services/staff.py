"""The "Centre staff" group: the admin permissions a centre's staff get by default.

The workspace (/staff/) needs none of them (it goes by `Centre.staff`); the admin does. The
group is brought up to date after every `migrate`, so each page the README promises staff in
the admin (their courses, sessions, closures, participants, the audit log, the SMS log, the
opt-out list, trainers' private calendar links) opens for them instead of a 403. Apps are
named by label only: the core never imports the apps above it.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

STAFF_GROUP = "Centre staff"
STAFF_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "courses": {
        "course": ("view", "add", "change", "delete"),
        "venue": ("view", "add", "change", "delete"),
        "centre": ("view", "change"),
        "participant": ("view", "add", "change"),
        "enrolment": ("view", "add", "change"),
        "auditentry": ("view",),
    },
    "scheduling": {
        "session": ("view", "add", "change", "delete"),
        "closure": ("view", "add", "change", "delete"),
        "calendartoken": ("view", "add", "change"),
    },
    "notifications": {
        "outboundmessage": ("view",),
        "phoneoptout": ("view",),
    },
}


def staff_permission_names() -> set[tuple[str, str]]:
    """(app label, codename) of every default permission."""
    return {
        (app, f"{action}_{model}")
        for app, models in STAFF_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }


def staff_group_sync() -> tuple[Group, set[tuple[str, str]]]:
    """Create the group or add what it lacks (a permission a superuser added by hand stays).
    Returns the group and the default permissions not found (their app not migrated yet)."""
    wanted = staff_permission_names()
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
        found = [
            p
            for p in Permission.objects.filter(
                content_type__app_label__in=STAFF_PERMISSIONS,
                codename__in={codename for _app, codename in wanted},
            ).select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.add(*found)
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    return group, missing
