"""The appointments' reads.

- `slots`: free_slots (a course's or several courses' free slots in a language), day_slots
  (every slot of a session with its state, for the workspace)
- `tenancy`: what a staff member may see (their centres; interpreters of their networks)
"""
