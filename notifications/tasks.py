from celery import shared_task

from notifications import services


@shared_task(name="notifications.tasks.dispatch")
def dispatch() -> dict[str, int]:
    """Every minute: send what is due (safe to run twice at once)."""
    return vars(services.dispatch_pass())


@shared_task(name="notifications.tasks.reminders_plan")
def reminders_plan() -> int:
    """Every few minutes: plan reminders for sessions coming soon (idempotent)."""
    return services.reminders_plan()


@shared_task(name="notifications.tasks.bodies_retention")
def bodies_retention() -> int:
    """Daily: clear the texts of SMS older than SMS_BODY_RETENTION_DAYS (0: never)."""
    return services.message_bodies_retention()
