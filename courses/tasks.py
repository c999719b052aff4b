from celery import shared_task

from courses.services import offers, privacy, verification


@shared_task(name="courses.tasks.offers_expire")
def offers_expire() -> int:
    """Every minute: offers past their time expire and pass on to the next person."""
    return offers.offers_expire()


@shared_task(name="courses.tasks.participants_retention")
def participants_retention() -> int:
    """Daily: anonymise people inactive for PRIVACY_RETENTION_MONTHS (0: never)."""
    return privacy.participants_retention()


@shared_task(name="courses.tasks.verifications_purge")
def verifications_purge() -> int:
    """Hourly: self-enrolment requests older than a day are deleted (proven or not)."""
    return verification.verifications_purge()
