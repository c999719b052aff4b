"""What happens to appointments, announced for the apps above the core (notifications plans
the SMS). Sent inside the transaction that made the change, with `appointment` and `actor` (a
user or None).
- appointment_booked: a slot is booked (online, through the API or by staff).
- appointment_cancelled: an appointment was cancelled (by the person or by staff; `reason`).
- appointment_moved: moved to another slot (`previous_starts_at`, `previous_ends_at`).
- appointment_offered: a freed slot was booked for the first person on that day's waitlist
  (`entry`, the DayWaitlistEntry): they are told the time and may cancel or move it.
"""

from django.dispatch import Signal

appointment_booked = Signal()
appointment_cancelled = Signal()
appointment_moved = Signal()
appointment_offered = Signal()
