"""What happens to enrolments, announced for the apps above the core (notifications).

Sent inside the transaction that made the change, with `enrolment` and `actor` (a user or None).
- enrolment_confirmed: a seat is confirmed (directly, from the waitlist, or by accepting an offer);
  `promoted` is True when it came from the waitlist.
- enrolment_waitlisted: the person is on the waitlist (`position` given).
- offer_made: a freed seat is offered until `enrolment.offer_expires_at`.
- offer_expired: an offer ran out and passed on.
- enrolment_cancelled: a confirmed seat or a waitlist place was given up or cancelled by staff.
"""

from django.dispatch import Signal

enrolment_confirmed = Signal()
enrolment_waitlisted = Signal()
offer_made = Signal()
offer_expired = Signal()
enrolment_cancelled = Signal()
# A whole course is cancelled (`course`, `actor`): its sessions were cancelled quietly.
course_cancelled = Signal()
# A person gave or withdrew SMS consent on their page (`participant`, `given`).
sms_consent_changed = Signal()
