"""The appointments' writes: each owns its transaction and writes its audit row.

- `booking`: appointment_book, appointment_cancel, appointment_move, appointment_mark
- `slots`: slot_block, slot_unblock
- `waitlist`: day_waitlist_join, day_waitlist_leave (and the offer of a freed slot on cancel)
- `requests`: appointment_request_start, appointment_request_confirm (self-booking with a code)
"""
