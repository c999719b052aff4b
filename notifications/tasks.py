from celery import shared_task

from notifications.services import dispatch as dispatcher
from notifications.services import planning, privacy


@shared_task(name="notifications.tasks.dispatch")
def dispatch() -> dict[str, int]:
    """Every minute: send what is due (safe to run twice at once)."""
    return vars(dispatcher.dispatch_pass())


@shared_task(name="notifications.tasks.reminders_plan")
def reminders_plan() -> int:
    """Every few minutes: plan reminders for sessions coming soon (idempotent)."""
    return planning.reminders_plan()


@shared_task(name="notifications.tasks.bodies_retention")
def bodies_retention() -> int:
    """Daily: clear the texts of SMS older than SMS_BODY_RETENTION_DAYS (0: never)."""
    return privacy.message_bodies_retention()
