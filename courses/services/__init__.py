"""Writes of the courses app, one module per sub-domain. Each service owns its transaction and
writes its own audit rows; callers import the module they need (`courses.services.enrolment`)."""
