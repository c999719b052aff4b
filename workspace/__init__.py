"""The coordinators' workspace at /staff/: the daily work of a centre's staff (and, read-only,
of its trainers) on top of the courses, scheduling and notifications services."""
