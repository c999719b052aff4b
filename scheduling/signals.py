"""What happens to sessions, announced for the apps above the core (notifications).

Each signal is sent inside the transaction that made the change, so a receiver can write its
own rows (an outbox message) atomically with it. Arguments: `session`, `actor` (a user or None).
`session_moved` also gets `previous_starts_at`, `previous_ends_at` and `previous_venue`;
`session_cancelled` gets `quiet` (True when the whole course is cancelled: no notice per session).
Both get `note_in_sms`: staff asked for the session's note to be in the notice.
`sessions_rescheduled` (`sessions`, no actor) is sent when a change of the course moved the start
of scheduled sessions nobody had moved by hand (their reminders follow; nobody is told).
"""

from django.dispatch import Signal

session_cancelled = Signal()
session_restored = Signal()
session_moved = Signal()
sessions_rescheduled = Signal()
