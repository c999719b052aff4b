from typing import Any

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Run one dispatcher pass: plan due reminders, send the SMS that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        planned = services.reminders_plan()
        result = services.dispatch_pass()
        self.stdout.write(
            f"planned {planned}; sent {result.sent}, skipped {result.skipped}, "
            f"failed {result.failed}, retried {result.retried}, unknown {result.unknown}, "
            f"recovered {result.recovered}"
        )
