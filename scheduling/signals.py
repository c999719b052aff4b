"""What happens to sessions, announced for the apps above the core (notifications).

Each signal is sent inside the transaction that made the change, so a receiver can write its
own rows (an outbox message) atomically with it. Arguments: `session`, `actor` (a user or None).
`session_moved` also gets `previous_starts_at`, `previous_ends_at` and `previous_venue`;
`session_cancelled` gets `quiet` (True when the whole course is cancelled: no notice per session).
"""

from django.dispatch import Signal

session_cancelled = Signal()
session_restored = Signal()
session_moved = Signal()
