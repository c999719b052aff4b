"""Writes for sessions, closures and calendar links (`generation`, `sessions`, `tokens`).
Each function owns its transaction."""

from __future__ import annotations

from scheduling.services.generation import (
    ClosedDays,
    SyncResult,
    closure_delete,
    closure_save,
    closures_for,
    course_sessions_sync,
    course_touch,
    courses_sessions_sync,
    sessions_extend_horizon,
)
from scheduling.services.sessions import (
    _UNSET,
    Actor,
    session_add,
    session_cancel,
    session_move,
    session_restore,
    session_update_details,
)
from scheduling.services.tokens import calendar_tokens_revoke

__all__ = [
    "_UNSET",
    "Actor",
    "ClosedDays",
    "SyncResult",
    "calendar_tokens_revoke",
    "closure_delete",
    "closure_save",
    "closures_for",
    "course_sessions_sync",
    "course_touch",
    "courses_sessions_sync",
    "session_add",
    "session_cancel",
    "session_move",
    "session_restore",
    "session_update_details",
    "sessions_extend_horizon",
]
