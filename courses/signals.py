"""What happens to enrolments, announced for the apps above the core (notifications).

Sent inside the transaction that made the change, with `enrolment` and `actor` (a user or None).
- enrolment_preparing: a new enrolment is about to be decided (`course`, `session`,
  `participant`), sent before the course or session row is locked: each receiver may return
  what it will need once the place is known (a message's text and context), and gets it back
  as `prepared` (a dict from receiver to what it returned) with enrolment_confirmed or
  enrolment_waitlisted, so that as little as possible runs while the row is locked.
- enrolment_confirmed: a seat is confirmed (directly, from the waitlist, or by accepting an offer);
  `promoted` is True when it came from the waitlist.
- enrolment_waitlisted: the person is on the waitlist (`position` given).
- offer_made: a freed seat is offered until `enrolment.offer_expires_at`; with `offer_hours`
  when that many hours count from when the person is told (a fixed deadline without it).
- offer_expired: an offer ran out and passed on.
- enrolment_cancelled: a confirmed seat or a waitlist place was given up or cancelled by staff.
"""

from django.dispatch import Signal

enrolment_preparing = Signal()
enrolment_confirmed = Signal()
enrolment_waitlisted = Signal()
offer_made = Signal()
offer_expired = Signal()
enrolment_cancelled = Signal()
# A whole course is cancelled (`course`, `actor`): its sessions were cancelled quietly.
course_cancelled = Signal()
# A person gave or withdrew SMS consent on their page (`participant`, `given`).
sms_consent_changed = Signal()

# Privacy (`courses.services.privacy`). `participant_export_requested` (`participant`): each
# receiver returns a dict of sections (name -> JSON-ready value) to add to the person's data export.
# `participant_erased` (`participant`, `actor`, `reason`): sent inside the erasure's transaction,
# after the person's fields were cleared; receivers remove what they hold about the person.
participant_export_requested = Signal()
participant_erased = Signal()
# A self-enrolment asks to prove its phone (`verification`, `code`): the outbox sends the code.
verification_code_requested = Signal()
# `manage.py load_demo` added its people and their places (`participant_ids`): the apps above
# the core may finish the demo picture (notifications: delivery reports of the SMS sent).
demo_loaded = Signal()
