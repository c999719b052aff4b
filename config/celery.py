"""The Celery app. Tasks take ids and call a service; beat runs the periodic ones."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("integra")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "sms-dispatch": {"task": "notifications.tasks.dispatch", "schedule": 60.0},
    "sms-reminders-plan": {"task": "notifications.tasks.reminders_plan", "schedule": 300.0},
    "offers-expire": {"task": "courses.tasks.offers_expire", "schedule": 60.0},
    "verifications-purge": {"task": "courses.tasks.verifications_purge", "schedule": 3600.0},
    "sessions-extend-horizon": {
        "task": "scheduling.tasks.sessions_extend_horizon",
        "schedule": crontab(minute=17, hour=3),
    },
    "privacy-retention": {
        "task": "courses.tasks.participants_retention",
        "schedule": crontab(minute=43, hour=3),
    },
    "sms-bodies-retention": {
        "task": "notifications.tasks.bodies_retention",
        "schedule": crontab(minute=47, hour=3),
    },
}
