from typing import Any

from django.core.management.base import BaseCommand

from notifications.services import dispatch, planning


class Command(BaseCommand):
    help = "Run one dispatcher pass: plan due reminders, send the SMS that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        planned = planning.reminders_plan()
        result = dispatch.dispatch_pass()
        self.stdout.write(
            f"planned {planned}; sent {result.sent}, skipped {result.skipped}, "
            f"failed {result.failed}, retried {result.retried}, unknown {result.unknown}, "
            f"recovered {result.recovered}, settled {result.settled}"
        )
