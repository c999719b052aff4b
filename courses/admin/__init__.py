"""The Django admin of the courses app (superusers and technical settings); each module registers
its models when imported."""

from courses.admin import audit, catalogue, enrolments, people  # noqa: F401 - registration
