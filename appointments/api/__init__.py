"""REST API for appointments: `slots/` (free slots, public for published courses) and
`appointments/` (book; staff list and cancel)."""
